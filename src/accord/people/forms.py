from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accord.lib.mail import send_templated_email
from accord.people.models import User, normalize_email
from accord.workspaces.forms import TIME_ZONE_CHOICES


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That email and password do not match. Check both, or reset your password below."
        ),
        "inactive": _("This account is disabled. Ask your workspace admin."),
    }

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])


class ResetForm(PasswordResetForm):
    """Django's reset flow, delivered like every other email: from the worker, after commit."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        context = {**context, "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        send_templated_email(to=to_email, template="people/email/password_reset", context=context)

    def get_users(self, email: str) -> Any:
        return User.objects.filter(email=normalize_email(email), is_active=True)


class AccountForm(forms.ModelForm[User]):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]
