"""The candidate page and what a recruiter does on it: edit, resumes, notes, tags, requisitions,
duplicates and merging, and (admins) the person's data rights."""

import json
from typing import Any, cast
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.candidates import services
from accord.candidates.forms import (
    ApplyForm,
    CandidateForm,
    MergeForm,
    NoteForm,
    ResumeForm,
    TagsForm,
    split_lines,
)
from accord.candidates.models import Candidate
from accord.candidates.selectors import candidate_get_for_member, profile_for_page
from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors
from accord.pipeline.models import Application
from accord.pipeline.services import application_create
from accord.workspaces.access import (
    CANDIDATE_DATA_RIGHTS,
    MANAGE_CANDIDATES,
    VIEW_CANDIDATES,
    WorkspaceRequest,
    member_required,
)


def _to_detail(request: WorkspaceRequest, candidate: Candidate) -> HttpResponse:
    return redirect("candidates:detail", request.workspace.slug, candidate.public_id)


def _form_initial(candidate: Candidate) -> dict[str, Any]:
    return {
        **{field: getattr(candidate, field) for field in services.PROFILE_FIELDS},
        "links": "\n".join(candidate.links),
        "consent": candidate.consent_given_at is not None,
        "revision": candidate.revision,
    }


def _consent(form: CandidateForm, candidate: Candidate | None) -> dict[str, Any]:
    """Ticking the box records when consent was given; unticking withdraws it."""
    given = form.cleaned_data.get("consent")
    if not given:
        return {"consent_given_at": None}
    if candidate is not None and candidate.consent_given_at:
        return {}
    return {"consent_given_at": timezone.now()}


@member_required(VIEW_CANDIDATES)
@require_GET
def candidate_detail(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    candidate = candidate_get_for_member(request.member, public_id)
    can_manage = request.member.can(MANAGE_CANDIDATES) and not candidate.erased_at
    context: dict[str, Any] = {
        "candidate": candidate,
        "can_manage": can_manage,
        "can_data_rights": request.member.can(CANDIDATE_DATA_RIGHTS),
        **profile_for_page(candidate, request.member),
    }
    if can_manage:
        applied = [a.requisition_id for a in context["applications"]]
        context["apply_form"] = ApplyForm(member=request.member, exclude=applied)
        context["duplicates"] = services.find_duplicates(
            request.workspace,
            email=candidate.email,
            phone=candidate.phone,
            name=candidate.name,
            exclude=candidate,
        )
        context["note_form"] = NoteForm()
        context["tags_form"] = TagsForm()
        context["resume_form"] = ResumeForm()
    latest = next(iter(context["resumes"]), None)
    context["parsed"] = latest.parsed if latest else {}
    return render(request, "candidates/detail.html", context)


@member_required(MANAGE_CANDIDATES)
@require_http_methods(["GET", "POST"])
def candidate_create(request: WorkspaceRequest) -> HttpResponse:
    form = CandidateForm(request.POST or None)
    duplicates: list[services.Duplicate] = []
    if request.method == "POST" and form.is_valid():
        profile = form.profile()
        duplicates = services.find_duplicates(
            request.workspace,
            email=profile["email"],
            phone=profile["phone"],
            name=profile["name"],
        )
        # Same email or phone: show who it is and let the person decide; "add anyway" confirms.
        if duplicates and not request.POST.get("confirm"):
            form.add_error(
                None,
                _(
                    "This looks like someone already in the pool. Open them instead, or add a "
                    "new candidate anyway."
                ),
            )
        else:
            try:
                candidate = services.candidate_create(
                    actor=request.member, **profile, **_consent(form, None)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s is added.") % {"name": candidate.name})
                return _to_detail(request, candidate)
    status = 422 if form.errors else 200
    return render(
        request,
        "candidates/form.html",
        {"form": form, "duplicates": duplicates},
        status=status,
    )


@member_required(MANAGE_CANDIDATES)
@require_http_methods(["GET", "POST"])
def candidate_edit(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    candidate = candidate_get_for_member(request.member, public_id, write=True)
    if candidate.erased_at:
        raise Http404
    form = CandidateForm(request.POST or None, initial=_form_initial(candidate))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(
                actor=request.member,
                candidate=candidate,
                revision=form.cleaned_data.get("revision"),
                **form.profile(),
                **_consent(form, candidate),
            )
        except Conflict as error:
            conflict = cast(Candidate, error.current)
            form.add_error(
                None,
                _(
                    "Someone saved this candidate while you were editing. Their version is "
                    "shown above yours; nothing of yours was saved yet. Adjust and save again."
                ),
            )
            data = request.POST.copy()
            data["revision"] = str(conflict.revision)
            form.data = data
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return _to_detail(request, candidate)
    status = 409 if conflict else 422 if form.errors else 200
    return render(
        request,
        "candidates/form.html",
        {"form": form, "candidate": candidate, "conflict": conflict},
        status=status,
    )


@member_required(MANAGE_CANDIDATES)
@require_POST
def resume_upload(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """Add one resume to this candidate (parsed now: one file is quick, and its errors belong
    on this page). Many files at once go through the import, which runs in the worker."""
    candidate = candidate_get_for_member(request.member, public_id, write=True)
    form = ResumeForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a resume file to upload."))
        return _to_detail(request, candidate)
    upload = form.cleaned_data["file"]
    if upload.size > settings.RESUME_MAX_BYTES:
        messages.error(
            request,
            _("%(name)s is larger than %(limit)d MB. Upload a smaller file, e.g. a PDF export.")
            % {"name": upload.name, "limit": settings.RESUME_MAX_BYTES // (1024 * 1024)},
        )
        return _to_detail(request, candidate)
    data = upload.read()
    from accord.candidates.parsing import ParseError, parse_resume

    try:
        parsed = parse_resume(data, upload.name)
        services.resume_attach(
            actor=request.member,
            candidate=candidate,
            data=data,
            filename=upload.name,
            parsed=parsed,
        )
    except ParseError as error:
        messages.error(request, _("%(name)s: %(reason)s") % {"name": upload.name, "reason": error})
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Resume added; the profile's empty fields were filled in."))
    return _to_detail(request, candidate)


@member_required(VIEW_CANDIDATES)
@require_GET
def resume_download(request: WorkspaceRequest, public_id: UUID, resume_id: UUID) -> FileResponse:
    candidate = candidate_get_for_member(request.member, public_id)
    resume = candidate.resumes.filter(public_id=resume_id).first()
    if resume is None:
        raise Http404
    return FileResponse(resume.file.open("rb"), as_attachment=True, filename=resume.original_name)


@member_required(MANAGE_CANDIDATES)
@require_POST
def note_add(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    candidate = candidate_get_for_member(request.member, public_id, write=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note first (up to 4,000 characters)."))
        return _to_detail(request, candidate)
    try:
        services.note_add(actor=request.member, candidate=candidate, body=form.cleaned_data["body"])
    except ValidationError as error:
        flash_errors(request, error)
    return _to_detail(request, candidate)


@member_required(MANAGE_CANDIDATES)
@require_POST
def tags_update(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    candidate = candidate_get_for_member(request.member, public_id, write=True)
    form = TagsForm(request.POST)
    if form.is_valid():
        services.candidate_tag(
            actor=request.member,
            candidate=candidate,
            add=split_lines(form.cleaned_data["add"]),
            remove=split_lines(form.cleaned_data["remove"]),
        )
    else:
        messages.error(request, _("Tags are up to 40 characters each, separated by commas."))
    return _to_detail(request, candidate)


@member_required(MANAGE_CANDIDATES)
@require_POST
def application_add(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    candidate = candidate_get_for_member(request.member, public_id, write=True)
    applied = list(
        Application.objects.filter(candidate=candidate).values_list("requisition", flat=True)
    )
    form = ApplyForm(request.POST, member=request.member, exclude=applied)
    if not form.is_valid():
        messages.error(request, _("Choose an active requisition they aren't in yet."))
        return _to_detail(request, candidate)
    requisition = form.cleaned_data["requisition"]
    try:
        application_create(actor=request.member, candidate=candidate, requisition=requisition)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is in the %(title)s pipeline.")
            % {"name": candidate.name, "title": requisition.title},
        )
    return _to_detail(request, candidate)


@member_required(MANAGE_CANDIDATES)
@require_POST
def merge(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """Merge the candidate named in the form into this one (this one is kept)."""
    keep = candidate_get_for_member(request.member, public_id, write=True)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the duplicate to merge."))
        return _to_detail(request, keep)
    other = candidate_get_for_member(request.member, form.cleaned_data["other"], write=True)
    try:
        services.candidate_merge(actor=request.member, keep=keep, other=other)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(other)s was merged into %(keep)s; their resumes, notes and history are here.")
            % {"other": other.name, "keep": keep.name},
        )
    return _to_detail(request, keep)


@member_required(CANDIDATE_DATA_RIGHTS)
@require_POST
def data_export(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    candidate = candidate_get_for_member(request.member, public_id)
    data = services.candidate_export(actor=request.member, candidate=candidate)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    name = slugify(candidate.name) or "candidate"
    response["Content-Disposition"] = f'attachment; filename="{name}-data.json"'
    return response


@member_required(CANDIDATE_DATA_RIGHTS)
@require_http_methods(["GET", "POST"])
def erase(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    candidate = candidate_get_for_member(request.member, public_id)
    if request.method == "POST":
        if request.POST.get("confirm") != candidate.name:
            messages.error(request, _("Type the candidate's name exactly to confirm the erasure."))
            return render(request, "candidates/erase.html", {"candidate": candidate}, status=422)
        services.candidate_erase(actor=request.member, candidate=candidate)
        messages.success(
            request, _("The candidate's personal data was erased everywhere in this workspace.")
        )
        return _to_detail(request, candidate)
    return render(request, "candidates/erase.html", {"candidate": candidate})
