"""The worker's heartbeat: one round sends what is due of every kind — status reports, post-hire
surveys, check-in reminders, nudges — and a part that fails doesn't hold back the others."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from accord.nudges import tasks
from accord.nudges.models import ContactPreference, Message, MessageKind
from accord.partnerships.models import Partnership, Survey
from accord.people.models import User
from accord.workspaces.models import Member, Role
from tests.partnerships.hiring import hire_one, make_requisition


@pytest.fixture
def due(recruiter: Member, hiring_manager: Member) -> Survey:
    """A survey whose time has come (the hire started long ago) and a check-in overdue with
    a manager who has no open requisition."""
    hire = hire_one(recruiter, make_requisition(recruiter, hiring_manager))
    hire.start_on = timezone.localdate() - timedelta(days=30)
    hire.save(update_fields=["start_on"])
    survey = Survey.objects.get(hire=hire)
    Survey.objects.filter(pk=survey.pk).update(due_at=timezone.now() - timedelta(days=1))
    other = Member.objects.create(
        workspace=recruiter.workspace,
        user=User.objects.create_user("olu@example.com", "x", display_name="Olu"),
        role=Role.HIRING_MANAGER,
    )
    Partnership.objects.create(
        workspace=recruiter.workspace,
        manager=other,
        recruiter=recruiter,
        next_checkin_on=timezone.localdate() - timedelta(days=2),
    )
    return survey


def quiet_never(member: Member) -> None:
    """Whenever the test runs, it is an allowed time (quiet from 08:00 until 08:00 is never)."""
    ContactPreference.objects.update_or_create(
        member=member,
        defaults={"quiet_start": time(8), "quiet_end": time(8), "quiet_weekends": False},
    )


@pytest.mark.django_db(transaction=True)
def test_one_round_sends_the_survey_and_the_check_in_reminder(
    due: Survey, recruiter: Member, hiring_manager: Member
) -> None:
    quiet_never(recruiter)
    quiet_never(hiring_manager)
    result = tasks.nudges_tick.call()
    assert result["surveys"] == 1
    assert result["checkins"] == 1
    kinds = sorted(Message.objects.values_list("kind", flat=True))
    assert kinds == sorted([MessageKind.SURVEY, MessageKind.CHECKIN])
    # A second round finds nothing more to do.
    again = tasks.nudges_tick.call()
    assert (again["surveys"], again["checkins"]) == (0, 0)
    assert Message.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_part_that_fails_does_not_hold_back_the_others(
    due: Survey, recruiter: Member, hiring_manager: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet_never(recruiter)
    quiet_never(hiring_manager)

    def broken(now: object = None) -> int:
        raise RuntimeError("the report round broke")

    monkeypatch.setattr("accord.reports.services.deliver_due", broken)
    result = tasks.nudges_tick.call()
    assert result["reports"] == 0
    assert (result["surveys"], result["checkins"]) == (1, 1)
