from django import forms
from django.utils.translation import gettext_lazy as _

from accord.audit.models import ACTION_LABELS
from accord.workspaces.models import Member, Workspace


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Who"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Anyone"),
        to_field_name="public_id",
    )
    action = forms.ChoiceField(
        label=_("What"), choices=[("", _("All actions")), *ACTION_LABELS.items()], required=False
    )
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
            # Each choice's label (Member.__str__) names the user and the workspace.
            .select_related("user", "workspace")
            .order_by("user__display_name")
        )
