from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accord.workspaces import services
from accord.workspaces.access import (
    MANAGE_WORKSPACE,
    SignedInRequest,
    WorkspaceRequest,
    member_required,
    signed_in,
)
from accord.workspaces.forms import WorkspaceForm, WorkspaceSettingsForm
from accord.workspaces.selectors import memberships_for


@signed_in
def workspace_list(request: SignedInRequest) -> HttpResponse:
    """Where people in several workspaces switch, and people in none find what to do."""
    return render(
        request,
        "workspaces/workspace_list.html",
        {"memberships": memberships_for(request.user)},
    )


@signed_in
@require_http_methods(["GET", "POST"])
def workspace_create(request: SignedInRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            workspace = services.workspace_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s is ready. Invite your team.") % {"name": workspace}
            )
            return redirect("workspaces:members", workspace.slug)
    return render(request, "workspaces/workspace_create.html", {"form": form})


@member_required(MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def workspace_settings(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = WorkspaceSettingsForm(
        request.POST or None,
        initial={
            "name": workspace.name,
            "time_zone": workspace.time_zone,
            "must_have_limit": workspace.must_have_limit,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workspace_update(
                actor=request.member,
                name=form.cleaned_data["name"],
                time_zone=form.cleaned_data["time_zone"],
                must_have_limit=form.cleaned_data["must_have_limit"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Workspace settings saved."))
            return redirect("workspaces:settings", workspace.slug)
    return render(request, "workspaces/workspace_settings.html", {"form": form})
