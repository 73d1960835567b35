from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.candidates.models import Source
from accord.requisitions.models import ACTIVE_STATUSES, Requisition
from accord.workspaces.models import Member


def split_lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]


class CandidateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    location = forms.CharField(label=_("Location"), max_length=160, required=False)
    headline = forms.CharField(label=_("Current title"), max_length=160, required=False)
    current_employer = forms.CharField(label=_("Current employer"), max_length=160, required=False)
    years_experience = forms.DecimalField(
        label=_("Years of experience"),
        min_value=0,
        max_value=70,
        max_digits=4,
        decimal_places=1,
        required=False,
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: LinkedIn, GitHub, portfolio."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.SOURCED)
    source_detail = forms.CharField(
        label=_("Source detail"),
        max_length=160,
        required=False,
        help_text=_("Who referred them, which agency or event."),
    )
    consent = forms.BooleanField(label=_("They agreed to us keeping their data"), required=False)
    consent_note = forms.CharField(
        label=_("How they agreed"),
        max_length=300,
        required=False,
        help_text=_("E.g. “Applied through the careers page”, “Email of 3 May”."),
    )
    retain_until = forms.DateField(
        label=_("Keep data until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this date the retention job erases the candidate."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def profile(self) -> dict[str, Any]:
        """The cleaned values as candidate service arguments (consent handled by the view)."""
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        data.pop("consent", None)
        data["links"] = split_lines(data.get("links") or "")
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TagsForm(forms.Form):
    add = forms.CharField(
        label=_("Add tags"),
        max_length=400,
        required=False,
        help_text=_("Separate tags with commas."),
    )
    remove = forms.CharField(required=False, widget=forms.HiddenInput)


class ResumeForm(forms.Form):
    file = forms.FileField(
        label=_("Resume"),
        help_text=_("PDF, Word (.docx), plain text or JSON Resume, up to the size limit."),
    )


class ApplyForm(forms.Form):
    requisition = forms.ModelChoiceField(
        label=_("Requisition"), queryset=Requisition.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, member: Member, exclude: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requisition"].queryset = (  # type: ignore[attr-defined]
            Requisition.objects.visible_to(member)
            .filter(status__in=ACTIVE_STATUSES)
            .exclude(pk__in=exclude)
            .order_by("title")
        )


class MergeForm(forms.Form):
    other = forms.UUIDField(widget=forms.HiddenInput)
