"""Commitments, the nudges planned for them, and the messages that carry nudges and notices.

A commitment's nudges are planned when it opens (rows with a `send_after`), so what is due is
always read from the database: a restarted worker loses nothing. `dispatch` turns due nudges into
messages — one per person per round, a digest when several are due, and none while the person's
agreed gap since their last message hasn't passed — and sends what is due. A send claims its
message with a conditional update; a claim older than the lease belongs to a worker that died
and is taken over.
"""

import mimetypes
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.nudges import clock
from accord.nudges.channels import DeliveryError, Outgoing, deliver
from accord.nudges.channels.base import Attachment
from accord.nudges.models import (
    Commitment,
    CommitmentQuerySet,
    ContactPreference,
    Message,
    MessageKind,
    MessageStatus,
    Nudge,
    NudgeKind,
    NudgePolicy,
    NudgeStatus,
)
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace

# Waits between attempts of a failed send; after the last, the message has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
# Tasks run highest priority first (-100..100, default 0): sending before drawing.
SEND_PRIORITY = 10


# --- people: how to reach them ---------------------------------------------------------------


def contact_of(member: Member) -> ContactPreference:
    """The member's saved preference, or the default one (email, 20:00–08:00, every 4 hours)."""
    try:
        return member.contact
    except ContactPreference.DoesNotExist:
        return ContactPreference(member=member)


def time_zone_of(member: Member) -> str:
    return member.user.time_zone or member.workspace.time_zone or "UTC"


def quiet_of(preference: ContactPreference) -> clock.QuietHours:
    return clock.QuietHours(
        start=preference.quiet_start,
        end=preference.quiet_end,
        weekends=preference.quiet_weekends,
    )


def policy_of(workspace: Workspace) -> NudgePolicy:
    policy, _created = NudgePolicy.objects.get_or_create(workspace=workspace)
    return policy


def route(
    member: Member, preference: ContactPreference | None = None, agreed: str = ""
) -> tuple[str, str]:
    """The channel and address a message to `member` goes to. A channel `agreed` with them
    (a partnership's communication agreement) comes first where they can be reached on it,
    then their own preference. A chat or text channel without a webhook or number falls back
    to email rather than to silence."""
    preference = preference or contact_of(member)
    for channel in (agreed, preference.channel):
        if channel == "chat" and preference.webhook_url:
            return "chat", preference.webhook_url
        if channel == "sms" and preference.phone:
            return "sms", preference.phone
        if channel == "email":
            return "email", member.user.email
    return "email", member.user.email


# --- commitments and their nudges --------------------------------------------------------------


def _plan(commitment: Commitment, policy: NudgePolicy) -> list[Nudge]:
    """The reminders and escalations of a commitment, each at an allowed time of its recipient."""
    owner = commitment.owner
    owner_tz, owner_quiet = time_zone_of(owner), quiet_of(contact_of(owner))
    due = commitment.due_at
    nudges = []
    before = due - timedelta(hours=policy.remind_before_hours)
    if before > commitment.started_at:
        at = clock.last_allowed_before(before, owner_tz, owner_quiet)
        if at > commitment.started_at:
            nudges.append(Nudge(kind=NudgeKind.BEFORE, recipient=owner, send_after=at))
    nudges.append(
        Nudge(
            kind=NudgeKind.DUE,
            recipient=owner,
            send_after=clock.next_allowed(due, owner_tz, owner_quiet),
        )
    )
    escalations: list[tuple[str, Member | None]] = [
        (NudgeKind.ESCALATE_RECRUITER, commitment.requisition.recruiter),
        (NudgeKind.ESCALATE_CONTACT, policy.contact),
    ]
    days: dict[str, int] = {
        NudgeKind.ESCALATE_RECRUITER: policy.escalate_after_days,
        NudgeKind.ESCALATE_CONTACT: policy.contact_after_days,
    }
    for kind, person in escalations:
        if person is None or person.pk == owner.pk or not person.is_active:
            continue
        tz, quiet = time_zone_of(person), quiet_of(contact_of(person))
        at = clock.add_business_days(due, days[kind], tz) if days[kind] else due
        nudges.append(
            Nudge(kind=kind, recipient=person, send_after=clock.next_allowed(at, tz, quiet))
        )
    for nudge in nudges:
        nudge.commitment = commitment
    return nudges


@transaction.atomic
def commitment_open(
    *,
    requisition: Requisition,
    kind: str,
    owner: Member,
    due_at: datetime,
    basis: str,
    started_at: datetime | None = None,
    **target: Any,
) -> Commitment:
    """Record that `owner` owes an action by `due_at`, and plan its reminders and escalations.

    `target` names what the action is about: shortlist=, scorecard= or application=."""
    commitment = Commitment.objects.create(
        workspace_id=requisition.workspace_id,
        requisition=requisition,
        kind=kind,
        owner=owner,
        due_at=due_at,
        basis=basis[:200],
        started_at=started_at or timezone.now(),
        **target,
    )
    Nudge.objects.bulk_create(_plan(commitment, policy_of(requisition.workspace)))
    return commitment


def _close(commitments: CommitmentQuerySet, **stamp: datetime) -> int:
    """Stamp the pending ones of `commitments` and drop the nudges they no longer need."""
    pks = list(commitments.pending().values_list("pk", flat=True))
    if pks:
        Commitment.objects.filter(pk__in=pks).update(**stamp)
        Nudge.objects.filter(commitment__in=pks, status=NudgeStatus.PENDING).update(
            status=NudgeStatus.CANCELLED
        )
    return len(pks)


def commitments_done(commitments: CommitmentQuerySet, at: datetime | None = None) -> int:
    """Mark pending commitments done (kept, on time or late)."""
    return _close(commitments, done_at=at or timezone.now())


def commitments_cancel(commitments: CommitmentQuerySet, at: datetime | None = None) -> int:
    """Cancel pending commitments that no longer stand (a shortlist withdrawn, a candidate
    gone)."""
    return _close(commitments, cancelled_at=at or timezone.now())


# --- messages ----------------------------------------------------------------------------------


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    links: list[tuple[str, str]] = field(default_factory=list)


def render(template: str, context: dict[str, Any]) -> Rendered:
    """A message from `<template>_subject.txt`, `.txt` and `.html`; `context["links"]` holds
    the one-click actions, which chat and text messages show as buttons or a link."""
    context = {"site_url": settings.SITE_URL, **context}
    return Rendered(
        subject=" ".join(render_to_string(f"{template}_subject.txt", context).split())[:300],
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
        links=list(context.get("links", [])),
    )


def message_queue(
    *,
    recipient: Member,
    kind: str,
    content: Rendered,
    requisition: Requisition | None = None,
    now: datetime | None = None,
    attachments: Sequence[Mapping[str, str | None]] | None = None,
    agreed_channel: str = "",
) -> Message:
    """Record a message for `recipient` on their channel and send it once the transaction
    commits (a rolled-back action sends nothing).

    `attachments` are files already in `default_storage`, sent with an email (chat and text
    messages carry the links instead): `{"path", "filename", "mimetype", "inline_id"}`, where
    a non-empty `inline_id` is the Content-ID of an image the HTML shows as `cid:<inline_id>`.
    The files must stay until the message is sent: every attempt reads them again.
    `agreed_channel` is the channel agreed with the recipient, used where it can reach them
    (see `route`)."""
    channel, destination = route(recipient, agreed=agreed_channel)
    now = now or timezone.now()
    message = Message.objects.create(
        created_at=now,
        next_attempt_at=now,
        workspace_id=recipient.workspace_id,
        recipient=recipient,
        requisition=requisition,
        kind=kind,
        channel=channel,
        destination=destination,
        subject=content.subject,
        text=content.text,
        html=content.html,
        links=[list(link) for link in content.links],
        attachments=[_attachment_entry(item) for item in attachments or []],
    )
    transaction.on_commit(lambda: _send_soon().enqueue(message.pk))
    return message


def _attachment_entry(item: Mapping[str, str | None]) -> dict[str, str]:
    path = item.get("path")
    if not path:
        raise ValueError(f"An attachment needs the name of its file in storage: {item!r}")
    filename = item.get("filename") or PurePosixPath(path).name
    mimetype = item.get("mimetype") or mimetypes.guess_type(filename)[0]
    return {
        "path": path,
        "filename": filename,
        "mimetype": mimetype or "application/octet-stream",
        "inline_id": item.get("inline_id") or "",
    }


def _read_attachments(message: Message) -> tuple[Attachment, ...]:
    files = []
    for item in message.attachments:
        try:
            with default_storage.open(item["path"], "rb") as file:
                content = file.read()
        except FileNotFoundError as error:
            # Gone for good: no retry brings it back, so fail now and say which file.
            raise DeliveryError(
                _("The attachment “%(filename)s” (%(path)s) is missing from storage.")
                % {"filename": item["filename"], "path": item["path"]},
                permanent=True,
            ) from error
        except OSError as error:  # storage unreachable: it may come back
            raise DeliveryError(
                _("Could not read the attachment “%(filename)s”: %(reason)s")
                % {"filename": item["filename"], "reason": error},
                permanent=False,
            ) from error
        files.append(
            Attachment(
                filename=item["filename"],
                mimetype=item["mimetype"],
                content=content,
                inline_id=item.get("inline_id", ""),
            )
        )
    return tuple(files)


def _send_soon() -> Any:
    """The send task ahead of slower work in the queue (a report's PDF), so a message leaves
    once it's made, where the backend orders by priority (the database one; RQ doesn't)."""
    if send_message.get_backend().supports_priority:
        return send_message.using(priority=SEND_PRIORITY)
    return send_message


def _outgoing(message: Message) -> Outgoing:
    address = {"email": "to_email", "chat": "webhook_url", "sms": "phone"}[message.channel]
    return Outgoing(
        key=str(message.public_id),
        subject=message.subject,
        text=message.text,
        html=message.html,
        links=tuple((str(label), str(url)) for label, url in message.links),
        to_name=message.recipient.user.display_name,
        # Only email carries files; chat and text messages carry the links.
        attachments=_read_attachments(message) if message.channel == "email" else (),
        **{address: message.destination},
    )


def _claim(pk: int, now: datetime) -> bool:
    lease = now - timedelta(seconds=settings.NUDGE_SEND_LEASE_SECONDS)
    claimable = Q(status__in=[MessageStatus.QUEUED, MessageStatus.RETRY], next_attempt_at__lte=now)
    abandoned = Q(status=MessageStatus.SENDING, claimed_at__lt=lease)
    updated = Message.objects.filter(claimable | abandoned, pk=pk).update(
        status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return updated == 1


def message_send(pk: int, now: datetime | None = None) -> str:
    """Send one message if it is due and nobody else holds it; return its status afterwards."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return "skipped"
    message = Message.objects.select_related("recipient__user").get(pk=pk)
    mine = Message.objects.filter(pk=pk, status=MessageStatus.SENDING, claimed_at=now)
    try:
        reference = deliver(message.channel, _outgoing(message))
    except DeliveryError as error:
        message.last_error = str(error)[:500]  # the fallback email says why
        if error.permanent or message.attempts >= MAX_ATTEMPTS:
            mine.update(status=MessageStatus.FAILED, last_error=message.last_error)
            _fall_back_to_email(message, now)
            return MessageStatus.FAILED
        mine.update(
            status=MessageStatus.RETRY,
            last_error=message.last_error,
            next_attempt_at=now + BACKOFF[message.attempts - 1],
        )
        return MessageStatus.RETRY
    mine.update(status=MessageStatus.SENT, sent_at=timezone.now(), provider_ref=reference[:200])
    return MessageStatus.SENT


def _fall_back_to_email(message: Message, now: datetime) -> None:
    """A chat or text message that can't be delivered goes by email instead, saying why."""
    if message.channel == "email" or not message.recipient.is_active:
        return
    Message.objects.create(
        workspace_id=message.workspace_id,
        recipient=message.recipient,
        requisition_id=message.requisition_id,
        kind=message.kind,
        channel="email",
        destination=message.recipient.user.email,
        subject=message.subject,
        text=message.text
        + "\n\n"
        + _("(Sent by email because your %(channel)s message could not be delivered: %(why)s)")
        % {"channel": message.get_channel_display(), "why": message.last_error or "?"},
        html=message.html,
        links=message.links,
        attachments=message.attachments,
        next_attempt_at=now,
    )


@task()
def send_message(message_id: int) -> str:
    return message_send(message_id)


# --- the dispatcher ------------------------------------------------------------------------------


@dataclass
class Dispatched:
    messages: int = 0
    nudges: int = 0
    held: int = 0  # nudges waiting for the person's agreed gap
    sent: int = 0


def _nudge_content(recipient: Member, nudges: list[Nudge], now: datetime) -> Rendered:
    from accord.nudges.links import action_link

    links = [action_link(nudge.commitment, recipient) for nudge in nudges]
    items = [
        {
            "nudge": nudge,
            "commitment": nudge.commitment,
            "overdue": nudge.commitment.due_at < now,
            "link": link,
        }
        for nudge, link in zip(nudges, links, strict=True)
    ]
    return render(
        "nudges/messages/nudge",
        {
            "recipient": recipient,
            "items": items,
            "now": now,
            "time_zone": time_zone_of(recipient),
            "links": links,
        },
    )


def _gap_passed(recipient: Member, preference: ContactPreference, now: datetime) -> bool:
    if not preference.min_gap_hours:
        return True
    since = now - timedelta(hours=preference.min_gap_hours)
    recent = Message.objects.filter(
        recipient=recipient,
        kind__in=[MessageKind.NUDGE, MessageKind.DIGEST],
        created_at__gt=since,
    )
    return not recent.exists()


def dispatch(now: datetime | None = None) -> Dispatched:
    """One round: due nudges become messages, then due and abandoned messages are sent."""
    now = now or timezone.now()
    result = Dispatched()
    done = Commitment.objects.filter(Q(done_at__isnull=False) | Q(cancelled_at__isnull=False))
    Nudge.objects.filter(status=NudgeStatus.PENDING, commitment__in=done).update(
        status=NudgeStatus.CANCELLED
    )
    due = (
        Nudge.objects.filter(status=NudgeStatus.PENDING, send_after__lte=now)
        .select_related(
            "recipient__user",
            "recipient__workspace",
            "recipient__contact",
            "commitment__requisition__workspace",
            "commitment__owner__user",
            "commitment__shortlist",
            "commitment__scorecard",
            "commitment__application__candidate",
        )
        .order_by("send_after", "pk")
    )
    by_recipient: dict[int, list[Nudge]] = defaultdict(list)
    for nudge in due:
        by_recipient[nudge.recipient_id].append(nudge)
    for nudges in by_recipient.values():
        recipient = nudges[0].recipient
        if not recipient.is_active:
            Nudge.objects.filter(pk__in=[n.pk for n in nudges]).update(status=NudgeStatus.CANCELLED)
            continue
        preference = contact_of(recipient)
        quiet = clock.is_quiet(now, time_zone_of(recipient), quiet_of(preference))
        if quiet or not _gap_passed(recipient, preference, now):
            result.held += len(nudges)  # until the quiet hours end or the agreed gap passes
            continue
        if _combine(recipient, nudges, now):
            result.messages += 1
            result.nudges += len(nudges)
    for pk in _sendable(now):
        if message_send(pk, now) == MessageStatus.SENT:
            result.sent += 1
    return result


@transaction.atomic
def _combine(recipient: Member, nudges: list[Nudge], now: datetime) -> bool:
    requisitions = {n.commitment.requisition_id for n in nudges}
    message = message_queue(
        recipient=recipient,
        kind=MessageKind.DIGEST if len(nudges) > 1 else MessageKind.NUDGE,
        content=_nudge_content(recipient, nudges, now),
        requisition=nudges[0].commitment.requisition if len(requisitions) == 1 else None,
        now=now,
    )
    pks = [n.pk for n in nudges]
    taken = Nudge.objects.filter(pk__in=pks, status=NudgeStatus.PENDING).update(
        status=NudgeStatus.SENT, message=message
    )
    if taken != len(pks):  # another dispatcher got some of them first: leave it all to it
        transaction.set_rollback(True)
        return False
    return True


def _sendable(now: datetime) -> list[int]:
    lease = now - timedelta(seconds=settings.NUDGE_SEND_LEASE_SECONDS)
    return list(
        Message.objects.filter(
            Q(status__in=[MessageStatus.QUEUED, MessageStatus.RETRY], next_attempt_at__lte=now)
            | Q(status=MessageStatus.SENDING, claimed_at__lt=lease)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
