from django.http import HttpResponse
from django.shortcuts import redirect, render

from accord.audit.models import AuditEntry
from accord.workspaces.access import (
    VIEW_WORKSPACE,
    SignedInRequest,
    WorkspaceRequest,
    member_required,
    signed_in,
)
from accord.workspaces.models import Member, Role
from accord.workspaces.selectors import memberships_for, pending_invitations


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
            recent=AuditEntry.objects.filter(workspace=request.workspace)[:8],
        )
    elif member.role == Role.RECRUITER:
        context.update(
            manager_count=Member.objects.active()
            .filter(workspace=request.workspace, role=Role.HIRING_MANAGER)
            .count(),
        )
    return render(request, "dashboard/home.html", context)
