"""Answering a post-hire survey: what it asks (the process questions once, at the manager's first
survey about a hire; the brief's criteria, re-rated each time), the answers checked and saved, and
the lessons drawn from them on the manager's partnership ("smoother" → process notes; a criterion
that didn't matter; what the brief missed), which the manager's next intake offers."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.services import audit_record
from accord.briefs.models import Criterion
from accord.partnerships.hire_selectors import survey_query
from accord.partnerships.hires import hire_repr
from accord.partnerships.models import (
    LESSON_LIMIT,
    TEXT_LIMIT,
    CriterionRating,
    Lesson,
    LessonSource,
    Mattered,
    Partnership,
    Survey,
)
from accord.workspaces.access import ANSWER_SURVEYS, require
from accord.workspaces.models import Member


def asks_process(survey: Survey) -> bool:
    """The process questions are asked once, at the manager's first survey about a hire (one
    cancelled before it went out didn't ask them)."""
    return not (
        Survey.objects.filter(
            hire_id=survey.hire_id, manager_id=survey.manager_id, checkpoint__lt=survey.checkpoint
        )
        .exclude(cancelled_at__isnull=False, sent_at__isnull=True)
        .exists()
    )


def criteria_of(survey: Survey) -> list[Criterion]:
    if survey.brief_version_id is None:
        return []
    return list(
        Criterion.objects.filter(version_id=survey.brief_version_id).order_by("position", "id")
    )


@dataclass
class Answers:
    hire_rating: int
    hire_notes: str = ""
    process_rating: int | None = None
    smoother: str = ""
    missed_criteria: str = ""
    # Criterion pk → Mattered value.
    mattered: dict[int, str] = field(default_factory=dict)


def _check(survey: Survey, answers: Answers, criteria: list[Criterion], process: bool) -> None:
    errors: list[str] = []
    if process and answers.process_rating not in range(1, 6):
        errors.append(_("Rate how the hiring process went, from 1 to 5."))
    if answers.hire_rating not in range(1, 6):
        errors.append(_("Rate how the new hire is doing, from 1 to 5."))
    for text in (answers.smoother, answers.hire_notes, answers.missed_criteria):
        if len(text) > TEXT_LIMIT:
            errors.append(_("Keep each answer under %(n)s characters.") % {"n": TEXT_LIMIT})
            break
    missing = [c.name for c in criteria if answers.mattered.get(c.pk) not in Mattered.values]
    if missing:
        errors.append(
            _("Say how much each criterion mattered; still open: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    if errors:
        raise ValidationError(errors)


def _lessons(survey: Survey, answers: Answers, criteria: list[Criterion], actor: Member) -> None:
    hire = survey.hire
    requisition = hire.requisition
    partnership, _created = Partnership.objects.get_or_create(
        manager=survey.manager,
        defaults={"workspace_id": survey.workspace_id, "recruiter": requisition.recruiter},
    )

    def lesson(text: str, applies_to: str) -> Lesson:
        return Lesson(
            partnership=partnership,
            text=text[:LESSON_LIMIT],
            applies_to=applies_to,
            source=LessonSource.SURVEY,
            survey=survey,
            requisition=requisition,
            author=actor,
        )

    role = requisition.title
    made = []
    if answers.smoother:
        made.append(lesson(answers.smoother, "process_notes"))
    for criterion in criteria:
        if answers.mattered.get(criterion.pk) == Mattered.NOT:
            made.append(
                lesson(
                    _("“%(criterion)s” didn’t matter for the %(role)s hire (%(days)s days in).")
                    % {"criterion": criterion.name, "role": role, "days": survey.checkpoint},
                    "",
                )
            )
    if answers.missed_criteria:
        made.append(
            lesson(
                _("What mattered for the %(role)s hire that the brief didn’t ask for: %(text)s")
                % {"role": role, "text": answers.missed_criteria},
                "who_thrives",
            )
        )
    Lesson.objects.bulk_create(made)


@transaction.atomic
def survey_answer(
    *, actor: Member, survey: Survey, answers: Answers, via_link: bool, now: datetime | None = None
) -> Survey:
    """Save the manager's answers and turn them into lessons on their partnership. Only the
    survey's manager answers, once."""
    require(actor, ANSWER_SURVEYS, survey.workspace_id)
    if survey.manager_id != actor.pk:
        raise PermissionDenied
    now = now or timezone.now()
    current = survey_query().select_for_update(of=("self",)).get(pk=survey.pk)
    if current.answered_at is not None:
        raise ValidationError(_("You already answered this survey. Thank you!"))
    if current.cancelled_at is not None or current.hire.cancelled_at is not None:
        raise ValidationError(_("This survey was withdrawn: the hire was cancelled."))
    answers.smoother = answers.smoother.strip()
    answers.hire_notes = answers.hire_notes.strip()
    answers.missed_criteria = answers.missed_criteria.strip()
    criteria = criteria_of(current)
    process = asks_process(current)
    _check(current, answers, criteria, process)
    current.process_rating = answers.process_rating if process else None
    current.smoother = answers.smoother if process else ""
    current.hire_rating = answers.hire_rating
    current.hire_notes = answers.hire_notes
    current.missed_criteria = answers.missed_criteria
    current.answered_at = now
    current.via_link = via_link
    current.next_reminder_at = None
    current.save(
        update_fields=[
            "process_rating",
            "smoother",
            "hire_rating",
            "hire_notes",
            "missed_criteria",
            "answered_at",
            "via_link",
            "next_reminder_at",
        ]
    )
    CriterionRating.objects.bulk_create(
        CriterionRating(
            survey=current,
            criterion=c,
            name=c.name,
            kind=c.kind,
            mattered=answers.mattered[c.pk],
        )
        for c in criteria
    )
    if not process:
        answers.smoother = ""
    _lessons(current, answers, criteria, actor)
    audit_record(
        actor=actor.user,
        workspace=current.workspace,
        action="survey.answered",
        obj=current,
        object_repr=hire_repr(current.hire),
        changes={
            "process_rating": [None, current.process_rating],
            "hire_rating": [None, current.hire_rating],
            "via_link": [None, via_link],
        },
    )
    return current
