"""Forms of the post-hire loop: the survey (built from the brief's criteria), a hire's start
date, and the workspace's survey policy."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accord.briefs.models import Criterion
from accord.partnerships.hires import parse_checkpoints
from accord.partnerships.models import TEXT_LIMIT, Mattered
from accord.partnerships.survey_answers import Answers

RATINGS = [(n, str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    """Ratings are radio buttons the template draws as big tap targets; a criterion's field is
    named `c-<public_id>`."""

    process_rating = forms.TypedChoiceField(
        label=_("How did the hiring process go?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Rate how the hiring process went, from 1 to 5.")},
    )
    smoother = forms.CharField(
        label=_("How could it have been smoother?"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hire_rating = forms.TypedChoiceField(
        label=_("How is the new hire doing?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Rate how the new hire is doing, from 1 to 5.")},
    )
    hire_notes = forms.CharField(
        label=_("Anything to add about them?"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    missed_criteria = forms.CharField(
        label=_("What mattered that the brief didn’t ask for?"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], process: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        if not process:
            del self.fields["process_rating"]
            del self.fields["smoother"]
        for criterion in criteria:
            self.fields[f"c-{criterion.public_id}"] = forms.ChoiceField(
                label=criterion.name,
                choices=Mattered.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say how much “%(name)s” mattered.") % {"name": criterion.name}
                },
            )

    def criterion_rows(self) -> list[dict[str, Any]]:
        return [{"criterion": c, "field": self[f"c-{c.public_id}"]} for c in self.criteria]

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            process_rating=data.get("process_rating"),
            smoother=data.get("smoother", ""),
            hire_rating=data["hire_rating"],
            hire_notes=data["hire_notes"],
            missed_criteria=data["missed_criteria"],
            mattered={c.pk: data[f"c-{c.public_id}"] for c in self.criteria},
        )


class StartDateForm(forms.Form):
    start_on = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the start date."), "invalid": _("Enter a date.")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class HirePolicyForm(forms.Form):
    first_after_days = forms.IntegerField(
        label=_("First survey, days after the start date"),
        min_value=1,
        max_value=365,
        help_text=_("A week (7) lets the new hire settle in before the manager judges."),
    )
    checkpoints = forms.CharField(
        label=_("Later checkpoints (days after the start)"),
        required=False,
        max_length=100,
        help_text=_("Comma-separated, e.g. 30, 60, 90. Leave empty for none."),
    )
    remind_after_days = forms.IntegerField(
        label=_("Remind after (working days)"), min_value=1, max_value=30
    )
    max_reminders = forms.IntegerField(label=_("Reminders at most"), min_value=0, max_value=5)

    def clean_checkpoints(self) -> list[int]:
        return parse_checkpoints(self.cleaned_data.get("checkpoints", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, later = data.get("first_after_days"), data.get("checkpoints")
        if first and later and any(d <= first for d in later):
            raise ValidationError(
                _("Later checkpoints come after the first survey (day %(first)s).")
                % {"first": first}
            )
        return data
