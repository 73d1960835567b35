"""The alignment checks: each rule fires when it should and stays quiet when it shouldn't."""

from collections import defaultdict
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.briefs.checks import (
    KINDS,
    MESSAGES,
    Finding,
    LexiconEntry,
    PeerPay,
    check_brief,
    findings_for,
    merge_lexicon,
    shipped_lexicon,
    technologies,
)
from accord.briefs.models import (
    AssessedAt,
    BriefVersion,
    Channel,
    Criterion,
    Frequency,
    GlossaryTerm,
    InterviewStage,
    Kind,
    VagueTerm,
)
from accord.briefs.sections import QUESTIONS, TEXT_FIELDS
from accord.requisitions.models import Level, RemotePolicy, Requisition
from tests.factories import (
    BriefVersionFactory,
    CriterionFactory,
    RequisitionFactory,
    WorkspaceFactory,
)

TODAY = date(2026, 11, 22)
CONCRETE = "Has run a production service for a year and can walk us through an incident."


# --- helpers: unsaved objects, so the pure checks run without a database -------------------------


def brief(**answers: object) -> BriefVersion:
    """A version whose intake is complete enough to raise no gaps."""
    complete = {
        "success_90": "Owns the billing service and has shipped the invoice rewrite.",
        "past_misstep": "Our last hire never asked for help and missed two deadlines silently.",
        "review_days": 2,
        "decision_days": 3,
        "update_channel": Channel.EMAIL,
        "update_frequency": Frequency.WEEKLY,
    }
    return BriefVersion(**{**complete, **answers})


def role(**fields: object) -> Requisition:
    defaults = {
        "title": "Backend Engineer",
        "level": Level.MID,
        "location": "London",
        "remote_policy": RemotePolicy.HYBRID,
    }
    return Requisition(**{**defaults, **fields})


def criterion(name: str, kind: str = Kind.MUST, **fields: object) -> Criterion:
    defaults = {
        "definition": CONCRETE,
        "assessed_at": AssessedAt.RESUME,
        "weight": None if kind == Kind.MUST else 3,
    }
    return Criterion(name=name, kind=kind, **{**defaults, **fields})


def check(
    version: BriefVersion | None = None,
    requisition: Requisition | None = None,
    criteria: list[Criterion] | None = None,
    stages: tuple[InterviewStage, ...] = (),
    lexicon: tuple[LexiconEntry, ...] | None = None,
    glossary: dict[str, str] | None = None,
    limit: int = 5,
    peers: tuple[PeerPay, ...] = (),
    today: date = TODAY,
) -> list[Finding]:
    return check_brief(
        version=version or brief(),
        requisition=requisition or role(),
        criteria=[criterion("Python services in production")] if criteria is None else criteria,
        stages=stages,
        lexicon=shipped_lexicon() if lexicon is None else lexicon,
        glossary=glossary or {},
        must_have_limit=limit,
        peer_pay=peers,
        today=today,
    )


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def test_a_complete_clear_brief_raises_nothing() -> None:
    assert check() == []


# --- data ---------------------------------------------------------------------------------------


def test_the_shipped_lexicon_is_complete_and_unique() -> None:
    lexicon = shipped_lexicon()
    terms = [e.term.lower() for e in lexicon]
    assert len(lexicon) >= 30
    assert len(set(terms)) == len(terms)
    assert all(e.term.strip() and e.why.strip() and e.ask.strip().endswith("?") for e in lexicon)
    assert {"strategic thinker", "team player", "self-starter", "culture fit", "a-player"} <= set(
        terms
    )


def test_technologies_have_plausible_years_and_aliases() -> None:
    table = technologies()
    assert len({name for name, _since in table.values()}) >= 40
    assert table["kubernetes"] == ("Kubernetes", 2014)
    assert table["k8s"] == ("Kubernetes", 2014)
    assert table["golang"] == ("Go", 2009)
    assert table["large language models"][1] == 2022
    assert all(1990 <= since <= TODAY.year for _name, since in table.values())


def test_every_message_has_a_known_kind_and_all_three_texts() -> None:
    assert set(KINDS.values()) <= {"vague", "unicorn", "contradiction", "gap"}
    values = defaultdict(lambda: 2)  # fills every %(name)s, and picks the plural
    for texts in MESSAGES.values():
        title, why, ask = (text % values for text in texts)
        assert title
        assert why
        assert ask.endswith("?")


# --- vague terms --------------------------------------------------------------------------------


def test_an_undefined_vague_term_in_an_answer_is_flagged_once_where_first_found() -> None:
    version = brief(
        team_context="We need a strategic thinker.",
        who_thrives="Strategic thinkers do well here; strategic thinking too.",
    )
    [finding] = check(version=version)
    strategic = next(e for e in shipped_lexicon() if e.term == "strategic thinker")
    assert finding == Finding(
        code="vague_term",
        kind="vague",
        title="“Strategic thinker” has no agreed definition",
        why=strategic.why,
        ask="What has someone done that made you call them strategic? Over what time horizon?",
        field="team_context",
    )


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("a self starter", "self-starter"),
        ("Self-Starters welcome", "self-starter"),
        ("selfstarter", "self-starter"),
        ("a real team-player", "team player"),
        ("TEAM PLAYERS", "team player"),
        ("an A-player", "A-player"),
        ("rockstars and ninjas", "rockstar"),
        ("thinks out of the box", None),
        ("an out-of-the-box thinker", "out-of-the-box thinker"),
        ("you will wear many hats", "wear many hats"),
        ("be a 10x engineer", "10x"),
        ("someone dynamic", "dynamic"),
    ],
)
def test_vague_terms_match_case_hyphen_and_plural_variants(text: str, term: str | None) -> None:
    findings = only(check(version=brief(who_thrives=text)), "vague_term")
    titles = [f.title for f in findings]
    if term is None:
        assert titles == []
    else:
        assert f"“{term[:1].upper() + term[1:]}” has no agreed definition" in titles


@pytest.mark.parametrize(
    "text",
    [
        "The team dynamics are healthy.",  # "dynamics" is not "dynamic"
        "She is a player-coach.",  # not an A-player
        "We print on a 10x10 grid.",
        "They work passionately.",
        "Unhungry for meetings.",
        "We hired a strategist who thinks ahead.",
    ],
)
def test_words_that_merely_contain_a_term_are_not_flagged(text: str) -> None:
    assert only(check(version=brief(who_thrives=text)), "vague_term") == []


def test_a_vague_criterion_name_points_at_the_criterion() -> None:
    vague = criterion("Strategic thinker", definition="A strategic thinker and a team player.")
    [finding] = only(check(criteria=[vague]), "vague_term")
    assert (finding.field, finding.criterion) == ("criteria", str(vague.public_id))


def test_a_term_found_first_in_an_answer_still_links_the_criterion_that_names_it() -> None:
    vague = criterion("Strategic thinker", definition="")
    [finding] = only(
        check(version=brief(why_now="We lack a strategic thinker."), criteria=[vague]),
        "vague_term",
    )
    assert (finding.field, finding.criterion) == ("why_now", str(vague.public_id))


def test_a_concrete_definition_on_the_criterion_silences_the_term_everywhere() -> None:
    defined = criterion(
        "Strategic thinker",
        definition="Has planned a product line two years ahead and changed course on evidence.",
    )
    findings = check(version=brief(team_context="A strategic thinker."), criteria=[defined])
    assert only(findings, "vague_term") == []


def test_a_definition_that_only_repeats_vague_words_does_not_count() -> None:
    circular = criterion(
        "Strategic thinker", definition="A strategic thinker, a team player and very proactive."
    )
    assert [f.title for f in only(check(criteria=[circular]), "vague_term")] == [
        "“Strategic thinker” has no agreed definition"
    ]


def test_the_glossary_silences_a_term_in_any_spelling() -> None:
    version = brief(team_context="A strategic thinker and a self starter.")
    glossary = {
        "strategic thinker": "Plans two years ahead.",
        "self-starter": "Finds their own next task.",
    }
    assert only(check(version=version, glossary=glossary), "vague_term") == []


def test_a_glossary_entry_without_a_definition_does_not_define_anything() -> None:
    version = brief(team_context="A strategic thinker.")
    assert (
        len(only(check(version=version, glossary={"strategic thinker": "  "}), "vague_term")) == 1
    )


def test_a_workspace_term_without_an_ask_gets_a_generic_one() -> None:
    lexicon = (*shipped_lexicon(), LexiconEntry("synergy", "", ""))
    [finding] = only(
        check(version=brief(selling_points="Real synergy."), lexicon=lexicon), "vague_term"
    )
    assert finding.title == "“Synergy” has no agreed definition"
    assert "differently" in finding.why
    assert (
        finding.ask == "What would a candidate have done, that we could check, to show “Synergy”?"
    )


def test_merge_lexicon_adds_workspace_terms_and_their_ask_wins() -> None:
    shipped = (LexiconEntry("team player", "Why.", "Shipped ask?"),)
    merged = merge_lexicon(shipped, [("Team Player", "Our ask?"), ("synergy", "")])
    assert merged == (
        LexiconEntry("team player", "Why.", "Our ask?"),
        LexiconEntry("synergy", "", ""),
    )


# --- unicorn ------------------------------------------------------------------------------------


def test_nine_must_haves_over_a_limit_of_five_is_one_unicorn_with_four_suggestions() -> None:
    musts = [criterion(f"Skill {n}") for n in range(1, 10)]
    [finding] = only(check(criteria=musts, limit=5), "unicorn")
    assert finding.kind == "unicorn"
    assert finding.title == "9 must-haves: few people have them all"
    assert finding.ask == "Think of your best hires: did they have all of these on day one?"
    # All equal: the last listed are the likeliest nice-to-haves.
    assert finding.suggestions == ("Skill 9", "Skill 8", "Skill 7", "Skill 6")


def test_moving_four_must_haves_to_nice_to_have_silences_the_unicorn() -> None:
    criteria = [criterion(f"Skill {n}", Kind.MUST if n <= 5 else Kind.NICE) for n in range(1, 10)]
    assert only(check(criteria=criteria, limit=5), "unicorn") == []


def test_a_limit_of_zero_turns_the_unicorn_check_off() -> None:
    assert only(check(criteria=[criterion("A"), criterion("B")], limit=0), "unicorn") == []


def test_unicorn_suggestions_prefer_unassessed_then_preferences_then_low_years() -> None:
    criteria = [
        criterion("Unchecked", assessed_at=""),
        criterion("Python"),
        criterion("Familiarity with Terraform"),
        criterion("SQL"),
        criterion("Kafka", skills=[{"label": "Kafka", "min_years": 1}]),
        criterion("Go", skills=[{"label": "Go", "min_years": 5}]),
        criterion("Docker"),
        criterion("Testing"),
    ]
    [finding] = only(check(criteria=criteria, limit=4), "unicorn")
    assert finding.suggestions == ("Unchecked", "Familiarity with Terraform", "Kafka", "Testing")


# --- years of experience vs a technology's age ---------------------------------------------------


def test_ten_years_of_kubernetes_is_flagged_and_five_is_not() -> None:
    [finding] = check(version=brief(deal_breakers="Less than 10 years of Kubernetes."))
    assert (finding.code, finding.kind, finding.field) == (
        "years_vs_age",
        "contradiction",
        "deal_breakers",
    )
    assert finding.title == "10 years of Kubernetes, first released in 2014"
    assert "earliest adopters" in finding.why
    assert check(version=brief(deal_breakers="Less than 5 years of Kubernetes.")) == []


def test_more_years_than_the_technology_has_existed_says_nobody_has_them() -> None:
    [finding] = check(version=brief(ideal_persona="Has 12+ years of Rust."))
    assert "nobody has 12 years" in finding.why


@pytest.mark.parametrize(
    ("text", "tech"),
    [
        ("9 years experience with Rust", "Rust"),
        ("12 years' Swift", "Swift"),
        ("Kubernetes (11+ years)", "Kubernetes"),
        ("Next.js: 9 years", "Next.js"),
        ("3 yrs of LangChain", "LangChain"),
        ("ten years of LLM experience", "LLMs"),
        ("9-10 years of hands-on experience with React Native", "React Native"),
        ("10 years of K8S", "Kubernetes"),
    ],
)
def test_years_are_read_from_many_phrasings(text: str, tech: str) -> None:
    [finding] = check(version=brief(who_thrives=text))
    assert finding.code == "years_vs_age"
    assert f" of {tech}, first released" in finding.title


@pytest.mark.parametrize(
    "text",
    [
        "15 years of go-to-market experience",
        "10 years of backend work, some of it on Kubernetes",
        "3 years of Kubernetes",
        "2015 Kubernetes migration",
    ],
)
def test_years_that_are_plausible_or_not_about_a_technology_pass(text: str) -> None:
    assert check(version=brief(who_thrives=text)) == []


def test_linked_skills_are_checked_and_point_at_the_criterion() -> None:
    cluster = criterion("Cluster operations", skills=[{"label": "k8s", "min_years": "12"}])
    [finding] = check(criteria=[cluster])
    assert (finding.code, finding.field, finding.criterion) == (
        "years_vs_age",
        "criteria",
        str(cluster.public_id),
    )
    assert finding.title == "12 years of Kubernetes, first released in 2014"


def test_one_finding_per_technology_with_the_most_years_asked() -> None:
    version = brief(
        team_context="10 years of Kubernetes", deal_breakers="Under 11 years of Kubernetes"
    )
    [finding] = check(version=version)
    assert (finding.title, finding.field) == (
        "11 years of Kubernetes, first released in 2014",
        "deal_breakers",
    )


def test_malformed_skills_are_ignored() -> None:
    skills = [
        "Kubernetes",
        {"label": "Kubernetes"},
        {"label": "Kubernetes", "min_years": None},
        {"label": "Kubernetes", "min_years": True},
        {"label": "Kubernetes", "min_years": "lots"},
        {"label": 12, "min_years": 12},
        {"label": "Unknown tech", "min_years": 40},
    ]
    assert check(criteria=[criterion("Ops", skills=skills)]) == []


# --- title, level and pay -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "level", "flagged"),
    [
        ("Senior Data Engineer", Level.JUNIOR, True),
        ("Sr. Data Engineer", Level.INTERN, True),
        ("Senior Data Engineer", Level.SENIOR, False),
        ("Junior Analyst", Level.LEAD, True),
        ("Graduate Analyst", Level.SENIOR, True),
        ("Junior Analyst", Level.MID, False),
        ("Internal Tools Engineer", Level.SENIOR, False),
    ],
)
def test_title_vs_level(title: str, level: str, flagged: bool) -> None:
    findings = only(check(requisition=role(title=title, level=level)), "level_vs_title")
    assert len(findings) == int(flagged)


def test_pay_below_a_lower_levels_floor_is_a_contradiction() -> None:
    requisition = role(level=Level.SENIOR, compensation_min=50000, compensation_max=60000)
    requisition.currency = "eur"
    peers = (
        PeerPay(Level.MID, "EUR", 70000, 80000),
        PeerPay(Level.JUNIOR, "EUR", 65000, 70000),
        PeerPay(Level.MID, "USD", 90000, 100000),  # another currency
        PeerPay(Level.LEAD, "EUR", 120000, 150000),  # a higher level
    )
    [finding] = check(requisition=requisition, peers=peers)
    assert (finding.code, finding.field) == ("level_vs_pay", "compensation_max")
    assert finding.title == "The pay tops out below what Mid-level roles here start at"
    assert finding.why == "This role pays up to 60,000 EUR; a Mid-level role here starts at 70,000."


def test_pay_above_lower_levels_is_fine() -> None:
    requisition = role(
        level=Level.SENIOR, compensation_min=80000, compensation_max=100000, currency="EUR"
    )
    assert check(requisition=requisition, peers=(PeerPay(Level.MID, "EUR", 70000, 90000),)) == []


def test_a_range_more_than_double_is_wide() -> None:
    wide = role(compensation_min=50000, compensation_max=120000, currency="GBP")
    [finding] = check(requisition=wide)
    assert (finding.code, finding.field) == ("pay_range_wide", "compensation_min")
    assert check(requisition=role(compensation_min=60000, compensation_max=100000)) == []


# --- location and remote policy -------------------------------------------------------------


def test_a_remote_role_whose_brief_mentions_the_office_is_flagged() -> None:
    remote = role(remote_policy=RemotePolicy.REMOTE)
    version = brief(process_notes="The final round is 2 days a week in the office.")
    [finding] = check(version=version, requisition=remote)
    assert (finding.code, finding.kind, finding.field) == (
        "location_vs_remote",
        "contradiction",
        "process_notes",
    )
    relocate = criterion("Willing to relocate to Berlin")
    assert only(check(requisition=remote, criteria=[relocate]), "location_vs_remote")[0].field == (
        "criteria"
    )
    assert check(requisition=remote, version=brief(process_notes="All on video.")) == []


def test_on_site_with_a_remote_location_or_no_location() -> None:
    [contradiction] = check(
        requisition=role(remote_policy=RemotePolicy.ON_SITE, location="Remote (UK)")
    )
    assert (contradiction.code, contradiction.field) == ("location_vs_remote", "location")
    [gap] = check(requisition=role(remote_policy=RemotePolicy.ON_SITE, location=""))
    assert (gap.code, gap.kind) == ("no_location", "gap")
    assert check(requisition=role(remote_policy=RemotePolicy.REMOTE, location="")) == []


# --- gaps -----------------------------------------------------------------------------------


def test_an_empty_intake_has_every_gap() -> None:
    findings = check(version=BriefVersion(), criteria=[])
    assert [(f.code, f.field) for f in findings] == [
        ("no_criteria", "criteria"),
        ("no_success", "success_30"),
        ("no_misstep", "past_misstep"),
        ("no_commitments", "review_days"),
        ("no_communication", "update_channel"),
    ]
    assert all(f.kind == "gap" for f in findings)
    assert all(f.field in QUESTIONS or f.field == "criteria" for f in findings)


def test_one_commitment_or_one_success_answer_is_enough() -> None:
    version = brief(success_90="", success_year="Runs the team.", review_days=None)
    assert check(version=version) == []


def test_communication_needs_both_channel_and_frequency() -> None:
    [finding] = check(version=brief(update_frequency=""))
    assert (finding.code, finding.field) == ("no_communication", "update_frequency")


def test_each_unassessed_must_have_is_a_gap() -> None:
    stage = InterviewStage(id=7, name="Systems design")
    criteria = [
        criterion("Not assessed", assessed_at=""),
        criterion("Interview, no stage", assessed_at=AssessedAt.INTERVIEW),
        criterion("Stage of another version", assessed_at=AssessedAt.INTERVIEW, stage_id=99),
        criterion("Design interview", assessed_at=AssessedAt.INTERVIEW, stage_id=7),
        criterion("Nice, not assessed", Kind.NICE, assessed_at=""),
    ]
    findings = check(criteria=criteria, stages=(stage,))
    assert [(f.code, f.criterion) for f in findings] == [
        ("unassessed_must", str(c.public_id)) for c in criteria[:3]
    ]
    assert findings[0].title == "“Not assessed” isn’t assessed anywhere"


# --- robustness -----------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "strategic thinker",
        "self-starter",
        "10+ years of Kubernetes",
        "Rust: 99 years",
        "on-site",
        "A-player",
        "%(term)s",
        "100%",
        "ten years of LLM",
        "",
    ]
)
TEXT = st.lists(FRAGMENTS | st.text(max_size=40), max_size=6).map(" ".join)
SKILLS = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"label": FRAGMENTS | st.sampled_from(["k8s", "Go"]) | st.text(max_size=10)},
            optional={"min_years": st.none() | st.integers() | st.floats() | st.text(max_size=3)},
        ),
        st.integers(),
        st.text(max_size=5),
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(
    answers=st.fixed_dictionaries({}, optional=dict.fromkeys(TEXT_FIELDS, TEXT)),
    criteria=st.lists(
        st.tuples(TEXT, TEXT, st.sampled_from(Kind.values), SKILLS, st.sampled_from(["", "phone"])),
        max_size=10,
    ),
    title=TEXT,
    level=st.sampled_from([*Level.values, "", "bogus"]),
    pay=st.tuples(st.none() | st.integers(0, 10**7), st.none() | st.integers(0, 10**7)),
    limit=st.integers(-1, 12),
)
def test_check_brief_never_raises(answers, criteria, title, level, pay, limit) -> None:
    version = BriefVersion(**answers)
    items = [
        Criterion(name=name, definition=definition, kind=kind, skills=skills, assessed_at=at)
        for name, definition, kind, skills, at in criteria
    ]
    requisition = role(
        title=title,
        level=level,
        location=title,
        remote_policy=RemotePolicy.REMOTE,
        compensation_min=pay[0],
        compensation_max=pay[1],
        currency="EUR",
    )
    peers = (PeerPay(Level.JUNIOR, "EUR", 10**8, 10**8), PeerPay("bogus", "EUR", 10**8, 10**8))
    lexicon = (
        *shipped_lexicon(),
        LexiconEntry("x%sy", "100% vague", ""),
        LexiconEntry(" ", "", ""),
    )
    findings = check(
        version=version,
        requisition=requisition,
        criteria=items,
        lexicon=lexicon,
        glossary={"": "", "self starter": "Finds work."},
        limit=limit,
        peers=peers,
    )
    assert all(isinstance(f, Finding) and f.title and f.why and f.ask for f in findings)


# --- findings_for: the database side ------------------------------------------------------------


@pytest.fixture
def version(workspace, recruiter) -> BriefVersion:
    requisition = RequisitionFactory(
        workspace=workspace,
        recruiter=recruiter,
        team="Platform",
        level=Level.SENIOR,
        compensation_min=50000,
        compensation_max=60000,
        currency="EUR",
    )
    return BriefVersionFactory(
        requisition=requisition,
        team_context="A strategic thinker, a team player, and real synergy.",
        success_90="Owns the deploy pipeline.",
        past_misstep="Never asked for help.",
        review_days=2,
        update_channel=Channel.EMAIL,
        update_frequency=Frequency.WEEKLY,
    )


def test_findings_for_uses_the_workspace_glossary_lexicon_and_peers(
    version, workspace, recruiter
) -> None:
    GlossaryTerm.objects.create(workspace=workspace, term="Strategic Thinker", definition="Plans.")
    GlossaryTerm.objects.create(
        workspace=workspace, term="team player", definition="Reviews.", team="Sales"
    )
    VagueTerm.objects.create(workspace=workspace, term="synergy", ask="Which teams, doing what?")
    RequisitionFactory(
        workspace=workspace,
        recruiter=recruiter,
        level=Level.MID,
        compensation_min=70000,
        compensation_max=80000,
        currency="EUR",
    )
    # Another workspace's definitions and pay never count.
    other = WorkspaceFactory()
    GlossaryTerm.objects.create(workspace=other, term="team player", definition="Helps.")
    RequisitionFactory(
        workspace=other, level=Level.JUNIOR, compensation_min=90000, compensation_max=95000
    )
    CriterionFactory(version=version, name="Python", assessed_at=AssessedAt.RESUME)

    findings = findings_for(BriefVersion.objects.get(pk=version.pk))

    assert [(f.code, f.title) for f in findings] == [
        ("level_vs_pay", "The pay tops out below what Mid-level roles here start at"),
        ("vague_term", "“Team player” has no agreed definition"),
        ("vague_term", "“Synergy” has no agreed definition"),
    ]
    assert findings[-1].ask == "Which teams, doing what?"


def test_a_team_glossary_entry_defines_the_term_for_that_team(version, workspace) -> None:
    GlossaryTerm.objects.create(
        workspace=workspace, term="team player", definition="Reviews.", team="platform"
    )
    titles = [f.title for f in findings_for(version)]
    assert "“Team player” has no agreed definition" not in titles
    assert "“Synergy” has no agreed definition" not in titles  # not in this workspace's lexicon


def test_findings_for_needs_the_same_few_queries_for_3_and_40_criteria(
    version, django_assert_max_num_queries
) -> None:
    def count_for(n: int) -> int:
        Criterion.objects.filter(version=version).delete()
        for position in range(n):
            CriterionFactory(version=version, position=position, assessed_at=AssessedAt.PHONE)
        fresh = BriefVersion.objects.get(pk=version.pk)
        with django_assert_max_num_queries(6) as context:
            findings = findings_for(fresh)
        assert len(only(findings, "unicorn")) == int(n > 5)
        return len(context.captured_queries)

    assert count_for(3) == count_for(40)
