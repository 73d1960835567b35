"""A requisition's own stages: made from the default template on first use, then edited there."""

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.audit.services import audit_record
from accord.pipeline.models import Stage, StageTemplate
from accord.pipeline.services.stage_lists import (
    StageSpec,
    clean_name,
    describe,
    moved,
    removed,
    replaced,
    rewrite,
    specs_of,
    validate_stages,
)
from accord.pipeline.services.templates import default_template, template_create
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_STAGES, require
from accord.workspaces.models import Member


def _lock(requisition: Requisition) -> None:
    Requisition.objects.select_for_update().filter(pk=requisition.pk).first()


def stages_for(requisition: Requisition) -> list[Stage]:
    """The requisition's stages in order, copied from the default template the first time.

    Safe to call from concurrent requests: the copy happens under the requisition's row lock
    and only when, under that lock, the requisition still has no stages.
    """
    stages = list(Stage.objects.filter(requisition=requisition))
    if stages:
        return stages
    template = default_template(requisition.workspace)
    with transaction.atomic():
        _lock(requisition)
        stages = list(Stage.objects.filter(requisition=requisition))
        if not stages:
            specs = [StageSpec(s.name, s.category) for s in template.stages.all()]
            rewrite(Stage, [], specs, requisition=requisition)
            stages = list(Stage.objects.filter(requisition=requisition))
    return stages


def _counts(requisition: Requisition) -> dict[int, int]:
    rows = requisition.applications.order_by().values_list("stage").annotate(n=Count("id"))
    return dict(rows)


def _blocked(rows: Sequence[Stage], counts: dict[int, int]) -> str:
    return ", ".join(f"{r.name} ({counts[r.pk]})" for r in rows)


type PipelineEdit = Callable[[list[StageSpec]], list[StageSpec]]


def _edit(
    actor: Member, requisition: Requisition, edit: PipelineEdit, *, replacing: str = ""
) -> list[Stage]:
    """Apply one change to the pipeline under its lock; stages that hold applications can be
    renamed and reordered, but not removed or given another kind."""
    require(actor, MANAGE_STAGES, requisition.workspace_id)
    stages_for(requisition)
    _lock(requisition)
    # Moves lock their target stage too, so a stage can't receive an application between
    # the count below and its removal.
    rows = list(Stage.objects.select_for_update().filter(requisition=requisition))
    wanted = edit(specs_of(rows))
    validate_stages(wanted)
    counts = _counts(requisition)
    kept = {s.pk: s for s in wanted if s.pk is not None}
    gone = [r for r in rows if r.pk not in kept and counts.get(r.pk)]
    if gone and replacing:
        raise ValidationError(
            _(
                "Applications sit in stages %(source)s doesn’t have: %(stages)s. Move them to "
                "stages it has first, then try again."
            )
            % {"source": replacing, "stages": _blocked(gone, counts)}
        )
    if gone:
        n = counts[gone[0].pk]
        raise ValidationError(
            ngettext(
                "“%(name)s” has %(n)s application. Move it to another stage first, then remove "
                "the stage.",
                "“%(name)s” has %(n)s applications. Move them to another stage first, then "
                "remove the stage.",
                n,
            )
            % {"name": gone[0].name, "n": n}
        )
    rekinded = [
        r for r in rows if r.pk in kept and kept[r.pk].category != r.category and counts.get(r.pk)
    ]
    if rekinded:
        raise ValidationError(
            _(
                "“%(name)s” has applications, so its kind can’t change. Move them out first, or "
                "add a new stage of the kind you want."
            )
            % {"name": rekinded[0].name}
        )
    before, after = describe(rows), describe(wanted)
    if before != after:
        rewrite(Stage, rows, wanted, requisition=requisition)
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="pipeline.stages_changed",
            obj=requisition,
            changes={"stages": [before, after]},
        )
    return list(Stage.objects.filter(requisition=requisition))


@transaction.atomic
def stage_add(*, actor: Member, requisition: Requisition, name: str, category: str) -> list[Stage]:
    spec = StageSpec(clean_name(name), category)
    return _edit(actor, requisition, lambda specs: [*specs, spec])


@transaction.atomic
def stage_update(*, actor: Member, stage: Stage, name: str, category: str) -> list[Stage]:
    """Rename a stage; change its kind only while it is empty."""
    spec = StageSpec(clean_name(name), category, stage.pk)
    return _edit(actor, stage.requisition, lambda specs: replaced(specs, spec))


@transaction.atomic
def stage_reorder(*, actor: Member, stage: Stage, offset: int) -> list[Stage]:
    """Move a stage up (offset −1) or down (+1) the pipeline."""
    return _edit(actor, stage.requisition, lambda specs: moved(specs, stage.pk, offset))


@transaction.atomic
def stage_remove(*, actor: Member, stage: Stage) -> list[Stage]:
    """Remove an empty stage."""
    return _edit(actor, stage.requisition, lambda specs: removed(specs, stage.pk))


def _matched(rows: list[StageSpec], source: Sequence[StageSpec]) -> list[StageSpec]:
    """The source's stages, keeping the existing stage (and its applications) wherever one has
    the same name and kind."""
    existing = {(s.name.casefold(), s.category): s.pk for s in rows}
    return [
        StageSpec(s.name, s.category, existing.pop((s.name.casefold(), s.category), None))
        for s in source
    ]


@transaction.atomic
def stages_apply_template(
    *, actor: Member, requisition: Requisition, template: StageTemplate
) -> list[Stage]:
    """Make the pipeline the template's stages; refused while applications sit in a stage the
    template doesn't have."""
    require(actor, MANAGE_STAGES, requisition.workspace_id)
    if template.workspace_id != requisition.workspace_id:
        raise ValidationError(_("Choose a template from this workspace."))
    source = [StageSpec(s.name, s.category) for s in template.stages.all()]
    label = _("the template “%(name)s”") % {"name": template.name}
    return _edit(actor, requisition, lambda specs: _matched(specs, source), replacing=label)


@transaction.atomic
def stages_copy(*, actor: Member, requisition: Requisition, source: Requisition) -> list[Stage]:
    """Use another requisition's stages here (same rule as applying a template)."""
    require(actor, MANAGE_STAGES, requisition.workspace_id)
    if source.workspace_id != requisition.workspace_id:
        raise ValidationError(_("Choose a requisition from this workspace."))
    if source.pk == requisition.pk:
        raise ValidationError(_("Choose another requisition to copy the stages from."))
    specs = [StageSpec(s.name, s.category) for s in stages_for(source)]
    label = _("“%(title)s”") % {"title": source.title}
    return _edit(actor, requisition, lambda current: _matched(current, specs), replacing=label)


@transaction.atomic
def stages_save_as_template(*, actor: Member, requisition: Requisition, name: str) -> StageTemplate:
    """Keep this pipeline's stages as a new template for other requisitions."""
    require(actor, MANAGE_STAGES, requisition.workspace_id)
    specs = [StageSpec(s.name, s.category) for s in stages_for(requisition)]
    return template_create(actor=actor, name=name, stages=specs)
