from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accord.briefs.selectors import earlier_intakes, in_force_and_draft, versions_of
from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors
from accord.partnerships.selectors import lessons_offered
from accord.pipeline.selectors import pipeline_summary
from accord.requisitions import plan, services
from accord.requisitions.forms import (
    FilterForm,
    KickoffForm,
    MilestoneForm,
    RequisitionForm,
    TransitionForm,
)
from accord.requisitions.models import (
    ACTIVE_STATUSES,
    TRANSITIONS,
    Milestone,
    Requisition,
    Status,
)
from accord.requisitions.selectors import (
    can_edit_brief,
    recent_events,
    requisition_get_for_member,
    requisitions_for,
    status_counts,
)
from accord.workspaces.access import (
    MANAGE_REQUISITIONS,
    VIEW_REQUISITIONS,
    WorkspaceRequest,
    member_required,
)
from accord.workspaces.models import Role

PAGE_SIZE = 50


@member_required(VIEW_REQUISITIONS)
@vary_on_headers("HX-Request")
def requisition_list(request: WorkspaceRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    queryset = requisitions_for(request.member).prefetch_related("hiring_managers__user")
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or ""
    if status == "":
        queryset = queryset.filter(status__in=ACTIVE_STATUSES)
    elif status != "all":
        queryset = queryset.filter(status=status)
    if filters.get("q"):
        queryset = queryset.filter(title__icontains=filters["q"])
    if filters.get("team"):
        queryset = queryset.filter(team__iexact=filters["team"])
    if filters.get("mine"):
        queryset = queryset.involving(request.member)
    requisitions = list(queryset.order_by("-created_at")[:PAGE_SIZE])
    context = {
        "form": form,
        "requisitions": requisitions,
        "truncated": len(requisitions) == PAGE_SIZE,
        "counts": status_counts(request.member),
        "can_create": request.member.can(MANAGE_REQUISITIONS),
    }
    template = "requisitions/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _form_values(form: RequisitionForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("revision", None)
    return data


@member_required(MANAGE_REQUISITIONS)
@require_http_methods(["GET", "POST"])
def requisition_create(request: WorkspaceRequest) -> HttpResponse:
    form = RequisitionForm(
        request.POST or None,
        workspace_id=request.workspace.pk,
        initial={"recruiter": request.member if request.member.role == Role.RECRUITER else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            requisition = services.requisition_create(actor=request.member, **_form_values(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(title)s is created. Next: run the intake with the hiring manager.")
                % {"title": requisition.title},
            )
            return redirect("requisitions:detail", request.workspace.slug, requisition.public_id)
    status = 422 if form.errors else 200
    return render(request, "requisitions/form.html", {"form": form}, status=status)


@member_required(MANAGE_REQUISITIONS)
@require_http_methods(["GET", "POST"])
def requisition_edit(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id, write=True)
    initial = {
        **{f: getattr(requisition, f) for f in services.DETAIL_FIELDS},
        "recruiter": requisition.recruiter,
        "hiring_managers": list(requisition.hiring_managers.all()),
        "hiring_team": list(requisition.hiring_team.all()),
        "revision": requisition.revision,
    }
    form = RequisitionForm(request.POST or None, workspace_id=request.workspace.pk, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.requisition_update(
                actor=request.member,
                requisition=requisition,
                revision=form.cleaned_data.get("revision") or 0,
                **_form_values(form),
            )
        except Conflict as error:
            conflict = cast(Requisition, error.current)
            form.add_error(
                None,
                _(
                    "Someone saved this requisition while you were editing. Their version is "
                    "shown beside yours; nothing of yours was saved yet. Adjust and save again."
                ),
            )
            data = request.POST.copy()
            data["revision"] = str(conflict.revision)
            form.data = data
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Requisition saved."))
            return redirect("requisitions:detail", request.workspace.slug, requisition.public_id)
    status = 409 if conflict else 422 if form.errors else 200
    return render(
        request,
        "requisitions/form.html",
        {"form": form, "requisition": requisition, "conflict": conflict},
        status=status,
    )


@member_required(VIEW_REQUISITIONS)
def requisition_detail(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    versions = versions_of(requisition)
    in_force, draft = in_force_and_draft(versions)
    can_manage = request.member.can(MANAGE_REQUISITIONS)
    milestones = list(requisition.milestones.all())
    context = {
        "requisition": requisition,
        "versions": versions,
        "in_force": in_force,
        "draft": draft,
        "events": recent_events(requisition),
        "milestones": milestones,
        "milestone_forms": [
            (m, MilestoneForm(instance=m, prefix=str(m.public_id))) for m in milestones
        ]
        if can_manage
        else [],
        "estimate": plan.expected_time_to_fill(requisition),
        "kickoff": requisition.kickoffs.first(),
        "kickoff_form": KickoffForm() if can_manage else None,
        "transitions": [
            (status, label)
            for status, label in Status.choices
            if status in TRANSITIONS[requisition.status]
        ],
        "can_manage": can_manage and not requisition.is_closed,
        "can_edit_brief": can_edit_brief(request.member, requisition),
        "previous": earlier_intakes(request.member, requisition) if not versions else [],
        # Lessons about its managers, for a recruiter starting or editing the intake.
        "lessons_offered": lessons_offered(requisition, request.member)
        if draft or not versions
        else [],
        "stages": pipeline_summary(requisition),
    }
    return render(request, "requisitions/detail.html", context)


@member_required(MANAGE_REQUISITIONS)
@require_POST
def requisition_transition(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id, write=True)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.requisition_transition(
                actor=request.member,
                requisition=requisition,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            requisition.refresh_from_db(fields=["status"])
            messages.success(
                request,
                _("%(title)s is now %(status)s.")
                % {"title": requisition.title, "status": requisition.get_status_display().lower()},
            )
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect("requisitions:detail", request.workspace.slug, requisition.public_id)


@member_required(MANAGE_REQUISITIONS)
@require_POST
def plan_create(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id, write=True)
    created = services.plan_create(actor=request.member, requisition=requisition)
    if created:
        messages.success(
            request,
            ngettext(
                "Plan laid out: %(n)s milestone. Adjust the dates with the manager.",
                "Plan laid out: %(n)s milestones. Adjust the dates with the manager.",
                len(created),
            )
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("The plan is already laid out; adjust its dates below."))
    return redirect("requisitions:detail", request.workspace.slug, requisition.public_id)


@member_required(MANAGE_REQUISITIONS)
@require_POST
def milestone_update(
    request: WorkspaceRequest, public_id: UUID, milestone_id: UUID
) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id, write=True)
    milestone = _milestone_of(requisition, milestone_id)
    form = MilestoneForm(request.POST, instance=Milestone(), prefix=str(milestone.public_id))
    if form.is_valid():
        try:
            services.milestone_update(
                actor=request.member,
                milestone=milestone,
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                done_on=form.cleaned_data["done_on"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Milestone saved."))
    else:
        messages.error(request, _("Enter a due date like 2027-03-01."))
    return redirect("requisitions:detail", request.workspace.slug, requisition.public_id)


def _milestone_of(requisition: Requisition, milestone_id: UUID) -> Milestone:
    milestone = get_object_or_404(Milestone, requisition=requisition, public_id=milestone_id)
    milestone.requisition = requisition
    return milestone


@member_required(MANAGE_REQUISITIONS)
@require_POST
def kickoff_schedule(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id, write=True)
    form = KickoffForm(request.POST)
    if form.is_valid():
        try:
            services.kickoff_schedule(
                actor=request.member, requisition=requisition, **form.cleaned_data
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("Kickoff invite sent to you and the hiring manager, with a calendar file."),
            )
    else:
        for text in form.errors.get_json_data().values():
            for item in text:
                messages.error(request, item["message"])
    return redirect("requisitions:detail", request.workspace.slug, requisition.public_id)
