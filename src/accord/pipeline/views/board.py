"""The pipeline of one requisition: board, list, moving one application, bulk actions."""

from typing import Any
from urllib.parse import parse_qsl, urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors
from accord.pipeline import selectors, services
from accord.pipeline.forms import BulkForm, ListFilterForm, MoveForm, reason_groups
from accord.pipeline.models import Application, Stage
from accord.pipeline.views.cards import CardMaker
from accord.requisitions.models import Requisition
from accord.requisitions.selectors import requisition_get_for_member
from accord.workspaces.access import (
    MANAGE_CANDIDATES,
    MANAGE_STAGES,
    VIEW_CANDIDATES,
    WorkspaceRequest,
    member_required,
)


def _common(request: WorkspaceRequest, requisition: Requisition) -> dict[str, Any]:
    return {
        "requisition": requisition,
        "can_move": request.member.can(MANAGE_CANDIDATES),
        "can_manage_stages": request.member.can(MANAGE_STAGES),
        "now": timezone.now(),
        "move_label": _("Move to…"),
    }


def _bulk_form(stages: list[Stage], back: str, back_query: str = "") -> BulkForm:
    return BulkForm(stages=stages, initial={"back": back, "back_query": back_query})


@member_required(VIEW_CANDIDATES)
@require_GET
def board(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    stages = services.stages_for(requisition)
    columns = selectors.board_columns(requisition, stages)
    common = _common(request, requisition)
    cards = CardMaker(requisition, common["now"])
    context = {
        **common,
        "columns": [(column, cards.many(column.cards)) for column in columns],
        "total": sum(c.count for c in columns),
        "bulk_form": _bulk_form(stages, "board"),
        "stages": stages,
        "reasons": reason_groups(),
    }
    return render(request, "pipeline/board.html", context)


@member_required(VIEW_CANDIDATES)
@require_GET
def column(request: WorkspaceRequest, public_id: UUID, stage_id: UUID) -> HttpResponse:
    """The next page of cards of one column ("Show more", or opening a closed column)."""
    requisition = requisition_get_for_member(request.member, public_id)
    stage = selectors.stage_get(requisition, stage_id)
    col = selectors.column_page(stage, request.GET.get("after", ""))
    common = _common(request, requisition)
    cards = CardMaker(requisition, common["now"]).many(col.cards)
    context = {**common, "col": col, "cards": cards}
    return render(request, "pipeline/board.html#cards", context)


@member_required(VIEW_CANDIDATES)
@require_GET
def application_list(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    stages = services.stages_for(requisition)
    tags = selectors.tags_of(requisition.workspace)
    form = ListFilterForm(request.GET or None, stages=stages, tags=[t.name for t in tags])
    filters = form.cleaned_data if form.is_valid() else {}
    stage = next((s for s in stages if str(s.public_id) == filters.get("stage")), None)
    tag = next((t for t in tags if t.name == filters.get("tag")), None)
    queryset = selectors.application_list(
        requisition, stage=stage, tag=tag, order=filters.get("sort") or "time"
    )
    page = Paginator(queryset, selectors.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in filters.items() if v}
    common = _common(request, requisition)
    context = {
        **common,
        "form": form,
        "page": page,
        "rows": CardMaker(requisition, common["now"]).many(list(page.object_list)),
        "stages": stages,
        "reasons": reason_groups(),
        "query": urlencode(query),
        "bulk_form": _bulk_form(stages, "list", urlencode(query)),
        "filtered": bool(stage or tag),
    }
    return render(request, "pipeline/list.html", context)


def _back(
    requisition: Requisition, back: str | None, query: str = "", anchor: str = ""
) -> HttpResponse:
    """Back to the board or the list (only those two, and only the list's own filters)."""
    if back == "list":
        url = reverse("pipeline:list", args=[requisition.workspace.slug, requisition.public_id])
        pairs = [(k, v) for k, v in parse_qsl(query) if k in ("stage", "tag", "sort", "page")]
        return redirect(url + ("?" + urlencode(pairs) if pairs else ""))
    url = reverse("pipeline:board", args=[requisition.workspace.slug, requisition.public_id])
    return redirect(url + anchor)


def _moved_response(
    request: WorkspaceRequest,
    requisition: Requisition,
    application: Application,
    *,
    form: MoveForm | None,
    status: int,
    message: str = "",
) -> HttpResponse:
    """For the board (htmx): the dialog's content (the form again, or a confirmation), the
    card as it now is and every column's count, swapped in out of band."""
    current = selectors.application_get(requisition, application.public_id)
    common = _common(request, requisition)
    context = {
        **common,
        "form": form,
        "application": current,
        "card": CardMaker(requisition, common["now"])(current),
        "message": message,
        "counts": selectors.pipeline_summary(requisition),
    }
    response = render(request, "pipeline/move_result.html", context, status=status)
    if status == 200:
        response["HX-Trigger"] = "pipeline-moved"
    return response


@member_required(MANAGE_CANDIDATES)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def move(request: WorkspaceRequest, public_id: UUID, application_id: UUID) -> HttpResponse:
    """Move one application: a form on GET (the board's "Move to…"), the move on POST."""
    requisition = requisition_get_for_member(request.member, public_id)
    application = selectors.application_get(requisition, application_id)
    stages = services.stages_for(requisition)
    initial = {
        "to_stage": request.GET.get("to_stage"),
        "revision": application.revision,
        "back": request.GET.get("back", "board"),
    }
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        stages=stages,
        current=application.stage,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            to_stage = form.stage()
            try:
                services.application_move(
                    actor=request.member,
                    application=application,
                    to_stage=to_stage,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    revision=form.cleaned_data["revision"],
                )
            except Conflict as error:
                current: Application = error.current  # type: ignore[assignment]
                now_in = next((s.name for s in stages if s.pk == current.stage_id), "")
                form.add_error(
                    None,
                    _(
                        "Someone moved %(name)s meanwhile: they are now in %(stage)s. Nothing "
                        "was changed. Choose again if they should still move."
                    )
                    % {"name": application.candidate.name, "stage": now_in},
                )
                data = request.POST.copy()
                data["revision"] = str(current.revision)
                form.data = data
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
                status = 422
            else:
                text = _("%(name)s moved to %(stage)s.") % {
                    "name": application.candidate.name,
                    "stage": to_stage.name,
                }
                if request.htmx:
                    return _moved_response(
                        request, requisition, application, form=None, status=200, message=text
                    )
                messages.success(request, text)
                return _back(requisition, form.cleaned_data.get("back"))
        else:
            status = 422
        if request.htmx:
            return _moved_response(request, requisition, application, form=form, status=status)
    context = {**_common(request, requisition), "form": form, "application": application}
    template = "pipeline/move.html#form" if request.htmx else "pipeline/move.html"
    return render(request, template, context, status=status)


@member_required(MANAGE_CANDIDATES)
@require_POST
def bulk(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """Move, reject or tag the selected applications of this requisition."""
    requisition = requisition_get_for_member(request.member, public_id)
    stages = services.stages_for(requisition)
    form = BulkForm(request.POST, stages=stages)
    back, query = request.POST.get("back"), request.POST.get("back_query", "")
    if not form.is_valid():
        for field_errors in form.errors.get_json_data().values():
            for error in field_errors:
                messages.error(request, error["message"])
        return _back(requisition, back, query)
    ids = set()
    for value in request.POST.getlist("applications"):
        try:
            ids.add(UUID(value))
        except ValueError:
            continue
    applications = selectors.applications_in(requisition, ids)
    action = form.cleaned_data["action"]
    try:
        if action == BulkForm.TAG:
            result = services.applications_tag(
                actor=request.member, applications=applications, tag_names=form.tag_names()
            )
        else:
            to_stage = form.stage()
            if to_stage is None:
                raise ValidationError(_("This pipeline has no Rejected stage to move them to."))
            result = services.applications_move(
                actor=request.member,
                applications=applications,
                to_stage=to_stage,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        summary = result.summary
        if len(ids) > len(applications):
            summary += " " + _("%(n)s selected were not found in this requisition.") % {
                "n": len(ids) - len(applications)
            }
        (messages.success if result.done else messages.warning)(request, summary)
    return _back(requisition, back, query)
