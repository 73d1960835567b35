from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accord.people.models import User
from accord.workspaces import services
from accord.workspaces.access import public
from accord.workspaces.forms import AcceptForm


@public
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationProblem as problem:
        return render(
            request,
            "workspaces/invitation_problem.html",
            {"title": problem.title, "message": problem.message},
            status=problem.status,
        )
    user = request.user if request.user.is_authenticated else None
    has_account = user is None and User.objects.filter(email=invitation.email).exists()
    form = None
    if user is None and not has_account:
        form = AcceptForm(
            request.POST or None, initial={"time_zone": invitation.workspace.time_zone}
        )
    if request.method == "POST" and not has_account:
        try:
            if form is None:
                assert isinstance(user, User)  # noqa: S101 (no form means a signed-in user)
                member = services.invitation_accept(invitation=invitation, user=user)
            elif form.is_valid():
                member = services.invitation_accept(
                    invitation=invitation,
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password"],
                    time_zone=form.cleaned_data["time_zone"],
                )
                login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                member = None
        except ValidationError as error:
            if form is not None:
                form.add_error(None, error)  # field errors land on their fields
            else:
                messages.error(request, " ".join(error.messages))
            member = None
        if member is not None:
            messages.success(
                request, _("Welcome to %(workspace)s.") % {"workspace": member.workspace}
            )
            return redirect("dashboard:workspace", member.workspace.slug)
    return render(
        request,
        "workspaces/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "wrong_account": user is not None and user.email != invitation.email,
        },
        status=422 if request.method == "POST" else 200,
    )
