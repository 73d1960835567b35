from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.pipeline.models import REJECTION_REASONS, WITHDRAWAL_REASONS, Category, Stage
from accord.pipeline.services.applications import NOTE_LIMIT


def reason_groups() -> list[tuple[Any, list[tuple[str, Any]]]]:
    return [
        (_("Rejected because…"), [(r.value, r.label) for r in REJECTION_REASONS]),
        (_("Withdrew because…"), [(r.value, r.label) for r in WITHDRAWAL_REASONS]),
    ]


def reason_choices() -> list[tuple[Any, Any]]:
    return [("", _("No reason (not needed for open stages)")), *reason_groups()]


def _stage_choices(stages: Sequence[Stage]) -> list[tuple[str, str]]:
    return [(str(s.public_id), s.name) for s in stages]


def _set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = choices


class Back(forms.ChoiceField):
    """Which page of the pipeline to return to after a form is posted."""

    def __init__(self) -> None:
        super().__init__(
            choices=[("board", "board"), ("list", "list")],
            required=False,
            widget=forms.HiddenInput,
        )


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"))
    reason = forms.ChoiceField(label=_("Reason (for rejected or withdrawn)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=NOTE_LIMIT, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    back = Back()

    def __init__(self, *args: Any, stages: Sequence[Stage], current: Stage, **kwargs: Any):
        kwargs.setdefault("auto_id", "move_%s")
        super().__init__(*args, **kwargs)
        self.stages = {str(s.public_id): s for s in stages}
        _set_choices(self, "to_stage", _stage_choices([s for s in stages if s.pk != current.pk]))
        _set_choices(self, "reason", reason_choices())

    def stage(self) -> Stage:
        return self.stages[self.cleaned_data["to_stage"]]


class BulkForm(forms.Form):
    MOVE, REJECT, TAG = "move", "reject", "tag"

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (MOVE, _("Move to a stage")),
            (REJECT, _("Reject with a reason")),
            (TAG, _("Add tags")),
        ],
    )
    to_stage = forms.ChoiceField(label=_("Stage"), required=False)
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    note = forms.CharField(label=_("Note"), max_length=NOTE_LIMIT, required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separate with commas.")
    )
    back = Back()
    back_query = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, stages: Sequence[Stage], **kwargs: Any):
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.stages = {str(s.public_id): s for s in stages}
        _set_choices(self, "to_stage", [("", _("Choose…")), *_stage_choices(stages)])
        _set_choices(self, "reason", reason_choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == self.MOVE and not data.get("to_stage"):
            self.add_error("to_stage", _("Choose the stage to move them to."))
        if action == self.REJECT and not data.get("reason"):
            self.add_error("reason", _("Choose why they are rejected."))
        if action == self.TAG and not data.get("tags", "").strip():
            self.add_error("tags", _("Type the tags to add, separated by commas."))
        return data

    def stage(self) -> Stage | None:
        chosen = self.cleaned_data.get("to_stage")
        if chosen:
            return self.stages[chosen]
        if self.cleaned_data["action"] == self.REJECT:
            return next((s for s in self.stages.values() if s.category == Category.REJECTED), None)
        return None

    def tag_names(self) -> list[str]:
        return [t for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class ListFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("time", _("Longest in stage")),
            ("-time", _("Newest in stage")),
            ("match", _("Best match")),
            ("name", _("Name")),
        ],
    )

    def __init__(self, *args: Any, stages: Sequence[Stage], tags: Sequence[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "stage", [("", _("All stages")), *_stage_choices(stages)])
        _set_choices(self, "tag", [("", _("Any tag")), *[(t, t) for t in tags]])


class StageForm(forms.Form):
    """One operation on a list of stages (a template's or a requisition's)."""

    OPS = (
        "stage-add",
        "stage-update",
        "stage-up",
        "stage-down",
        "stage-remove",
        "rename",
        "default",
        "delete",
        "create",
        "apply",
        "copy",
        "save-template",
    )

    op = forms.ChoiceField(choices=[(op, op) for op in OPS])
    stage = forms.CharField(required=False, max_length=40)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Kind"), required=False, choices=Category.choices)
    template = forms.UUIDField(required=False)
    requisition = forms.UUIDField(required=False)
