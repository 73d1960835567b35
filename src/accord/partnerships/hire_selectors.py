"""Reads of hires and their surveys: a survey with what sending, answering and their audit
entries read, why a survey can't go to its manager now, and the survey rows of a hire's page
(in a fixed number of queries, however many managers and checkpoints it has)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accord.partnerships.models import CriterionRating, Hire, Lesson, Survey, SurveyQuerySet
from accord.requisitions.models import Requisition
from accord.workspaces.access import ANSWER_SURVEYS
from accord.workspaces.models import Member


def survey_query() -> SurveyQuerySet:
    """Surveys with what sending, reminding, answering and their audit entries read."""
    return Survey.objects.select_related(
        "workspace",
        "manager__user",
        "manager__workspace",
        "manager__contact",
        "hire__requisition__recruiter__user",
        "hire__application__candidate",
    )


def survey_problem(survey: Survey, on_requisition: bool) -> str | None:
    """Why the survey can't go to its manager now, or None. `on_requisition`: the manager is
    still one of the hire's requisition's hiring managers."""
    manager = survey.manager
    name = manager.display_name
    if not manager.is_active:
        return _("%(name)s is no longer a member of this workspace.") % {"name": name}
    if not on_requisition:
        return _("%(name)s is no longer a hiring manager of this role.") % {"name": name}
    if not manager.can(ANSWER_SURVEYS):
        return _("%(name)s’s role no longer answers surveys.") % {"name": name}
    return None


def is_on_requisition(survey: Survey) -> bool:
    """The survey's manager is still one of its hire's requisition's hiring managers."""
    return Requisition.hiring_managers.through.objects.filter(
        requisition_id=survey.hire.requisition_id, member_id=survey.manager_id
    ).exists()


@dataclass
class SurveyRow:
    survey: Survey
    lessons: list[Lesson]  # the lessons the viewer may read (none of those about themselves)
    problem: str | None  # why it can't be sent or reminded now


def hire_survey_rows(hire: Hire, viewer: Member) -> list[SurveyRow]:
    """A hire's surveys as its page lists them, by checkpoint then manager, in four queries."""
    surveys = (
        Survey.objects.filter(hire=hire)
        .select_related("manager__user")
        .prefetch_related(
            Prefetch("ratings", queryset=CriterionRating.objects.order_by("pk")), "lessons"
        )
        .order_by("checkpoint", "manager__user__display_name", "pk")
    )
    on_requisition = set(
        Requisition.hiring_managers.through.objects.filter(
            requisition_id=hire.requisition_id
        ).values_list("member_id", flat=True)
    )
    return [
        SurveyRow(
            survey=s,
            # A recruiter or admin who is also the role's hiring manager reads the answers they
            # gave, not the recruiting team's lessons drawn from them.
            lessons=[] if s.manager_id == viewer.pk else list(s.lessons.all()),
            problem=survey_problem(s, s.manager_id in on_requisition)
            if s.is_open and hire.cancelled_at is None
            else None,
        )
        for s in surveys
    ]
