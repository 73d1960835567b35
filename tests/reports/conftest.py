"""A requisition with five candidates whose history is known to the day, for hand-computed
report figures: moves, a declined offer, commitments kept, late and overdue, and a plan."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from accord.nudges.models import Commitment, CommitmentKind
from accord.pipeline.models import Application, Category, Reason, Stage, StageMove
from accord.pipeline.services import application_create, application_move, stages_for
from accord.requisitions.models import Milestone, MilestoneKind, Owner, Requisition, Status
from accord.workspaces.models import Member
from tests.factories import CandidateFactory, RequisitionFactory
from tests.matching.conftest import signed_brief

# A Monday, noon UTC: "now" for the figures.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


@dataclass
class History:
    requisition: Requisition
    stages: dict[str, Stage]
    apps: dict[str, Application]
    overdue: Commitment


def _stage(stages: list[Stage], name: str) -> Stage:
    return next(s for s in stages if s.name == name)


def build_history(recruiter: Member, manager: Member) -> History:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[manager],
        title="Platform Engineer",
        status=Status.OPEN,
        opened_at=days_ago(20),
        compensation_min=120_000,
        compensation_max=140_000,
        currency="EUR",
    )
    brief = signed_brief(requisition)
    brief.version.review_days = 2
    brief.version.signed_at = days_ago(21)
    brief.version.save(update_fields=["review_days", "signed_at"])
    stages = stages_for(requisition)
    named = {s.name: s for s in stages}
    by_category: dict[str, Stage] = {}
    for stage in stages:
        by_category.setdefault(stage.category, stage)

    # Each path: (name, created days ago, [(stage name, days ago, reason, note), ...]).
    paths = {
        "A": (
            20,
            [
                ("Screen", 18),
                ("Submitted to manager", 10),
                ("Manager review", 9),
                ("Interview 1", 5),
            ],
        ),
        "B": (
            20,
            [
                ("Screen", 18),
                ("Submitted to manager", 10),
                ("Rejected", 9, Reason.MANAGER_DECLINED, ""),
            ],
        ),
        "C": (3, []),
        "D": (12, [("Screen", 11)]),
        "E": (
            20,
            [
                ("Screen", 18),
                ("Submitted to manager", 10),
                ("Manager review", 9),
                ("Interview 1", 8),
                ("Offer", 2),
                ("Withdrawn", 1, Reason.COMPENSATION, "asked for 150k"),
            ],
        ),
    }
    apps = {}
    for key, (created, steps) in paths.items():
        candidate = CandidateFactory(workspace=requisition.workspace, name=f"Cand {key}")
        application = application_create(
            actor=recruiter, candidate=candidate, requisition=requisition
        )
        Application.objects.filter(pk=application.pk).update(created_at=days_ago(created))
        StageMove.objects.filter(application=application).update(at=days_ago(created))
        for step in steps:
            stage_name, when = step[0], step[1]
            reason, note = (step[2], step[3]) if len(step) > 2 else ("", "")
            application = application_move(
                actor=recruiter,
                application=Application.objects.get(pk=application.pk),
                to_stage=named[stage_name],
                reason=reason,
                note=note,
            )
            latest = StageMove.objects.filter(application=application).order_by("-pk").first()
            StageMove.objects.filter(pk=latest.pk).update(at=days_ago(when))
            Application.objects.filter(pk=application.pk).update(stage_entered_at=days_ago(when))
        apps[key] = Application.objects.get(pk=application.pk)

    for kind, due, done in (
        (MilestoneKind.FIRST_SHORTLIST, 12, 10),
        (MilestoneKind.FIRST_INTERVIEWS, 6, 5),
        (MilestoneKind.OFFER, 1, None),
    ):
        Milestone.objects.create(
            requisition=requisition,
            kind=kind,
            owner=Owner.MANAGER,
            due_on=days_ago(due).date(),
            done_on=days_ago(done).date() if done is not None else None,
        )

    def commitment(started: float, due: float, done: float | None) -> Commitment:
        return Commitment.objects.create(
            workspace=requisition.workspace,
            requisition=requisition,
            kind=CommitmentKind.REVIEW,
            owner=manager,
            started_at=days_ago(started),
            due_at=days_ago(due),
            done_at=days_ago(done) if done is not None else None,
            basis="2 business days, agreed in the brief",
        )

    commitment(10, 8, 9)  # on time
    commitment(9, 7, 5)  # two days late
    overdue = commitment(3, 1, None)  # a day overdue now
    return History(requisition, by_category, apps, overdue)


@pytest.fixture
def history(recruiter: Member, hiring_manager: Member) -> History:
    return build_history(recruiter, hiring_manager)


__all__ = ["NOW", "Category", "History", "build_history", "days_ago"]
