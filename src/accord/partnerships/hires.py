"""Hires and the surveys planned for them: a hire is recorded when an application reaches a hired
stage (cancelled when it leaves it, restored when it comes back), and each of the role's managers
is asked about it some days after the start date and at later checkpoints, on the workspace's
policy in force when the hire was recorded; a manager added to the role later is asked at the
checkpoints still ahead. The surveys are sent by `survey_delivery` and answered through
`survey_answers`.

The start date a hire gets before the recruiter sets the real one: the brief's target start when
that is after the hire date, else two weeks after the hire date (a usual notice period).
"""

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.models import AuditEntry
from accord.audit.services import audit_record, audit_record_many
from accord.briefs.models import BriefVersion
from accord.briefs.selectors import in_force
from accord.lib.conflicts import Conflict
from accord.nudges import clock
from accord.nudges.services import contact_of, quiet_of, time_zone_of
from accord.partnerships.models import Hire, HirePolicy, Survey
from accord.pipeline.models import Application, Category, Stage
from accord.requisitions.models import Requisition
from accord.workspaces.access import ANSWER_SURVEYS, MANAGE_PARTNERSHIPS, require
from accord.workspaces.models import Member, Workspace

DEFAULT_NOTICE = timedelta(days=14)
SURVEY_TIME = time(9, 0)  # the manager's local time a survey is due
START_WINDOW = timedelta(days=366)  # how far after the hire date a start date may be
CHECKPOINT_MAX = 730
CHECKPOINTS_MAX = 6


# --- policy ------------------------------------------------------------------------------------


def hire_policy_of(workspace: Workspace | int) -> HirePolicy:
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    policy, _created = HirePolicy.objects.get_or_create(workspace_id=workspace_id)
    return policy


def hire_policy_read(workspace: Workspace) -> HirePolicy:
    """The workspace's policy, or the default one unsaved (reading a page writes nothing)."""
    found = HirePolicy.objects.filter(workspace=workspace).first()
    return found or HirePolicy(workspace=workspace)


def checkpoints_of(policy: HirePolicy) -> list[int]:
    """The days after the start date at which managers are asked: the first, then the later."""
    later = sorted({int(d) for d in policy.checkpoints or [] if int(d) > policy.first_after_days})
    return [policy.first_after_days, *later]


def parse_checkpoints(raw: str) -> list[int]:
    """'30, 60, 90' → [30, 60, 90], or a ValidationError that says what to type."""
    days: list[int] = []
    for part in raw.replace(";", ",").split(","):
        word = part.strip().removesuffix("days").removesuffix("d").strip()
        if not word:
            continue
        if not word.isdecimal():
            raise ValidationError(
                _("“%(part)s” isn’t a number of days. Type days after the start, like 30, 60, 90.")
                % {"part": part.strip()}
            )
        value = int(word)
        if not 1 <= value <= CHECKPOINT_MAX:
            raise ValidationError(
                _("Checkpoints are between 1 and %(max)s days after the start; %(value)s isn’t.")
                % {"max": CHECKPOINT_MAX, "value": value}
            )
        days.append(value)
    days = sorted(set(days))
    if len(days) > CHECKPOINTS_MAX:
        raise ValidationError(
            _("Ask at most %(n)s later checkpoints: managers stop answering beyond that.")
            % {"n": CHECKPOINTS_MAX}
        )
    return days


@transaction.atomic
def hire_policy_update(
    *,
    actor: Member,
    first_after_days: int,
    checkpoints: list[int],
    remind_after_days: int,
    max_reminders: int,
) -> HirePolicy:
    """Change when managers are asked; it applies to hires recorded from now on."""
    require(actor, MANAGE_PARTNERSHIPS, actor.workspace_id)
    if not 1 <= first_after_days <= 365:
        raise ValidationError(_("Ask first between 1 and 365 days after the start date."))
    if any(d <= first_after_days for d in checkpoints):
        raise ValidationError(
            _("Later checkpoints come after the first survey (day %(first)s).")
            % {"first": first_after_days}
        )
    if not 1 <= remind_after_days <= 30:
        raise ValidationError(_("Remind after 1 to 30 working days."))
    if not 0 <= max_reminders <= 5:
        raise ValidationError(_("Send 0 to 5 reminders."))
    policy = HirePolicy.objects.select_for_update().get(pk=hire_policy_of(actor.workspace).pk)
    before = {
        "first_after_days": policy.first_after_days,
        "checkpoints": list(policy.checkpoints or []),
        "remind_after_days": policy.remind_after_days,
        "max_reminders": policy.max_reminders,
    }
    after = {
        "first_after_days": first_after_days,
        "checkpoints": sorted(set(checkpoints)),
        "remind_after_days": remind_after_days,
        "max_reminders": max_reminders,
    }
    changes: dict[str, list[object]] = {
        k: [before[k], after[k]] for k in after if before[k] != after[k]
    }
    if not changes:
        return policy
    for name, value in after.items():
        setattr(policy, name, value)
    policy.save(update_fields=list(after))
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="hire_policy.updated",
        obj=policy,
        changes=changes,
    )
    return policy


# --- scheduling --------------------------------------------------------------------------------


def local_today(workspace: Workspace, now: datetime) -> date:
    return timezone.localtime(now, workspace.zone).date()


def default_start_on(brief: BriefVersion | None, hired_on: date) -> date:
    target = brief.target_start if brief else None
    if target is not None and target > hired_on:
        return target
    return hired_on + DEFAULT_NOTICE


def survey_due_at(manager: Member, day: date) -> datetime:
    """09:00 on `day` in the manager's time zone, or their next allowed moment that day; a day
    they can't be reached at all (a weekend) moves it to 09:00 on the next day they can, not to
    the minute their quiet hours end."""
    tz, quiet = time_zone_of(manager), quiet_of(contact_of(manager))
    zone = ZoneInfo(tz)
    at = clock.next_allowed(datetime.combine(day, SURVEY_TIME, tzinfo=zone), tz, quiet)
    later = timezone.localtime(at, zone).date()
    if later != day:
        at = clock.next_allowed(datetime.combine(later, SURVEY_TIME, tzinfo=zone), tz, quiet)
    return at


def _managers(requisition_id: int) -> list[Member]:
    """The requisition's hiring managers who may answer surveys (active, with the permission)."""
    found = (
        Requisition.hiring_managers.through.objects.filter(requisition_id=requisition_id)
        .select_related("member__user", "member__workspace", "member__contact")
        .order_by("member_id")  # surveys are made, and so sent, in the same order every time
    )
    return [row.member for row in found if row.member.can(ANSWER_SURVEYS)]


def _surveys_new(
    hire: Hire, policy: HirePolicy, brief: BriefVersion | None, managers: list[Member]
) -> list[Survey]:
    """The surveys a hire gets when it is recorded: every manager at every checkpoint of the
    policy in force then. Later policy changes don't add to them."""
    return [
        Survey(
            workspace_id=hire.workspace_id,
            hire=hire,
            manager=manager,
            checkpoint=checkpoint,
            brief_version=brief,
            due_at=survey_due_at(manager, hire.start_on + timedelta(days=checkpoint)),
        )
        for manager in managers
        for checkpoint in checkpoints_of(policy)
    ]


def surveys_plan(hire: Hire) -> list[Survey]:
    """Make the surveys of a hire just recorded (see `_surveys_new`); a hire that has surveys
    already keeps them as they are (`surveys_retime` moves them)."""
    if Survey.objects.filter(hire=hire).exists():
        return []
    policy = hire_policy_of(hire.workspace_id)
    made = _surveys_new(hire, policy, in_force(hire.requisition), _managers(hire.requisition_id))
    return Survey.objects.bulk_create(made)


def surveys_retime(
    hire: Hire, now: datetime, managers: list[Member] | None = None
) -> dict[str, list[Any]]:
    """Re-time the hire's unsent surveys to its current start date, and cancel those whose
    manager is no longer on the requisition or can't answer. Creates none: a hire's surveys are
    made once, when it is recorded (a policy change applies to hires recorded after it).
    Returns the audit changes for the cancelled ones (for the hire's own audit entry)."""
    found = managers if managers is not None else _managers(hire.requisition_id)
    allowed = {m.pk: m for m in found}
    gone: list[Survey] = []
    unsent = Survey.objects.filter(hire=hire, sent_at__isnull=True).open()
    for survey in unsent.select_related("manager__user"):
        manager = allowed.get(survey.manager_id)
        if manager is None:
            gone.append(survey)
            continue
        due = survey_due_at(manager, hire.start_on + timedelta(days=survey.checkpoint))
        if survey.due_at != due:
            Survey.objects.filter(pk=survey.pk, sent_at__isnull=True).update(due_at=due)
    if not gone:
        return {}
    Survey.objects.filter(pk__in=[s.pk for s in gone], sent_at__isnull=True).update(
        cancelled_at=now
    )
    cancelled = [f"{s.manager.display_name} · day {s.checkpoint}" for s in gone]
    return {"surveys_cancelled": [None, cancelled]}


def hire_repr(hire: Hire) -> str:
    return f"{hire.application.candidate.name} · {hire.requisition.title}"


def _audit_rows(actor: Member, action: str, rows: list[tuple[Hire, dict[str, list[Any]]]]) -> None:
    """One audit entry per hire, written in one query (a bulk move must not cost queries per
    application)."""
    audit_record_many(
        actor=actor.user,
        workspace=actor.workspace,
        action=action,
        items=[(hire, changes, hire_repr(hire)) for hire, changes in rows],
    )


def _hire_restore(actor: Member, hire: Hire, now: datetime, managers: list[Member]) -> None:
    cancelled_at = hire.cancelled_at
    hire.cancelled_at = None
    hire.revision += 1
    hire.save(update_fields=["cancelled_at", "revision"])
    # The surveys cancelled with the hire come back; those cancelled on their own stay so.
    Survey.objects.filter(hire=hire, cancelled_at=cancelled_at).update(cancelled_at=None)
    dropped = surveys_retime(hire, now, managers)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="hire.restored",
        obj=hire,
        object_repr=hire_repr(hire),
        changes={
            "cancelled_at": [cancelled_at.isoformat() if cancelled_at else None, None],
            **dropped,
        },
    )


def _hires_record(actor: Member, applications: Sequence[Application], now: datetime) -> list[Hire]:
    """Record (or restore) the hires of applications moved into a hired stage. The brief in
    force, the policy and the managers are read once per requisition, the hires, surveys and
    audit entries written in bulk: the cost doesn't grow with the number moved (restores
    aside, which are rare)."""
    ids = [a.pk for a in applications]
    apps = {
        a.pk: a
        for a in Application.objects.select_related("candidate", "requisition__workspace").filter(
            pk__in=ids
        )
    }
    existing = {
        h.application_id: h
        for h in Hire.objects.select_for_update(of=("self",))
        .select_related("application__candidate", "requisition")
        .filter(application__in=ids)
    }
    policy = hire_policy_of(actor.workspace_id)
    by_requisition: dict[int, tuple[BriefVersion | None, list[Member]]] = {}
    result: list[Hire] = []
    new: list[Hire] = []
    for pk in ids:
        application = apps[pk]
        requisition = application.requisition
        if requisition.pk not in by_requisition:
            by_requisition[requisition.pk] = (in_force(requisition), _managers(requisition.pk))
        brief, managers = by_requisition[requisition.pk]
        hire = existing.get(pk)
        if hire is not None:
            if hire.cancelled_at is not None:
                _hire_restore(actor, hire, now, managers)
            result.append(hire)  # else moved between two hired stages
            continue
        hire = Hire(
            workspace_id=application.workspace_id,
            application=application,
            requisition=requisition,
            hired_at=now,
            start_on=default_start_on(brief, local_today(requisition.workspace, now)),
            recorded_by=actor,
        )
        new.append(hire)
        result.append(hire)
    Hire.objects.bulk_create(new)
    surveys: list[Survey] = []
    for hire in new:
        brief, managers = by_requisition[hire.requisition_id]
        surveys += _surveys_new(hire, policy, brief, managers)
    Survey.objects.bulk_create(surveys)
    _audit_rows(
        actor, "hire.recorded", [(h, {"start_on": [None, h.start_on.isoformat()]}) for h in new]
    )
    return result


def _hires_cancel(actor: Member, hires: list[Hire], now: datetime) -> None:
    if not hires:
        return
    ids = [h.pk for h in hires]
    Hire.objects.filter(pk__in=ids).update(cancelled_at=now, revision=F("revision") + 1)
    Survey.objects.filter(hire__in=ids).open().update(cancelled_at=now)
    _audit_rows(
        actor, "hire.cancelled", [(h, {"cancelled_at": [None, now.isoformat()]}) for h in hires]
    )


@transaction.atomic
def hires_on_move(
    *, actor: Member, applications: Sequence[Application], to_stage: Stage
) -> list[Hire]:
    """Called by the pipeline for every move (authorised there): into a hired stage records the
    hire (or restores a cancelled one); out of it cancels the hire and its open surveys."""
    now = timezone.now()
    if not applications:
        return []
    if to_stage.category == Category.HIRED:
        return _hires_record(actor, applications, now)
    hires = Hire.objects.select_related("application__candidate", "requisition").filter(
        application__in=[a.pk for a in applications], cancelled_at__isnull=True
    )
    _hires_cancel(actor, list(hires), now)
    return []


@transaction.atomic
def hire_set_start(*, actor: Member, hire: Hire, start_on: date, revision: int) -> Hire:
    """Set the real start date; the surveys not yet sent move with it. A change based on an
    older revision (someone else changed it meanwhile) is a Conflict."""
    require(actor, MANAGE_PARTNERSHIPS, hire.workspace_id)
    current = (
        Hire.objects.select_for_update()
        .select_related("workspace", "requisition", "application__candidate")
        .get(pk=hire.pk)
    )
    if current.revision != revision:
        raise Conflict(current)
    if current.cancelled_at is not None:
        raise ValidationError(
            _("This hire was cancelled (moved out of the hired stage); its start date is kept.")
        )
    hired_on = local_today(current.workspace, current.hired_at)
    if start_on < hired_on - timedelta(days=1):
        raise ValidationError(
            _("The start date can’t be before the hire date (%(day)s).")
            % {"day": hired_on.isoformat()}
        )
    if start_on > hired_on + START_WINDOW:
        raise ValidationError(_("The start date must be within a year of the hire date."))
    if start_on == current.start_on:
        return current
    before = current.start_on
    current.start_on = start_on
    current.revision += 1
    current.save(update_fields=["start_on", "revision"])
    dropped = surveys_retime(current, timezone.now())
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="hire.start_changed",
        obj=current,
        object_repr=hire_repr(current),
        changes={"start_on": [before.isoformat(), start_on.isoformat()], **dropped},
    )
    return current


# --- managers added to the role ----------------------------------------------------------------


def _policies_then(workspace_id: int, hires: list[Hire]) -> dict[int, HirePolicy]:
    """The policy in force when each hire was recorded: the current one with the changes made
    since undone, read back from the policy's audit entries (two queries for any number)."""
    policy = HirePolicy.objects.filter(workspace_id=workspace_id).first()
    policy = policy or HirePolicy(workspace_id=workspace_id)
    since = list(
        AuditEntry.objects.filter(
            workspace_id=workspace_id,
            action="hire_policy.updated",
            created_at__gt=min(h.hired_at for h in hires),
        )
        .order_by("-created_at", "-pk")
        .values_list("created_at", "changes")
    )
    found: dict[int, HirePolicy] = {}
    for hire in hires:
        then = HirePolicy(
            workspace_id=workspace_id,
            first_after_days=policy.first_after_days,
            checkpoints=list(policy.checkpoints or []),
        )
        for at, changes in since:  # newest first
            if at <= hire.hired_at:
                break
            for name, (before, _after) in changes.items():
                setattr(then, name, before)
        found[hire.pk] = then
    return found


def _briefs_then(requisition: Requisition, hires: list[Hire]) -> dict[int, BriefVersion | None]:
    """The brief in force when each hire was recorded (the criteria its surveys re-rate)."""
    signed = list(requisition.brief_versions.signed().order_by("-number"))
    return {
        h.pk: next((v for v in signed if v.signed_at and v.signed_at <= h.hired_at), None)
        for h in hires
    }


def _plans_of(
    requisition: Requisition, hires: list[Hire], planned: list[Survey]
) -> dict[int, tuple[list[int], int | None]]:
    """Each hire's checkpoints and brief as they were planned when it was recorded: those of its
    surveys. A hire that has none (no manager could answer then) takes the policy and the brief
    in force at that moment, so a policy change made since doesn't reach it either."""
    found: dict[int, tuple[list[int], int | None]] = {}
    for survey in planned:
        days, _brief = found.setdefault(survey.hire_id, ([], survey.brief_version_id))
        if survey.checkpoint not in days:
            days.append(survey.checkpoint)
    bare = [h for h in hires if h.pk not in found]
    if bare:
        policies = _policies_then(requisition.workspace_id, bare)
        briefs = _briefs_then(requisition, bare)
        for hire in bare:
            brief = briefs[hire.pk]
            found[hire.pk] = (checkpoints_of(policies[hire.pk]), brief.pk if brief else None)
    return found


@transaction.atomic
def surveys_plan_for_managers(
    *, actor: Member, requisition: Requisition, added: Collection[int], now: datetime | None = None
) -> int:
    """Ask the managers just added to a requisition (`added`: member ids) about its recorded
    hires, at the checkpoints still ahead: those the hire was planned with (see `_plans_of`),
    timed from its current start date. The checkpoints already past weren't theirs to answer.
    A manager put back on the role gets their cancelled, unsent surveys back rather than new ones
    (one survey per manager per checkpoint). A cancelled hire's new surveys are cancelled with
    it (restoring it brings them back). Called by `requisition_update` (authorised there)
    once the managers are saved; one audit entry per hire that gained surveys. Returns how many
    surveys were planned. A fixed number of queries, whatever the number of hires, managers
    and checkpoints."""
    now = now or timezone.now()
    # A cancelled hire's new surveys are cancelled with it, so restoring it brings them back
    # with the others; nobody is asked about a candidate who was erased.
    hires = list(
        Hire.objects.filter(
            requisition=requisition, application__candidate__erased_at__isnull=True
        ).select_related("application__candidate", "requisition")
    )
    managers = [m for m in _managers(requisition.pk) if m.pk in added] if hires else []
    if not managers:
        return 0
    planned = list(
        Survey.objects.filter(hire__in=hires).only(
            "hire_id", "manager_id", "checkpoint", "brief_version_id", "sent_at", "cancelled_at"
        )
    )
    existing = {(s.hire_id, s.manager_id, s.checkpoint): s for s in planned}
    plans = _plans_of(requisition, hires, planned)
    new: list[Survey] = []
    back: dict[int, tuple[datetime, datetime | None]] = {}  # survey → (due, cancelled_at)
    rows: list[tuple[Hire, dict[str, list[Any]]]] = []
    for hire in hires:
        checkpoints, brief_id = plans[hire.pk]
        added_here: list[str] = []
        for manager in managers:
            for checkpoint in sorted(checkpoints):
                due = survey_due_at(manager, hire.start_on + timedelta(days=checkpoint))
                if due <= now:
                    continue
                found = existing.get((hire.pk, manager.pk, checkpoint))
                if found is None:
                    new.append(
                        Survey(
                            workspace_id=hire.workspace_id,
                            hire=hire,
                            manager=manager,
                            checkpoint=checkpoint,
                            brief_version_id=brief_id,
                            due_at=due,
                            cancelled_at=hire.cancelled_at,
                        )
                    )
                elif found.cancelled_at not in (None, hire.cancelled_at) and found.sent_at is None:
                    back[found.pk] = (due, hire.cancelled_at)
                else:
                    continue  # open, sent or answered: they are asked already
                added_here.append(f"{manager.display_name} · day {checkpoint}")
        if added_here:
            rows.append((hire, {"surveys_added": [None, added_here]}))
    Survey.objects.bulk_create(new)
    if back:
        Survey.objects.filter(pk__in=back, sent_at__isnull=True, answered_at__isnull=True).update(
            cancelled_at=Case(
                *(
                    # Cast: PostgreSQL types a CASE of only NULLs as text.
                    When(pk=pk, then=Cast(Value(gone), DateTimeField()))
                    for pk, (_due, gone) in back.items()
                ),
                output_field=DateTimeField(),
            ),
            due_at=Case(*(When(pk=pk, then=Value(due)) for pk, (due, _gone) in back.items())),
        )
    _audit_rows(actor, "hire.surveys_added", rows)
    return len(new) + len(back)
