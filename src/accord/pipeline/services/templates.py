"""Stage templates: the workspace's reusable lists of stages, one of them the default."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.audit.services import audit_record
from accord.pipeline.models import Category, StageTemplate, TemplateStage
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
    validate_template_name,
)
from accord.workspaces.access import MANAGE_STAGES, require
from accord.workspaces.models import Member, Workspace


def standard_stages() -> list[StageSpec]:
    """The stages of the "Standard" template every workspace starts with."""
    return [
        StageSpec(_("Sourced"), Category.SOURCED),
        StageSpec(_("Screen"), Category.SCREEN),
        StageSpec(_("Submitted to manager"), Category.SUBMITTED),
        StageSpec(_("Manager review"), Category.REVIEW),
        StageSpec(_("Interview 1"), Category.INTERVIEW),
        StageSpec(_("Interview 2"), Category.INTERVIEW),
        StageSpec(_("Offer"), Category.OFFER),
        StageSpec(_("Hired"), Category.HIRED),
        StageSpec(_("Rejected"), Category.REJECTED),
        StageSpec(_("Withdrawn"), Category.WITHDRAWN),
    ]


def _lock_workspace(workspace: Workspace) -> None:
    # Template writes queue on the workspace row: the default flag and template names are
    # workspace-wide rules that two concurrent requests must not both pass.
    Workspace.objects.select_for_update().filter(pk=workspace.pk).first()


def default_template(workspace: Workspace) -> StageTemplate:
    """The workspace's default template, made ("Standard") the first time it is asked for."""
    template = StageTemplate.objects.filter(workspace=workspace, is_default=True).first()
    if template is not None:
        return template
    with transaction.atomic():
        _lock_workspace(workspace)
        template = StageTemplate.objects.filter(workspace=workspace).order_by("created_at").first()
        if template is not None:
            # Only reachable if data was changed outside the services: promote the oldest.
            if not template.is_default:
                template.is_default = True
                template.save(update_fields=["is_default"])
            return template
        template = StageTemplate.objects.create(
            workspace=workspace, name=_("Standard"), is_default=True
        )
        rewrite(TemplateStage, [], standard_stages(), template=template)
    return template


def _locked(template: StageTemplate) -> StageTemplate:
    return StageTemplate.objects.select_for_update().get(pk=template.pk)


def _taken_names(workspace_id: int, *, but: StageTemplate | None = None) -> list[str]:
    others = StageTemplate.objects.filter(workspace_id=workspace_id)
    if but is not None:
        others = others.exclude(pk=but.pk)
    return list(others.values_list("name", flat=True))


@transaction.atomic
def template_create(
    *,
    actor: Member,
    name: str,
    stages: list[StageSpec] | None = None,
    copy_from: StageTemplate | None = None,
) -> StageTemplate:
    """A new template with the given stages, or a copy of `copy_from` (else of the default)."""
    require(actor, MANAGE_STAGES)
    workspace = actor.workspace
    default_template(workspace)
    _lock_workspace(workspace)
    name = validate_template_name(name, _taken_names(workspace.pk))
    if stages is None:
        source = copy_from or default_template(workspace)
        if source.workspace_id != workspace.pk:
            raise ValidationError(_("Choose a template from this workspace."))
        stages = [StageSpec(s.name, s.category) for s in source.stages.all()]
    stages = [StageSpec(clean_name(s.name), s.category) for s in stages]
    validate_stages(stages)
    template = StageTemplate.objects.create(workspace=workspace, name=name)
    rewrite(TemplateStage, [], stages, template=template)
    audit_record(
        actor=actor.user,
        workspace=workspace,
        action="stage_template.created",
        obj=template,
        changes={"name": [None, name], "stages": [None, describe(stages)]},
    )
    return template


@transaction.atomic
def template_rename(*, actor: Member, template: StageTemplate, name: str) -> StageTemplate:
    require(actor, MANAGE_STAGES, template.workspace_id)
    _lock_workspace(actor.workspace)
    current = _locked(template)
    name = validate_template_name(name, _taken_names(current.workspace_id, but=current))
    if name != current.name:
        old, current.name = current.name, name
        current.save(update_fields=["name"])
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="stage_template.updated",
            obj=current,
            changes={"name": [old, name]},
        )
    return current


@transaction.atomic
def template_make_default(*, actor: Member, template: StageTemplate) -> StageTemplate:
    """New requisitions start from this template; pipelines already set up keep their stages."""
    require(actor, MANAGE_STAGES, template.workspace_id)
    _lock_workspace(actor.workspace)
    current = _locked(template)
    if current.is_default:
        return current
    previous = StageTemplate.objects.filter(workspace_id=current.workspace_id, is_default=True)
    previous.update(is_default=False)
    current.is_default = True
    current.save(update_fields=["is_default"])
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="stage_template.updated",
        obj=current,
        changes={"is_default": [False, True]},
    )
    return current


@transaction.atomic
def template_delete(*, actor: Member, template: StageTemplate) -> None:
    """Delete a template. Requisitions copied its stages, so their pipelines don't change."""
    require(actor, MANAGE_STAGES, template.workspace_id)
    _lock_workspace(actor.workspace)
    current = _locked(template)
    if current.is_default:
        raise ValidationError(
            _(
                "“%(name)s” is the default for new requisitions. Make another template the "
                "default first."
            )
            % {"name": current.name}
        )
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="stage_template.deleted",
        obj=current,
        changes={"name": [current.name, None]},
    )
    current.delete()


type StageEdit = Callable[[list[StageSpec]], list[StageSpec]]


def _edit(actor: Member, template: StageTemplate, edit: StageEdit) -> StageTemplate:
    require(actor, MANAGE_STAGES, template.workspace_id)
    current = _locked(template)
    rows = list(current.stages.all())
    wanted = edit(specs_of(rows))
    validate_stages(wanted)
    before, after = describe(rows), describe(wanted)
    if before != after:
        rewrite(TemplateStage, rows, wanted, template=current)
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="stage_template.updated",
            obj=current,
            changes={"stages": [before, after]},
        )
    return current


@transaction.atomic
def template_stage_add(
    *, actor: Member, template: StageTemplate, name: str, category: str
) -> StageTemplate:
    spec = StageSpec(clean_name(name), category)
    return _edit(actor, template, lambda specs: [*specs, spec])


@transaction.atomic
def template_stage_update(
    *, actor: Member, stage: TemplateStage, name: str, category: str
) -> StageTemplate:
    """Rename a template's stage and/or change its kind."""
    spec = StageSpec(clean_name(name), category, stage.pk)
    return _edit(
        actor,
        stage.template,
        lambda specs: replaced(specs, spec),
    )


@transaction.atomic
def template_stage_reorder(*, actor: Member, stage: TemplateStage, offset: int) -> StageTemplate:
    """Move a stage up (offset −1) or down (+1) the template."""
    return _edit(actor, stage.template, lambda specs: moved(specs, stage.pk, offset))


@transaction.atomic
def template_stage_remove(*, actor: Member, stage: TemplateStage) -> StageTemplate:
    return _edit(actor, stage.template, lambda specs: removed(specs, stage.pk))
