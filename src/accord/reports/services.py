"""Writes for status reports: the recruiter's words, sending a report (now or on the manager's
schedule), and share links.

Sending stores the report at once (what was told, as of that moment); the worker then draws the
PDF and the charts and queues one message per recipient through the nudges delivery (retries,
fallback to email, exactly once).
"""

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accord.audit.services import apply_changes, audit_record
from accord.lib.conflicts import Conflict
from accord.lib.links import LinkProblem
from accord.nudges.models import Message, MessageKind
from accord.nudges.services import message_queue, render, route, time_zone_of
from accord.reports import render as forms_of
from accord.reports.figures import figures_for
from accord.reports.models import (
    NARRATIVE_LIMIT,
    NEXT_STEPS_LIMIT,
    Frequency,
    ReportNote,
    ReportSchedule,
    Scope,
    ShareLink,
    StatusReport,
)
from accord.reports.schedule import from_brief, latest_brief_of, next_slot
from accord.reports.selectors import (
    REPORTED_STATUSES,
    last_sent,
    managed_by,
    manager_period,
    requisition_period,
    rollup,
    schedule_of,
    with_people,
)
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_REPORTS, VIEW_REPORTS, require
from accord.workspaces.models import Member

SHARE_DAYS_DEFAULT = 14
# The recruiter is asked for this week's narrative this long before a scheduled report.
NARRATIVE_REMINDER = timedelta(hours=24)
SHARE_DAYS_MAX = 90
SHARE_SALT = "accord.reports.share"


# --- the recruiter's words -----------------------------------------------------------------------


@transaction.atomic
def note_save(
    *, actor: Member, requisition: Requisition, narrative: str, next_steps: str, revision: int
) -> ReportNote:
    """Save the narrative and next steps; someone else's newer save is a Conflict, not lost."""
    require(actor, MANAGE_REPORTS, requisition.workspace_id)
    narrative, next_steps = narrative.strip(), next_steps.strip()
    if len(narrative) > NARRATIVE_LIMIT or len(next_steps) > NEXT_STEPS_LIMIT:
        raise ValidationError(
            _(
                "Keep the narrative under %(narrative)d characters and the next steps under "
                "%(steps)d; a report is read on a phone."
            )
            % {"narrative": NARRATIVE_LIMIT, "steps": NEXT_STEPS_LIMIT}
        )
    note, _created = ReportNote.objects.select_for_update().get_or_create(requisition=requisition)
    if note.revision != revision:
        raise Conflict(note)
    changed = apply_changes(note, narrative=narrative, next_steps=next_steps)
    if not changed:
        return note
    note.revision += 1
    note.updated_by = actor
    note.updated_at = timezone.now()
    note.save()
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="report_note.updated",
        obj=requisition,
        changes=changed,
    )
    return note


# --- sending ---------------------------------------------------------------------------------


def _snapshot(
    requisition: Requisition,
    data: dict[str, Any],
    *,
    now: datetime,
    period: timedelta,
    sent_by: Member | None,
    manager: Member | None = None,
    rollup_of: StatusReport | None = None,
    slot: datetime | None = None,
) -> StatusReport:
    """A requisition's report as sent (unsaved: the caller creates it, alone or in bulk)."""
    note = getattr(requisition, "report_note", None)
    return StatusReport(
        workspace_id=requisition.workspace_id,
        scope=Scope.REQUISITION,
        requisition=requisition,
        manager=manager,
        rollup=rollup_of,
        period_start=now - period,
        period_end=now,
        data=data,
        narrative=note.narrative if note else "",
        next_steps=note.next_steps if note else "",
        sent_at=now,
        sent_by=sent_by,
        slot=slot,
    )


@transaction.atomic
def report_send(
    *, actor: Member, requisition: Requisition, now: datetime | None = None
) -> StatusReport:
    """Send the requisition's report, as it is now, to its hiring managers."""
    require(actor, MANAGE_REPORTS, requisition.workspace_id)
    now = now or timezone.now()
    managers = list(
        requisition.hiring_managers.active()
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    if not managers:
        raise ValidationError(
            _(
                "This requisition has no active hiring manager to send the report to. Add one on "
                "the requisition first."
            )
        )
    requisition = with_people(Requisition.objects.filter(pk=requisition.pk)).get()
    period = requisition_period(requisition)
    data = figures_for([requisition], now, period)[requisition.pk]
    report = _snapshot(requisition, data, now=now, period=period, sent_by=actor)
    report.save()
    report.recipients = [_recipient(m) for m in managers]
    report.save(update_fields=["recipients"])
    audit_record(actor=actor.user, workspace=actor.workspace, action="report.sent", obj=requisition)
    recipients = [m.pk for m in managers]
    transaction.on_commit(lambda: deliver_report.enqueue(report.pk, recipients))
    return report


@transaction.atomic
def rollup_send(
    *,
    actor: Member | None,
    manager: Member,
    now: datetime | None = None,
    slot: datetime | None = None,
) -> StatusReport | None:
    """Send a manager the roll-up of their running searches (a single search: its report).

    `actor` None is the schedule; with a `slot`, a second call for the same slot is a no-op
    (returns None), whoever makes it."""
    if actor is not None:
        require(actor, MANAGE_REPORTS, manager.workspace_id)
    now = now or timezone.now()
    requisitions = list(managed_by(manager))
    if not requisitions:
        if actor is not None:
            raise ValidationError(
                _("%(name)s has no running search to report on.")
                % {"name": manager.user.display_name}
            )
        return None
    schedule = schedule_of(manager)
    period = manager_period(manager)
    if schedule and schedule.frequency == Frequency.DAILY and slot is not None:
        # Monday's daily report covers the weekend since Friday's.
        local = slot.astimezone(ZoneInfo(schedule.time_zone or "UTC"))
        period = timedelta(days=3) if local.weekday() == 0 else period
    parts = figures_for(requisitions, now, period)
    try:
        with transaction.atomic():
            if len(requisitions) == 1:
                report = _snapshot(
                    requisitions[0],
                    parts[requisitions[0].pk],
                    now=now,
                    period=period,
                    sent_by=actor,
                    manager=manager,
                    slot=slot,
                )
                report.save()
            else:
                report = StatusReport.objects.create(
                    workspace_id=manager.workspace_id,
                    scope=Scope.MANAGER,
                    manager=manager,
                    period_start=now - period,
                    period_end=now,
                    data=rollup(manager, requisitions, parts, now, period),
                    sent_at=now,
                    sent_by=actor,
                    slot=slot,
                )
                StatusReport.objects.bulk_create(
                    _snapshot(
                        requisition,
                        parts[requisition.pk],
                        now=now,
                        period=period,
                        sent_by=actor,
                        manager=manager,
                        rollup_of=report,
                    )
                    for requisition in requisitions
                )
    except IntegrityError:
        if slot is None:
            raise
        return None  # this slot's report exists: another worker made it
    report.recipients = [_recipient(manager)]
    report.save(update_fields=["recipients"])
    audit_record(
        actor=actor.user if actor else None,
        workspace=manager.workspace,
        action="report.sent",
        obj=report,
        object_repr=_("Status report for %(name)s") % {"name": manager.user.display_name},
    )
    transaction.on_commit(lambda: deliver_report.enqueue(report.pk, [manager.pk]))
    return report


def _recipient(member: Member) -> dict[str, str]:
    channel, _destination = route(member)
    return {"name": member.user.display_name, "channel": channel}


# --- delivery (the worker) ----------------------------------------------------------------------


def report_deliver(report_pk: int, recipient_pks: list[int]) -> int:
    """Draw the report's PDF and charts, keep them, and queue one message per recipient.

    The drawing (a second or so) happens outside any transaction, so the database isn't held
    while WeasyPrint works; the claim on `delivered_at`, the files and the messages then land
    together, once: a task run twice sends nothing twice. Returns the messages queued."""
    report = StatusReport.objects.select_related("requisition", "manager__user", "workspace").get(
        pk=report_pk
    )
    if report.delivered_at is not None:
        return 0
    sections = forms_of.sections_of(report)
    context = {"report": report, "sections": sections, "rollup": _rollup_data(report)}
    pdf_path = default_storage.save(
        f"reports/{report.public_id}/{_pdf_name(report)}", ContentFile(forms_of.pdf_of(context))
    )
    attachments = [
        {
            "path": pdf_path,
            "filename": _pdf_name(report),
            "mimetype": "application/pdf",
            "inline_id": "",
        }
    ]
    images = []
    for index, section in enumerate(sections):
        shown = section.charts if len(sections) == 1 else section.charts[:1]
        for chart in shown:
            cid = f"{chart.name}-{index}.{report.public_id}@accord"
            path = default_storage.save(
                f"reports/{report.public_id}/{chart.name}-{index}.png",
                ContentFile(chart.chart.png()),
            )
            attachments.append(
                {
                    "path": path,
                    "filename": f"{chart.name}.png",
                    "mimetype": "image/png",
                    "inline_id": cid,
                }
            )
            images.append(
                {"chart": chart, "cid": cid, "requisition": section.data["requisition"]["title"]}
            )
    with transaction.atomic():
        claimed = StatusReport.objects.filter(pk=report_pk, delivered_at__isnull=True).update(
            delivered_at=timezone.now(), pdf=pdf_path
        )
        if not claimed:  # delivered meanwhile by another run: its files are the ones kept
            transaction.on_commit(lambda: _discard(attachments))
            return 0
        report.pdf.name = pdf_path
        recipients = (
            Member.objects.filter(pk__in=recipient_pks)
            .select_related("user", "workspace", "contact")
            .order_by("pk")
        )
        queued = 0
        for recipient in recipients:
            if not recipient.is_active:
                continue
            content = render(
                "reports/messages/report",
                {
                    **context,
                    "recipient": recipient,
                    "images": images,
                    "time_zone": time_zone_of(recipient),
                    "links": _links(report),
                },
            )
            message_queue(
                recipient=recipient,
                kind=MessageKind.REPORT,
                content=content,
                requisition=report.requisition,
                attachments=attachments,
            )
            queued += 1
        return queued


def _discard(attachments: list[dict[str, str]]) -> None:
    for attachment in attachments:
        default_storage.delete(attachment["path"])


@task
def deliver_report(report_pk: int, recipient_pks: list[int]) -> int:
    return report_deliver(report_pk, recipient_pks)


def _rollup_data(report: StatusReport) -> dict[str, Any] | None:
    return report.data if report.scope == Scope.MANAGER else None


def _pdf_name(report: StatusReport) -> str:
    subject = report.requisition.title if report.requisition else report.manager.user.display_name  # type: ignore[union-attr]
    return f"status-{slugify(subject)[:60]}-{timezone.localdate(report.sent_at):%Y-%m-%d}.pdf"


def _links(report: StatusReport) -> list[tuple[str, str]]:
    slug = report.workspace.slug
    links = [(_("Open the report"), forms_of.absolute("reports:snapshot", slug, report.public_id))]
    if report.requisition is not None:
        links.append(
            (
                _("See it live"),
                forms_of.absolute("reports:requisition", slug, report.requisition.public_id),
            )
        )
    return links


# --- erasure ---------------------------------------------------------------------------------


def candidate_forget(name: str, requisition_ids: list[int], replacement: str) -> int:
    """An erased candidate leaves the reports that named them: the name is replaced in the
    figures and in the report messages, and the PDFs as sent (which can't be edited) are
    deleted. Returns the reports changed."""
    if not name or not requisition_ids:
        return 0
    reports = StatusReport.objects.filter(
        Q(requisition__in=requisition_ids) | Q(parts__requisition__in=requisition_ids)
    ).distinct()
    changed = 0
    files: list[str] = []
    # The figures are stored as JSON (written without escaping non-ASCII letters), the messages
    # as text and HTML where the templates escaped it ("O&#x27;Brien").
    in_json = json.dumps(name, ensure_ascii=False)[1:-1]
    forms = {name, escape(name)}

    def forget(text: str) -> str:
        for form in forms:
            text = text.replace(form, replacement)
        return text

    for report in reports:
        text = json.dumps(report.data, ensure_ascii=False)
        if in_json not in text and not report.pdf:
            continue
        report.data = json.loads(
            text.replace(in_json, json.dumps(replacement, ensure_ascii=False)[1:-1])
        )
        if report.pdf.name:
            files.append(report.pdf.name)
        report.pdf.name = ""
        report.save(update_fields=["data", "pdf"])
        changed += 1
    for message in Message.objects.filter(
        kind=MessageKind.REPORT, requisition__in=requisition_ids
    ).only("pk", "text", "html"):
        text, html = forget(message.text), forget(message.html)
        if (text, html) != (message.text, message.html):
            Message.objects.filter(pk=message.pk).update(text=text, html=html)
    transaction.on_commit(lambda: _discard([{"path": f} for f in files]), robust=True)
    return changed


# --- schedules -----------------------------------------------------------------------------------


@transaction.atomic
def schedule_update(
    *,
    actor: Member,
    member: Member,
    frequency: str,
    weekday: int,
    at: Any,
    time_zone: str,
    now: datetime | None = None,
) -> ReportSchedule:
    """Change when `member` gets their report: the member themselves, or a recruiter for them."""
    require(actor, VIEW_REPORTS, member.workspace_id)
    if actor.pk != member.pk:
        require(actor, MANAGE_REPORTS, member.workspace_id)
    now = now or timezone.now()
    schedule = ReportSchedule.objects.select_for_update().filter(
        member=member
    ).first() or ReportSchedule(member=member)
    changed = apply_changes(
        schedule, frequency=frequency, weekday=weekday, at=at, time_zone=time_zone
    )
    if not changed and schedule.pk:
        return schedule  # the same rhythm: a fortnight keeps its week
    schedule.next_due_at = None  # a new rhythm starts from now
    schedule.next_due_at = next_slot(schedule, now)
    schedule.updated_by = actor
    schedule.updated_at = now
    if schedule.pk:
        schedule.save(update_fields=[*changed, "next_due_at", "updated_by", "updated_at"])
    else:
        schedule.save()
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="report_schedule.updated",
        obj=schedule,
        changes=changed,
        object_repr=_("Report schedule of %(name)s") % {"name": member.user.display_name},
    )
    return schedule


def schedules_ensure(now: datetime) -> int:
    """Give every manager with a running search a schedule, from their brief's communication
    agreement (weekly, Monday 09:00 in their time zone when it says nothing)."""
    missing = (
        Member.objects.active()
        .filter(
            requisitions_managed__status__in=REPORTED_STATUSES,
            report_schedule__isnull=True,
        )
        .distinct()
        .select_related("user", "workspace")
    )
    made = 0
    for member in missing:
        values = {"time_zone": time_zone_of(member), **from_brief(latest_brief_of(member))}
        schedule = ReportSchedule(member=member, updated_at=now, **values)
        schedule.next_due_at = next_slot(schedule, now)
        try:
            with transaction.atomic():
                schedule.save()
        except IntegrityError:
            continue  # made meanwhile by another round
        made += 1
    return made


def deliver_due(now: datetime | None = None) -> int:
    """One round of scheduled delivery: claim each due schedule (moving it to its next slot in
    the same conditional update, so one round wins) and queue its report. Returns the number
    queued."""
    now = now or timezone.now()
    schedules_ensure(now)
    narratives_remind(now)
    queued = 0
    due = ReportSchedule.objects.filter(next_due_at__lte=now).exclude(frequency=Frequency.OFF)
    for schedule in due.select_related("member"):
        slot = schedule.next_due_at
        assert slot is not None  # noqa: S101  # filtered on it
        following = next_slot(schedule, now)
        # The claim and the queued task commit together (the database task backend queues in
        # the same transaction): a round that dies between them leaves the slot due.
        with transaction.atomic():
            claimed = ReportSchedule.objects.filter(pk=schedule.pk, next_due_at=slot).update(
                next_due_at=following, last_sent_at=now
            )
            if claimed:
                send_scheduled.enqueue(schedule.member_id, slot.isoformat(), now.isoformat())
                queued += 1
    return queued


def narratives_remind(now: datetime) -> int:
    """A day before a scheduled report, ask each recruiter whose narrative hasn't changed since
    the last report sent to write this week's (once per slot). Returns the reminders queued."""
    soon = ReportSchedule.objects.filter(
        next_due_at__gt=now, next_due_at__lte=now + NARRATIVE_REMINDER
    ).exclude(frequency__in=[Frequency.OFF, Frequency.DAILY])
    queued = 0
    for schedule in soon.select_related("member__user", "member__workspace"):
        slot = schedule.next_due_at
        claimed = (
            ReportSchedule.objects.filter(pk=schedule.pk, next_due_at=slot)
            .exclude(reminded_for=slot)
            .update(reminded_for=slot)
        )
        if not claimed:
            continue
        stale: dict[Member, list[Requisition]] = {}
        for requisition in managed_by(schedule.member):
            previous = last_sent(requisition)
            note = getattr(requisition, "report_note", None)
            edited = note.updated_at if note is not None else None
            if previous is not None and (edited is None or edited <= previous.sent_at):
                stale.setdefault(requisition.recruiter, []).append(requisition)
        for recruiter, requisitions in stale.items():
            if not recruiter.is_active:
                continue
            with transaction.atomic():
                message_queue(
                    recipient=recruiter,
                    kind=MessageKind.NOTICE,
                    content=render(
                        "reports/messages/narrative",
                        {
                            "recipient": recruiter,
                            "manager": schedule.member,
                            "slot": slot,
                            "time_zone": time_zone_of(recruiter),
                            "links": [
                                (
                                    r.title,
                                    forms_of.absolute(
                                        "reports:requisition", r.workspace.slug, r.public_id
                                    ),
                                )
                                for r in requisitions
                            ],
                        },
                    ),
                    requisition=requisitions[0] if len(requisitions) == 1 else None,
                    now=now,
                )
            queued += 1
    return queued


@task
def send_scheduled(member_pk: int, slot: str, as_of: str) -> str:
    """The report of one due slot, as of the round that claimed it."""
    member = Member.objects.select_related("user", "workspace").get(pk=member_pk)
    if not member.is_active:
        return "inactive"
    report = rollup_send(
        actor=None,
        manager=member,
        now=datetime.fromisoformat(as_of),
        slot=datetime.fromisoformat(slot),
    )
    return str(report.public_id) if report else "nothing to send"


# --- share links ---------------------------------------------------------------------------------


def share_token(link: ShareLink) -> str:
    return signing.Signer(salt=SHARE_SALT).sign_object({"s": str(link.public_id)})


def share_url(link: ShareLink) -> str:
    return forms_of.absolute("reports:shared", share_token(link))


@transaction.atomic
def share_link_create(
    *,
    actor: Member,
    label: str,
    days: int = SHARE_DAYS_DEFAULT,
    requisition: Requisition | None = None,
    manager: Member | None = None,
    now: datetime | None = None,
) -> ShareLink:
    subject = requisition or manager
    require(actor, MANAGE_REPORTS, subject.workspace_id if subject else None)
    label = " ".join(label.split())
    if not label:
        raise ValidationError(
            _(
                "Say who the link is for (for example “Dana Ruiz, VP Engineering”), so you know "
                "which link to revoke later."
            )
        )
    if not 1 <= days <= SHARE_DAYS_MAX:
        raise ValidationError(_("A link can work for 1 to %(max)d days.") % {"max": SHARE_DAYS_MAX})
    now = now or timezone.now()
    link = ShareLink.objects.create(
        workspace_id=actor.workspace_id,
        requisition=requisition,
        manager=manager,
        label=label[:120],
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit_record(actor=actor.user, workspace=actor.workspace, action="share_link.created", obj=link)
    return link


@transaction.atomic
def share_link_revoke(*, actor: Member, link: ShareLink) -> bool:
    require(actor, MANAGE_REPORTS, link.workspace_id)
    revoked = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            actor=actor.user, workspace=actor.workspace, action="share_link.revoked", obj=link
        )
    return bool(revoked)


def share_link_open(token: str, now: datetime | None = None) -> ShareLink | LinkProblem:
    """The live share link a token names (counting the visit), or why it can't be used."""
    now = now or timezone.now()
    try:
        data = signing.Signer(salt=SHARE_SALT).unsign_object(token)
        link = ShareLink.objects.select_related("workspace", "requisition", "manager__user").get(
            public_id=data["s"]
        )
    except (signing.BadSignature, ShareLink.DoesNotExist, KeyError, TypeError, ValueError):
        return LinkProblem.broken(
            _(
                "It may have been copied incompletely. Ask the person who shared it for the "
                "whole link."
            )
        )
    if link.revoked_at is not None:
        return LinkProblem(
            _("This link was revoked"),
            _(
                "The recruiter stopped sharing this report. Ask them for a new link if you still "
                "need it."
            ),
        )
    if link.expires_at <= now:
        return LinkProblem(
            _("This link has expired"),
            _("Shared reports stay open for a limited time. Ask the recruiter for a new link."),
        )
    ShareLink.objects.filter(pk=link.pk).update(
        opened_count=F("opened_count") + 1, last_opened_at=now
    )
    return link
