"""A manager whose commitments, shortlist decisions and post-hire surveys are known to the hour,
for hand-computed relationship health (see test_health.py for the expected figures)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from accord.nudges.models import Commitment, CommitmentKind
from accord.partnerships.models import Hire, Survey
from accord.requisitions.models import Requisition, Status
from accord.reviews.models import Decision, Review, Shortlist, ShortlistItem
from accord.workspaces.models import Member
from tests.factories import ApplicationFactory, RequisitionFactory
from tests.partnerships.hiring import hire_from_a_monday, in_new_york, make_requisition

# A Monday, noon UTC: "now" for the figures. The last four quarters start on 1 July 2025.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class Dataset:
    r1: Requisition
    r2: Requisition
    outside: list[Review]


def build_dataset(recruiter: Member, manager: Member, now: datetime = NOW) -> Dataset:
    """Two requisitions of `manager`'s, with:

    commitments (started, due, done): on time 24h of 48h (R1, Q2); late 96h of 48h (R1, Q2);
    on time 36h of 48h (R2, Q1); pending and overdue (R2, Q2); and three that don't count —
    cancelled, settled before the period, due in the future;
    reviews: advance (R1, Q2), reject outside the brief (R1, Q2), advance (R2, Q1), hold outside
    the brief (R2, Q4 2025), and one before the period;
    surveys: process 4 / hire 5 (Q2), process 2 / hire 3 (Q4 2025), one unanswered.

    With another `now`, every date moves with it: the totals stay the same (the quarters may
    not)."""
    workspace = recruiter.workspace
    shift = now - NOW

    def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
        return datetime(year, month, day, hour, tzinfo=UTC) + shift

    r1 = RequisitionFactory(
        workspace=workspace,
        recruiter=recruiter,
        hiring_managers=[manager],
        title="Backend Engineer",
        status=Status.OPEN,
    )
    r2 = RequisitionFactory(
        workspace=workspace,
        recruiter=recruiter,
        hiring_managers=[manager],
        title="Data Engineer",
        status=Status.FILLED,
    )

    def commitment(
        requisition: Requisition,
        started: datetime,
        due: datetime,
        done: datetime | None,
        cancelled: datetime | None = None,
    ) -> None:
        Commitment.objects.create(
            workspace=workspace,
            requisition=requisition,
            kind=CommitmentKind.REVIEW,
            owner=manager,
            started_at=started,
            due_at=due,
            done_at=done,
            cancelled_at=cancelled,
            basis="2 business days",
        )

    commitment(r1, at(2026, 5, 1), at(2026, 5, 3), at(2026, 5, 2))
    commitment(r1, at(2026, 5, 10), at(2026, 5, 12), at(2026, 5, 14))
    commitment(r2, at(2026, 2, 1), at(2026, 2, 3), at(2026, 2, 2, 22))
    commitment(r2, at(2026, 6, 8), at(2026, 6, 10), None)
    commitment(r2, at(2026, 6, 1), at(2026, 6, 3), None, cancelled=at(2026, 6, 2))
    commitment(r2, at(2025, 4, 1), at(2025, 4, 3), at(2025, 5, 1))
    commitment(r2, at(2026, 6, 14), at(2026, 6, 20), None)

    outside = []

    def review(
        requisition: Requisition,
        decision: str,
        when: datetime,
        *,
        outside_brief: bool = False,
        chips: list[str] | None = None,
        note: str = "",
    ) -> None:
        shortlist = Shortlist.objects.create(
            workspace=workspace, requisition=requisition, manager=manager, sent_by=recruiter
        )
        application = ApplicationFactory(requisition=requisition)
        item = ShortlistItem.objects.create(shortlist=shortlist, application=application)
        made = Review.objects.create(
            item=item,
            application=application,
            reviewer=manager,
            decision=decision,
            outside_brief=outside_brief,
            chips=chips or [],
            note=note,
            decided_at=when,
        )
        if outside_brief:
            outside.append(made)

    review(r1, Decision.ADVANCE, at(2026, 5, 5))
    review(r1, Decision.REJECT, at(2026, 5, 6), outside_brief=True, chips=["compensation"])
    review(r2, Decision.ADVANCE, at(2026, 3, 1))
    review(r2, Decision.HOLD, at(2025, 11, 1), outside_brief=True, note="Not a culture fit")
    review(r2, Decision.REJECT, at(2025, 4, 1))

    def survey(answered: datetime | None, process: int | None, hire_rating: int | None) -> None:
        application = ApplicationFactory(requisition=r2)
        hire = Hire.objects.create(
            workspace=workspace,
            application=application,
            requisition=r2,
            start_on=date(2025, 10, 1),
        )
        Survey.objects.create(
            workspace=workspace,
            hire=hire,
            manager=manager,
            checkpoint=7,
            due_at=at(2025, 10, 8),
            answered_at=answered,
            process_rating=process,
            hire_rating=hire_rating,
        )

    survey(at(2026, 4, 20), 4, 5)
    survey(at(2025, 12, 1), 2, 3)
    survey(None, None, None)
    return Dataset(r1, r2, outside)


# The post-hire tests' manager (in New York), requisition and hire (tests/partnerships/hiring.py).


@pytest.fixture
def manager(hiring_manager: Member) -> Member:
    return in_new_york(hiring_manager)


@pytest.fixture
def requisition(recruiter: Member, manager: Member) -> Requisition:
    return make_requisition(recruiter, manager)


@pytest.fixture
def hire(recruiter: Member, requisition: Requisition) -> Hire:
    return hire_from_a_monday(recruiter, requisition)
