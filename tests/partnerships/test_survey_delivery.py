"""Sending the post-hire surveys with a controlled clock: sent once when due, in each manager's
hours, reminded within their contact preferences on the agreed channel, never to a manager who
can't answer; a failure is retried later; the link is resent at most once an hour."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.nudges.models import ContactPreference, Message, MessageKind
from accord.partnerships.models import Hire, Partnership, Survey
from accord.partnerships.survey_answers import survey_answer
from accord.partnerships.survey_delivery import (
    RETRY_AFTER,
    survey_resend,
    survey_send,
    survey_send_now,
    surveys_deliver,
)
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Role
from tests.factories import MemberFactory
from tests.partnerships.hiring import (
    NY,
    answers,
    hire_one,
    local_day,
    make_requisition,
    ny,
)


def test_nothing_before_the_due_time_then_one_message_once(manager: Member, hire: Hire) -> None:
    survey = Survey.objects.get(hire=hire)
    assert surveys_deliver(now=survey.due_at - timedelta(minutes=1)) == 0
    assert not Message.objects.exists()
    assert surveys_deliver(now=survey.due_at) == 1
    assert surveys_deliver(now=survey.due_at + timedelta(minutes=5)) == 0
    message = Message.objects.get()
    assert (message.kind, message.recipient, message.channel) == (
        MessageKind.SURVEY,
        manager,
        "email",
    )
    assert "/hs/" in message.text
    assert "Platform Engineer" in message.subject
    survey.refresh_from_db()
    assert survey.sent_at == survey.due_at
    # Three working days later (a Monday send: Thursday), at the same local time.
    assert survey.next_reminder_at == ny(local_day(survey.due_at) + timedelta(3), 9)
    assert AuditEntry.objects.filter(action="survey.sent").count() == 1


def test_a_racing_second_worker_sends_nothing(manager: Member, hire: Hire) -> None:
    survey = Survey.objects.get(hire=hire)
    assert survey_send(survey.pk, survey.due_at) is True
    assert survey_send(survey.pk, survey.due_at) is False  # claimed already
    assert Message.objects.count() == 1


def test_reminders_within_their_contact_preferences_then_no_more(
    manager: Member, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    surveys_deliver(now=survey.due_at)
    survey.refresh_from_db()
    first = survey.next_reminder_at
    assert first is not None
    assert surveys_deliver(now=first - timedelta(minutes=1)) == 0
    assert surveys_deliver(now=first) == 1
    survey.refresh_from_db()
    assert survey.reminders == 1
    second = survey.next_reminder_at
    assert second is not None
    assert second > first
    assert surveys_deliver(now=second) == 1
    survey.refresh_from_db()
    assert (survey.reminders, survey.next_reminder_at) == (2, None)  # the default: at most two
    assert surveys_deliver(now=second + timedelta(days=30)) == 0
    assert Message.objects.count() == 3
    assert Message.objects.filter(subject__startswith="Reminder").count() == 2


def test_a_reminder_due_in_quiet_hours_waits(manager: Member, hire: Hire) -> None:
    survey = Survey.objects.get(hire=hire)
    surveys_deliver(now=survey.due_at)
    survey.refresh_from_db()
    assert survey.next_reminder_at is not None
    late_night = survey.next_reminder_at + timedelta(hours=13)  # 22:00 in New York
    assert surveys_deliver(now=late_night) == 0
    survey.refresh_from_db()
    assert survey.reminders == 0
    assert survey.next_reminder_at == ny(local_day(late_night) + timedelta(1), 8)
    assert surveys_deliver(now=survey.next_reminder_at) == 1


def test_a_survey_due_while_the_worker_was_down_at_night_waits_for_the_morning(
    manager: Member, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    night = survey.due_at + timedelta(hours=12)  # 21:00 New York
    assert surveys_deliver(now=night) == 0
    survey.refresh_from_db()
    assert survey.sent_at is None
    assert survey.due_at == ny(local_day(night) + timedelta(1), 8)


def test_no_reminder_after_the_answer(manager: Member, hire: Hire) -> None:
    survey = Survey.objects.get(hire=hire)
    surveys_deliver(now=survey.due_at)
    survey.refresh_from_db()
    survey_answer(actor=manager, survey=survey, answers=answers(survey), via_link=False)
    assert surveys_deliver(now=survey.due_at + timedelta(days=20)) == 0
    assert Message.objects.count() == 1


def test_the_survey_goes_on_the_managers_channel(manager: Member, hire: Hire) -> None:
    ContactPreference.objects.create(
        member=manager, channel="chat", webhook_url="https://chat.example/hook"
    )
    survey = Survey.objects.get(hire=hire)
    surveys_deliver(now=survey.due_at)
    message = Message.objects.get()
    assert message.channel == "chat"
    assert message.links[0][1].startswith("http")


@pytest.mark.parametrize(
    ("agreed", "preferred", "expected"),
    [
        ("chat", "email", "chat"),  # the agreement wins where it can reach them
        ("email", "chat", "email"),
        ("sms", "email", "email"),  # no number: their own channel rather than silence
        ("call", "chat", "chat"),  # a call can't be sent: their own channel
        ("", "chat", "chat"),  # nothing agreed
    ],
)
def test_the_survey_and_its_reminders_go_on_the_agreed_channel_where_it_reaches_them(
    manager: Member, hire: Hire, agreed: str, preferred: str, expected: str
) -> None:
    ContactPreference.objects.create(
        member=manager, channel=preferred, webhook_url="https://chat.example/hook"
    )
    Partnership.objects.create(
        workspace=manager.workspace,
        manager=manager,
        update_channel=agreed,
        agreement_edited_at=timezone.now(),
    )
    survey = Survey.objects.get(hire=hire)
    surveys_deliver(now=survey.due_at)
    survey.refresh_from_db()
    assert survey.next_reminder_at is not None
    surveys_deliver(now=survey.next_reminder_at)
    assert [m.channel for m in Message.objects.order_by("pk")] == [expected, expected]
    sent = AuditEntry.objects.get(action="survey.sent")
    assert sent.changes["via"] == [None, expected]


def test_until_the_profile_is_edited_the_signed_intakes_agreement_is_the_one_in_force(
    manager: Member, requisition: Requisition, hire: Hire
) -> None:
    ContactPreference.objects.create(
        member=manager, channel="email", webhook_url="https://chat.example/hook"
    )
    requisition.brief_versions.update(update_channel="chat")
    survey = Survey.objects.get(hire=hire)
    surveys_deliver(now=survey.due_at)
    assert Message.objects.get().channel == "chat"


# --- managers who can't answer, failures, resends ---------------------------------------------


def test_a_survey_whose_manager_left_is_cancelled_when_due_not_sent(
    recruiter: Member, manager: Member
) -> None:
    other = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    gone = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    requisition = make_requisition(recruiter, manager, other, gone)
    hire = hire_one(recruiter, requisition)
    requisition.hiring_managers.remove(other)  # taken off the role, still a member
    Member.objects.filter(pk=gone.pk).update(is_active=False)  # left the workspace
    due = max(Survey.objects.filter(hire=hire).values_list("due_at", flat=True))
    assert surveys_deliver(now=due) == 1
    assert Message.objects.get().recipient == manager
    assert Survey.objects.get(hire=hire, manager=other).cancelled_at == due
    assert Survey.objects.get(hire=hire, manager=gone).cancelled_at == due
    assert AuditEntry.objects.filter(action="survey.cancelled").count() == 2


def test_a_sent_survey_is_not_reminded_once_its_manager_is_off_the_role(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    surveys_deliver(now=survey.due_at)
    survey.refresh_from_db()
    assert survey.next_reminder_at is not None
    requisition.hiring_managers.remove(manager)
    assert surveys_deliver(now=survey.next_reminder_at) == 0
    survey.refresh_from_db()
    assert survey.next_reminder_at is None
    assert survey.cancelled_at is None  # sent: they may still answer from the link
    assert Message.objects.count() == 1


def test_a_failing_survey_is_logged_retried_later_and_blocks_no_other(
    recruiter: Member, manager: Member, caplog: pytest.LogCaptureFixture
) -> None:
    other = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    other.user.time_zone = NY
    other.user.save(update_fields=["time_zone"])
    hire = hire_one(recruiter, make_requisition(recruiter, manager, other))
    broken = Survey.objects.get(hire=hire, manager=manager)
    fine = Survey.objects.get(hire=hire, manager=other)
    assert (broken.due_at, broken.pk) < (fine.due_at, fine.pk)  # the broken one sorts first
    manager.user.time_zone = "Mars/Olympus_Mons"  # a zone that doesn't exist
    manager.user.save(update_fields=["time_zone"])
    now = broken.due_at
    with caplog.at_level("ERROR", logger="accord.partnerships.survey_delivery"):
        assert surveys_deliver(now=now) == 1
    assert "delivery failed" in caplog.text
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert fine.sent_at == now
    assert (broken.sent_at, broken.due_at) == (None, now + RETRY_AFTER)
    assert Message.objects.get().recipient == other
    assert not AuditEntry.objects.filter(action="survey.sent", object_id=str(broken.public_id))
    assert surveys_deliver(now=now + timedelta(minutes=30)) == 0  # not retried at once


def test_the_link_is_resent_at_most_once_an_hour(
    manager: Member, hire: Hire, recruiter: Member
) -> None:
    survey = Survey.objects.get(hire=hire)
    survey_send_now(actor=recruiter, survey=survey)
    survey_resend(actor=recruiter, survey=survey)  # the manager asked for it again
    assert Message.objects.count() == 2
    with pytest.raises(ValidationError) as error:
        survey_resend(actor=recruiter, survey=survey)
    assert "less than an hour ago" in error.value.messages[0]
    assert "You can resend it from" in error.value.messages[0]
    assert Message.objects.count() == 2
    assert AuditEntry.objects.filter(action="survey.link_resent").count() == 1
    AuditEntry.objects.filter(action="survey.link_resent").update(
        created_at=timezone.now() - timedelta(minutes=61)
    )
    survey_resend(actor=recruiter, survey=survey)
    assert Message.objects.count() == 3


def test_nothing_is_sent_or_resent_to_a_manager_who_cant_answer(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    requisition.hiring_managers.remove(manager)
    with pytest.raises(ValidationError) as error:
        survey_send_now(actor=recruiter, survey=survey)
    assert "no longer a hiring manager of this role" in error.value.messages[0]
    requisition.hiring_managers.add(manager)
    survey_send_now(actor=recruiter, survey=survey)
    Member.objects.filter(pk=manager.pk).update(role=Role.INTERVIEWER)
    survey.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        survey_resend(actor=recruiter, survey=survey)
    assert "no longer answers surveys" in error.value.messages[0]
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_the_survey_once(recruiter: Member, manager: Member) -> None:
    hire = hire_one(recruiter, make_requisition(recruiter, manager))
    survey = Survey.objects.get(hire=hire)
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            sent.append(surveys_deliver(now=survey.due_at))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(sent) == [0, 1]
    assert Message.objects.filter(kind=MessageKind.SURVEY).count() == 1
    assert AuditEntry.objects.filter(action="survey.sent").count() == 1
