"""Due times, reminders at the right local time, escalation, digests, retries: the dispatcher
with the clock controlled by the test (`now=`), sending through real servers on loopback."""

from datetime import UTC, datetime, time, timedelta

import pytest

from accord.nudges import services
from accord.nudges.models import (
    Commitment,
    CommitmentKind,
    ContactPreference,
    Message,
    MessageKind,
    MessageStatus,
    Nudge,
    NudgeKind,
    NudgePolicy,
)
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Role
from tests.factories import MemberFactory, RequisitionFactory


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def requisition(recruiter: Member, hiring_manager: Member) -> Requisition:
    hiring_manager.user.time_zone = "America/New_York"
    hiring_manager.user.save(update_fields=["time_zone"])
    recruiter.user.time_zone = "Europe/London"
    recruiter.user.save(update_fields=["time_zone"])
    return RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )


def review_due_tuesday_evening(requisition: Requisition, manager: Member) -> Commitment:
    # Monday 30 November 10:00 in New York; due Tuesday 1 December 19:30 New York (00:30 UTC).
    return services.commitment_open(
        requisition=requisition,
        kind=CommitmentKind.REVIEW,
        owner=manager,
        started_at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
        due_at=at(2, 0, 30),
        basis="1 business day, agreed in the brief",
    )


def plan(commitment: Commitment) -> dict[str, datetime]:
    return {n.kind: n.send_after for n in Nudge.objects.filter(commitment=commitment)}


def test_nudges_are_planned_at_allowed_local_times(
    requisition: Requisition, hiring_manager: Member, recruiter: Member, admin: Member
) -> None:
    NudgePolicy.objects.create(workspace=requisition.workspace, contact=admin)
    admin.user.time_zone = "Asia/Tokyo"
    admin.user.save(update_fields=["time_zone"])
    commitment = review_due_tuesday_evening(requisition, hiring_manager)
    planned = plan(commitment)
    assert planned[NudgeKind.BEFORE] == at(1, 20, 30)  # 15:30 in New York
    assert planned[NudgeKind.DUE] == at(2, 0, 30)  # 19:30 in New York, before quiet hours
    # One business day later it is Thursday 00:30 in London: quiet until 08:00.
    assert planned[NudgeKind.ESCALATE_RECRUITER] == at(3, 8, 0)
    # Two business days later in Tokyo: Friday 09:30 local, allowed.
    assert planned[NudgeKind.ESCALATE_CONTACT] == at(4, 0, 30)


def test_an_overdue_review_reminds_then_escalates_by_email(
    requisition: Requisition, hiring_manager: Member, recruiter: Member, smtp
) -> None:
    commitment = review_due_tuesday_evening(requisition, hiring_manager)
    assert services.dispatch(now=at(1, 20, 0)).messages == 0
    first = services.dispatch(now=at(1, 20, 31))
    assert (first.messages, first.sent) == (1, 1)
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Subject"].startswith("Due soon: Review a shortlist")
    assert smtp.messages[0]["To"].endswith(f"<{hiring_manager.user.email}>")
    body = smtp.text(smtp.messages[0])
    assert "Tue 1 Dec, 19:30" in body  # the due time in the manager's own time zone
    # At the due time: the second reminder (the agreed 4-hour gap has passed).
    services.dispatch(now=at(2, 0, 35))
    assert [m["Subject"].split(":")[0] for m in smtp.messages] == ["Due soon", "Due now"]
    # Nothing more for the manager; a day later the recruiter hears about it, at 08:00 London.
    services.dispatch(now=at(3, 7, 59))
    assert len(smtp.messages) == 2
    services.dispatch(now=at(3, 8, 1))
    assert len(smtp.messages) == 3
    escalation = smtp.messages[2]
    assert escalation["To"].endswith(f"<{recruiter.user.email}>")
    assert "Overdue: Hugo Manager" in escalation["Subject"]
    assert commitment.nudges.filter(status="sent").count() == 3


def test_keeping_the_commitment_cancels_what_is_still_planned(
    requisition: Requisition, hiring_manager: Member, smtp
) -> None:
    commitment = review_due_tuesday_evening(requisition, hiring_manager)
    services.commitments_done(Commitment.objects.filter(pk=commitment.pk), at(1, 18))
    assert services.dispatch(now=at(5, 12)).messages == 0
    assert smtp.messages == []
    commitment.refresh_from_db()
    assert commitment.on_time


def test_several_due_nudges_go_out_as_one_digest_within_the_agreed_gap(
    requisition: Requisition, hiring_manager: Member, recruiter: Member, smtp
) -> None:
    ContactPreference.objects.create(member=hiring_manager, min_gap_hours=24)
    for hours in (0, 1, 2):
        services.commitment_open(
            requisition=requisition,
            kind=CommitmentKind.REVIEW,
            owner=hiring_manager,
            started_at=at(1, 12),
            due_at=at(1, 18 + hours),
            basis="test",
        )
    services.dispatch(now=at(1, 15, 30))  # two "due soon" reminders are due by now
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Subject"] == "2 things waiting for you on Accord"
    services.dispatch(now=at(2, 1, 0))  # more are due, but the day since the digest hasn't passed
    assert len(smtp.messages) == 1
    # The next morning (after quiet hours and the 24-hour gap) everything left comes together.
    services.dispatch(now=at(2, 16, 5))
    assert len(smtp.messages) == 2
    assert "4 things waiting" in smtp.messages[1]["Subject"]
    digests = Message.objects.filter(recipient=hiring_manager, kind=MessageKind.DIGEST)
    assert digests.count() == 2


def test_a_failed_send_is_retried_with_backoff_then_sent(
    requisition: Requisition, hiring_manager: Member, settings
) -> None:
    port = 9  # the discard port: nothing listens, the connection is refused
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    message = services.message_queue(
        recipient=hiring_manager,
        kind=MessageKind.NOTICE,
        content=services.Rendered("Hello", "Body", "<p>Body</p>"),
        now=at(1, 10),
    )
    assert services.message_send(message.pk, now=at(1, 10)) == MessageStatus.RETRY
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.next_attempt_at == at(1, 10, 1)
    assert message.last_error
    assert services.message_send(message.pk, now=at(1, 10, 0)) == "skipped"  # not yet
    assert services.message_send(message.pk, now=at(1, 10, 1)) == MessageStatus.RETRY
    message.refresh_from_db()
    assert message.next_attempt_at == at(1, 10, 6)


def test_a_message_is_claimed_by_one_sender_only(
    requisition: Requisition, hiring_manager: Member, smtp, settings
) -> None:
    message = services.message_queue(
        recipient=hiring_manager,
        kind=MessageKind.NOTICE,
        content=services.Rendered("Once", "Body", ""),
        now=at(1, 10),
    )
    # A claim in progress (another worker) is left alone until its lease runs out...
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_at=at(1, 10))
    assert services.message_send(message.pk, now=at(1, 10, 1)) == "skipped"
    assert smtp.messages == []
    # ...then taken over: that worker died.
    later = at(1, 10) + timedelta(seconds=settings.NUDGE_SEND_LEASE_SECONDS + 1)
    assert services.message_send(message.pk, now=later) == MessageStatus.SENT
    assert services.message_send(message.pk, now=later + timedelta(hours=1)) == "skipped"
    assert len(smtp.messages) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_an_inactive_person_is_not_nudged(
    requisition: Requisition, hiring_manager: Member, smtp
) -> None:
    review_due_tuesday_evening(requisition, hiring_manager)
    hiring_manager.is_active = False
    hiring_manager.save(update_fields=["is_active"])
    assert services.dispatch(now=at(2, 1)).messages == 0
    assert smtp.messages == []


def test_a_chat_preference_without_a_webhook_falls_back_to_email(hiring_manager: Member) -> None:
    ContactPreference.objects.create(member=hiring_manager, channel="chat")
    assert services.route(hiring_manager) == ("email", hiring_manager.user.email)
    other = MemberFactory(workspace=hiring_manager.workspace, role=Role.INTERVIEWER)
    ContactPreference.objects.create(member=other, channel="sms", phone="+447700900123")
    assert services.route(other) == ("sms", "+447700900123")


def test_quiet_hours_hold_a_released_nudge_until_morning(
    requisition: Requisition, hiring_manager: Member, smtp
) -> None:
    ContactPreference.objects.create(
        member=hiring_manager, quiet_start=time(18, 0), quiet_end=time(9, 0)
    )
    commitment = review_due_tuesday_evening(requisition, hiring_manager)
    due = plan(commitment)[NudgeKind.DUE]
    assert due == at(2, 14, 0)  # 19:30 is quiet for this manager: 09:00 New York the next day
    # The "due soon" reminder (15:30 New York) was planned but not sent; at 08:59 it is still
    # quiet, so it waits, and at 09:00 both reminders go together.
    services.dispatch(now=at(2, 13, 59))
    assert smtp.messages == []
    services.dispatch(now=at(2, 14, 1))
    assert [m["Subject"] for m in smtp.messages] == ["2 things waiting for you on Accord"]
