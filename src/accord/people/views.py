from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accord.people import services
from accord.people.forms import AccountForm, LoginForm, ResetForm
from accord.people.models import User
from accord.workspaces.access import SignedInRequest, public, signed_in

login = public(
    auth_views.LoginView.as_view(
        template_name="people/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )
)
logout = public(auth_views.LogoutView.as_view())
password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="people/password_reset.html",
        extra_context={"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        form_class=ResetForm,
        success_url=reverse_lazy("people:password-reset-sent"),
    )
)
password_reset_sent = public(
    auth_views.PasswordResetDoneView.as_view(
        template_name="people/password_reset_sent.html",
        extra_context={"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="people/password_reset_confirm.html",
        extra_context={"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        success_url=reverse_lazy("people:password-reset-complete"),
        post_reset_login=True,
        post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="people/password_reset_complete.html"
    )
)
password_change = signed_in(
    auth_views.PasswordChangeView.as_view(
        template_name="people/password_change.html",
        success_url=reverse_lazy("people:account"),
    )
)


@signed_in
@require_http_methods(["GET", "POST"])
def account(request: SignedInRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            actor=request.user,
            display_name=form.cleaned_data["display_name"],
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, _("Your details are saved."))
        return redirect("people:account")
    return render(request, "people/account.html", {"form": form})
