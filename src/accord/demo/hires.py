"""The post-hire loop in the demo: the people hired into Northwind's filled roles, and what their
managers said a week, a month and three months after the start.

The filled roles (demo/hiring.py `FILLED`) were told without candidates, so each hire is put in
place by model, dated on the day its requisition was filled, starting ten days to three weeks
later. The surveys are planned by the post-hire service on Northwind's policy (a week, 30 and
90 days), answered through it at their moment (so the answers become lessons), and the one still
open is stamped as sent and reminded once; later checkpoints are still ahead.
Nothing is sent: the messages of the past are not replayed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.candidates.models import Candidate
from accord.demo import data, hiring
from accord.partnerships.hires import local_today, surveys_plan
from accord.partnerships.models import Hire, HirePolicy, Lesson, Mattered, Survey
from accord.partnerships.survey_answers import Answers, criteria_of, survey_answer
from accord.pipeline.models import Application, Category, StageMove
from accord.pipeline.services import stages_for
from accord.requisitions.models import Requisition
from accord.workspaces.models import Workspace


@dataclass(frozen=True)
class Answer:
    checkpoint: int
    hire_rating: int
    hire_notes: str
    # By the criterion's position in the brief; the rest were "useful".
    mattered: dict[int, str]
    process_rating: int | None = None
    smoother: str = ""
    missed: str = ""


@dataclass(frozen=True)
class DemoHire:
    title: str
    name: str
    headline: str
    answers: tuple[Answer, ...]
    # The checkpoint whose survey went out and was reminded once, still unanswered.
    pending: int | None = None
    # Days from the requisition being filled to the first day at work.
    start_after: int = 21


HIRES: Final = (
    DemoHire(
        "Backend Engineer",
        "Priya Raman",
        "Backend Engineer at Ledgerly",
        (
            Answer(
                7,
                4,
                "Shipped her first fix on day three; pairs well.",
                {},
                process_rating=4,
                smoother="Fewer rounds: the take-home and the system design covered the same "
                "ground. One technical interview would have done.",
            ),
            Answer(
                30,
                5,
                "Owns the invoice service split now.",
                {1: Mattered.CRUCIAL, 2: Mattered.NOT},
                missed="Calm under incidents: she was on call in week three and handled a "
                "nightly failure alone.",
            ),
            Answer(90, 5, "The nightly failures have stopped.", {1: Mattered.CRUCIAL}),
        ),
    ),
    DemoHire(
        "Senior Backend Engineer (Payments)",
        "Jonas Weber",
        "Senior Engineer at Paystream",
        (
            Answer(
                7,
                3,
                "Still learning our payment providers.",
                {},
                process_rating=3,
                smoother="The offer took eleven days after the final interview; Jonas nearly "
                "took another one. Agree the pay band before the final round.",
            ),
            Answer(
                30,
                4,
                "Led the refunds redesign.",
                {0: Mattered.CRUCIAL},
                missed="Explaining money flows to finance people, not just engineers.",
            ),
            Answer(90, 4, "Mentoring two mid-level engineers.", {0: Mattered.CRUCIAL}),
        ),
    ),
    DemoHire(
        "Customer Success Manager",
        "Maya Brooks",
        "Account Manager at Helpwise",
        (
            Answer(
                7,
                4,
                "Customers already ask for her by name.",
                {0: Mattered.CRUCIAL, 2: Mattered.NOT},
                process_rating=5,
                smoother="Nothing to change: the shortlist was right the first time.",
            ),
        ),
        pending=30,
        start_after=10,
    ),
)


def _requisition(workspace: Workspace, title: str) -> Requisition | None:
    return (
        Requisition.objects.filter(workspace=workspace, title=title, closed_at__isnull=False)
        .select_related("workspace", "recruiter__user")
        .first()
    )


def _hired(requisition: Requisition, spec: DemoHire) -> Hire:
    """The candidate in the requisition's hired stage since the day it was filled."""
    assert requisition.closed_at is not None  # noqa: S101  # filtered on it
    filled_at = requisition.closed_at
    stage = next(s for s in stages_for(requisition) if s.category == Category.HIRED)
    candidate = Candidate.objects.create(
        workspace=requisition.workspace,
        name=spec.name,
        headline=spec.headline,
        email=spec.name.lower().replace(" ", ".") + "@example.com",
        created_at=filled_at - timedelta(days=30),
    )
    application = Application.objects.create(
        workspace=requisition.workspace,
        candidate=candidate,
        requisition=requisition,
        stage=stage,
        stage_entered_at=filled_at,
        created_by=requisition.recruiter,
        created_at=filled_at - timedelta(days=30),
    )
    StageMove.objects.create(
        application=application, to_stage=stage, actor=requisition.recruiter, at=filled_at
    )
    hire = Hire.objects.create(
        workspace=requisition.workspace,
        application=application,
        requisition=requisition,
        hired_at=filled_at,
        start_on=local_today(requisition.workspace, filled_at) + timedelta(days=spec.start_after),
        recorded_by=requisition.recruiter,
    )
    surveys_plan(hire)
    return hire


def _answer(survey: Survey, answer: Answer, at: datetime) -> None:
    criteria = criteria_of(survey)
    mattered = {
        c.pk: answer.mattered.get(position, Mattered.USEFUL) for position, c in enumerate(criteria)
    }
    Survey.objects.filter(pk=survey.pk).update(sent_at=survey.due_at)
    survey.refresh_from_db()
    survey_answer(
        actor=survey.manager,
        survey=survey,
        answers=Answers(
            process_rating=answer.process_rating,
            smoother=answer.smoother,
            hire_rating=answer.hire_rating,
            hire_notes=answer.hire_notes,
            missed_criteria=answer.missed,
            mattered=mattered,
        ),
        via_link=True,
        now=at,
    )
    Lesson.objects.filter(survey=survey).update(created_at=at)
    AuditEntry.objects.filter(action="survey.answered", object_id=str(survey.public_id)).update(
        created_at=at
    )


@transaction.atomic
def build_hires() -> None:
    """Idempotent: a filled role that already has a hire is left as it is."""
    workspace = Workspace.objects.filter(slug=data.NORTHWIND[1]).first()
    if workspace is None:
        return
    HirePolicy.objects.get_or_create(workspace=workspace, defaults={"checkpoints": [30, 90]})
    now = timezone.now()
    filled_titles = {f.role.title for f in hiring.FILLED}
    for spec in HIRES:
        if spec.title not in filled_titles:
            continue
        requisition = _requisition(workspace, spec.title)
        if requisition is None or Hire.objects.filter(requisition=requisition).exists():
            continue
        hire = _hired(requisition, spec)
        # Every manager's survey at a checkpoint (a dict by checkpoint would keep only one).
        surveys = list(
            Survey.objects.filter(hire=hire).select_related(
                "manager__user", "manager__workspace", "workspace", "hire__requisition"
            )
        )
        for answer in spec.answers:
            for survey in [s for s in surveys if s.checkpoint == answer.checkpoint]:
                at = survey.due_at + timedelta(hours=5)
                if at < now:
                    _answer(survey, answer, at)
        if spec.pending is not None:
            for survey in [s for s in surveys if s.checkpoint == spec.pending]:
                if survey.due_at < now:
                    Survey.objects.filter(pk=survey.pk).update(
                        sent_at=survey.due_at,
                        reminders=1,
                        next_reminder_at=now + timedelta(days=2),
                    )
