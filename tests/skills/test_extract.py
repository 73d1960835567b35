"""Extraction with evidence, ambiguous names, resolution, and workspace skills kept apart."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.skills.extract import (
    EVIDENCE_LIMIT,
    evidence,
    extract_skills,
    link_skills,
    matcher_for,
    resolve_skill,
)
from accord.skills.models import CustomSkill
from accord.workspaces.models import Member, Workspace


def labels(text: str, workspace: Workspace | None = None) -> list[str]:
    return [m.label for m in extract_skills(text, workspace)]


def test_mentions_carry_offsets_and_the_sentence_as_evidence() -> None:
    text = (
        "Summary.\nBuilt data pipelines in Python and Postgres for five years. "
        "Deployed them on k8s!\nHobbies: chess."
    )
    found = {m.label: m for m in extract_skills(text)}
    assert set(found) >= {"Python", "PostgreSQL", "Kubernetes"}
    assert text[found["PostgreSQL"].start : found["PostgreSQL"].end] == "Postgres"
    assert found["PostgreSQL"].evidence == (
        "Built data pipelines in Python and Postgres for five years."
    )
    assert text[found["Kubernetes"].start : found["Kubernetes"].end] == "k8s"
    assert found["Kubernetes"].evidence == "Deployed them on k8s!"
    assert found["Kubernetes"].ref == "onet:kubernetes"


def test_one_mention_per_skill_the_first_in_order_of_position() -> None:
    text = "Python scripts. Later more Python, then JavaScript and JS."
    found = extract_skills(text)
    assert [m.label for m in found] == ["Python", "JavaScript"]
    assert found[0].start == 0
    assert text[found[1].start : found[1].end] == "JavaScript"
    every = matcher_for().find_all(text)
    assert [text[m.start : m.end] for m in every] == ["Python", "Python", "JavaScript", "JS"]


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("I can go there tomorrow.", [], ["Go"]),
        ("Go to the office on Monday.", [], ["Go"]),
        ("Go, Rust", ["Go", "Rust"], []),
        ("Backend services in Go and PostgreSQL.", ["Go", "PostgreSQL"], []),
        ("Programming languages: Go", ["Go"], []),
        ("Head Chef at Le Bistro for ten years.", [], ["Chef"]),
        ("Configuration with Chef, Puppet and Ansible.", ["Chef", "Puppet", "Ansible"], []),
        ("Statistics in R and Python.", ["R", "Python"], []),
        ("R&D department, grade C student.", [], ["R", "C"]),
        ("Systems programming in C/C++.", ["C", "C++"], []),
        ("Fluent in Polish and English.", ["Polish", "English"], []),
        ("We polish every detail.", [], ["Polish"]),
        ("We use ML for ranking.", ["machine learning"], ["ML (programming language)"]),
        ("Front end in React, Redux and TypeScript.", ["React", "Redux", "TypeScript"], []),
        ("We react quickly to incidents.", [], ["React"]),
        ("Reports in Excel and PowerPoint.", ["Excel", "PowerPoint"], []),
        ("Learned to code from scratch.", [], ["Scratch"]),
        ("Built on AWS with Terraform.", ["Amazon Web Services (AWS)", "Terraform"], []),
        ("Good access to public transport.", [], ["Microsoft Access"]),
    ],
)
def test_ambiguous_names(text: str, present: list[str], absent: list[str]) -> None:
    found = labels(text)
    for label in present:
        assert label in found, (text, found)
    for label in absent:
        assert label not in found, (text, found)


def test_a_name_never_spans_a_comma() -> None:
    # "React Redux" is an O*NET technology; "React, Redux" names two.
    assert labels("React, Redux") == ["React", "Redux"]
    assert "React Redux" in labels("Built with React Redux.")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Python",
                    "k8s",
                    "Go",
                    "R",
                    "C++",
                    "C#",
                    ".NET",
                    "Node.js",
                    "CI/CD",
                    "Postgres",
                    "machine learning",
                    "Excel",
                    "go",
                    "the",
                    "and",
                    ",",
                    ".",
                    "\n",
                    "AWS",
                    "é",
                    "ﬁ",
                    "work in teams",
                    "Java",
                    "JS",
                    "Raiser’s Edge",
                    "C",
                    "A/B testing",
                ]
            ),
            st.text(max_size=12),
        ),
        max_size=40,
    ).map(" ".join)
)
def test_offsets_always_slice_the_text_to_the_matched_words(text: str) -> None:
    for mention in matcher_for().find_all(text):
        words = text[mention.start : mention.end]
        assert words
        assert words == words.strip()
        assert len(mention.evidence) <= EVIDENCE_LIMIT
        assert words in mention.evidence or len(words) > EVIDENCE_LIMIT


def test_evidence_is_cut_around_the_words_in_a_long_line() -> None:
    text = "x " * 400 + "Kubernetes" + " y" * 400
    found = extract_skills(text)
    assert [m.label for m in found] == ["Kubernetes"]
    assert len(found[0].evidence) <= EVIDENCE_LIMIT
    assert "Kubernetes" in found[0].evidence
    assert evidence("One. Two three. Four", 5, 8) == "Two three."


def test_a_two_page_resume_takes_milliseconds() -> None:
    paragraph = (
        "Senior software engineer with 8 years of experience building distributed systems in "
        "Python, Go and Java. Designed REST APIs with Django and FastAPI, deployed on AWS and "
        "GCP with Docker, Kubernetes and Terraform; CI/CD in GitHub Actions and Jenkins. Data "
        "work in PostgreSQL, Redis, Kafka and Spark; dashboards in Tableau. Led a team of five, "
        "mentored juniors, strong communication skills and attention to detail.\n"
    )
    resume = paragraph * 14  # about 6,000 characters: two pages
    matcher = matcher_for()
    matcher.find_all(resume)
    began = time.perf_counter()
    for _ in range(10):
        matcher.find_all(resume)
    per_resume = (time.perf_counter() - began) / 10
    assert per_resume < 0.05, f"{per_resume * 1000:.1f} ms per resume"


@pytest.mark.parametrize(
    ("typed", "label"),
    [("k8s", "Kubernetes"), ("Postgres", "PostgreSQL"), ("go", "Go"), ("js", "JavaScript")],
)
def test_resolve_skill_by_name_or_synonym(typed: str, label: str) -> None:
    skill = resolve_skill(typed)
    assert skill is not None
    assert skill.label == label


def test_resolve_skill_unknown_is_none() -> None:
    assert resolve_skill("frobnication of widgets") is None
    assert resolve_skill("") is None


def test_link_skills_fills_refs() -> None:
    linked = link_skills([{"label": "k8s", "ref": "", "min_years": 3}, {"label": "Zzyzx"}])
    assert linked[0] == {"label": "k8s", "ref": "onet:kubernetes", "min_years": 3}
    assert linked[1]["ref"] == ""


# --- workspace skills ------------------------------------------------------------------------


@pytest.mark.django_db
def test_workspace_skills_and_synonyms_apply_to_that_workspace_only(
    workspace: Workspace, outsider: Member
) -> None:
    own = CustomSkill.objects.create(workspace=workspace, label="Blorp Billing", synonyms="BB9")
    CustomSkill.objects.create(
        workspace=workspace, label="Kubernetes", ref="onet:kubernetes", synonyms="kewb"
    )
    text = "Ran Blorp Billing on kewb, then BB9."
    mine = extract_skills(text, workspace)
    assert [(m.label, m.ref) for m in mine] == [
        ("Blorp Billing", own.skill_ref),
        ("Kubernetes", "onet:kubernetes"),
    ]
    assert text[mine[1].start : mine[1].end] == "kewb"
    assert labels(text, outsider.workspace) == []
    assert labels(text) == []
    assert resolve_skill("kewb", workspace).ref == "onet:kubernetes"  # type: ignore[union-attr]
    assert resolve_skill("kewb", outsider.workspace) is None
    assert resolve_skill("bb9", workspace).ref == own.skill_ref  # type: ignore[union-attr]
    assert matcher_for(workspace).get(own.skill_ref).label == "Blorp Billing"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_workspace_matcher_sees_changes(workspace: Workspace) -> None:
    skill = CustomSkill.objects.create(workspace=workspace, label="Blorp Billing")
    assert labels("Blorp Billing", workspace) == ["Blorp Billing"]
    first = matcher_for(workspace)
    assert matcher_for(workspace) is first  # cached while nothing changes
    CustomSkill.objects.filter(pk=skill.pk).update(synonyms="Blorpy")
    assert labels("We used Blorpy.", workspace) == ["Blorp Billing"]
    CustomSkill.objects.filter(pk=skill.pk).delete()
    assert labels("Blorp Billing and Blorpy", workspace) == []


@pytest.mark.django_db
def test_workspace_matcher_costs_one_query(workspace: Workspace, django_assert_num_queries) -> None:
    for n in range(30):
        CustomSkill.objects.create(workspace=workspace, label=f"Tool {n}", synonyms=f"T{n}x")
    with django_assert_num_queries(1):
        extract_skills("Tool 3 and T7x", workspace)
    with django_assert_num_queries(0):
        extract_skills("Tool 3 and T7x")


@pytest.mark.django_db
def test_short_workspace_names_match_as_typed(workspace: Workspace) -> None:
    CustomSkill.objects.create(workspace=workspace, label="Qt Quick", synonyms="QML\nqk")
    assert labels("UIs in QML.", workspace) == ["Qt Quick"]
    assert labels("UIs in qml.", workspace) == []
    assert labels("a qk test", workspace) == ["Qt Quick"]
