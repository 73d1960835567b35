"""An erased candidate leaves the post-hire loop (called by the candidates' erasure, in its
transaction, before their name is overwritten).

What stays: the hire, its surveys' ratings and dates, the criteria re-rated — they are not
about the person, and analytics and the managers' health count them. What goes:

- the audit entries of their hires and those hires' surveys name them ("<name> · <role>"): the
  name part becomes the placeholder whatever the name was then (a candidate renamed since the
  hire was recorded is named by the old name there), and any change that names them too;
- a manager's notes about the new hire are about the person through and through (no lesson
  is drawn from them): cleared, like the erasure clears a move's note or an assessment's
  evidence;
- what the manager said about the process ("smoother") and what the brief missed are about the
  process and the brief, and become lessons offered at the manager's next intake: the name is
  replaced, as in the status reports (`accord.reports.services.candidate_forget`), so the
  lesson still teaches what it taught; so in the lessons drawn from those surveys and in their
  audit entries;
- survey messages that name them (the shipped templates don't; a customised one may) are
  rewritten; their links carry a fixed label and a signed token, never a name;
- the surveys not yet answered are cancelled: nobody is asked about a person erased.

The name is matched as `candidate_forget` matches it: the full name as stored, case-sensitive.
Every step is one query whatever the number of surveys, messages or entries.
"""

import json
from typing import Any

from django.db.models import F, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Left, Replace
from django.utils import timezone
from django.utils.html import escape

from accord.audit.models import AuditEntry
from accord.nudges.models import Message, MessageKind
from accord.partnerships.models import Hire, Lesson, Survey

# How the post-hire loop names a hire in its audit entries: "<candidate name> · <role title>".
HIRE_REPR_SEPARATOR = " · "
REPR_LIMIT = AuditEntry._meta.get_field("object_repr").max_length or 200
SUBJECT_LIMIT = Message._meta.get_field("subject").max_length or 300


def hires_forget(candidate_id: int, name: str, replacement: str) -> None:
    """Remove the candidate `candidate_id`, named `name`, from their hires' surveys, messages,
    lessons and audit entries (see the module's docstring)."""
    hires = list(
        Hire.objects.filter(application__candidate_id=candidate_id).values_list(
            "pk", "public_id", "requisition_id"
        )
    )
    if not hires:
        return
    hire_ids = [pk for pk, _public_id, _requisition in hires]
    surveys = Survey.objects.filter(hire__in=hire_ids)
    # First: the update waits for an answer being saved right now, so its lessons are read below.
    surveys.open().update(cancelled_at=timezone.now())
    surveys.update(
        hire_notes="",
        smoother=_replaced("smoother", name, replacement),
        missed_criteria=_replaced("missed_criteria", name, replacement),
    )
    survey_rows = list(surveys.values_list("public_id", "manager_id"))
    lessons = list(Lesson.objects.filter(survey__hire__in=hire_ids).only("public_id", "text"))
    named = [lesson.pk for lesson in lessons if name and name in lesson.text]
    if named:
        Lesson.objects.filter(pk__in=named).update(text=_replaced("text", name, replacement))
    if name:
        # Templates escape the name, the plain-text ones too ("O'Brien" → "O&#x27;Brien").
        variants = {name: replacement, escape(name): escape(replacement)}
        Message.objects.filter(
            _mentions(("subject", "text", "html"), variants),
            kind=MessageKind.SURVEY,
            requisition__in={requisition for _pk, _public_id, requisition in hires},
            recipient__in={manager for _public_id, manager in survey_rows},
        ).update(
            subject=Left(_replaced_all("subject", variants), SUBJECT_LIMIT),
            text=_replaced_all("text", variants),
            html=_replaced_all("html", variants),
        )
    _audit_forget(
        {str(public_id) for _pk, public_id, _requisition in hires}
        | {str(public_id) for public_id, _manager in survey_rows},
        {str(lesson.public_id): lesson.text for lesson in lessons if lesson.pk in named},
        {str(lesson.public_id) for lesson in lessons},
        name,
        replacement,
    )


def _replaced(column: str | Combinable, name: str, replacement: str) -> Combinable:
    value = F(column) if isinstance(column, str) else column
    if not name:
        return value  # no name, nothing to replace (Python's replace of "" fills every gap)
    return Replace(value, Value(name), Value(replacement))


def _mentions(columns: tuple[str, ...], variants: dict[str, str]) -> Q:
    found = Q()
    for column in columns:
        for variant in variants:
            found |= Q(**{f"{column}__contains": variant})
    return found


def _replaced_all(column: str, variants: dict[str, str]) -> Combinable:
    replaced: Combinable = F(column)
    for variant, replacement in variants.items():
        replaced = _replaced(replaced, variant, replacement)
    return replaced


def _audit_forget(
    hire_ids: set[str],
    lesson_texts: dict[str, str],
    lesson_ids: set[str],
    name: str,
    replacement: str,
) -> None:
    """`hire_ids`: the public ids of the hires and their surveys (their entries are named like
    the hire); `lesson_texts`: the old text of each lesson that named them, by public id (a
    lesson's entries are named by its first 60 characters, where a name may be cut short)."""
    entries = list(
        AuditEntry.objects.filter(
            Q(object_type=Hire._meta.label_lower, object_id__in=hire_ids)
            | Q(object_type=Survey._meta.label_lower, object_id__in=hire_ids)
            | Q(object_type=Lesson._meta.label_lower, object_id__in=lesson_ids)
        ).only("object_type", "object_id", "object_repr", "changes")
    )
    changed: list[AuditEntry] = []
    for entry in entries:
        before = (entry.object_repr, entry.changes)
        if entry.object_id in hire_ids:
            entry.object_repr = _hire_repr_forgotten(entry.object_repr, name, replacement)
        elif entry.object_id in lesson_texts:
            # Named as `audit_record` names a lesson, by its str() of the text now.
            text = lesson_texts[entry.object_id].replace(name, replacement)
            entry.object_repr = str(Lesson(text=text))[:REPR_LIMIT]
        entry.changes = _json_forgotten(entry.changes, name, replacement)
        if (entry.object_repr, entry.changes) != before:
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["object_repr", "changes"])


def _hire_repr_forgotten(object_repr: str, name: str, replacement: str) -> str:
    _name, separator, title = object_repr.partition(HIRE_REPR_SEPARATOR)
    if not separator:
        return replacement
    forgotten = replacement + separator + (title.replace(name, replacement) if name else title)
    return forgotten[:REPR_LIMIT]


def _json_forgotten(value: Any, name: str, replacement: str) -> Any:
    if not name:
        return value
    text = json.dumps(value, ensure_ascii=False)
    quoted = json.dumps(name, ensure_ascii=False)[1:-1]
    if quoted not in text:
        return value
    return json.loads(text.replace(quoted, json.dumps(replacement, ensure_ascii=False)[1:-1]))
