from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.briefs.models import Channel, Frequency
from accord.briefs.sections import QUESTIONS
from accord.partnerships.models import (
    LESSON_LIMIT,
    SUMMARY_LIMIT,
    TEXT_LIMIT,
    Cadence,
    TouchpointKind,
)
from accord.partnerships.services import LESSON_FIELDS
from accord.workspaces.forms import TIME_ZONE_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.Form):
    team = forms.CharField(label=_("Team"), max_length=120, required=False)
    business_goals = forms.CharField(
        label=_("Business goals"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    challenges = forms.CharField(
        label=_("Current challenges"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    team_dynamics = forms.CharField(
        label=_("Team dynamics"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    update_channel = forms.ChoiceField(
        label=_("Preferred channel"), choices=[("", "—"), *Channel.choices], required=False
    )
    update_frequency = forms.ChoiceField(
        label=_("Frequency of updates"), choices=[("", "—"), *Frequency.choices], required=False
    )
    best_times = forms.CharField(label=_("Best days and times"), max_length=300, required=False)
    update_time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[("", "—"), *TIME_ZONE_CHOICES], required=False
    )
    checkin_every = forms.TypedChoiceField(label=_("Check in"), choices=Cadence.choices, coerce=int)
    next_checkin_on = forms.DateField(label=_("Next check-in"), required=False, widget=DATE)
    recruiter = forms.ChoiceField(label=_("Recruiter who keeps in touch"), required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, recruiters: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recruiter"].choices = [("", _("Nobody in particular")), *recruiters]  # type: ignore[attr-defined]


class TouchpointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TouchpointKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you talked about, what you learned."),
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = forms.DateField(label=_("Next step by"), required=False, widget=DATE)
    requisition = forms.ChoiceField(label=_("About"), required=False)

    def __init__(self, *args: Any, requisitions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requisition"].choices = [("", _("No particular role")), *requisitions]  # type: ignore[attr-defined]


class TouchpointEditForm(TouchpointForm):
    """A correction: the same fields, and the revision the form was opened at."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def applies_to_choices() -> list[tuple[str, Any]]:
    return [("", _("General (process notes)"))] + [
        (name, QUESTIONS[name].label) for name in LESSON_FIELDS
    ]


class LessonForm(forms.Form):
    text = forms.CharField(
        label=_("Lesson"),
        max_length=LESSON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What to do differently next time, in a sentence."),
    )
    applies_to = forms.ChoiceField(label=_("Applies to"), required=False)
    touchpoint = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applies_to"].choices = applies_to_choices()  # type: ignore[attr-defined]
