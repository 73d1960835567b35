"""Sending the post-hire surveys: each goes to its manager when due, on the channel agreed with
them (their partnership's communication agreement, where it can reach them; else their own)
outside their quiet hours; unanswered ones are reminded a few working days later; the recruiting
team can send one now, or send its link again.

What is due is always read from the database (`Survey.due_at`, `next_reminder_at`), so a worker
that restarts loses nothing; a send claims its survey with a conditional update, in the same
transaction as the message it queues, so two workers never send it twice.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.models import AuditEntry
from accord.audit.services import audit_record
from accord.nudges import clock
from accord.nudges.models import Message, MessageKind
from accord.nudges.services import contact_of, message_queue, quiet_of, render, time_zone_of
from accord.partnerships import survey_links
from accord.partnerships.hire_selectors import is_on_requisition, survey_problem, survey_query
from accord.partnerships.hires import hire_policy_of, hire_repr
from accord.partnerships.models import HirePolicy, Survey
from accord.partnerships.selectors import agreed_channel
from accord.partnerships.survey_answers import asks_process
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_PARTNERSHIPS, require
from accord.workspaces.models import Member

SEND_BATCH = 200
RETRY_AFTER = timedelta(hours=1)  # a survey whose send failed waits this long to be tried again
RESEND_AFTER = timedelta(hours=1)  # the least time between two resends of one survey's link

logger = logging.getLogger(__name__)


def _manager_ids(requisition_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(requisition, member) pairs: who is a hiring manager of which role, in one query."""
    return set(
        Requisition.hiring_managers.through.objects.filter(
            requisition_id__in=set(requisition_ids)
        ).values_list("requisition_id", "member_id")
    )


def _next_reminder(
    survey: Survey, policy: HirePolicy, after: datetime, sent: int
) -> datetime | None:
    if sent >= policy.max_reminders:
        return None
    tz = time_zone_of(survey.manager)
    at = clock.add_business_days(after, policy.remind_after_days, tz)
    return clock.next_allowed(at, tz, quiet_of(contact_of(survey.manager)))


def _queue_message(survey: Survey, *, reminder: bool) -> Message:
    # The message is queued on the real clock whatever `now` the round was given: it leaves
    # at once (a round's `now` decides what is due, not when the channel may send). It goes on
    # the channel agreed with the manager where that can reach them, else on their own.
    hire = survey.hire
    requisition = hire.requisition
    url = survey_links.url_of(survey)
    content = render(
        "partnerships/messages/survey",
        {
            "survey": survey,
            "hire": hire,
            "requisition": requisition,
            "manager": survey.manager,
            "recruiter": requisition.recruiter.user,
            "url": url,
            "reminder": reminder,
            "first": asks_process(survey),
            "time_zone": time_zone_of(survey.manager),
            "links": [(_("Answer the survey"), url)],
        },
    )
    return message_queue(
        recipient=survey.manager,
        kind=MessageKind.SURVEY,
        content=content,
        requisition=requisition,
        agreed_channel=agreed_channel(survey.manager),
    )


def survey_send(survey_id: int, now: datetime, *, actor: Member | None = None) -> bool:
    """Send one survey unless it was sent, answered or cancelled meanwhile. The claim and the
    message commit together: a worker that dies in between leaves the survey to send again."""
    with transaction.atomic():
        # Only the survey's own columns: PostgreSQL re-reads them once a concurrent claim
        # commits, but a condition on a joined row would be answered from before it (the
        # update becomes `id IN (subquery)`) and both workers would send. A cancelled hire
        # cancels its open surveys, so `open()` covers it.
        claimed = (
            Survey.objects.open().filter(pk=survey_id, sent_at__isnull=True).update(sent_at=now)
        )
        if not claimed:
            return False
        survey = survey_query().get(pk=survey_id)
        policy = hire_policy_of(survey.workspace_id)
        survey.next_reminder_at = _next_reminder(survey, policy, now, 0)
        survey.save(update_fields=["next_reminder_at"])
        message = _queue_message(survey, reminder=False)
        audit_record(
            actor=actor.user if actor else None,
            workspace=survey.workspace,
            action="survey.sent",
            obj=survey,
            object_repr=hire_repr(survey.hire),
            changes={
                "manager": [None, survey.manager.display_name],
                "via": [None, message.channel],
            },
        )
    return True


def _remind(survey: Survey, now: datetime) -> bool:
    policy = hire_policy_of(survey.workspace_id)
    with transaction.atomic():
        if survey.reminders >= policy.max_reminders:
            Survey.objects.filter(pk=survey.pk).update(next_reminder_at=None)
            return False
        after = _next_reminder(survey, policy, now, survey.reminders + 1)
        claimed = (
            Survey.objects.open()
            .filter(
                pk=survey.pk, reminders=survey.reminders, next_reminder_at=survey.next_reminder_at
            )
            .update(reminders=F("reminders") + 1, next_reminder_at=after)
        )
        if not claimed:
            return False
        _queue_message(survey, reminder=True)
        audit_record(
            actor=None,
            workspace=survey.workspace,
            action="survey.reminded",
            obj=survey,
            object_repr=hire_repr(survey.hire),
            changes={"reminders": [survey.reminders, survey.reminders + 1]},
        )
    return True


def _cancel_unanswerable(survey: Survey, now: datetime, problem: str) -> None:
    """A survey whose manager can't answer it any more: an unsent one is cancelled, a sent one
    is no longer reminded (its link still works if they answer anyway)."""
    with transaction.atomic():
        if survey.sent_at is None:
            done = Survey.objects.open().filter(pk=survey.pk, sent_at__isnull=True)
            if not done.update(cancelled_at=now):
                return
            action = "survey.cancelled"
        else:
            done = Survey.objects.open().filter(pk=survey.pk, reminders=survey.reminders)
            if not done.update(next_reminder_at=None):
                return
            action = "survey.reminders_stopped"
        audit_record(
            actor=None,
            workspace=survey.workspace,
            action=action,
            obj=survey,
            object_repr=hire_repr(survey.hire),
            changes={"reason": [None, problem]},
        )


def _deliver_one(survey: Survey, now: datetime, managers: set[tuple[int, int]]) -> int:
    problem = survey_problem(survey, (survey.hire.requisition_id, survey.manager_id) in managers)
    if problem is not None:
        _cancel_unanswerable(survey, now, problem)
        return 0
    manager = survey.manager
    reminder = survey.sent_at is not None
    tz, quiet = time_zone_of(manager), quiet_of(contact_of(manager))
    if clock.is_quiet(now, tz, quiet):
        later = clock.next_allowed(now, tz, quiet)
        if reminder:
            Survey.objects.filter(pk=survey.pk, reminders=survey.reminders).update(
                next_reminder_at=later
            )
        else:
            Survey.objects.filter(pk=survey.pk, sent_at__isnull=True).update(due_at=later)
        return 0
    if reminder:
        return int(_remind(survey, now))
    return int(survey_send(survey.pk, now))


def _deliver_each(surveys: list[Survey], now: datetime) -> int:
    """Each survey on its own: one that fails (a template error, a contact or time zone that
    doesn't work) is logged and tried again an hour later, and doesn't stop the others."""
    managers = _manager_ids(s.hire.requisition_id for s in surveys)
    count = 0
    for survey in surveys:
        try:
            with transaction.atomic():  # a savepoint: the failure undoes only this survey's work
                count += _deliver_one(survey, now, managers)
        except Exception:
            logger.exception("post-hire survey %s: delivery failed, retried later", survey.pk)
            if survey.sent_at is None:
                Survey.objects.filter(pk=survey.pk, sent_at__isnull=True).update(
                    due_at=now + RETRY_AFTER
                )
            else:
                Survey.objects.filter(pk=survey.pk, reminders=survey.reminders).update(
                    next_reminder_at=now + RETRY_AFTER
                )
    return count


def surveys_deliver(now: datetime | None = None) -> int:
    """Send the surveys that are due and remind the unanswered ones; how many messages went.

    Safe to run from several workers at once and as often as wanted: each send and reminder
    claims its survey first. A survey or reminder that falls due while its manager is in quiet
    hours (the worker was down, or the manager changed their hours) waits for their next
    allowed moment. One whose manager left the role, the workspace or the permission to answer
    is cancelled (unsent) or no longer reminded (sent)."""
    now = now or timezone.now()
    due = list(
        survey_query()
        .open()
        .filter(sent_at__isnull=True, due_at__lte=now, hire__cancelled_at__isnull=True)
        .order_by("due_at", "pk")[:SEND_BATCH]
    )
    count = _deliver_each(due, now)
    reminders = list(
        survey_query()
        .open()
        .filter(
            sent_at__isnull=False,
            next_reminder_at__lte=now,
            hire__cancelled_at__isnull=True,
        )
        .order_by("next_reminder_at", "pk")[:SEND_BATCH]
    )
    return count + _deliver_each(reminders, now)


def _refuse_unanswerable(survey: Survey) -> None:
    problem = survey_problem(survey, is_on_requisition(survey))
    if problem is not None:
        raise ValidationError(_("This survey can’t be sent: %(problem)s") % {"problem": problem})


@transaction.atomic
def survey_send_now(*, actor: Member, survey: Survey) -> Survey:
    """The recruiter sends a scheduled survey now, whatever its due time."""
    require(actor, MANAGE_PARTNERSHIPS, survey.workspace_id)
    if not survey.is_open or survey.hire.cancelled_at is not None:
        raise ValidationError(_("This survey is answered or cancelled; there is nothing to send."))
    if survey.sent_at is not None:
        raise ValidationError(_("This survey was already sent. Resend the link instead."))
    _refuse_unanswerable(survey)
    if not survey_send(survey.pk, timezone.now(), actor=actor):
        raise ValidationError(_("This survey was sent meanwhile."))
    survey.refresh_from_db()
    return survey


def last_resent_at(survey: Survey) -> datetime | None:
    """When the recruiting team last resent the survey's link, or None."""
    return (
        AuditEntry.objects.filter(
            object_type=survey._meta.label_lower,
            object_id=str(survey.public_id),
            action="survey.link_resent",
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@transaction.atomic
def survey_resend(*, actor: Member, survey: Survey) -> Survey:
    """Send the link of a sent, unanswered survey again (it doesn't count as a reminder), at
    most once an hour: a manager who asks for it gets it, but isn't sent it over and over."""
    require(actor, MANAGE_PARTNERSHIPS, survey.workspace_id)
    now = timezone.now()  # the real clock, like the audit entries `last_resent_at` reads
    # Locked: two clicks at once would both see the last resend an hour ago and both send.
    fresh = survey_query().select_for_update(of=("self",)).get(pk=survey.pk)
    if not fresh.is_open or fresh.hire.cancelled_at is not None:
        raise ValidationError(_("This survey is answered or cancelled; there is nothing to send."))
    if fresh.sent_at is None:
        raise ValidationError(_("This survey isn’t sent yet. Send it now instead."))
    _refuse_unanswerable(fresh)
    last = last_resent_at(fresh)
    if last is not None and now < last + RESEND_AFTER:
        at = timezone.localtime(last + RESEND_AFTER, ZoneInfo(time_zone_of(actor)))
        raise ValidationError(
            _(
                "The link was resent to %(name)s less than an hour ago. You can resend it "
                "from %(time)s (%(zone)s)."
            )
            % {
                "name": fresh.manager.display_name,
                "time": at.strftime("%H:%M"),
                "zone": time_zone_of(actor),
            }
        )
    _queue_message(fresh, reminder=True)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="survey.link_resent",
        obj=fresh,
        object_repr=hire_repr(fresh.hire),
        changes={"manager": [None, fresh.manager.display_name]},
    )
    return fresh
