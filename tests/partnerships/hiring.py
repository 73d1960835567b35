"""A hire and its surveys for the post-hire tests: a requisition with a signed brief of two
criteria, a candidate moved into Hired, a manager in New York, and answers to a survey."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accord.briefs.models import Kind
from accord.partnerships.hires import hire_set_start
from accord.partnerships.models import Hire, Mattered, Survey
from accord.partnerships.survey_answers import Answers, criteria_of
from accord.pipeline.models import Category, Stage
from accord.pipeline.services import application_create, application_move, stages_for
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from tests.factories import (
    BriefVersionFactory,
    CandidateFactory,
    CriterionFactory,
    RequisitionFactory,
)

NY = "America/New_York"


def stage(requisition: Requisition, category: str) -> Stage:
    return next(s for s in stages_for(requisition) if s.category == category)


def make_requisition(recruiter: Member, *managers: Member) -> Requisition:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=list(managers),
        title="Platform Engineer",
    )
    version = BriefVersionFactory(requisition=requisition, number=1, signed_at=timezone.now())
    CriterionFactory(version=version, name="Kubernetes", position=1)
    CriterionFactory(version=version, name="On-call", position=2, kind=Kind.NICE, weight=2)
    return requisition


def hire_one(recruiter: Member, requisition: Requisition, name: str = "Nora Hired") -> Hire:
    application = application_create(
        actor=recruiter,
        requisition=requisition,
        candidate=CandidateFactory(workspace=recruiter.workspace, name=name),
    )
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.HIRED)
    )
    return Hire.objects.get(application=application)


def next_monday(after: date) -> date:
    return after + timedelta(days=7 - after.weekday())


def in_new_york(member: Member) -> Member:
    member.user.time_zone = NY
    member.user.save(update_fields=["time_zone"])
    return member


def hire_from_a_monday(recruiter: Member, requisition: Requisition) -> Hire:
    """Hired, starting on a Monday a week or two ahead: the day-7 survey is a Monday too."""
    found = hire_one(recruiter, requisition)
    start = next_monday(timezone.localdate() + timedelta(days=3))
    return hire_set_start(actor=recruiter, hire=found, start_on=start, revision=found.revision)


def local_day(at: datetime) -> date:
    return at.astimezone(ZoneInfo(NY)).date()


def ny(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(NY)).astimezone(UTC)


def answers(survey: Survey, level: str = Mattered.CRUCIAL, **kw: object) -> Answers:
    base = {
        "process_rating": 4,
        "smoother": "",
        "hire_rating": 5,
        "hire_notes": "Settling in well.",
        "missed_criteria": "",
        "mattered": {c.pk: level for c in criteria_of(survey)},
    }
    base.update(kw)
    return Answers(**base)  # type: ignore[arg-type]
