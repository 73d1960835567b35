from datetime import date
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.analytics.figures import FIGURES, TOTAL, Dimension, Filters, Grain

# Sixty months at most: the table and charts stay readable and the page fast.
MAX_DAYS: Final = 5 * 366

# No hiring history before this, and none more than a year ahead (a date at either end of what
# Python can hold would also overflow once turned into the workspace's time zone).
EARLIEST: Final = date(2000, 1, 1)


def latest_day(today: date) -> date:
    """The last day a range may reach: a year from today."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


BY_CHOICES: Final = [
    ("all", _("Everyone")),
    ("manager", _("Hiring manager")),
    ("recruiter", _("Recruiter")),
    ("team", _("Team")),
]


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=_("Per"), choices=BY_CHOICES)
    grain = forms.ChoiceField(
        label=_("Period"), choices=[("month", _("Month")), ("quarter", _("Quarter"))]
    )

    # One group's periods on the page (a member's public id or a team's name).
    group = forms.CharField(required=False, max_length=200, strip=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, defaults: Filters, today: date | None = None) -> None:
        # Missing parameters take the defaults; present ones must be valid.
        initial = {
            "start": defaults.start.isoformat(),
            "end": defaults.end.isoformat(),
            "by": defaults.by,
            "grain": defaults.grain,
            "group": "",
        }
        merged = {**initial, **{k: v for k, v in data.items() if k in initial}}
        self.group_given = "group" in data
        self.latest = latest_day(today or defaults.end)
        super().__init__(merged)
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(
                min=EARLIEST.isoformat(), max=self.latest.isoformat()
            )

    def _within_bounds(self, day: date) -> date:
        if not EARLIEST <= day <= self.latest:
            raise forms.ValidationError(
                _("Choose dates from %(earliest)s to %(latest)s."),
                code="out_of_bounds",
                params={"earliest": EARLIEST.isoformat(), "latest": self.latest.isoformat()},
            )
        return day

    def clean_start(self) -> date:
        return self._within_bounds(self.cleaned_data["start"])

    def clean_end(self) -> date:
        return self._within_bounds(self.cleaned_data["end"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if start > end:
                raise forms.ValidationError(_("The start date must be on or before the end date."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(_("Choose a range of five years or less."))
        return data

    def group_key(self) -> str | None:
        """The group whose periods the page shows, if one was chosen and it's not everyone."""
        if self.cleaned_data["by"] == "all" or not self.group_given:
            return None
        return str(self.cleaned_data["group"])

    def filters(self) -> Filters:
        data = self.cleaned_data
        by: Dimension = data["by"]
        grain: Grain = data["grain"]
        return Filters(start=data["start"], end=data["end"], by=by, grain=grain)


class CellForm(forms.Form):
    """Which figure of which cell the records page lists."""

    figure = forms.ChoiceField(choices=[(f, f) for f in FIGURES])
    group = forms.CharField(required=False, max_length=200, strip=False)
    period = forms.RegexField(regex=rf"^(\d{{4}}-(\d\d|Q[1-4])|{TOTAL})$")
