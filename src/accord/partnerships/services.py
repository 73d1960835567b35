"""Writes of the partnership memory: the manager's profile, touchpoints and check-ins, lessons
(and carrying them into an intake), and the check-in reminders the worker sends.

A partnership row is made on its first write (`_ensure`), never on a read.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.services import Changes, apply_changes, audit_record
from accord.briefs import services as briefs
from accord.briefs.models import BriefVersion, Channel, Frequency
from accord.briefs.sections import QUESTIONS, TEXT_LIMIT
from accord.lib.conflicts import Conflict
from accord.nudges import clock
from accord.nudges.models import MessageKind
from accord.nudges.services import contact_of, message_queue, quiet_of, render, time_zone_of
from accord.partnerships.models import (
    CONTACT_KINDS,
    LESSON_LIMIT,
    SUMMARY_LIMIT,
    Cadence,
    Lesson,
    LessonSource,
    LessonUse,
    Partnership,
    Touchpoint,
    TouchpointKind,
)
from accord.partnerships.models import (
    TEXT_LIMIT as PROFILE_LIMIT,
)
from accord.partnerships.selectors import (
    AGREEMENT_FIELDS,
    agreement_of,
    is_manager,
    latest_signed_brief,
    reminder_recipient,
    target_of,
)
from accord.requisitions.models import ACTIVE_STATUSES, Requisition
from accord.workspaces.access import MANAGE_PARTNERSHIPS, require
from accord.workspaces.models import Member, Role

# The brief answers a lesson can be carried into: the free-text ones. "" is general, carried
# into the process notes (selectors.target_of).
LESSON_FIELDS = (
    "team_context",
    "business_goals",
    "past_misstep",
    "who_thrives",
    "who_struggled",
    "selling_points",
    "deal_breakers",
    "process_notes",
    "ideal_persona",
)
# How far back a touchpoint may be dated, and forward a check-in planned.
PAST_LIMIT = timedelta(days=5 * 366)
FUTURE_LIMIT = timedelta(days=2 * 366)

logger = logging.getLogger(__name__)


def _require_manager(actor: Member, manager: Member) -> None:
    require(actor, MANAGE_PARTNERSHIPS, manager.workspace_id)
    if manager.pk == actor.pk:
        raise ValidationError(_("The team’s notes about you are not shown to you."))
    if not is_manager(manager):
        raise ValidationError(_("%(name)s is not a hiring manager.") % {"name": manager.user})


def _ensure(actor: Member, manager: Member) -> Partnership:
    """The manager's partnership, locked for this change; made on the first write, kept by the
    person who first wrote it (unless a recruiter is named later)."""
    found = Partnership.objects.select_for_update().filter(manager=manager).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Partnership.objects.create(
                workspace_id=manager.workspace_id,
                manager=manager,
                recruiter=actor if actor.role == Role.RECRUITER else None,
                updated_by=actor,
            )
    except IntegrityError:  # made meanwhile by someone else's first write
        return Partnership.objects.select_for_update().get(manager=manager)


def _today(member: Member) -> date:
    return timezone.localdate(timezone.now(), ZoneInfo(time_zone_of(member)))


# --- the profile ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileInput:
    team: str
    business_goals: str
    challenges: str
    team_dynamics: str
    update_channel: str
    update_frequency: str
    best_times: str
    update_time_zone: str
    checkin_every: int
    next_checkin_on: date | None
    recruiter: Member | None


def _clean_profile(actor: Member, manager: Member, data: ProfileInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "team": " ".join(data.team.split()),
        "business_goals": data.business_goals.strip(),
        "challenges": data.challenges.strip(),
        "team_dynamics": data.team_dynamics.strip(),
        "update_channel": data.update_channel,
        "update_frequency": data.update_frequency,
        "best_times": " ".join(data.best_times.split()),
        "update_time_zone": data.update_time_zone,
        "checkin_every": data.checkin_every,
        "next_checkin_on": data.next_checkin_on,
        "recruiter": data.recruiter,
    }
    if len(values["team"]) > 120:  # the column's length
        errors["team"] = [_("Keep the team’s name under 120 characters.")]
    for name in ("business_goals", "challenges", "team_dynamics"):
        if len(values[name]) > PROFILE_LIMIT:
            errors[name] = [_("Keep this under %(n)d characters.") % {"n": PROFILE_LIMIT}]
    if values["update_channel"] not in ("", *Channel.values):
        errors["update_channel"] = [_("Choose one of the listed channels.")]
    if values["update_frequency"] not in ("", *Frequency.values):
        errors["update_frequency"] = [_("Choose one of the listed frequencies.")]
    if values["checkin_every"] not in Cadence.values:
        errors["checkin_every"] = [_("Choose how often to check in from the list.")]
    next_on = values["next_checkin_on"]
    today = _today(actor)
    if next_on is not None and not today - PAST_LIMIT <= next_on <= today + FUTURE_LIMIT:
        errors["next_checkin_on"] = [_("Plan the next check-in within the next two years.")]
    recruiter = values["recruiter"]
    if recruiter is not None and (
        recruiter.workspace_id != actor.workspace_id
        or recruiter.role not in (Role.RECRUITER, Role.ADMIN)
        or not recruiter.is_active
    ):
        errors["recruiter"] = [_("Choose an active recruiter of this workspace.")]
    elif recruiter is not None and recruiter.pk == manager.pk:
        errors["recruiter"] = [_("Choose a recruiter other than the manager.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def partnership_save(
    *, actor: Member, manager: Member, data: ProfileInput, revision: int
) -> Partnership:
    """Save the manager's profile, communication agreement and check-in plan.

    `revision` is the one the person's page showed: a newer save by someone else is a Conflict,
    not overwritten. The agreement stays the latest signed intake's until it differs from it."""
    _require_manager(actor, manager)
    values = _clean_profile(actor, manager, data)
    partnership = _ensure(actor, manager)
    if partnership.revision != revision:
        raise Conflict(partnership)
    shown = agreement_of(partnership, latest_signed_brief(manager)).values()
    agreement = {name: values.pop(name) for name in AGREEMENT_FIELDS}
    now = timezone.now()
    changed = apply_changes(partnership, **values)
    if agreement != shown or partnership.agreement_edited_at is not None:
        agreement_changed = apply_changes(partnership, **agreement)
        if agreement_changed and partnership.agreement_edited_at is None:
            partnership.agreement_edited_at = now
            changed["agreement_edited_at"] = [None, now.isoformat()]
        changed.update(agreement_changed)
    if changed.keys() & {"checkin_every", "next_checkin_on", "recruiter"}:
        partnership.checkin_reminded_for = None
    if not changed:
        return partnership
    partnership.revision += 1
    partnership.updated_at = now
    partnership.updated_by = actor
    partnership.save()
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="partnership.updated",
        obj=partnership,
        changes={k: [_short(v[0]), _short(v[1])] for k, v in changed.items()},
        about_id=partnership.manager_id,
    )
    return partnership


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 200:  # the log stays readable
        return value[:199] + "…"
    return value


# --- touchpoints and check-ins ---------------------------------------------------------------


@dataclass(frozen=True)
class TouchpointInput:
    kind: str
    occurred_on: date | None
    summary: str
    next_step: str = ""
    next_step_on: date | None = None
    requisition: Requisition | None = None


def _clean_touchpoint(
    actor: Member,
    manager: Member,
    data: TouchpointInput,
    current: Touchpoint | None = None,
) -> tuple[str, str]:
    """The summary and next step as kept; refuses what can't be. A correction (`current`)
    re-checks the date's range and the role only when they change, so an old touchpoint's
    summary can be fixed after five years, or once the manager has left that role."""
    errors: dict[str, list[str]] = {}
    summary = data.summary.strip()
    next_step = " ".join(data.next_step.split())
    today = _today(actor)
    if data.kind not in TouchpointKind.values:
        errors["kind"] = [_("Choose meeting, call, message or note.")]
    if data.occurred_on is None:
        errors["occurred_on"] = [_("Enter the date it happened, like 2026-03-01.")]
    elif current is not None and data.occurred_on == current.occurred_on:
        pass
    elif data.occurred_on > today:
        errors["occurred_on"] = [_("That date is in the future; log what has happened.")]
    elif data.occurred_on < today - PAST_LIMIT:
        errors["occurred_on"] = [_("That date is more than five years ago.")]
    if not summary:
        errors["summary"] = [_("Say in a sentence or two what was discussed or noted.")]
    elif len(summary) > SUMMARY_LIMIT:
        errors["summary"] = [_("Keep the summary under %(n)d characters.") % {"n": SUMMARY_LIMIT}]
    if len(next_step) > 300:  # the column's length
        errors["next_step"] = [_("Keep the next step under 300 characters.")]
    if data.next_step_on is not None and not next_step:
        errors["next_step"] = [_("Say what the next step is, or clear its date.")]
    if data.next_step_on is not None and data.occurred_on and data.next_step_on < data.occurred_on:
        errors["next_step_on"] = [_("The next step can’t be due before the touchpoint.")]
    requisition = data.requisition
    unchanged = current is not None and requisition == current.requisition
    if (
        requisition is not None
        and not unchanged
        and (
            requisition.workspace_id != manager.workspace_id
            or not requisition.hiring_managers.filter(pk=manager.pk).exists()
        )
    ):
        errors["requisition"] = [_("Choose one of this manager’s requisitions.")]
    if errors:
        raise ValidationError(errors)
    return summary, next_step


def _touchpoint_repr(touchpoint: Touchpoint, manager: Member) -> str:
    return _("%(kind)s with %(name)s on %(date)s") % {
        "kind": touchpoint.get_kind_display(),
        "name": manager.user.display_name,
        "date": touchpoint.occurred_on.isoformat(),
    }


def _audit_touchpoint(
    actor: Member, action: str, touchpoint: Touchpoint, manager: Member, changes: Changes
) -> None:
    """The log's entry about a touchpoint: named by its kind, manager and date (not its words),
    and hidden from the manager it is about."""
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action=action,
        obj=touchpoint,
        changes=changes,
        object_repr=_touchpoint_repr(touchpoint, manager),
        about_id=manager.pk,
    )


@transaction.atomic
def touchpoint_log(*, actor: Member, manager: Member, data: TouchpointInput) -> Touchpoint:
    """Record a meeting, call, message or note. Contact with the manager is a check-in: the
    next one is planned a cadence after it (when it is the latest contact)."""
    _require_manager(actor, manager)
    summary, next_step = _clean_touchpoint(actor, manager, data)
    assert data.occurred_on is not None  # noqa: S101  # checked above
    partnership = _ensure(actor, manager)
    touchpoint = Touchpoint.objects.create(
        partnership=partnership,
        kind=data.kind,
        occurred_on=data.occurred_on,
        summary=summary,
        next_step=next_step,
        next_step_on=data.next_step_on,
        requisition=data.requisition,
        author=actor,
    )
    changes: dict[str, list[Any]] = {"kind": [None, data.kind]}
    if data.kind in CONTACT_KINDS and partnership.checkin_every != Cadence.OFF:
        later = (
            partnership.touchpoints.filter(kind__in=CONTACT_KINDS, occurred_on__gt=data.occurred_on)
            .exclude(pk=touchpoint.pk)
            .exists()
        )
        following = data.occurred_on + timedelta(days=partnership.checkin_every)
        if not later and partnership.next_checkin_on != following:
            changes.update(_plan_checkin(actor, partnership, following))
    _audit_touchpoint(actor, "touchpoint.logged", touchpoint, manager, changes)
    return touchpoint


def _plan_checkin(
    actor: Member, partnership: Partnership, day: date | None
) -> dict[str, list[Any]]:
    """Move the next check-in to `day` (a new date is reminded of afresh); the change, for the
    audit entry. Any profile form open elsewhere is now stale: the revision moves."""
    if partnership.next_checkin_on == day:
        return {}
    change = [
        partnership.next_checkin_on and partnership.next_checkin_on.isoformat(),
        day and day.isoformat(),
    ]
    partnership.next_checkin_on = day
    partnership.checkin_reminded_for = None
    partnership.revision += 1
    partnership.updated_at = timezone.now()
    partnership.updated_by = actor
    partnership.save(
        update_fields=[
            "next_checkin_on",
            "checkin_reminded_for",
            "revision",
            "updated_at",
            "updated_by",
        ]
    )
    return {"next_checkin_on": change}


def _latest_contact(partnership: Partnership) -> date | None:
    found: date | None = partnership.touchpoints.filter(kind__in=CONTACT_KINDS).aggregate(
        latest=Max("occurred_on")
    )["latest"]
    return found


def _replan_checkin(
    actor: Member, partnership: Partnership, before: date | None
) -> dict[str, list[Any]]:
    """After a check-in was corrected or deleted: the next one follows the latest contact that
    is left (`before` was the latest one before the change), a cadence after it; with no contact
    left, none is planned. A date set by hand on the profile stays while the latest contact
    does."""
    if partnership.checkin_every == Cadence.OFF:
        return {}
    after = _latest_contact(partnership)
    if after == before:
        return {}
    following = after + timedelta(days=partnership.checkin_every) if after else None
    return _plan_checkin(actor, partnership, following)


def _locked(touchpoint: Touchpoint) -> tuple[Partnership, Touchpoint]:
    """The touchpoint's partnership and the touchpoint as saved now, locked in that order (as
    touchpoint_log locks the partnership), so corrections, deletions and new touchpoints of one
    partnership take turns."""
    partnership = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("manager__user")
        .get(pk=touchpoint.partnership_id)
    )
    current = Touchpoint.objects.select_for_update().filter(pk=touchpoint.pk).first()
    if current is None:
        raise ValidationError(_("Someone deleted this touchpoint meanwhile."))
    return partnership, current


def _require_team(actor: Member, partnership: Partnership) -> None:
    require(actor, MANAGE_PARTNERSHIPS, partnership.workspace_id)
    if partnership.manager_id == actor.pk:
        raise ValidationError(_("The team’s notes about you are not shown to you."))


@transaction.atomic
def touchpoint_update(
    *, actor: Member, touchpoint: Touchpoint, data: TouchpointInput, revision: int
) -> Touchpoint:
    """Correct a touchpoint. `revision` is the one the person's form showed: a newer save by
    someone else is a Conflict (with the touchpoint as saved), not overwritten. When a check-in
    moves, changes kind or stops being one, the next check-in follows the latest contact."""
    partnership, current = _locked(touchpoint)
    _require_team(actor, partnership)
    manager = partnership.manager
    summary, next_step = _clean_touchpoint(actor, manager, data, current)
    if current.revision != revision:
        raise Conflict(current)
    before = _latest_contact(partnership)
    was_contact = current.kind in CONTACT_KINDS
    changed = apply_changes(
        current,
        kind=data.kind,
        occurred_on=data.occurred_on,
        summary=summary,
        next_step=next_step,
        next_step_on=data.next_step_on,
        requisition=data.requisition,
    )
    if not changed:
        return current
    current.revision += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save(update_fields=[*changed, "revision", "updated_at", "updated_by"])
    changes = {name: [_short(old), _short(new)] for name, (old, new) in changed.items()}
    if was_contact or current.kind in CONTACT_KINDS:
        changes.update(_replan_checkin(actor, partnership, before))
    _audit_touchpoint(actor, "touchpoint.updated", current, manager, changes)
    return current


@transaction.atomic
def touchpoint_delete(*, actor: Member, touchpoint: Touchpoint, revision: int) -> None:
    """Delete a touchpoint. `revision` is the one the person saw: one corrected since by someone
    else is a Conflict (with the touchpoint as saved), not deleted unseen. The lessons kept from
    it stay (offered at intakes as before), no longer pointing at it. A deleted check-in hands
    the next check-in to the latest contact left."""
    partnership, current = _locked(touchpoint)
    _require_team(actor, partnership)
    if current.revision != revision:
        raise Conflict(current)
    before = _latest_contact(partnership)
    lessons = current.lessons.count()
    changes: dict[str, list[Any]] = {
        "kind": [current.kind, None],
        "occurred_on": [current.occurred_on.isoformat(), None],
        "summary": [_short(current.summary), None],
    }
    if lessons:
        changes["lessons_kept"] = [None, lessons]
    current.delete()  # its lessons stay: Lesson.touchpoint is SET_NULL
    if current.kind in CONTACT_KINDS:
        changes.update(_replan_checkin(actor, partnership, before))
    _audit_touchpoint(actor, "touchpoint.deleted", current, partnership.manager, changes)


def checkins_remind(now: datetime | None = None) -> int:
    """Remind recruiters of the check-ins due today (in their own time zone): one message per
    partnership and due date, held while the recruiter's quiet hours last, whether or not the
    manager has a role open. Safe to run twice at once: each reminder claims its partnership's
    due date with a conditional update. A partnership nobody can be reminded of has its date
    claimed all the same (it is not looked at again until the date or the recruiter changes;
    its profile says nobody is reminded). One reminder failing doesn't hold up the others.
    Returns the reminders queued."""
    now = now or timezone.now()
    # Anyone's "today" is at most a day ahead of UTC's.
    horizon = (now + timedelta(days=1)).date()
    due = (
        Partnership.objects.checkins_due(horizon)
        .filter(manager__is_active=True)
        .exclude(checkin_reminded_for=F("next_checkin_on"))
        .select_related(
            "manager__user",
            "manager__workspace",
            "recruiter__user",
            "recruiter__workspace",
            "recruiter__contact",
        )
        .order_by("next_checkin_on", "pk")
    )
    queued = 0
    for partnership in due:
        try:
            with transaction.atomic():
                queued += _remind(partnership, now)
        except Exception:
            logger.exception("Check-in reminder for partnership %s failed", partnership.pk)
    return queued


def _claim(partnership: Partnership, day: date) -> bool:
    return bool(
        Partnership.objects.filter(pk=partnership.pk, next_checkin_on=day)
        .exclude(checkin_reminded_for=day)
        .update(checkin_reminded_for=day)
    )


def _remind(partnership: Partnership, now: datetime) -> int:
    """Queue one partnership's check-in reminder if it is due now; returns 1 if queued."""
    day = partnership.next_checkin_on
    if day is None or partnership.checkin_reminded_for == day:
        return 0
    recruiter = reminder_recipient(partnership)
    if recruiter is None:
        if day <= timezone.localdate(now, partnership.manager.workspace.zone):
            _claim(partnership, day)  # nobody to remind: not scanned again for this date
        return 0
    zone = time_zone_of(recruiter)
    today = timezone.localdate(now, ZoneInfo(zone))
    if day > today:
        return 0
    if clock.is_quiet(now, zone, quiet_of(contact_of(recruiter))):
        return 0  # held until the recruiter's quiet hours end
    if not _claim(partnership, day):
        return 0  # reminded meanwhile by another round, or the date moved
    message_queue(
        recipient=recruiter,
        kind=MessageKind.CHECKIN,
        content=_checkin_content(
            partnership,
            recruiter,
            day,
            overdue=day < today,
        ),
        now=now,
    )
    return 1


def _checkin_content(
    partnership: Partnership, recruiter: Member, day: date, *, overdue: bool
) -> Any:
    manager = partnership.manager
    url = settings.SITE_URL + reverse(
        "partnerships:profile", args=[manager.workspace.slug, manager.public_id]
    )
    last = partnership.touchpoints.order_by("-occurred_on", "-created_at", "-pk").first()
    return render(
        "partnerships/messages/checkin",
        {
            "recipient": recruiter,
            "manager": manager,
            "partnership": partnership,
            "day": day,
            "overdue": overdue,
            "last": last,
            "open_count": Requisition.objects.filter(
                hiring_managers=manager, status__in=ACTIVE_STATUSES
            ).count(),
            "links": [(_("Open %(name)s’s profile") % {"name": manager.user.display_name}, url)],
        },
    )


# --- lessons ---------------------------------------------------------------------------------


def _clean_lesson(text: str, applies_to: str) -> str:
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        errors["text"] = [_("Write the lesson: what to do differently next time.")]
    elif len(text) > LESSON_LIMIT:
        errors["text"] = [_("Keep a lesson under %(n)d characters.") % {"n": LESSON_LIMIT}]
    if applies_to not in ("", *LESSON_FIELDS):
        errors["applies_to"] = [_("Choose which part of the brief it applies to.")]
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def lesson_add(
    *,
    actor: Member,
    manager: Member,
    text: str,
    applies_to: str = "",
    touchpoint: Touchpoint | None = None,
    requisition: Requisition | None = None,
) -> Lesson:
    """A lesson learned with this manager, by hand or from a touchpoint."""
    _require_manager(actor, manager)
    text = _clean_lesson(text, applies_to)
    partnership = _ensure(actor, manager)
    if touchpoint is not None and touchpoint.partnership_id != partnership.pk:
        raise ValidationError(_("That touchpoint belongs to another manager."))
    lesson = Lesson.objects.create(
        partnership=partnership,
        text=text,
        applies_to=applies_to,
        source=LessonSource.TOUCHPOINT if touchpoint is not None else LessonSource.NOTE,
        touchpoint=touchpoint,
        requisition=requisition or (touchpoint.requisition if touchpoint else None),
        author=actor,
    )
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="lesson.added",
        obj=lesson,
        changes={"applies_to": [None, applies_to or "general"]},
        about_id=partnership.manager_id,
    )
    return lesson


@transaction.atomic
def lesson_retire(*, actor: Member, lesson: Lesson, retired: bool = True) -> Lesson:
    """Retire a lesson (no longer offered at intakes) or, with `retired=False`, restore it."""
    require(actor, MANAGE_PARTNERSHIPS, lesson.partnership.workspace_id)
    if lesson.partnership.manager_id == actor.pk:
        raise ValidationError(_("The team’s notes about you are not shown to you."))
    when = timezone.now() if retired else None
    updated = Lesson.objects.filter(pk=lesson.pk, retired_at__isnull=retired).update(
        retired_at=when
    )
    lesson.refresh_from_db(fields=["retired_at"])
    if updated:
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="lesson.retired" if retired else "lesson.restored",
            obj=lesson,
            about_id=lesson.partnership.manager_id,
        )
    return lesson


@transaction.atomic
def lesson_carry(
    *, actor: Member, lesson: Lesson, version: BriefVersion, text: str | None = None
) -> bool:
    """Append the lesson to its answer in the draft `version`, through the intake's own save (so
    revisions, edit marks and signatures stay right), and record that it was carried. Carrying
    it again does nothing; returns whether it was carried now.

    The brief is the manager's to read and sign: `text` is the wording the recruiter chose to
    put there (the lesson's own when None); a lesson is the team's private note."""
    require(actor, MANAGE_PARTNERSHIPS, version.requisition.workspace_id)
    if lesson.partnership.workspace_id != actor.workspace_id:
        raise ValidationError(_("That lesson belongs to another workspace."))
    if lesson.retired_at is not None:
        raise ValidationError(_("This lesson is retired. Restore it on the profile first."))
    if lesson.partnership.manager_id == actor.pk:
        raise ValidationError(_("Lessons about you are not offered to you."))
    requisition = version.requisition
    if not requisition.hiring_managers.filter(pk=lesson.partnership.manager_id).exists():
        raise ValidationError(_("This lesson is about a manager of another requisition."))
    carried = lesson.text if text is None else text.strip()
    if not carried:
        raise ValidationError(
            {"text": [_("Write what goes into the brief, or leave this lesson out.")]}
        )
    if len(carried) > LESSON_LIMIT:
        raise ValidationError(
            {
                "text": [
                    _("Keep what goes into the brief under %(n)d characters.") % {"n": LESSON_LIMIT}
                ]
            }
        )
    # Lock the draft first: the answer read here is the one the save compares with.
    locked = BriefVersion.objects.select_for_update().get(pk=version.pk)
    if LessonUse.objects.filter(lesson=lesson, version=locked).exists():
        return False
    name = target_of(lesson)
    current = briefs.as_text(getattr(locked, name))
    value = carried if not current.strip() else current.rstrip() + "\n\n" + carried
    if len(value) > TEXT_LIMIT:
        raise ValidationError(
            _(
                "“%(label)s” would be longer than %(n)d characters with this lesson. Shorten the "
                "answer first."
            )
            % {"label": QUESTIONS[name].label, "n": TEXT_LIMIT}
        )
    locked.requisition = requisition
    briefs.brief_save_answers(
        actor=actor, version=locked, values={name: value}, bases={name: current}
    )
    LessonUse.objects.create(lesson=lesson, version=locked, carried_by=actor)
    changes: dict[str, list[Any]] = {
        "into": [None, f"{requisition.title} v{locked.number} · {name}"]
    }
    if carried != lesson.text:
        changes["reworded"] = [None, _short(carried)]
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="lesson.carried",
        obj=lesson,
        changes=changes,
        about_id=lesson.partnership.manager_id,
    )
    return True
