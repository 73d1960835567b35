"""The candidates page's query string, read into SearchParams."""

from typing import Any, Final
from uuid import UUID

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.candidates.models import Source
from accord.candidates.search.engine import SearchParams, Sort
from accord.pipeline.models import Category, Stage
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member

REQUISITION_CHOICES_LIMIT: Final = 300


def split_list(value: str) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in value.split(","):
        item = " ".join(item.split())
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return tuple(seen.values())[:10]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _('Names, titles, skills, resume text… "exact phrase", OR'),
                "autocomplete": "off",
            }
        ),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=500,
        help_text=_("All of them, comma-separated, e.g. Python, Kubernetes."),
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=160)
    years_min = forms.DecimalField(
        label=_("Years from"), required=False, min_value=0, max_value=70, decimal_places=1
    )
    years_max = forms.DecimalField(
        label=_("Years to"), required=False, min_value=0, max_value=70, decimal_places=1
    )
    requisition = forms.ChoiceField(label=_("Requisition"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("All of them, comma-separated."),
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any source")), *Source.choices]
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Best match")), (Sort.NEWEST, _("Newest first"))],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        requisitions = list(
            Requisition.objects.visible_to(member)
            .order_by("title", "pk")
            .values_list("pk", "public_id", "title")[:REQUISITION_CHOICES_LIMIT]
        )
        self.fields["requisition"].choices = [  # type: ignore[attr-defined]
            ("", _("Any requisition")),
            *((str(public_id), title) for _pk, public_id, title in requisitions),
        ]
        stage_choices: list[tuple[Any, Any]] = [("", _("Any stage"))]
        stage_choices.append((_("Any requisition"), list(Category.choices)))
        chosen = str(self.data.get("requisition", "")) if self.is_bound else ""
        pk = next((pk for pk, public_id, _t in requisitions if str(public_id) == chosen), None)
        if pk is not None:
            stages = Stage.objects.filter(requisition=pk).order_by("position", "pk")
            stage_choices.append(
                (
                    _("This requisition"),
                    [(str(s.public_id), s.name) for s in stages.only("public_id", "name")],
                )
            )
        self.fields["stage"].choices = stage_choices  # type: ignore[attr-defined]
        self.has_requisitions = bool(requisitions)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("years_min"), data.get("years_max")
        if low is not None and high is not None and low > high:
            self.add_error("years_max", _("“To” is below “from”: swap them or clear one."))
        return data

    def params(self) -> SearchParams:
        """The valid fields as SearchParams; a field with an error is left out (and shown)."""
        self.is_valid()
        data = self.cleaned_data
        stage_value = data.get("stage") or ""
        stage = None
        category = ""
        if stage_value in Category.values:
            category = stage_value
        elif stage_value:
            stage = UUID(stage_value)
        requisition = data.get("requisition") or ""
        return SearchParams(
            q=data.get("q") or "",
            skills=split_list(data.get("skills") or ""),
            location=(data.get("location") or "").strip(),
            years_min=data.get("years_min"),
            years_max=data.get("years_max"),
            requisition=UUID(requisition) if requisition else None,
            stage=stage,
            category=category,
            tags=split_list(data.get("tags") or ""),
            source=data.get("source") or "",
            sort=data.get("sort") or "",
            page=data.get("page") or 1,
        )

    @property
    def filter_count(self) -> int:
        """How many filters are set (shown on the phone's 'Filters' button)."""
        if not self.is_bound:
            return 0
        names = ("skills", "location", "years_min", "years_max", "requisition", "stage", "tags")
        return sum(1 for name in (*names, "source") if self.data.get(name))
