"""The brief as a JSON file, for `accord match` (docs/brief-json.md documents the format).

Reading validates every field and names the bad one ("criteria[2].weight: …"), so a person
fixing a hand-written file knows where to look.
"""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.matching.engine import MUST, NICE, CriterionSpec, SkillNeed

if TYPE_CHECKING:
    from accord.briefs.models import BriefVersion, Criterion

FORMAT = "accord-brief/1"
NAME_LIMIT = 160
DEFINITION_LIMIT = 600
SKILLS_LIMIT = 10
CRITERIA_LIMIT = 100
YEARS_LIMIT = 50
WEIGHT_MIN, WEIGHT_MAX = 1, 5


class BriefFileError(ValueError):
    """What is wrong with a brief file, naming the field."""


@dataclass(frozen=True)
class BriefFile:
    title: str
    criteria: tuple[CriterionSpec, ...]


def _fail(where: str, message: str) -> BriefFileError:
    return BriefFileError(f"{where}: {message}" if where else message)


def _text(value: Any, where: str, limit: int, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _fail(where, "must be text (a JSON string).")
    text = value.strip()
    if required and not text:
        raise _fail(where, "is required and must not be empty.")
    if len(text) > limit:
        raise _fail(where, f"is {len(text)} characters long; keep it under {limit}.")
    return text


def _skill(item: Any, where: str) -> SkillNeed:
    if isinstance(item, str):
        raise _fail(where, f'write the skill as an object: {{"label": "{item}"}}.')
    if not isinstance(item, dict):
        raise _fail(where, 'must be an object like {"label": "Python", "min_years": 3}.')
    unknown = sorted(set(item) - {"label", "ref", "min_years", "level"})
    if unknown:
        raise _fail(f"{where}.{unknown[0]}", "is not a field of a skill (label, min_years, ref).")
    label = _text(item.get("label"), f"{where}.label", 80, required=True)
    ref = _text(item.get("ref"), f"{where}.ref", 64, required=False)
    years = item.get("min_years")
    if years is not None:
        number = isinstance(years, int | float) and not isinstance(years, bool)
        if not number or not math.isfinite(years) or not 0 <= years <= YEARS_LIMIT:
            raise _fail(f"{where}.min_years", f"must be a number of years from 0 to {YEARS_LIMIT}.")
    return SkillNeed(label=label, ref=ref, min_years=float(years) if years else None)


def _criterion(item: Any, index: int) -> CriterionSpec:
    where = f"criteria[{index}]"
    if not isinstance(item, dict):
        raise _fail(where, 'must be an object like {"name": "Python", "kind": "must"}.')
    unknown = sorted(set(item) - {"name", "kind", "weight", "skills", "match", "definition"})
    if unknown:
        raise _fail(
            f"{where}.{unknown[0]}",
            "is not a field of a criterion (name, kind, weight, skills, match, definition).",
        )
    match = item.get("match", "all")
    if match not in ("all", "any"):
        raise _fail(f"{where}.match", f'must be "all" or "any", not {match!r}.')
    name = _text(item.get("name"), f"{where}.name", NAME_LIMIT, required=True)
    kind = item.get("kind", MUST)
    if kind not in (MUST, NICE):
        raise _fail(f"{where}.kind", f'must be "must" or "nice", not {kind!r}.')
    weight = item.get("weight")
    if kind == NICE:
        if weight is None:
            raise _fail(
                f"{where}.weight",
                f"a nice-to-have needs a weight from {WEIGHT_MIN} to {WEIGHT_MAX}.",
            )
        if not isinstance(weight, int) or isinstance(weight, bool):
            raise _fail(
                f"{where}.weight", f"must be a whole number from {WEIGHT_MIN} to {WEIGHT_MAX}."
            )
        if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            raise _fail(f"{where}.weight", f"is {weight}; use {WEIGHT_MIN} to {WEIGHT_MAX}.")
    elif weight is not None:
        raise _fail(
            f"{where}.weight",
            "must-haves carry no weight (each one is required); remove it or make the "
            'criterion "nice".',
        )
    skills = item.get("skills", [])
    if not isinstance(skills, list):
        raise _fail(f"{where}.skills", "must be a list of skills.")
    if len(skills) > SKILLS_LIMIT:
        raise _fail(f"{where}.skills", f"has {len(skills)} skills; link at most {SKILLS_LIMIT}.")
    return CriterionSpec(
        key=str(index),
        name=name,
        kind=kind,
        weight=weight if kind == NICE else None,
        skills=tuple(_skill(s, f"{where}.skills[{i}]") for i, s in enumerate(skills)),
        any_of=match == "any",
        definition=_text(
            item.get("definition"), f"{where}.definition", DEFINITION_LIMIT, required=False
        ),
    )


def read_brief(data: Any) -> BriefFile:
    """The brief in a parsed JSON document, or BriefFileError naming what is wrong."""
    if not isinstance(data, dict):
        raise _fail("", 'The brief must be a JSON object with a "criteria" list.')
    unknown = sorted(set(data) - {"format", "title", "requisition", "criteria"})
    if unknown:
        raise _fail(unknown[0], "is not a field of a brief (format, title, criteria).")
    if "format" in data and data["format"] != FORMAT:
        raise _fail("format", f'must be "{FORMAT}" (or left out).')
    title = _text(data.get("title"), "title", 200, required=False)
    requisition = data.get("requisition")
    if requisition is not None:
        if not isinstance(requisition, dict):
            raise _fail("requisition", 'must be an object like {"title": "Backend Engineer"}.')
        title = title or _text(requisition.get("title"), "requisition.title", 200, required=False)
    criteria = data.get("criteria")
    if not isinstance(criteria, list):
        raise _fail("criteria", "is required: a list of criteria.")
    if not criteria:
        raise _fail("criteria", "is empty; add at least one criterion to match against.")
    if len(criteria) > CRITERIA_LIMIT:
        raise _fail("criteria", f"has {len(criteria)} criteria; at most {CRITERIA_LIMIT}.")
    return BriefFile(title, tuple(_criterion(c, i) for i, c in enumerate(criteria)))


def brief_json(version: "BriefVersion", criteria: "list[Criterion]") -> dict[str, Any]:
    """A signed brief in this format: what a "JSON for accord match" export would write."""
    return {
        "format": FORMAT,
        "title": version.requisition.title,
        "criteria": [
            {
                "name": c.name,
                "kind": c.kind,
                **({"weight": c.weight} if c.kind == NICE else {}),
                "skills": [
                    {
                        "label": s.get("label", ""),
                        **({"ref": s["ref"]} if s.get("ref") else {}),
                        **({"min_years": s["min_years"]} if s.get("min_years") else {}),
                    }
                    for s in c.skills
                ],
                **({"definition": c.definition} if c.definition else {}),
            }
            for c in criteria
        ],
    }
