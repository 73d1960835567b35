from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.reports.models import NARRATIVE_LIMIT, NEXT_STEPS_LIMIT, Frequency, Weekday
from accord.reports.services import SHARE_DAYS_DEFAULT, SHARE_DAYS_MAX


class NoteForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=NARRATIVE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened this week and what it means, in your words."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=NEXT_STEPS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: who does what by when."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ScheduleForm(forms.Form):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=Weekday.choices, coerce=int, help_text=_("Ignored for daily.")
    )
    at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        zones = sorted(available_timezones())
        self.fields["time_zone"].choices = [(zone, zone) for zone in zones]  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    label = forms.CharField(
        label=_("For whom"),
        max_length=120,
        help_text=_("For example “Dana Ruiz, VP Engineering”."),
    )
    days = forms.IntegerField(
        label=_("Works for (days)"),
        min_value=1,
        max_value=SHARE_DAYS_MAX,
        initial=SHARE_DAYS_DEFAULT,
    )
