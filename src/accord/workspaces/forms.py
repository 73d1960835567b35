from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.workspaces.access import INVITABLE_ROLES
from accord.workspaces.models import Member, Role

TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(available_timezones())]


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Workspace name"), max_length=120)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)


class WorkspaceSettingsForm(WorkspaceForm):
    must_have_limit = forms.IntegerField(
        label=_("Must-have limit"),
        min_value=1,
        max_value=20,
        help_text=_(
            "Above this many must-haves the alignment checks warn that a brief describes a unicorn."
        ),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: object, actor: Member, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        allowed = INVITABLE_ROLES.get(actor.role, frozenset())
        self.fields["role"].choices = [c for c in Role.choices if c[0] in allowed]  # type: ignore[attr-defined]
        self.fields["role"].initial = Role.HIRING_MANAGER


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=120)
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=TIME_ZONE_CHOICES)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits; not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ. Type them again."))
        return data
