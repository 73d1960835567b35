"""search_candidates behaves the same on SQLite (FTS5) and PostgreSQL (tsvector).

CI runs this module on both databases: every case below holds on each. Known differences that
the cases avoid, documented in docs/bench/search.md: stemmers (FTS5's Porter vs PostgreSQL's
Snowball english) differ on rare words; PostgreSQL keeps "node.js", "full-stack" and e-mail
addresses as whole words while FTS5 splits them (a search for the whole thing finds them on
both); snippets are cut differently.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from accord.candidates.models import Candidate, CandidateSkill, Resume, Source, Tag
from accord.candidates.search import SearchParams, Sort, index_candidates, search_candidates
from accord.candidates.search.engine import PAGE_SIZE
from accord.pipeline.models import Category
from accord.requisitions.models import Requisition
from accord.skills.extract import resolve_skill
from accord.workspaces.models import Member, Workspace
from tests.factories import ApplicationFactory, CandidateFactory, RequisitionFactory, StageFactory

pytestmark = pytest.mark.django_db

FILLER = " ".join(
    "Responsible for quarterly reporting, stakeholder updates and process documentation."
    for _ in range(30)
)


@dataclass
class Person:
    name: str
    headline: str = ""
    location: str = ""
    years: str | None = None
    skills: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source: str = Source.SOURCED
    resume: str = ""


PEOPLE = {
    "ada": Person(
        "Ada Lovelace",
        headline="Platform Engineer",
        location="London, UK",
        years="8",
        skills=["Kubernetes", "Python"],
        tags=["Shortlist"],
        source=Source.REFERRAL,
        resume="Led the platform team. Wrote analytical engines and machine learning pipelines.",
    ),
    "bruno": Person(
        "Bruno Costa",
        headline="Data Analyst",
        location="Lisbon",
        years="3",
        source=Source.APPLIED,
        resume=f"{FILLER} Once deployed a small reporting service to Kubernetes.",
    ),
    "cleo": Person(
        "Cléo Müller",
        headline="Frontend Developer",
        location="Zürich",
        years="5",
        skills=["React", "TypeScript"],
        resume="React and TypeScript interfaces. Learning about machine design in spare time.",
    ),
    "dev": Person(
        "Dev Patel",
        headline="Engineering Manager",
        location="London",
        years="12",
        skills=["Underwater basket weaving"],
        resume="Managed engineers across three teams; hiring and mentoring.",
    ),
}


def make(workspace: Workspace, person: Person, **extra: object) -> Candidate:
    candidate = CandidateFactory(
        workspace=workspace,
        name=person.name,
        headline=person.headline,
        location=person.location,
        years_experience=Decimal(person.years) if person.years else None,
        source=person.source,
        **extra,
    )
    for label in person.skills:
        skill = resolve_skill(label)
        CandidateSkill.objects.create(
            candidate=candidate, ref=skill.ref if skill else f"ws:{label}", label=label
        )
    for name in person.tags:
        tag, _ = Tag.objects.get_or_create(workspace=workspace, name=name)
        candidate.tags.add(tag)
    if person.resume:
        Resume.objects.create(
            candidate=candidate,
            original_name="cv.txt",
            kind="txt",
            size=len(person.resume),
            sha256="0" * 64,
            text=person.resume,
        )
    index_candidates([candidate.pk])
    return candidate


@pytest.fixture
def pool(workspace: Workspace) -> dict[str, Candidate]:
    return {key: make(workspace, person) for key, person in PEOPLE.items()}


def names(member: Member, **params: object) -> list[str]:
    result = search_candidates(member, SearchParams(**params))  # type: ignore[arg-type]
    return [hit.candidate.name for hit in result.hits]


def keys(*people: str) -> list[str]:
    return [PEOPLE[p].name for p in people]


# (query, expected people, whether their order is part of the expectation)
TEXT_CASES = [
    # A match in the profile (here a skill) outranks one deep in a long resume.
    pytest.param("kubernetes ", ["ada", "bruno"], True, id="profile-above-body"),
    pytest.param("kube", ["ada", "bruno"], True, id="prefix-of-last-word"),
    pytest.param("lovel", ["ada"], True, id="prefix-of-a-name"),
    pytest.param('"machine learning"', ["ada"], True, id="phrase-needs-adjacent-words"),
    pytest.param("machine learning ", ["ada", "cleo"], False, id="words-anywhere"),
    pytest.param("engineer ", ["ada", "dev"], False, id="stemming-engineer-engineering-engineers"),
    pytest.param("muller ", ["cleo"], True, id="accents-folded"),
    pytest.param("Müller ", ["cleo"], True, id="accents-typed"),
    pytest.param("ZURICH ", ["cleo"], True, id="case-and-accents"),
    pytest.param("react OR python ", ["ada", "cleo"], False, id="or"),
    pytest.param("kubernetes -london ", ["bruno"], True, id="exclude"),
    pytest.param("analyst lisbon ", ["bruno"], True, id="two-profile-words"),
    pytest.param("zzzzqx ", [], True, id="no-match"),
]


@pytest.mark.parametrize(("query", "expected", "ordered"), TEXT_CASES)
def test_text_search_matches_and_ranks_alike_on_both_databases(
    recruiter: Member, pool: dict[str, Candidate], query: str, expected: list[str], ordered: bool
) -> None:
    found = names(recruiter, q=query)
    if ordered:
        assert found == keys(*expected)
    else:
        assert sorted(found) == sorted(keys(*expected))


@pytest.mark.parametrize(
    "query",
    ["", "   ", "the", "it is", '"', '""', "OR", "-kubernetes", "***", "()", "AND OR NOT"],
)
def test_no_text_query_lists_everyone_newest_first(
    recruiter: Member, pool: dict[str, Candidate], query: str
) -> None:
    assert names(recruiter, q=query) == keys("dev", "cleo", "bruno", "ada")


@pytest.mark.parametrize(
    "query",
    [
        "NEAR(kubernetes python, 2)",
        "kubernetes AND (python",
        "name:ada",
        "body : x",
        "^ada",
        "kube*",
        "* OR *",
        "'; DROP TABLE candidates_candidate; --",
        "a" * 500,
        "ü" * 300,
        "\x00\x1e\x02 kubernetes",
        "kube\x00rnetes",
        "!!python & | <-> :*",
        "python:* & !java",
    ],
)
def test_hostile_queries_never_error(
    recruiter: Member, pool: dict[str, Candidate], query: str
) -> None:
    result = search_candidates(recruiter, SearchParams(q=query))
    assert result.total == len(result.hits)
    assert Candidate.objects.count() == len(PEOPLE)


def test_newest_sort_with_text(recruiter: Member, pool: dict[str, Candidate]) -> None:
    assert names(recruiter, q="kubernetes ", sort=Sort.NEWEST) == keys("bruno", "ada")


def test_snippets_mark_the_match_and_escape_everything_else(
    recruiter: Member, workspace: Workspace
) -> None:
    make(
        workspace,
        Person(
            "Eve Hacker",
            resume=f"{FILLER} <script>alert('x')</script> Ran Terraform & Ansible at Acme.",
        ),
    )
    [hit] = search_candidates(recruiter, SearchParams(q="terraform ")).hits
    assert "<mark>Terraform</mark>" in hit.snippet
    assert "<script" not in hit.snippet
    assert "&amp;" in hit.snippet
    assert hit.snippet.count("<mark>") == hit.snippet.count("</mark>") == 1


def test_snippet_comes_from_the_profile_when_only_it_matches(
    recruiter: Member, pool: dict[str, Candidate]
) -> None:
    [hit] = search_candidates(recruiter, SearchParams(q="lisbon ")).hits
    assert "<mark>Lisbon</mark>" in hit.snippet


def test_snippet_prefers_the_resume_passage(recruiter: Member, workspace: Workspace) -> None:
    make(
        workspace,
        Person("Finn Ops", headline="Kubernetes Admin", resume="Ran Kubernetes clusters at Acme."),
    )
    [hit] = search_candidates(recruiter, SearchParams(q="kubernetes ")).hits
    assert "<mark>Kubernetes</mark> clusters" in hit.snippet
    assert "Finn" not in hit.snippet


def test_no_snippet_without_text(recruiter: Member, pool: dict[str, Candidate]) -> None:
    result = search_candidates(recruiter, SearchParams())
    assert {hit.snippet for hit in result.hits} == {""}


FILTER_CASES = [
    pytest.param({"location": "london"}, ["ada", "dev"], id="location-contains"),
    pytest.param({"location": "ZÜR"}, ["cleo"], id="location-any-case"),
    pytest.param({"years_min": Decimal(5)}, ["ada", "cleo", "dev"], id="years-min"),
    pytest.param({"years_max": Decimal(5)}, ["bruno", "cleo"], id="years-max"),
    pytest.param({"years_min": Decimal(4), "years_max": Decimal(9)}, ["ada", "cleo"], id="years"),
    pytest.param({"skills": ("Kubernetes",)}, ["ada"], id="skill-by-label"),
    pytest.param({"skills": ("k8s",)}, ["ada"], id="skill-by-synonym"),
    pytest.param({"skills": ("onet:python",)}, ["ada"], id="skill-by-ref"),
    pytest.param({"skills": ("Kubernetes", "React")}, [], id="skills-all-required"),
    pytest.param({"skills": ("underwater BASKET weaving",)}, ["dev"], id="unknown-skill-by-name"),
    pytest.param({"tags": ("shortlist",)}, ["ada"], id="tag-any-case"),
    pytest.param({"tags": ("shortlist", "nope")}, [], id="tags-all-required"),
    pytest.param({"source": Source.APPLIED}, ["bruno"], id="source"),
    pytest.param({"q": "kubernetes ", "location": "lisbon"}, ["bruno"], id="text-and-filter"),
]


@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_filters(
    recruiter: Member, pool: dict[str, Candidate], params: dict[str, object], expected: list[str]
) -> None:
    assert sorted(names(recruiter, **params)) == sorted(keys(*expected))


@pytest.fixture
def pipelines(pool: dict[str, Candidate], recruiter: Member, hiring_manager: Member):
    """Ada and Bruno in the manager's requisition; Dev and Ada in another one."""
    mine = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    theirs = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    screen = StageFactory(requisition=mine, category=Category.SCREEN, name="Phone screen")
    offer = StageFactory(requisition=mine, category=Category.OFFER, name="Offer")
    elsewhere_offer = StageFactory(requisition=theirs, category=Category.OFFER)
    ApplicationFactory(requisition=mine, stage=screen, candidate=pool["ada"])
    ApplicationFactory(requisition=mine, stage=offer, candidate=pool["bruno"])
    ApplicationFactory(requisition=theirs, stage=elsewhere_offer, candidate=pool["dev"])
    ApplicationFactory(requisition=theirs, stage=elsewhere_offer, candidate=pool["ada"])
    return {"mine": mine, "theirs": theirs, "screen": screen, "offer": offer}


def test_requisition_stage_and_category_filters(
    recruiter: Member, pipelines: dict[str, object]
) -> None:
    mine = pipelines["mine"]
    assert isinstance(mine, Requisition)
    assert sorted(names(recruiter, requisition=mine.public_id)) == keys("ada", "bruno")
    offer = pipelines["offer"]
    assert names(recruiter, requisition=mine.public_id, stage=offer.public_id) == keys("bruno")  # type: ignore[attr-defined]
    assert names(recruiter, category=Category.OFFER) == keys("dev", "bruno", "ada")
    assert names(recruiter, requisition=mine.public_id, category=Category.OFFER) == keys("bruno")
    theirs = pipelines["theirs"]
    # A stage of another requisition than the one asked for finds nobody.
    assert names(recruiter, requisition=theirs.public_id, stage=offer.public_id) == []  # type: ignore[attr-defined]


def test_managers_see_and_filter_only_their_requisitions(
    hiring_manager: Member, interviewer: Member, pipelines: dict[str, object]
) -> None:
    assert names(hiring_manager) == keys("bruno", "ada")
    # Ada is at Offer only in a requisition the manager is not on: that must not show.
    assert names(hiring_manager, category=Category.OFFER) == keys("bruno")
    assert names(hiring_manager, q="engineer ") == keys("ada")
    theirs = pipelines["theirs"]
    assert names(hiring_manager, requisition=theirs.public_id) == []  # type: ignore[attr-defined]
    [ada] = search_candidates(hiring_manager, SearchParams(q="ada ")).hits
    assert [a.requisition for a in ada.applications] == [pipelines["mine"]]
    assert names(interviewer) == []


def test_other_workspaces_and_erased_candidates_never_show(
    recruiter: Member, outsider: Member, pool: dict[str, Candidate]
) -> None:
    make(outsider.workspace, PEOPLE["ada"])
    erased = make(recruiter.workspace, Person("Kubernetes Person", headline="Kubernetes"))
    Candidate.objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    assert names(recruiter, q="kubernetes ") == keys("ada", "bruno")
    assert names(outsider, q="kubernetes ") == keys("ada")
    assert len(names(outsider)) == 1


def test_pages_are_bounded_and_clamped(recruiter: Member, workspace: Workspace) -> None:
    people = [make(workspace, Person(f"Person {n}", headline="Welder")) for n in range(30)]
    first = search_candidates(recruiter, SearchParams(q="welder "))
    assert (first.total, first.pages, len(first.hits), first.first, first.last) == (
        30,
        2,
        PAGE_SIZE,
        1,
        25,
    )
    second = search_candidates(recruiter, SearchParams(q="welder ", page=2))
    assert len(second.hits) == 5
    assert {h.candidate.pk for h in first.hits + second.hits} == {p.pk for p in people}
    assert search_candidates(recruiter, SearchParams(q="welder ", page=99)).page == 2
    assert search_candidates(recruiter, SearchParams(page=-3)).page == 1


@pytest.mark.parametrize("query", ["kubernetes ", ""])
def test_queries_are_bounded_whatever_the_pool(
    recruiter: Member,
    workspace: Workspace,
    pipelines: dict[str, object],
    django_assert_max_num_queries,
    query: str,
) -> None:
    for n in range(40):
        make(workspace, Person(f"Extra {n}", skills=["Kubernetes", "Go"], tags=["x", "y"]))
    with django_assert_max_num_queries(8):
        result = search_candidates(recruiter, SearchParams(q=query))
        assert len(result.hits) == PAGE_SIZE
        for hit in result.hits:
            [a.stage.name for a in hit.applications]
            [t.name for t in hit.candidate.tags.all()]
            [s.label for s in hit.top_skills]


def test_top_skills_most_years_first(recruiter: Member, pool: dict[str, Candidate]) -> None:
    CandidateSkill.objects.filter(candidate=pool["ada"], label="Python").update(years=6)
    [hit] = search_candidates(recruiter, SearchParams(q="lovelace ")).hits
    assert [s.label for s in hit.top_skills] == ["Python", "Kubernetes"]
