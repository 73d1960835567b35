"""Every write to requisitions, their lifecycle, plan and kickoff goes through these functions."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.services import apply_changes, audit_record
from accord.lib.conflicts import Conflict
from accord.lib.mail import send_templated_email
from accord.requisitions import plan
from accord.requisitions.calendar import kickoff_ics
from accord.requisitions.models import (
    TRANSITIONS,
    Kickoff,
    Milestone,
    MilestoneKind,
    Owner,
    Requisition,
    RequisitionEvent,
    Status,
)
from accord.workspaces.access import MANAGE_REQUISITIONS, require
from accord.workspaces.models import Member, Role

DETAIL_FIELDS = (
    "title",
    "team",
    "location",
    "remote_policy",
    "level",
    "employment_type",
    "openings",
    "compensation_min",
    "compensation_max",
    "currency",
)
# Statuses whose move needs a reason: pausing or stopping a search is never silent.
REASON_REQUIRED = frozenset({Status.ON_HOLD, Status.CANCELLED})


def _locked(requisition: Requisition) -> Requisition:
    """The requisition's current row, locked until the transaction ends."""
    return Requisition.objects.select_for_update().get(pk=requisition.pk)


def _validate_details(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = _("Give the role a title, e.g. Senior Backend Engineer.")
    if values.get("openings") is not None and values["openings"] < 1:
        errors["openings"] = _("A requisition has at least one opening.")
    low, high = values.get("compensation_min"), values.get("compensation_max")
    if low is not None and high is not None and low > high:
        errors["compensation_max"] = _("The top of the range is below the bottom. Swap them.")
    if (low is not None or high is not None) and not values.get("currency"):
        errors["currency"] = _("Say which currency the pay range is in, e.g. EUR.")
    if errors:
        raise ValidationError(errors)


def _check_people(
    actor: Member, recruiter: Member, managers: Iterable[Member], team: Iterable[Member]
) -> None:
    people = [recruiter, *managers, *team]
    if any(p.workspace_id != actor.workspace_id or not p.is_active for p in people):
        raise ValidationError(_("Choose people from this workspace."))
    if recruiter.role not in (Role.RECRUITER, Role.ADMIN):
        raise ValidationError({"recruiter": _("The recruiter must have the recruiter role.")})
    if not list(managers):
        raise ValidationError({"hiring_managers": _("Choose the hiring manager for this role.")})


@transaction.atomic
def requisition_create(
    *,
    actor: Member,
    recruiter: Member,
    hiring_managers: list[Member],
    hiring_team: list[Member] | None = None,
    **details: Any,
) -> Requisition:
    require(actor, MANAGE_REQUISITIONS)
    details = {k: v for k, v in details.items() if k in DETAIL_FIELDS}
    details["title"] = str(details.get("title", "")).strip()
    details["currency"] = str(details.get("currency") or "").upper()
    _validate_details(details)
    _check_people(actor, recruiter, hiring_managers, hiring_team or [])
    requisition = Requisition.objects.create(
        workspace=actor.workspace, recruiter=recruiter, **details
    )
    requisition.hiring_managers.set(hiring_managers)
    requisition.hiring_team.set(hiring_team or [])
    RequisitionEvent.objects.create(
        requisition=requisition, actor=actor, from_status="", to_status=Status.DRAFT
    )
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="requisition.created",
        obj=requisition,
        changes={"title": [None, requisition.title]},
    )
    return requisition


@transaction.atomic
def requisition_update(
    *,
    actor: Member,
    requisition: Requisition,
    revision: int,
    recruiter: Member,
    hiring_managers: list[Member],
    hiring_team: list[Member],
    **details: Any,
) -> Requisition:
    """Save the details form. A save based on an older revision raises Conflict, unchanged."""
    require(actor, MANAGE_REQUISITIONS, requisition.workspace_id)
    current = _locked(requisition)
    if current.revision != revision:
        raise Conflict(current)
    if current.is_closed:
        raise ValidationError(_("This requisition is closed; its details can no longer change."))
    details = {k: v for k, v in details.items() if k in DETAIL_FIELDS}
    details["title"] = str(details.get("title", "")).strip()
    details["currency"] = str(details.get("currency") or "").upper()
    _validate_details(details)
    _check_people(actor, recruiter, hiring_managers, hiring_team)
    changes = apply_changes(current, recruiter=recruiter, **details)
    managers_before = list(current.hiring_managers.all())
    before = {
        "hiring_managers": sorted(str(m) for m in managers_before),
        "hiring_team": sorted(str(m) for m in current.hiring_team.all()),
    }
    after = {
        "hiring_managers": sorted(str(m) for m in hiring_managers),
        "hiring_team": sorted(str(m) for m in hiring_team),
    }
    for field in before:
        if before[field] != after[field]:
            changes[field] = [before[field], after[field]]
    current.hiring_managers.set(hiring_managers)
    current.hiring_team.set(hiring_team)
    added = {m.pk for m in hiring_managers} - {m.pk for m in managers_before}
    if added:
        _surveys_follow(actor, current, added)
    if changes:
        current.revision += 1
        fields = [f for f in changes if f in DETAIL_FIELDS or f == "recruiter"]
        current.save(update_fields=[*fields, "revision"])
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="requisition.updated",
            obj=current,
            changes=changes,
        )
    return current


def _surveys_follow(actor: Member, requisition: Requisition, added: set[int]) -> None:
    """Managers added to a role with recorded hires are asked about them too, at the checkpoints
    still ahead."""
    # Imported here: the partnerships app depends on the requisitions' models.
    from accord.partnerships.hires import surveys_plan_for_managers

    surveys_plan_for_managers(actor=actor, requisition=requisition, added=added)


@transaction.atomic
def requisition_transition(
    *, actor: Member, requisition: Requisition, to_status: str, reason: str = ""
) -> Requisition:
    """Move through the lifecycle, recording who, when and why; holds are kept off the clock."""
    require(actor, MANAGE_REQUISITIONS, requisition.workspace_id)
    current = _locked(requisition)
    reason = reason.strip()
    if to_status not in TRANSITIONS.get(current.status, frozenset()):
        raise ValidationError(
            _("A requisition that is %(from)s can’t become %(to)s.")
            % {
                "from": current.get_status_display().lower(),
                "to": dict(Status.choices).get(to_status, to_status).lower(),
            }
        )
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Say why, so the team and the manager know.")})
    if to_status == Status.OPEN and not current.brief_versions.signed().exists():
        raise ValidationError(
            _(
                "Open the search once the brief is signed by you and the hiring manager: it is "
                "what shortlists will be held against."
            )
        )
    now = timezone.now()
    from_status = current.status
    fields = ["status", "status_changed_at"]
    if from_status == Status.ON_HOLD:
        current.time_on_hold += now - current.status_changed_at
        fields.append("time_on_hold")
    if to_status == Status.OPEN and current.opened_at is None:
        current.opened_at = now
        fields.append("opened_at")
    if to_status in (Status.FILLED, Status.CANCELLED):
        current.closed_at = now
        fields.append("closed_at")
    current.status, current.status_changed_at = to_status, now
    if to_status == Status.FILLED:
        current.days_to_fill = current.days_open(now)
        fields.append("days_to_fill")
    current.save(update_fields=fields)
    if to_status == Status.OPEN:
        milestone_mark_done(requisition=current, kind=MilestoneKind.SOURCING_STARTED)
    RequisitionEvent.objects.create(
        requisition=current,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="requisition.status_changed",
        obj=current,
        changes={
            "status": [from_status, to_status],
            **({"reason": [None, reason]} if reason else {}),
        },
    )
    return current


# --- the plan --------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor: Member, requisition: Requisition, start: date | None = None
) -> list[Milestone]:
    """Lay out the default milestones from the expected time to fill; keeps existing ones."""
    require(actor, MANAGE_REQUISITIONS, requisition.workspace_id)
    _locked(requisition)  # two clicks can't both add the same milestones
    estimate = plan.expected_time_to_fill(requisition)
    draft = requisition.brief_versions.order_by("-number").first()
    target_start = draft.target_start if draft else None
    existing = set(requisition.milestones.values_list("kind", flat=True))
    created = [
        Milestone(requisition=requisition, kind=kind, owner=owner, due_on=due_on)
        for kind, owner, due_on in plan.default_milestones(
            start=start or timezone.localdate(),
            estimate_days=estimate.days,
            target_start=target_start,
        )
        if kind not in existing
    ]
    Milestone.objects.bulk_create(created)
    if created:
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="plan.created",
            obj=requisition,
            changes={"milestones": [None, len(created)]},
        )
    return created


@transaction.atomic
def milestone_update(
    *, actor: Member, milestone: Milestone, owner: str, due_on: date, done_on: date | None
) -> Milestone:
    require(actor, MANAGE_REQUISITIONS, milestone.requisition.workspace_id)
    if owner not in Owner.values:
        raise ValidationError({"owner": _("Choose the recruiter or the hiring manager.")})
    changes = apply_changes(milestone, owner=owner, due_on=due_on, done_on=done_on)
    if changes:
        milestone.save(update_fields=list(changes))
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="milestone.updated",
            obj=milestone.requisition,
            changes=changes,
            object_repr=f"{milestone.requisition} · {milestone.get_kind_display()}",
        )
    return milestone


def milestone_mark_done(*, requisition: Requisition, kind: str) -> None:
    """Record that a milestone happened today (called by the flows that make it happen)."""
    Milestone.objects.filter(requisition=requisition, kind=kind, done_on__isnull=True).update(
        done_on=timezone.localdate()
    )


# --- the kickoff meeting ---------------------------------------------------------------------


def _kickoff_people(requisition: Requisition) -> list[Member]:
    people = {requisition.recruiter.pk: requisition.recruiter}
    for manager in requisition.hiring_managers.all():
        people.setdefault(manager.pk, manager)
    return list(people.values())


@transaction.atomic
def kickoff_schedule(
    *,
    actor: Member,
    requisition: Requisition,
    starts_at: datetime,
    duration_minutes: int,
    where: str,
) -> Kickoff:
    """Schedule (or move) the kickoff and email everyone a calendar invite."""
    require(actor, MANAGE_REQUISITIONS, requisition.workspace_id)
    if requisition.is_closed:
        # The page hides the form once a search is closed; a direct POST must not invite anyone.
        raise ValidationError(_("This requisition is closed; there is no kickoff to hold."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if not 15 <= duration_minutes <= 240:
        raise ValidationError(
            {"duration_minutes": _("A kickoff lasts between 15 and 240 minutes.")}
        )
    _locked(requisition)  # two requests can't each create a kickoff
    kickoff = requisition.kickoffs.first()
    if kickoff is None:
        kickoff = Kickoff.objects.create(
            requisition=requisition,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            where=where.strip(),
            organizer=actor,
        )
        action = "kickoff.scheduled"
    else:
        kickoff.starts_at, kickoff.duration_minutes = starts_at, duration_minutes
        kickoff.where, kickoff.organizer = where.strip(), actor
        kickoff.sequence += 1
        kickoff.save(
            update_fields=["starts_at", "duration_minutes", "where", "organizer", "sequence"]
        )
        action = "kickoff.moved"
    people = _kickoff_people(requisition)
    url = settings.SITE_URL + reverse(
        "requisitions:detail", args=[requisition.workspace.slug, requisition.public_id]
    )
    ics = kickoff_ics(
        kickoff,
        requisition=requisition,
        organizer_email=actor.user.email,
        organizer_name=str(actor.user),
        attendees=[(p.user.email, str(p.user)) for p in people],
        site_url=settings.SITE_URL,
        url=url,
    )
    for person in people:
        send_templated_email(
            to=person.user.email,
            template="requisitions/email/kickoff",
            context={
                "requisition": requisition,
                "kickoff": kickoff,
                "organizer": actor,
                "url": url,
                "time_zone": person.user.time_zone,
            },
            attachments=[("kickoff.ics", ics.decode(), "text/calendar; method=REQUEST")],
        )
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action=action,
        obj=requisition,
        changes={"starts_at": [None, starts_at.isoformat()]},
    )
    return kickoff
