"""Every write to stage templates, pipelines and applications goes through these functions."""

from accord.pipeline.services.applications import (
    BulkResult,
    application_advance,
    application_create,
    application_move,
    applications_move,
    applications_tag,
)
from accord.pipeline.services.stage_lists import StageSpec
from accord.pipeline.services.stages import (
    stage_add,
    stage_remove,
    stage_reorder,
    stage_update,
    stages_apply_template,
    stages_copy,
    stages_for,
    stages_save_as_template,
)
from accord.pipeline.services.templates import (
    default_template,
    template_create,
    template_delete,
    template_make_default,
    template_rename,
    template_stage_add,
    template_stage_remove,
    template_stage_reorder,
    template_stage_update,
)

__all__ = [
    "BulkResult",
    "StageSpec",
    "application_advance",
    "application_create",
    "application_move",
    "applications_move",
    "applications_tag",
    "default_template",
    "stage_add",
    "stage_remove",
    "stage_reorder",
    "stage_update",
    "stages_apply_template",
    "stages_copy",
    "stages_for",
    "stages_save_as_template",
    "template_create",
    "template_delete",
    "template_make_default",
    "template_rename",
    "template_stage_add",
    "template_stage_remove",
    "template_stage_reorder",
    "template_stage_update",
]
