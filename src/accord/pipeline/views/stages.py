"""Stage templates (workspace-wide) and one requisition's pipeline settings."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accord.lib.feedback import flash_errors
from accord.pipeline import selectors, services
from accord.pipeline.forms import StageForm
from accord.pipeline.models import Category, Stage, StageTemplate
from accord.requisitions.models import Requisition
from accord.requisitions.selectors import requisition_get_for_member, requisitions_for
from accord.workspaces.access import MANAGE_STAGES, WorkspaceRequest, member_required


def _form(request: WorkspaceRequest) -> dict[str, Any] | None:
    form = StageForm(request.POST)
    if form.is_valid():
        return form.cleaned_data
    messages.error(request, _("That action isn’t one this page offers. Reload and try again."))
    return None


def _templates_url(request: WorkspaceRequest, template: StageTemplate | None = None) -> str:
    url = reverse("pipeline:templates", args=[request.workspace.slug])
    return url + (f"#template-{template.public_id}" if template else "")


@member_required(MANAGE_STAGES)
@require_http_methods(["GET", "POST"])
def templates(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's stage templates; POST creates one (a copy of another, or the default)."""
    if request.method == "POST":
        data = _form(request)
        if data is not None:
            copy_from = None
            if data["template"]:
                copy_from = selectors.template_get(request.workspace, data["template"])
            try:
                template = services.template_create(
                    actor=request.member, name=data["name"], copy_from=copy_from
                )
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(
                    request,
                    _("Template “%(name)s” created. Adjust its stages below.")
                    % {"name": template.name},
                )
                return redirect(_templates_url(request, template))
        return redirect(_templates_url(request))
    services.default_template(request.workspace)
    context = {
        "templates": selectors.templates_for(request.workspace),
        "categories": Category.choices,
    }
    return render(request, "pipeline/templates.html", context)


@member_required(MANAGE_STAGES)
@require_POST
def template_edit(request: WorkspaceRequest, template_id: UUID) -> HttpResponse:
    """One change to a template: rename, make default, delete, or edit its stages."""
    template = selectors.template_get(request.workspace, template_id)
    data = _form(request)
    if data is None:
        return redirect(_templates_url(request, template))
    actor, op = request.member, data["op"]
    done = _("Template saved.")
    try:
        if op == "rename":
            services.template_rename(actor=actor, template=template, name=data["name"])
        elif op == "default":
            services.template_make_default(actor=actor, template=template)
            done = _("“%(name)s” is now the default for new requisitions.") % {
                "name": template.name
            }
        elif op == "delete":
            services.template_delete(actor=actor, template=template)
            messages.success(request, _("Template “%(name)s” deleted.") % {"name": template.name})
            return redirect(_templates_url(request))
        elif op == "stage-add":
            services.template_stage_add(
                actor=actor, template=template, name=data["name"], category=data["category"]
            )
        elif op in ("stage-update", "stage-up", "stage-down", "stage-remove"):
            stage = selectors.template_stage_get(template, data["stage"])
            if op == "stage-update":
                services.template_stage_update(
                    actor=actor, stage=stage, name=data["name"], category=data["category"]
                )
            elif op == "stage-remove":
                services.template_stage_remove(actor=actor, stage=stage)
            else:
                offset = -1 if op == "stage-up" else 1
                services.template_stage_reorder(actor=actor, stage=stage, offset=offset)
        else:
            raise ValidationError(_("That action isn’t one this page offers."))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect(_templates_url(request, template))


def _stage_of(requisition: Requisition, value: str) -> Stage:
    try:
        return selectors.stage_get(requisition, UUID(value))
    except ValueError:
        raise Http404 from None


def _stages_op(request: WorkspaceRequest, requisition: Requisition, data: dict[str, Any]) -> str:
    """Carry out one change to the pipeline; return what to tell the person."""
    actor, op = request.member, data["op"]
    if op == "stage-add":
        services.stage_add(
            actor=actor, requisition=requisition, name=data["name"], category=data["category"]
        )
        return _("Stage added.")
    if op in ("stage-update", "stage-up", "stage-down", "stage-remove"):
        stage = _stage_of(requisition, data["stage"])
        if op == "stage-update":
            services.stage_update(
                actor=actor, stage=stage, name=data["name"], category=data["category"]
            )
            return _("Stage saved.")
        if op == "stage-remove":
            services.stage_remove(actor=actor, stage=stage)
            return _("Stage “%(name)s” removed.") % {"name": stage.name}
        services.stage_reorder(actor=actor, stage=stage, offset=-1 if op == "stage-up" else 1)
        return _("Stage moved.")
    if op == "apply":
        template = selectors.template_get(request.workspace, data["template"])
        services.stages_apply_template(actor=actor, requisition=requisition, template=template)
        return _("The stages of “%(name)s” now apply.") % {"name": template.name}
    if op == "copy":
        try:
            source = requisitions_for(actor).get(public_id=data["requisition"])
        except Requisition.DoesNotExist:
            raise Http404 from None
        services.stages_copy(actor=actor, requisition=requisition, source=source)
        return _("Stages copied from %(title)s.") % {"title": source.title}
    if op == "save-template":
        template = services.stages_save_as_template(
            actor=actor, requisition=requisition, name=data["name"]
        )
        return _("Saved as the template “%(name)s”.") % {"name": template.name}
    raise ValidationError(_("That action isn’t one this page offers."))


@member_required(MANAGE_STAGES)
@require_http_methods(["GET", "POST"])
def stages(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """A requisition's pipeline settings: its stages, templates and copying."""
    requisition = requisition_get_for_member(request.member, public_id)
    if request.method == "POST":
        data = _form(request)
        if data is not None:
            try:
                done = _stages_op(request, requisition, data)
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(request, done)
        return redirect("pipeline:stages", request.workspace.slug, requisition.public_id)
    services.stages_for(requisition)
    context = {
        "requisition": requisition,
        "stages": selectors.pipeline_summary(requisition),
        "templates": selectors.templates_for(request.workspace),
        "sources": selectors.copy_sources(request.member, requisition),
        "categories": Category.choices,
    }
    return render(request, "pipeline/stages.html", context)
