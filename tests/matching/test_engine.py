"""The engine on hand-built profiles: verdicts, years, quotes, and the explainable match."""

from dataclasses import dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from accord.matching import engine
from accord.matching.engine import (
    MET,
    MUST,
    NICE,
    NOT_MET,
    PARTLY,
    UNKNOWN,
    CriterionSpec,
    Known,
    SkillNeed,
    build_profile,
    explain,
    judge,
    suggest,
)
from tests.matching.finders import FINDER

TODAY = date(2024, 6, 1)


@dataclass
class J:
    title: str
    employer: str
    start: date | None
    end: date | None
    current: bool
    text: str


ACME = "Built billing services in Python and Django on PostgreSQL; led the Kubernetes migration."
FOO = "Wrote reporting tools in Java for the risk team."
RESUME = f"""Jane Doe
Skills: Python, Docker, Kubernetes

Backend developer, Acme, 2018 - 2023
{ACME}

Developer, Foo, 2016 - 2018
{FOO}
"""
WORK = [
    J("Backend developer", "Acme", date(2018, 1, 1), date(2023, 1, 1), False, ACME),
    J("Developer", "Foo", date(2016, 1, 1), date(2018, 1, 1), False, FOO),
]


def profile(text: str = RESUME, work: list[J] | None = None, **kw: object) -> engine.Profile:
    return build_profile(
        text=text,
        work=WORK if work is None else work,
        finder=FINDER,
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )


def must(name: str, *skills: SkillNeed, definition: str = "") -> CriterionSpec:
    return CriterionSpec(name, name, MUST, None, skills, definition)


def test_met_quotes_the_job_that_shows_the_skill_with_its_years() -> None:
    s = suggest(must("Python", SkillNeed("Python", min_years=3)), profile(), FINDER)
    assert s.verdict == MET
    assert "“Built billing services in Python and Django on PostgreSQL" in s.evidence
    assert "Backend developer at Acme, 2018–2023" in s.evidence
    assert "about 5 years" in s.evidence


def test_years_short_is_partly_and_says_how_many() -> None:
    s = suggest(must("Kubernetes", SkillNeed("Kubernetes", min_years=6)), profile(), FINDER)
    assert s.verdict == PARTLY
    assert "about 5 years in the work history; 6+ asked" in s.evidence


def test_years_unknown_is_partly_not_met() -> None:
    # Docker is only in the skills list: present, but for how long the resume doesn't say.
    s = suggest(must("Docker", SkillNeed("Docker", min_years=2)), profile(), FINDER)
    assert s.verdict == PARTLY
    assert "Docker: “Skills: Python, Docker, Kubernetes”" in s.evidence
    assert "doesn't show how long" in s.evidence


def test_nothing_found_is_unknown_and_says_what_was_looked_for() -> None:
    s = suggest(must("Go", SkillNeed("Go", min_years=3)), profile(), FINDER)
    assert s.verdict == UNKNOWN
    assert s.evidence == "Go 3+ years: looked for it and found no mention in the resume."


def test_not_met_only_on_positive_evidence_of_absence() -> None:
    # Seven dated years in all cannot hold ten years of AWS.
    s = suggest(must("AWS", SkillNeed("AWS", min_years=10)), profile(), FINDER)
    assert s.verdict == NOT_MET
    assert "whole work history adds up to 7 years" in s.evidence
    # Without dates the career's length is unknown, so it stays unknown.
    undated = [J(j.title, j.employer, None, None, False, j.text) for j in WORK]
    s = suggest(must("AWS", SkillNeed("AWS", min_years=10)), profile(work=undated), FINDER)
    assert s.verdict == UNKNOWN


def test_some_skills_of_a_criterion_is_partly() -> None:
    s = suggest(must("Backend", SkillNeed("Python"), SkillNeed("Go")), profile(), FINDER)
    assert s.verdict == PARTLY
    assert "Python: “" in s.evidence
    assert "Go: looked for it" in s.evidence


def test_overlapping_jobs_count_once() -> None:
    work = [
        J("Dev", "A", date(2018, 1, 1), date(2022, 1, 1), False, "Python services."),
        J("Dev", "B", date(2020, 1, 1), date(2023, 1, 1), False, "Python scripts."),
        J("Dev", "C", date(2010, 1, 1), date(2011, 1, 1), False, "Java only."),
    ]
    p = profile(text="Python", work=work)
    s = suggest(must("Python", SkillNeed("Python", min_years=6)), p, FINDER)
    assert "about 5 years" in s.evidence  # 2018–2023, not 4 + 3
    assert p.years_total == 6.0


def test_current_job_runs_until_today() -> None:
    work = [J("Dev", "A", date(2021, 6, 1), None, True, "Kubernetes clusters.")]
    s = suggest(must("K8s", SkillNeed("Kubernetes", min_years=3)), profile("x", work=work), FINDER)
    assert s.verdict == MET
    assert "(Dev at A, 2021–now)" in s.evidence


def test_label_unknown_to_the_taxonomy_is_found_by_its_words() -> None:
    s = suggest(must("C#", SkillNeed("C#")), profile("Five years of C# and .NET."), FINDER)
    assert s.verdict == MET
    assert "“Five years of C# and .NET.”" in s.evidence
    s = suggest(must("C", SkillNeed("C")), profile("Five years of C# and .NET."), FINDER)
    assert s.verdict == UNKNOWN


def test_stored_skills_count_as_evidence_with_their_years() -> None:
    known = [Known("t:sql", "SQL", 4.0, "Wrote SQL reports daily")]
    s = suggest(must("SQL", SkillNeed("SQL", "t:sql", 3)), profile("", work=[], known=known))
    assert s.verdict == MET
    assert "Wrote SQL reports daily" in s.evidence


def test_criterion_without_skills_uses_taxonomy_terms_of_its_definition() -> None:
    c = must("Cloud operations", definition="Has run production services on AWS or k8s.")
    s = suggest(c, profile(), FINDER)
    assert s.verdict == PARTLY  # Kubernetes found (as written in the resume), AWS not
    assert "Kubernetes: “" in s.evidence


def test_criterion_without_skills_or_terms_matches_its_words_in_one_passage() -> None:
    s = suggest(must("Billing services"), profile(), FINDER)
    assert s.verdict == MET
    assert "“Built billing services in Python" in s.evidence
    s = suggest(must("Billing leadership"), profile(), FINDER)
    assert s.verdict == PARTLY
    assert "but not “leadership”" in s.evidence
    s = suggest(must("Payroll compliance"), profile(), FINDER)
    assert s.verdict == UNKNOWN
    assert "“payroll” or “compliance”" in s.evidence


def test_years_of_experience_criterion_reads_the_work_history() -> None:
    assert suggest(must("5+ years of experience"), profile(), FINDER).verdict == MET
    s = suggest(must("8+ years of experience"), profile(), FINDER)
    assert s.verdict == NOT_MET
    assert "About 7 years of work history" in s.evidence


def test_explain_counts_must_haves_weights_nice_to_haves_and_names_what_is_missing() -> None:
    criteria = [
        must("Python", SkillNeed("Python")),
        must("Kubernetes", SkillNeed("Kubernetes", min_years=3)),
        CriterionSpec("go", "Go", MUST, None, (SkillNeed("Go"),)),
        CriterionSpec("n1", "Docker", NICE, 3),
        CriterionSpec("n2", "AWS", NICE, 1),
    ]
    verdicts = {"Python": MET, "Kubernetes": UNKNOWN, "go": PARTLY, "n1": PARTLY, "n2": MET}
    m = explain(criteria, verdicts)
    assert (m.must_met, m.must_total) == (1, 3)
    assert m.nice_score == (3 * 0.5 + 1 * 1) / 4
    assert m.missing == ("Kubernetes 3+ years",)
    assert m.partial == ("Go",)
    assert m.unknown == ("Kubernetes",)
    assert m.summary == (
        "Must-haves 1 of 3 · Nice-to-haves 62% · Missing: Kubernetes 3+ years · Partly: Go"
    )


def test_judge_whole_brief() -> None:
    criteria = [
        must("Python", SkillNeed("Python", min_years=3)),
        must("Kubernetes", SkillNeed("Kubernetes")),
        CriterionSpec("n", "Go", NICE, 2, (SkillNeed("Go"),)),
    ]
    result = judge(criteria, profile(), FINDER)
    assert [s.verdict for _, s in result.suggestions] == [MET, MET, UNKNOWN]
    assert result.match.summary == "Must-haves 2 of 2 · Nice-to-haves 0%"


VERDICT = st.sampled_from([MET, PARTLY, NOT_MET, UNKNOWN])


@st.composite
def brief_and_two(draw: st.DrawFn) -> tuple[list[CriterionSpec], dict[str, str], dict[str, str]]:
    n_must = draw(st.integers(1, 6))
    n_nice = draw(st.integers(0, 5))
    criteria = [CriterionSpec(f"m{i}", f"M{i}", MUST) for i in range(n_must)] + [
        CriterionSpec(f"n{i}", f"N{i}", NICE, draw(st.integers(1, 5))) for i in range(n_nice)
    ]
    a = {c.key: draw(VERDICT) for c in criteria}
    b = {c.key: draw(VERDICT) for c in criteria}
    return criteria, a, b


@given(brief_and_two())
def test_more_must_haves_met_never_ranks_lower(
    case: tuple[list[CriterionSpec], dict[str, str], dict[str, str]],
) -> None:
    criteria, a, b = case
    ma, mb = explain(criteria, a), explain(criteria, b)
    if ma.must_met > mb.must_met:
        assert ma.score > mb.score
    assert 0 <= ma.score < 1


SKILL_POOL = ["Python", "Kubernetes", "PostgreSQL", "Django", "Java", "Docker", "Go", "Rust"]
ORDER = {NOT_MET: 0, UNKNOWN: 1, PARTLY: 2, MET: 3}


@given(
    needed=st.lists(st.sampled_from(SKILL_POOL), min_size=1, max_size=3, unique=True),
    years=st.one_of(st.none(), st.integers(1, 12)),
    have=st.lists(st.sampled_from(SKILL_POOL), unique=True),
    more=st.lists(st.sampled_from(SKILL_POOL), unique=True),
    dated=st.booleans(),
)
def test_verdict_never_goes_down_with_more_evidence(
    needed: list[str], years: int | None, have: list[str], more: list[str], dated: bool
) -> None:
    criterion = must("c", *(SkillNeed(s, min_years=years) for s in needed))

    def resume(skills: list[str]) -> engine.Profile:
        text = "Used " + ", ".join(skills) + "." if skills else "Nothing here."
        start = date(2019, 1, 1) if dated else None
        job = J("Dev", "A", start, date(2023, 1, 1), False, text)
        return profile(text, work=[job])

    before = suggest(criterion, resume(have), FINDER).verdict
    after = suggest(criterion, resume(sorted(set(have) | set(more))), FINDER).verdict
    assert ORDER[after] >= ORDER[before]
