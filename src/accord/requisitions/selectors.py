"""Reads of requisitions, scoped to what the member may see."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accord.requisitions.models import (
    Requisition,
    RequisitionEvent,
    RequisitionQuerySet,
    Status,
)
from accord.workspaces.access import MANAGE_REQUISITIONS
from accord.workspaces.models import Member, Role


def requisitions_for(member: Member) -> RequisitionQuerySet:
    return Requisition.objects.visible_to(member).select_related("recruiter__user")


def requisition_get_for_member(
    member: Member, public_id: Any, *, write: bool = False
) -> Requisition:
    """One requisition the member may see (and, with write, change), or 404.

    Another workspace's requisition, or one a manager or interviewer isn't on, is a 404: its
    existence is not disclosed.
    """
    if write and not member.can(MANAGE_REQUISITIONS):
        raise Http404
    queryset = (
        requisitions_for(member)
        .select_related("workspace")
        .prefetch_related(
            Prefetch(
                "hiring_managers",
                queryset=Member.objects.select_related("user").order_by("user__display_name", "pk"),
            ),
            Prefetch("hiring_team", queryset=Member.objects.select_related("user")),
        )
    )
    try:
        return queryset.get(public_id=public_id)
    except Requisition.DoesNotExist:
        raise Http404 from None


def is_manager_of(member: Member, requisition: Requisition) -> bool:
    return any(m.pk == member.pk for m in requisition.hiring_managers.all())


def can_edit_brief(member: Member, requisition: Requisition) -> bool:
    """Recruiters and admins edit any brief; a hiring manager edits the briefs of their roles."""
    if requisition.is_closed:
        return False
    if member.role in (Role.ADMIN, Role.RECRUITER):
        return True
    return member.role == Role.HIRING_MANAGER and is_manager_of(member, requisition)


def recent_events(requisition: Requisition, limit: int = 20) -> QuerySet[RequisitionEvent]:
    return requisition.events.select_related("actor__user")[:limit]


def status_counts(member: Member) -> list[tuple[str, int]]:
    """(status label, number) for every status, in lifecycle order, in one query."""
    rows = requisitions_for(member).order_by().values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return [(str(label), counts.get(value, 0)) for value, label in Status.choices]


def hiring_manager_choices(workspace_id: int) -> QuerySet[Member]:
    return (
        Member.objects.active()
        .filter(
            workspace_id=workspace_id, role__in=[Role.HIRING_MANAGER, Role.ADMIN, Role.RECRUITER]
        )
        .select_related("user")
        .order_by("user__display_name")
    )


def recruiter_choices(workspace_id: int) -> QuerySet[Member]:
    return (
        Member.objects.active()
        .filter(workspace_id=workspace_id, role__in=[Role.RECRUITER, Role.ADMIN])
        .select_related("user")
        .order_by("user__display_name")
    )


def team_choices(workspace_id: int) -> QuerySet[Member]:
    return (
        Member.objects.active()
        .filter(workspace_id=workspace_id)
        .select_related("user")
        .order_by("user__display_name")
    )
