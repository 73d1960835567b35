from django import forms
from django.utils.translation import gettext_lazy as _

from accord.workspaces.models import Member, Workspace

ACTIONS = [
    ("", _("All actions")),
    ("workspace.created", _("Workspace created")),
    ("workspace.updated", _("Workspace settings changed")),
    ("member.added", _("Member added")),
    ("member.role_changed", _("Role changed")),
    ("member.deactivated", _("Member deactivated")),
    ("member.reactivated", _("Member reactivated")),
    ("invitation.created", _("Invitation sent")),
    ("invitation.resent", _("Invitation resent")),
    ("invitation.revoked", _("Invitation withdrawn")),
    ("invitation.accepted", _("Invitation accepted")),
]


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Who"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Anyone"),
        to_field_name="public_id",
    )
    action = forms.ChoiceField(label=_("What"), choices=ACTIONS, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["actor"].queryset = (  # type: ignore[attr-defined]
            Member.objects.filter(workspace=workspace)
            .select_related("user")
            .order_by("user__display_name")
        )
