from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.requisitions.models import (
    EmploymentType,
    Level,
    Milestone,
    Owner,
    RemotePolicy,
    Status,
)
from accord.requisitions.selectors import hiring_manager_choices, recruiter_choices, team_choices
from accord.workspaces.models import Member


class MemberChoiceField(forms.ModelChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.user} · {obj.get_role_display()}"


class MembersChoiceField(forms.ModelMultipleChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.user} · {obj.get_role_display()}"


class RequisitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    team = forms.CharField(label=_("Team or department"), max_length=120, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.MID)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=EmploymentType.choices)
    location = forms.CharField(label=_("Location"), max_length=160, required=False)
    remote_policy = forms.ChoiceField(
        label=_("Remote policy"), choices=RemotePolicy.choices, initial=RemotePolicy.HYBRID
    )
    openings = forms.IntegerField(label=_("Openings"), min_value=1, max_value=500, initial=1)
    compensation_min = forms.IntegerField(
        label=_("Pay from (yearly)"), min_value=0, max_value=100_000_000, required=False
    )
    compensation_max = forms.IntegerField(
        label=_("Pay up to (yearly)"), min_value=0, max_value=100_000_000, required=False
    )
    currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Za-z]{3}$",
        required=False,
        max_length=3,
        help_text=_("Three letters, e.g. EUR, GBP, USD."),
        error_messages={"invalid": _("Use the three-letter code, e.g. EUR.")},
    )
    recruiter = MemberChoiceField(label=_("Recruiter"), queryset=Member.objects.none())
    hiring_managers = MembersChoiceField(
        label=_("Hiring managers"),
        queryset=Member.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    hiring_team = MembersChoiceField(
        label=_("Hiring team (interviewers)"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workspace_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recruiter"].queryset = recruiter_choices(workspace_id)  # type: ignore[attr-defined]
        self.fields["hiring_managers"].queryset = hiring_manager_choices(workspace_id)  # type: ignore[attr-defined]
        self.fields["hiring_team"].queryset = team_choices(workspace_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("compensation_min"), data.get("compensation_max")
        if low is not None and high is not None and low > high:
            self.add_error("compensation_max", _("The top of the range is below the bottom."))
        if (low is not None or high is not None) and not data.get("currency"):
            self.add_error("currency", _("Say which currency the pay range is in, e.g. EUR."))
        return data


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Move to"), choices=Status.choices)
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Budget frozen until Q3")}),
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active")), ("all", _("All")), *Status.choices],
    )
    team = forms.CharField(label=_("Team"), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class MilestoneForm(forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["owner", "due_on", "done_on"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "done_on": forms.DateInput(attrs={"type": "date"}),
            "owner": forms.Select(choices=Owner.choices),
        }


class KickoffForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In your time zone."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=15, max_value=240, initial=45
    )
    where = forms.CharField(
        label=_("Where"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Room, or a video call link")}),
    )
