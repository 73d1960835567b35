from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accord.lib.feedback import flash_errors
from accord.workspaces import services
from accord.workspaces.access import (
    INVITE_MEMBERS,
    MANAGE_MEMBERS,
    VIEW_MEMBERS,
    WorkspaceRequest,
    member_get,
    member_required,
    scoped_get,
)
from accord.workspaces.forms import InvitationForm, RoleForm
from accord.workspaces.models import Invitation, Role
from accord.workspaces.selectors import members_of, pending_invitations


def _members_page(
    request: WorkspaceRequest, form: InvitationForm | None = None, status: int = 200
) -> HttpResponse:
    actor = request.member
    can_invite = actor.can(INVITE_MEMBERS)
    context = {
        "members": members_of(request.workspace),
        "invitations": pending_invitations(request.workspace) if can_invite else [],
        "form": form or (InvitationForm(actor=actor) if can_invite else None),
        "roles": Role.choices,
    }
    template = "workspaces/members.html"
    if request.htmx:
        template += "#people"
    return render(request, template, context, status=status)


def _done(request: WorkspaceRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return _members_page(request)
    return redirect("workspaces:members", request.workspace.slug)


def _refused(request: WorkspaceRequest, error: ValidationError) -> HttpResponse:
    flash_errors(request, error)
    if request.htmx:
        return _members_page(request, status=422)
    return redirect("workspaces:members", request.workspace.slug)


@member_required(VIEW_MEMBERS)
@vary_on_headers("HX-Request")
def member_list(request: WorkspaceRequest) -> HttpResponse:
    return _members_page(request)


@member_required(INVITE_MEMBERS)
@require_POST
def invitation_create(request: WorkspaceRequest) -> HttpResponse:
    form = InvitationForm(request.POST, actor=request.member)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.member,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return _members_page(request, form=form, status=422)


def _invitation(request: WorkspaceRequest, public_id: UUID) -> Invitation:
    return scoped_get(Invitation.objects.all(), request.workspace, public_id=public_id)


@member_required(INVITE_MEMBERS)
@require_POST
def invitation_resend(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    invitation = _invitation(request, public_id)
    try:
        services.invitation_resend(actor=request.member, invitation=invitation)
    except ValidationError as error:
        return _refused(request, error)
    return _done(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})


@member_required(INVITE_MEMBERS)
@require_POST
def invitation_revoke(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    invitation = _invitation(request, public_id)
    try:
        services.invitation_revoke(actor=request.member, invitation=invitation)
    except ValidationError as error:
        return _refused(request, error)
    return _done(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})


@member_required(MANAGE_MEMBERS)
@require_POST
def member_role(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    member = member_get(request.member, public_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Choose one of the listed roles.")))
    try:
        services.member_change_role(
            actor=request.member, member=member, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        return _refused(request, error)
    return _done(
        request,
        _("%(name)s is now %(role)s.")
        % {"name": member.display_name, "role": member.get_role_display().lower()},
    )


@member_required(MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def member_deactivate(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    member = member_get(request.member, public_id)
    if request.method == "GET":
        return render(request, "workspaces/member_deactivate.html", {"target": member})
    try:
        services.member_deactivate(actor=request.member, member=member)
    except ValidationError as error:
        return _refused(request, error)
    messages.success(request, _("%(name)s no longer has access.") % {"name": member.display_name})
    return redirect("workspaces:members", request.workspace.slug)


@member_required(MANAGE_MEMBERS)
@require_POST
def member_reactivate(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    member = member_get(request.member, public_id)
    try:
        services.member_reactivate(actor=request.member, member=member)
    except ValidationError as error:
        return _refused(request, error)
    return _done(request, _("%(name)s has access again.") % {"name": member.display_name})
