"""The brief as the agreed reference: its versions, diffs, exports, and starting or changing it."""

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.briefs import exports, services
from accord.briefs.checks import findings_for, shipped_lexicon
from accord.briefs.diff import brief_diff
from accord.briefs.models import BriefVersion, GlossaryTerm, VagueTerm
from accord.briefs.selectors import in_force_and_draft, versions_of
from accord.lib.feedback import flash_errors
from accord.matching.brief_file import brief_json
from accord.requisitions.models import Requisition
from accord.requisitions.selectors import can_edit_brief, requisition_get_for_member
from accord.workspaces.access import (
    EDIT_BRIEFS,
    MANAGE_GLOSSARY,
    MANAGE_REQUISITIONS,
    MANAGE_WORKSPACE,
    VIEW_REQUISITIONS,
    VIEW_WORKSPACE,
    WorkspaceRequest,
    member_required,
    scoped_get,
)


def _version(requisition: Requisition, number: int) -> BriefVersion:
    version = get_object_or_404(BriefVersion, requisition=requisition, number=number)
    version.requisition = requisition
    return version


def _show(request: WorkspaceRequest, requisition: Requisition, number: int | None) -> HttpResponse:
    """One version of the brief; without a number, the one in force (before sign-off, the
    draft)."""
    versions = versions_of(requisition)
    in_force, draft = in_force_and_draft(versions)
    if number is None:
        shown = in_force or draft
    else:
        shown = next((v for v in versions if v.number == number), None)
        if shown is None:
            raise Http404
    context: dict[str, Any] = {
        "requisition": requisition,
        "versions": versions,
        "version": None,
        "can_edit": can_edit_brief(request.member, requisition),
        "can_manage": request.member.can(MANAGE_REQUISITIONS) and not requisition.is_closed,
        "draft": draft,
        "in_force": in_force,
    }
    if shown is not None:
        brief = exports.load_brief(shown)  # the whole version, criteria and stages
        context.update(exports.brief_context_of(brief))
        context["findings"] = findings_for(
            brief.version, criteria=brief.criteria, stages=brief.stages
        )
    return render(request, "briefs/brief.html", context)


@member_required(VIEW_REQUISITIONS)
@require_GET
def brief(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """The brief in force (or, before sign-off, the draft)."""
    requisition = requisition_get_for_member(request.member, public_id)
    return _show(request, requisition, None)


@member_required(VIEW_REQUISITIONS)
@require_GET
def version(request: WorkspaceRequest, public_id: UUID, number: int) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    return _show(request, requisition, number)


@member_required(VIEW_REQUISITIONS)
@require_GET
def diff(request: WorkspaceRequest, public_id: UUID, number: int) -> HttpResponse:
    """What changed from the previous signed version."""
    requisition = requisition_get_for_member(request.member, public_id)
    new = _version(requisition, number)
    old = (
        BriefVersion.objects.signed()
        .filter(requisition=requisition, number__lt=number)
        .order_by("-number")
        .first()
    )
    if old is None:
        raise Http404
    old.requisition = requisition
    changes = brief_diff(
        old,
        new,
        old_criteria=list(old.criteria.select_related("stage")),
        new_criteria=list(new.criteria.select_related("stage")),
        old_stages=list(old.stages.all()),
        new_stages=list(new.stages.all()),
    )
    return render(
        request,
        "briefs/diff.html",
        {"requisition": requisition, "old": old, "new": new, "changes": changes},
    )


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode()


# format → (render the version to bytes, content type, file name suffix)
EXPORTS: dict[str, tuple[Callable[[BriefVersion], bytes], str, str]] = {
    "pdf": (exports.brief_pdf, "application/pdf", ".pdf"),
    "md": (
        lambda v: exports.brief_markdown(v).encode(),
        "text/markdown; charset=utf-8",
        ".md",
    ),
    "jobposting": (
        lambda v: _json(exports.job_posting(v, site_url=settings.SITE_URL)),
        "application/ld+json",
        ".jobposting.json",
    ),
    "jsonresume": (lambda v: _json(exports.json_resume_job(v)), "application/json", ".job.json"),
    # The brief file `accord match --brief` reads (docs/brief-json.md).
    "match": (
        lambda v: _json(brief_json(v, list(v.criteria.all()))),
        "application/json",
        ".brief.json",
    ),
}


@member_required(VIEW_REQUISITIONS)
@require_GET
def export(request: WorkspaceRequest, public_id: UUID, number: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404
    requisition = requisition_get_for_member(request.member, public_id)
    version = _version(requisition, number)
    render_file, content_type, suffix = EXPORTS[fmt]
    response = HttpResponse(render_file(version), content_type=content_type)
    name = f"{slugify(requisition.title) or 'brief'}-v{version.number}{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required(EDIT_BRIEFS)
@require_POST
def start(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    carry_from = None
    if request.POST.get("carry_from"):
        carry_from = get_object_or_404(
            BriefVersion.objects.select_related("requisition"),
            public_id=_uuid_or_404(request.POST["carry_from"]),
            requisition__in=Requisition.objects.visible_to(request.member),
        )
    try:
        services.brief_start(actor=request.member, requisition=requisition, carry_from=carry_from)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("requisitions:detail", request.workspace.slug, requisition.public_id)
    if carry_from:
        messages.info(
            request,
            _("Answers carried over from %(title)s are marked; confirm or change each.")
            % {"title": carry_from.requisition.title},
        )
    return redirect("briefs:edit", request.workspace.slug, requisition.public_id)


def _uuid_or_404(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise Http404 from None


@member_required(MANAGE_REQUISITIONS)
@require_POST
def send_intake(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id, write=True)
    try:
        links = services.intake_send(
            actor=request.member, requisition=requisition, message=request.POST.get("message", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Intake sent to %(names)s. You’ll see their answers here as they type.")
            % {"names": ", ".join(str(link.member.user) for link in links)},
        )
    return redirect("briefs:edit", request.workspace.slug, requisition.public_id)


@member_required(EDIT_BRIEFS)
@require_http_methods(["GET", "POST"])
def revise(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    if not can_edit_brief(request.member, requisition):
        raise Http404
    error_messages: list[str] = []
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            version = services.brief_revise(
                actor=request.member, requisition=requisition, reason=reason
            )
        except ValidationError as error:
            error_messages = error.messages
        else:
            messages.success(
                request,
                _("Version %(n)s started. Make the change, then ask both sides to sign again.")
                % {"n": version.number},
            )
            return redirect("briefs:edit", request.workspace.slug, requisition.public_id)
    return render(
        request,
        "briefs/revise.html",
        {"requisition": requisition, "errors": error_messages, "reason": reason},
        status=422 if error_messages else 200,
    )


# --- glossary and lexicon --------------------------------------------------------------------


@member_required(VIEW_WORKSPACE)
@require_GET
def glossary(request: WorkspaceRequest) -> HttpResponse:
    terms = GlossaryTerm.objects.filter(workspace=request.workspace).select_related(
        "updated_by__user"
    )
    team = request.GET.get("team", "")
    if team:
        terms = terms.filter(team__in=["", team])
    return render(
        request,
        "briefs/glossary.html",
        {
            "terms": terms[:500],
            "team": team,
            "can_manage": request.member.can(MANAGE_GLOSSARY),
        },
    )


@member_required(MANAGE_GLOSSARY)
@require_POST
def glossary_save(request: WorkspaceRequest) -> HttpResponse:
    try:
        services.glossary_term_save(
            actor=request.member,
            term=request.POST.get("term", ""),
            definition=request.POST.get("definition", ""),
            team=request.POST.get("team", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Definition saved to the glossary."))
    return redirect("briefs:glossary", request.workspace.slug)


@member_required(MANAGE_GLOSSARY)
@require_POST
def glossary_delete(request: WorkspaceRequest, term_id: UUID) -> HttpResponse:
    entry = scoped_get(GlossaryTerm.objects.all(), request.workspace, public_id=term_id)
    services.glossary_term_delete(actor=request.member, entry=entry)
    messages.success(request, _("“%(term)s” removed from the glossary.") % {"term": entry.term})
    return redirect("briefs:glossary", request.workspace.slug)


@member_required(MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def lexicon(request: WorkspaceRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.vague_term_add(
                actor=request.member,
                term=request.POST.get("term", ""),
                ask=request.POST.get("ask", ""),
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Term added: the checks flag it from now on."))
        return redirect("briefs:lexicon", request.workspace.slug)
    return render(
        request,
        "briefs/lexicon.html",
        {
            "shipped": shipped_lexicon(),
            "custom": VagueTerm.objects.filter(workspace=request.workspace)[:500],
        },
    )


@member_required(MANAGE_WORKSPACE)
@require_POST
def lexicon_delete(request: WorkspaceRequest, term_id: UUID) -> HttpResponse:
    entry = scoped_get(VagueTerm.objects.all(), request.workspace, public_id=term_id)
    services.vague_term_delete(actor=request.member, entry=entry)
    messages.success(request, _("Term removed."))
    return redirect("briefs:lexicon", request.workspace.slug)
