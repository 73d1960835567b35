"""A fixed history whose analytics are worked out by hand in the tests.

Workspace time zone: America/New_York. The range is 1 January – 31 March 2026.

People: recruiters R1 (the `recruiter` fixture) and R2; hiring managers M1 (the `hiring_manager`
fixture) and M2; an interviewer.

Requisitions (title · team · recruiter · managers):
  Q1 Backend  · Platform · R1 · M1      filled 20 Feb, 40 days, offer due 35 days after opening
  Q2 Frontend · Platform · R2 · M1, M2  filled 1 Apr 02:00 UTC = 31 Mar in New York, 30 days,
                                        offer due 42 days after opening (2 Feb → 16 Mar)
  Q3 Data     · Data     · R1 · M2      open
  Q4 Sales    · (none)   · R2 · M2      filled 10 Mar, 20 days, no offer milestone
  Q5 Old      · Platform · R1 · M1      filled 15 Dec 2025: before the range

Commitments (requisition, started → due → done):
  C1 Q1 review     10 Jan → 12 Jan → 11 Jan   1 day, on time
  C2 Q1 scorecard  20 Jan → 22 Jan → 25 Jan   5 days, late
  C3 Q2 review     10 Feb → 12 Feb → 12 Feb   2 days, on time (exactly at the due time)
  C4 Q3 review      1 Mar →  3 Mar →  4 Mar   3 days, late
  C5 Q3 cancelled, C6 Q3 still open: not counted

Applications (requisition: moves):
  A1 Q2: sourced 5 Jan, submitted 10 Jan, interview 20 Jan, offer 5 Feb, hired 15 Feb
  A2 Q2: submitted 12 Jan, rejected 14 Jan
  A3 Q2: submitted 3 Feb, review 4 Feb, interview 10 Feb, rejected 20 Feb
  A4 Q3: submitted 5 Feb, interview 2 Mar, offer 10 Mar, withdrawn 15 Mar
  A5 Q3: review 5 Mar (still there)
  A6 Q3: submitted 20 Dec 2025, interview 15 Jan, offer 20 Mar (still there)
  A7 Q3: submitted 10 Apr (after the range)

Surveys about A1's hire (Q2): S1 by M1 answered 9 Mar (process 4, hire 5), S2 by M2 answered
12 Mar (process 2, hire not rated), S3 by M1 at a later checkpoint, not answered.

Another workspace has a filled requisition and a done commitment in the range: never counted.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from accord.analytics.figures import Filters
from accord.nudges.models import Commitment, CommitmentKind
from accord.partnerships.models import Hire, Survey
from accord.pipeline.models import Application, Category, Reason, Stage, StageMove
from accord.requisitions.models import Milestone, MilestoneKind, Owner, Requisition, Status
from accord.workspaces.models import Member, Role, Workspace
from tests.factories import CandidateFactory, MemberFactory, RequisitionFactory

RANGE = Filters(start=date(2026, 1, 1), end=date(2026, 3, 31))


def at(month: int, day: int, hour: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class Dataset:
    workspace: Workspace
    r1: Member
    r2: Member
    m1: Member
    m2: Member
    reqs: dict[str, Requisition]
    commitments: dict[str, Commitment]
    apps: dict[str, Application]
    surveys: dict[str, Survey]


def _requisition(
    workspace: Workspace,
    title: str,
    team: str,
    recruiter: Member,
    managers: list[Member],
    *,
    opened: datetime,
    closed: datetime | None = None,
    days: int | None = None,
    offer_due: date | None = None,
) -> Requisition:
    requisition = RequisitionFactory(
        workspace=workspace,
        title=title,
        team=team,
        recruiter=recruiter,
        hiring_managers=managers,
        status=Status.FILLED if closed else Status.OPEN,
        opened_at=opened,
        closed_at=closed,
        days_to_fill=days,
    )
    if offer_due is not None:
        Milestone.objects.create(
            requisition=requisition, kind=MilestoneKind.OFFER, owner=Owner.MANAGER, due_on=offer_due
        )
    return requisition


def _application(
    requisition: Requisition, name: str, path: list[tuple[str, datetime]]
) -> Application:
    """An application that moved through `path` (category, when); stages made as needed."""
    stages: dict[str, Stage] = {}
    for position, (category, _when) in enumerate(path):
        if category not in stages:
            stages[category] = Stage.objects.get_or_create(
                requisition=requisition,
                category=category,
                defaults={"name": Category(category).label, "position": position},
            )[0]
    last_category, last_when = path[-1]
    ended = last_category in (Category.REJECTED, Category.WITHDRAWN)
    application = Application.objects.create(
        workspace=requisition.workspace,
        requisition=requisition,
        candidate=CandidateFactory(workspace=requisition.workspace, name=name),
        stage=stages[last_category],
        stage_entered_at=last_when,
        created_at=path[0][1],
        reason=Reason.OTHER if ended else "",
    )
    previous = None
    for category, when in path:
        StageMove.objects.create(
            application=application, from_stage=previous, to_stage=stages[category], at=when
        )
        previous = stages[category]
    return application


def build_dataset(recruiter: Member, hiring_manager: Member, interviewer: Member) -> Dataset:
    workspace = recruiter.workspace
    workspace.time_zone = "America/New_York"
    workspace.save(update_fields=["time_zone"])
    r1, m1 = recruiter, hiring_manager
    r2 = MemberFactory(workspace=workspace, role=Role.RECRUITER, user__display_name="Rita Two")
    m2 = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER, user__display_name="Mo Two")

    q1 = _requisition(
        workspace, "Backend", "Platform", r1, [m1],
        opened=at(1, 5), closed=at(2, 20), days=40, offer_due=date(2026, 2, 9),
    )  # fmt: skip
    q2 = _requisition(
        workspace, "Frontend", "Platform", r2, [m1, m2],
        opened=at(2, 2, 14), closed=at(4, 1, 2), days=30, offer_due=date(2026, 3, 16),
    )  # fmt: skip
    q3 = _requisition(workspace, "Data", "Data", r1, [m2], opened=at(1, 20))
    q4 = _requisition(workspace, "Sales", "", r2, [m2], opened=at(2, 1), closed=at(3, 10), days=20)
    q5 = _requisition(
        workspace, "Old", "Platform", r1, [m1],
        opened=at(11, 1, year=2025), closed=at(12, 15, year=2025), days=44,
        offer_due=date(2025, 12, 20),
    )  # fmt: skip

    def commitment(
        requisition: Requisition,
        kind: str,
        owner: Member,
        started: datetime,
        due: datetime,
        done: datetime | None = None,
        cancelled: datetime | None = None,
    ) -> Commitment:
        return Commitment.objects.create(
            workspace=workspace,
            requisition=requisition,
            kind=kind,
            owner=owner,
            started_at=started,
            due_at=due,
            done_at=done,
            cancelled_at=cancelled,
        )

    review, scorecard = CommitmentKind.REVIEW, CommitmentKind.SCORECARD
    commitments = {
        "C1": commitment(q1, review, m1, at(1, 10), at(1, 12), at(1, 11)),
        "C2": commitment(q1, scorecard, interviewer, at(1, 20), at(1, 22), at(1, 25)),
        "C3": commitment(q2, review, m1, at(2, 10), at(2, 12), at(2, 12)),
        "C4": commitment(q3, review, m2, at(3, 1), at(3, 3), at(3, 4)),
        "C5": commitment(q3, review, m2, at(3, 5), at(3, 7), cancelled=at(3, 6)),
        "C6": commitment(q3, review, m2, at(3, 20), at(3, 22)),
    }

    C = Category
    apps = {
        "A1": _application(
            q2,
            "Ada One",
            [
                (C.SOURCED, at(1, 5)),
                (C.SUBMITTED, at(1, 10)),
                (C.INTERVIEW, at(1, 20)),
                (C.OFFER, at(2, 5)),
                (C.HIRED, at(2, 15)),
            ],
        ),
        "A2": _application(q2, "Ben Two", [(C.SUBMITTED, at(1, 12)), (C.REJECTED, at(1, 14))]),
        "A3": _application(
            q2,
            "Cy Three",
            [
                (C.SUBMITTED, at(2, 3)),
                (C.REVIEW, at(2, 4)),
                (C.INTERVIEW, at(2, 10)),
                (C.REJECTED, at(2, 20)),
            ],
        ),
        "A4": _application(
            q3,
            "Di Four",
            [
                (C.SUBMITTED, at(2, 5)),
                (C.INTERVIEW, at(3, 2)),
                (C.OFFER, at(3, 10)),
                (C.WITHDRAWN, at(3, 15)),
            ],
        ),
        "A5": _application(q3, "Ed Five", [(C.REVIEW, at(3, 5))]),
        "A6": _application(
            q3,
            "Flo Six",
            [(C.SUBMITTED, at(12, 20, year=2025)), (C.INTERVIEW, at(1, 15)), (C.OFFER, at(3, 20))],
        ),
        "A7": _application(q3, "Gus Seven", [(C.SUBMITTED, at(4, 10))]),
    }

    hire = Hire.objects.create(
        workspace=workspace,
        application=apps["A1"],
        requisition=q2,
        hired_at=at(2, 15),
        start_on=date(2026, 3, 1),
    )

    def survey(
        manager: Member,
        checkpoint: int,
        answered: datetime | None,
        process: int | None,
        hire_rating: int | None,
    ) -> Survey:
        return Survey.objects.create(
            workspace=workspace,
            hire=hire,
            manager=manager,
            checkpoint=checkpoint,
            due_at=at(3, 8),
            sent_at=at(3, 8),
            answered_at=answered,
            process_rating=process,
            hire_rating=hire_rating,
        )

    surveys = {
        "S1": survey(m1, 7, at(3, 9), 4, 5),
        "S2": survey(m2, 7, at(3, 12), 2, None),
        "S3": survey(m1, 30, None, None, None),
    }

    # Another workspace, same months: never counted here.
    elsewhere_recruiter = MemberFactory(role=Role.RECRUITER)
    other = _requisition(
        elsewhere_recruiter.workspace, "Elsewhere", "Platform", elsewhere_recruiter, [],
        opened=at(1, 2), closed=at(2, 2), days=31,
    )  # fmt: skip
    Commitment.objects.create(
        workspace=other.workspace,
        requisition=other,
        kind=review,
        owner=elsewhere_recruiter,
        started_at=at(1, 10),
        due_at=at(1, 11),
        done_at=at(1, 10, 13),
    )
    _application(other, "Zed Else", [(C.SUBMITTED, at(1, 10)), (C.INTERVIEW, at(1, 12))])

    return Dataset(
        workspace=workspace,
        r1=r1,
        r2=r2,
        m1=m1,
        m2=m2,
        reqs={"Q1": q1, "Q2": q2, "Q3": q3, "Q4": q4, "Q5": q5},
        commitments=commitments,
        apps=apps,
        surveys=surveys,
    )


@pytest.fixture
def dataset(recruiter: Member, hiring_manager: Member, interviewer: Member) -> Dataset:
    return build_dataset(recruiter, hiring_manager, interviewer)


def pk(member: Member) -> str:
    """A member's group key."""
    return str(member.public_id)


__all__ = ["RANGE", "Dataset", "at", "build_dataset", "pk", "timedelta"]
