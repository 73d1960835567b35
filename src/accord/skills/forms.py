from django import forms
from django.utils.translation import gettext_lazy as _

from accord.skills.services import LABEL_LIMIT


class CustomSkillForm(forms.Form):
    extends = forms.ChoiceField(
        label=_("This is"),
        choices=[
            ("", _("a skill of our own")),
            ("1", _("more names for a skill Accord knows")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    label = forms.CharField(
        label=_("Skill"),
        max_length=LABEL_LIMIT,
        help_text=_("Your own skill's name, or the name Accord knows, e.g. Kubernetes."),
    )
    synonyms = forms.CharField(
        label=_("Synonyms"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. k8s. Used for this workspace only."),
    )


class LookupForm(forms.Form):
    q = forms.CharField(label=_("What does Accord know as…"), max_length=80, required=False)
