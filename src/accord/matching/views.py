"""Screening one application against the brief, and ranking a requisition's applicants and the
whole pool."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from accord.briefs.selectors import in_force
from accord.candidates.models import Candidate
from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors
from accord.matching import services
from accord.matching.selectors import (
    POOL_PREFILTER,
    POOL_SHOWN,
    application_get_for_member,
    criteria_of,
    pool_ranking,
    ranked_applicants,
    screen_rows,
    stale_applications,
)
from accord.pipeline import services as pipeline
from accord.pipeline.models import Application, Assessment, Verdict
from accord.requisitions.selectors import requisition_get_for_member
from accord.workspaces.access import (
    MANAGE_CANDIDATES,
    VIEW_CANDIDATES,
    WorkspaceRequest,
    member_required,
)

VERDICT_BUTTONS = [
    (Verdict.MET, "btn-outline-success"),
    (Verdict.PARTLY, "btn-outline-warning"),
    (Verdict.NOT_MET, "btn-outline-danger"),
    (Verdict.UNKNOWN, "btn-outline-secondary"),
]


def _screen_context(request: WorkspaceRequest, application: Application) -> dict[str, Any]:
    version = in_force(application.requisition)
    context: dict[str, Any] = {
        "application": application,
        "candidate": application.candidate,
        "requisition": application.requisition,
        "version": version,
        "can_assess": request.member.can(MANAGE_CANDIDATES),
        "buttons": [(v, Verdict(v).label, css) for v, css in VERDICT_BUTTONS],
        "rows": [],
        "match": None,
    }
    if version is not None:
        criteria = criteria_of(version)
        rows = screen_rows(application, criteria)
        context["rows"] = rows
        context["match"] = services.match_for(
            criteria, [r.assessment for r in rows if r.assessment]
        )
        context["never_suggested"] = bool(rows) and all(r.assessment is None for r in rows)
    return context


@member_required(VIEW_CANDIDATES)
@require_GET
def screen(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    application = application_get_for_member(request.member, public_id)
    return render(request, "matching/screen.html", _screen_context(request, application))


@member_required(MANAGE_CANDIDATES)
@require_POST
@vary_on_headers("HX-Request")
def assess(request: WorkspaceRequest, public_id: UUID, criterion_id: UUID) -> HttpResponse:
    """Save one criterion's verdict and evidence. htmx gets the criterion back with the match
    summary swapped out of band; a plain form post goes back to the screen."""
    application = application_get_for_member(request.member, public_id)
    version = in_force(application.requisition)
    if version is None:
        raise Http404
    criterion = get_object_or_404(version.criteria, public_id=criterion_id)
    verdict = request.POST.get("verdict", "")
    evidence = request.POST.get("evidence", "")
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    status, error, conflict = 200, "", None
    try:
        services.assessment_save(
            actor=request.member,
            application=application,
            criterion=criterion,
            verdict=verdict,
            evidence=evidence,
            revision=revision,
        )
    except Conflict as clash:
        status = 409
        conflict = clash.current if isinstance(clash.current, Assessment) else None
        error = _(
            "Someone else saved this criterion while you were looking. Their verdict is shown "
            "below; yours was not saved. Choose again to replace it."
        )
    except ValidationError as refused:
        status = 422
        error = " ".join(refused.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": criterion.name})
        return redirect("matching:screen", request.workspace.slug, application.public_id)
    context = _screen_context(request, application)
    row = next((r for r in context["rows"] if r.criterion.pk == criterion.pk), None)
    if row is None:
        raise Http404
    context.update(row=row, error=error, conflict=conflict, oob=True)
    if status == 422:
        # Keep what they typed, so fixing it doesn't mean typing it again.
        context["typed"] = evidence
    return render(request, "matching/screen.html#criterion", context, status=status)


@member_required(MANAGE_CANDIDATES)
@require_POST
def refresh(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """Suggest verdicts for this application now (one application: no need for the worker)."""
    application = application_get_for_member(request.member, public_id)
    if in_force(application.requisition) is None:
        messages.error(request, _("Nothing to suggest against: this role has no signed brief."))
    else:
        services.refresh_suggestions([application.pk])
        messages.success(request, _("Suggestions updated from the latest resume."))
    return redirect("matching:screen", request.workspace.slug, application.public_id)


@member_required(VIEW_CANDIDATES)
@require_GET
def rank(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    version = in_force(requisition)
    tab = "pool" if request.GET.get("tab") == "pool" else "applicants"
    context: dict[str, Any] = {
        "requisition": requisition,
        "version": version,
        "tab": tab,
        "can_manage": request.member.can(MANAGE_CANDIDATES),
        "pool_prefilter": POOL_PREFILTER,
        "pool_shown": POOL_SHOWN,
    }
    if version is not None:
        criteria = criteria_of(version)
        context["criteria"] = criteria
        if tab == "pool":
            context["pool"] = pool_ranking(request.member, requisition, criteria)
        else:
            ranked, total = ranked_applicants(requisition, criteria)
            context.update(ranked=ranked, total=total)
            context["stale"] = len(stale_applications(requisition, version))
    return render(request, "matching/rank.html", context)


@member_required(MANAGE_CANDIDATES)
@require_POST
def rank_refresh(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """Recompute the matches that predate the brief in force, in the worker."""
    requisition = requisition_get_for_member(request.member, public_id)
    version = in_force(requisition)
    if version is None:
        messages.error(request, _("Nothing to rank against: this role has no signed brief."))
    else:
        ids = stale_applications(requisition, version)
        if ids:
            services.refresh_suggestions_task.enqueue(ids)
            messages.success(
                request,
                _("Recomputing %(n)s matches. Reload in a moment to see them.") % {"n": len(ids)},
            )
        else:
            messages.info(request, _("Every match is up to date with the brief in force."))
    return redirect("matching:rank", request.workspace.slug, requisition.public_id)


@member_required(MANAGE_CANDIDATES)
@require_POST
def pool_add(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """Add a candidate from the pool to this requisition (pipeline.services makes the
    application; suggestions follow in the worker)."""
    requisition = requisition_get_for_member(request.member, public_id)
    back = redirect("matching:rank", request.workspace.slug, requisition.public_id)
    back["Location"] += "?tab=pool"
    try:
        candidate_id = UUID(request.POST.get("candidate", ""))
    except ValueError:
        messages.error(request, _("Choose a candidate from the list."))
        return back
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.member).live(), public_id=candidate_id
    )
    try:
        pipeline.application_create(
            actor=request.member, candidate=candidate, requisition=requisition
        )
    except ValidationError as refused:
        flash_errors(request, refused)
        return back
    messages.success(
        request,
        _("%(name)s is in %(title)s now.") % {"name": candidate.name, "title": requisition.title},
    )
    return back
