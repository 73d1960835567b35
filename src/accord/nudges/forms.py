from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.nudges.channels import Channel
from accord.nudges.models import MessageStatus
from accord.nudges.preferences import GAP_CHOICES
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace


class OwedFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Requisitions"),
        choices=[("mine", _("Those I recruit for")), ("all", _("All"))],
    )
    requisition = forms.ModelChoiceField(
        label=_("Requisition"),
        queryset=Requisition.objects.none(),
        required=False,
        empty_label=_("Any requisition"),
        to_field_name="public_id",
    )
    owner = forms.ModelChoiceField(
        label=_("Owed by"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Anyone"),
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requisition"].queryset = (  # type: ignore[attr-defined]
            Requisition.objects.filter(workspace=workspace).order_by("title", "pk")
        )
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            Member.objects.filter(workspace=workspace)
            .select_related("user")
            .order_by("user__display_name", "pk")
        )
        self.fields["owner"].label_from_instance = _member_label  # type: ignore[attr-defined]


def _member_label(member: Member) -> str:
    return f"{member.user.display_name} ({member.get_role_display()})"


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *MessageStatus.choices],
    )


class TimeInput(forms.TimeInput):
    input_type = "time"


class ContactForm(forms.Form):
    """How the person wants to be reached. The service validates addresses and numbers, so the
    rules live in one place whatever calls it."""

    channel = forms.ChoiceField(
        label=_("Reach me by"), choices=Channel.choices, widget=forms.RadioSelect
    )
    webhook_url = forms.CharField(
        label=_("Chat webhook address"),
        max_length=500,
        required=False,
        help_text=_(
            "A Slack or Microsoft Teams incoming webhook, starting with https://. Create one "
            "in your chat app’s settings for a channel or a direct message to yourself."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://hooks.slack.com/services/…"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=40,
        required=False,
        help_text=_("With the country code, e.g. +44 7700 900123."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    quiet_start = forms.TimeField(
        label=_("Quiet from"),
        widget=TimeInput(format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"),
        widget=TimeInput(format="%H:%M"),
        help_text=_("No messages between these times. The same time twice means no quiet hours."),
    )
    quiet_weekends = forms.BooleanField(label=_("No messages at weekends"), required=False)
    min_gap_hours = forms.TypedChoiceField(
        label=_("At most one message every"),
        choices=GAP_CHOICES,
        coerce=int,
        help_text=_("Reminders that come sooner wait and arrive together in one digest."),
    )


class PolicyForm(forms.Form):
    remind_before_hours = forms.IntegerField(
        label=_("First reminder (hours before the due time)"),
        min_value=0,
        max_value=72,
        help_text=_("0: no reminder before the due time, only at it."),
    )
    escalate_after_days = forms.IntegerField(
        label=_("Tell the recruiter after (business days overdue)"), min_value=0, max_value=10
    )
    contact = forms.ModelChoiceField(
        label=_("Escalation contact"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        to_field_name="public_id",
        help_text=_("Hears about actions still overdue after the recruiter was told."),
    )
    contact_after_days = forms.IntegerField(
        label=_("Tell the escalation contact after (business days overdue)"),
        min_value=0,
        max_value=10,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = members  # type: ignore[attr-defined]
        self.fields["contact"].label_from_instance = _member_label  # type: ignore[attr-defined]
