from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.models import AuditEntry
from accord.briefs.models import BriefVersion, Signature
from accord.partnerships.models import Partnership, Survey
from accord.requisitions.models import ACTIVE_STATUSES
from accord.requisitions.selectors import requisitions_for
from accord.workspaces.access import (
    ANSWER_SURVEYS,
    MANAGE_PARTNERSHIPS,
    VIEW_REQUISITIONS,
    VIEW_WORKSPACE,
    SignedInRequest,
    WorkspaceRequest,
    member_required,
    signed_in,
)
from accord.workspaces.models import Member, Role
from accord.workspaces.selectors import memberships_for, pending_invitations

ROLES_SHOWN = 20
SURVEYS_SHOWN = 10


@signed_in
def home(request: SignedInRequest) -> HttpResponse:
    """Send people to the workspace they used last, or to the list when there is no obvious one."""
    memberships = memberships_for(request.user)
    last = request.session.get("workspace")
    if last and memberships.filter(workspace__slug=last).exists():
        return redirect("dashboard:workspace", last)
    first_two = list(memberships[:2])
    if len(first_two) == 1:
        return redirect("dashboard:workspace", first_two[0].workspace.slug)
    return redirect("workspaces:list")


@member_required(VIEW_WORKSPACE)
def workspace_home(request: WorkspaceRequest) -> HttpResponse:
    member = request.member
    context: dict[str, object] = {"role": member.role}
    if member.role == Role.ADMIN:
        context.update(
            member_count=Member.objects.active().filter(workspace=request.workspace).count(),
            invitation_count=pending_invitations(request.workspace).count(),
            recent=AuditEntry.objects.readable_by(member)[:8],
        )
    elif member.role == Role.RECRUITER:
        context.update(
            manager_count=Member.objects.active()
            .filter(workspace=request.workspace, role=Role.HIRING_MANAGER)
            .count(),
        )
    if member.can(VIEW_REQUISITIONS):
        context["roles"] = _my_roles(member)
    if member.can(ANSWER_SURVEYS):
        # Post-hire surveys sent to them and not answered yet: one tap away here too.
        context["surveys"] = list(
            Survey.objects.open()
            .filter(manager=member, sent_at__isnull=False, hire__cancelled_at__isnull=True)
            .select_related("hire__requisition", "hire__application__candidate")
            .order_by("sent_at")[:SURVEYS_SHOWN]
        )
    if member.can(MANAGE_PARTNERSHIPS):
        context["checkins_due"] = (
            Partnership.objects.checkins_due(timezone.localdate())
            .filter(workspace=request.workspace, recruiter=member)
            .count()
        )
    return render(request, "dashboard/home.html", context)


def _my_roles(member: Member) -> list[dict[str, object]]:
    """The member's active requisitions and what each is waiting for, in three queries."""
    mine = requisitions_for(member).filter(status__in=ACTIVE_STATUSES)
    if member.role == Role.RECRUITER:
        mine = mine.filter(recruiter=member)
    requisitions = list(mine.order_by("-created_at")[:ROLES_SHOWN])
    drafts = {
        v.requisition_id: v
        for v in BriefVersion.objects.drafts()
        .filter(requisition__in=[r.pk for r in requisitions])
        .only("requisition_id", "number", "revision", "sign_off_requested_at")
    }
    signed = set(
        Signature.objects.filter(
            version__in=[v.pk for v in drafts.values()],
            member=member,
            revision=F("version__revision"),
        ).values_list("version_id", flat=True)
    )
    rows: list[dict[str, object]] = []
    for requisition in requisitions:
        draft = drafts.get(requisition.pk)
        waiting = ""
        if draft is not None and draft.pk not in signed:
            if draft.sign_off_requested_at:
                waiting = str(_("Your signature on version %(n)s") % {"n": draft.number})
            elif draft.number == 1:
                waiting = str(_("Intake answers"))
        rows.append({"requisition": requisition, "draft": draft, "waiting": waiting})
    rows.sort(key=lambda row: not row["waiting"])
    return rows
