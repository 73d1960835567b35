"""A readable diff between two brief versions: what changed in the answers, criteria and stages."""

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accord.briefs.models import BriefVersion, Criterion, InterviewStage
from accord.briefs.sections import QUESTIONS
from accord.briefs.services import as_text

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "same" | "added" | "removed"
    text: str


@dataclass(frozen=True)
class Change:
    kind: (
        str  # "answer" | "criterion_added" | "criterion_removed" | "criterion_changed" | "stage_…"
    )
    label: str
    segments: tuple[Segment, ...] = ()
    details: tuple[tuple[str, str, str], ...] = field(default=())  # (what, before, after)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff, so a changed phrase in a long answer reads as a sentence, not a blob."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(b[j1:j2])))
    return tuple(segments)


def _criterion_facts(c: Criterion) -> dict[str, str]:
    return {
        _("Name"): c.name,
        _("Kind"): str(c.get_kind_display()),
        _("Weight"): as_text(c.weight),
        _("Definition"): c.definition,
        _("Assessed at"): c.where_assessed,
        _("Skills"): c.skills_text,
    }


def _stage_facts(s: InterviewStage) -> dict[str, str]:
    return {_("Name"): s.name, _("Who interviews"): s.interviewers, _("Assesses"): s.assesses}


def brief_diff(
    old: BriefVersion,
    new: BriefVersion,
    *,
    old_criteria: Sequence[Criterion],
    new_criteria: Sequence[Criterion],
    old_stages: Sequence[InterviewStage],
    new_stages: Sequence[InterviewStage],
) -> list[Change]:
    """Changes from `old` to `new`. Criteria and stages are matched by lineage, so a renamed
    criterion reads as changed rather than removed and added."""
    changes: list[Change] = []
    for name, question in QUESTIONS.items():
        before, after = as_text(getattr(old, name)), as_text(getattr(new, name))
        if before != after:
            if question.kind in ("text", "line"):
                segments = word_diff(before, after)
            else:
                shown = (("removed", _shown(old, name)), ("added", _shown(new, name)))
                segments = tuple(Segment(op, text) for op, text in shown if text)
            changes.append(Change("answer", str(question.label), segments))
    changes += _rows(old_criteria, new_criteria, _criterion_facts, "criterion", _("Criterion"))
    changes += _rows(old_stages, new_stages, _stage_facts, "stage", _("Interview stage"))
    return changes


def _shown(version: BriefVersion, name: str) -> str:
    """A date, number or choice as people read it: "Every two weeks", not "biweekly"."""
    display = getattr(version, f"get_{name}_display", None)
    return str(display()) if display is not None else as_text(getattr(version, name))


def _rows(old, new, facts, kind: str, noun: str) -> list[Change]:  # type: ignore[no-untyped-def]
    changes: list[Change] = []
    before = {row.lineage: row for row in old}
    after = {row.lineage: row for row in new}
    for lineage, row in after.items():
        if lineage not in before:
            changes.append(
                Change(f"{kind}_added", f"{noun}: {row.name}", details=_facts(None, facts(row)))
            )
            continue
        a, b = facts(before[lineage]), facts(row)
        if a != b:
            changes.append(Change(f"{kind}_changed", f"{noun}: {row.name}", details=_facts(a, b)))
    for lineage, row in before.items():
        if lineage not in after:
            changes.append(
                Change(f"{kind}_removed", f"{noun}: {row.name}", details=_facts(facts(row), None))
            )
    return changes


def _facts(
    before: dict[str, str] | None, after: dict[str, str] | None
) -> tuple[tuple[str, str, str], ...]:
    keys = list((after or before or {}).keys())
    return tuple(
        (k, (before or {}).get(k, ""), (after or {}).get(k, ""))
        for k in keys
        if (before or {}).get(k, "") != (after or {}).get(k, "")
    )
