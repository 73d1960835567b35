"""The brief JSON format: what it reads, and errors that name the bad field."""

import json
from pathlib import Path
from typing import Any

import pytest

from accord.matching.brief_file import BriefFileError, brief_json, read_brief
from accord.matching.engine import MUST, NICE, SkillNeed
from tests.matching.conftest import Brief

DOCS = Path(__file__).resolve().parents[2] / "docs" / "brief-json.md"
VACANCIES = Path(__file__).resolve().parents[2] / "bench" / "data" / "vacancies"


def test_reads_criteria_skills_and_title() -> None:
    brief = read_brief(
        {
            "requisition": {"title": "Backend Engineer"},
            "criteria": [
                {"name": "Python", "kind": "must", "skills": [{"label": "Python", "min_years": 3}]},
                {
                    "name": "Databases",
                    "kind": "nice",
                    "weight": 2,
                    "match": "any",
                    "skills": [{"label": "MySQL"}, {"label": "PostgreSQL", "ref": "x:pg"}],
                    "definition": "Has tuned queries.",
                },
                {"name": "Curiosity"},
            ],
        }
    )
    assert brief.title == "Backend Engineer"
    python, databases, curiosity = brief.criteria
    assert (python.kind, python.weight, python.skills) == (
        MUST,
        None,
        (SkillNeed("Python", "", 3),),
    )
    assert (databases.kind, databases.weight, databases.any_of) == (NICE, 2, True)
    assert databases.skills[1] == SkillNeed("PostgreSQL", "x:pg", None)
    assert databases.definition == "Has tuned queries."
    assert (curiosity.kind, curiosity.skills) == (MUST, ())


def test_the_documented_example_and_the_benchmark_briefs_are_valid() -> None:
    example = DOCS.read_text().split("```json", 1)[1].split("```", 1)[0]
    assert len(read_brief(json.loads(example)).criteria) == 4
    for path in sorted(VACANCIES.glob("*.json")):
        assert read_brief(json.loads(path.read_text())).criteria, path


def crit(**fields: Any) -> dict[str, Any]:
    return {"criteria": [{"name": "A", "kind": "must"}, {"name": "B", **fields}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], 'The brief must be a JSON object with a "criteria" list.'),
        ({}, "criteria: is required: a list of criteria."),
        ({"criteria": []}, "criteria: is empty; add at least one criterion"),
        ({"criteria": [], "wieght": 1}, "wieght: is not a field of a brief"),
        ({"format": "v2", "criteria": [{"name": "A"}]}, 'format: must be "accord-brief/1"'),
        ({"criteria": ["Python"]}, "criteria[0]: must be an object"),
        (crit(name=""), "criteria[1].name: is required and must not be empty."),
        (crit(name=3), "criteria[1].name: must be text"),
        (crit(name="x" * 161), "criteria[1].name: is 161 characters long; keep it under 160."),
        (crit(kind="should"), 'criteria[1].kind: must be "must" or "nice", not \'should\'.'),
        (crit(kind="nice"), "criteria[1].weight: a nice-to-have needs a weight from 1 to 5."),
        (crit(kind="nice", weight=9), "criteria[1].weight: is 9; use 1 to 5."),
        (crit(kind="nice", weight="3"), "criteria[1].weight: must be a whole number"),
        (crit(kind="must", weight=3), "criteria[1].weight: must-haves carry no weight"),
        (crit(match="some"), 'criteria[1].match: must be "all" or "any"'),
        (crit(wieght=2), "criteria[1].wieght: is not a field of a criterion"),
        (crit(skills="Python"), "criteria[1].skills: must be a list of skills."),
        (
            crit(skills=["Python"]),
            'criteria[1].skills[0]: write the skill as an object: {"label": "Python"}.',
        ),
        (
            crit(skills=[{"name": "Python"}]),
            "criteria[1].skills[0].name: is not a field of a skill",
        ),
        (crit(skills=[{"label": ""}]), "criteria[1].skills[0].label: is required"),
        (
            crit(skills=[{"label": "Go", "min_years": -1}]),
            "criteria[1].skills[0].min_years: must be a number of years from 0 to 50.",
        ),
        (crit(skills=[{"label": "Go", "min_years": "3"}]), "criteria[1].skills[0].min_years"),
        (
            crit(skills=[{"label": f"S{i}"} for i in range(11)]),
            "criteria[1].skills: has 11 skills; link at most 10.",
        ),
        (crit(definition="d" * 601), "criteria[1].definition: is 601 characters long"),
    ],
)
def test_errors_name_the_field(data: Any, message: str) -> None:
    with pytest.raises(BriefFileError) as error:
        read_brief(data)
    assert str(error.value).startswith(message)


@pytest.mark.django_db
def test_a_signed_brief_exports_to_this_format_and_reads_back(brief: Brief) -> None:
    brief.php.skills = [{"label": "PHP", "ref": "onet:php", "min_years": 5, "level": ""}]
    criteria = [brief.search, brief.php, brief.sql, brief.rust]
    data = json.loads(json.dumps(brief_json(brief.version, criteria)))
    assert data["criteria"][0] == {
        "name": "Search engines",
        "kind": "nice",
        "weight": 3,
        "skills": [{"label": "Elasticsearch"}],
        "definition": "Has done it before and can show the result.",
    }
    back = read_brief(data)
    assert back.title == brief.requisition.title
    assert back.criteria[1].skills == (SkillNeed("PHP", "onet:php", 5),)
