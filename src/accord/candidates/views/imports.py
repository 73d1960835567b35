"""Bulk intake: upload many resumes or a CSV, map its columns, and follow the import's report.

The requests only stage the work; the worker imports (accord.candidates.imports). A single
resume is the exception: it is read and stored in the request, so adding one resume lands on
the candidate at once and a file that can't be read is refused on the form.
"""

from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accord.candidates import imports
from accord.candidates.models import ImportBatch, ImportItem, Source
from accord.candidates.parsing import ParseError
from accord.lib.feedback import flash_errors
from accord.requisitions.models import ACTIVE_STATUSES, Requisition
from accord.workspaces.access import (
    MANAGE_CANDIDATES,
    WorkspaceRequest,
    member_required,
    scoped_get,
)
from accord.workspaces.models import Member

PAGE_SIZE = 50
RECENT_BATCHES = 30
ACCEPT = ".pdf,.docx,.txt,.json,application/pdf,text/plain,application/json"
Outcome = ImportItem.Outcome
# The report's filters; shorter than the outcomes' own labels, to fit a phone.
OUTCOME_LABELS = [
    (Outcome.CREATED, gettext_lazy("Created")),
    (Outcome.MERGED, gettext_lazy("Merged")),
    (Outcome.FAILED, gettext_lazy("Failed")),
    (Outcome.PENDING, gettext_lazy("Waiting")),
]

# Forms ------------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's pattern for <input type=file multiple>: cleans each file, returns the list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        files = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        clean_one = super().clean
        return [clean_one(f, initial) for f in files]


class TargetForm(forms.Form):
    """Where the imported candidates go: a requisition's pipeline (optional), and a source."""

    requisition = forms.ModelChoiceField(
        label=gettext_lazy("Add them to a requisition"),
        queryset=Requisition.objects.none(),
        required=False,
        empty_label=gettext_lazy("No — only to the candidate pool"),
        help_text=gettext_lazy("They start in its first stage."),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"), choices=Source.choices, initial=Source.IMPORTED
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requisition"].queryset = (  # type: ignore[attr-defined]
            Requisition.objects.visible_to(member)
            .filter(status__in=ACTIVE_STATUSES)
            .order_by("title")
        )


class UploadForm(TargetForm):
    resumes = MultipleFileField(
        label=gettext_lazy("Resumes"),
        allow_empty_file=True,  # an empty file is one failed item, not a refused upload
        error_messages={"required": gettext_lazy("Choose at least one resume file.")},
    )
    field_order = ["resumes", "requisition", "source"]

    def clean_resumes(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["resumes"]
        limit = settings.IMPORT_MAX_FILES
        if len(files) > limit:
            raise ValidationError(
                _(
                    "You chose %(n)d files; one upload takes at most %(limit)d. Upload them in "
                    "several batches."
                )
                % {"n": len(files), "limit": limit}
            )
        too_big = [f for f in files if (f.size or 0) > settings.RESUME_MAX_BYTES]
        if too_big:
            raise ValidationError(
                [
                    _(
                        "“%(name)s” is %(size)s, over the %(limit)s limit. Leave it out or "
                        "upload a smaller copy, e.g. a PDF export. Nothing was imported."
                    )
                    % {
                        "name": f.name,
                        "size": filesizeformat(f.size or 0),
                        "limit": filesizeformat(settings.RESUME_MAX_BYTES),
                    }
                    for f in too_big
                ]
            )
        return files


class CsvForm(TargetForm):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
        error_messages={"required": gettext_lazy("Choose the CSV file to import.")},
    )
    field_order = ["file", "requisition", "source"]

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > imports.CSV_MAX_BYTES:
            raise ValidationError(
                _("“%(name)s” is %(size)s; a CSV import takes up to %(limit)s. Split the file.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size or 0),
                    "limit": filesizeformat(imports.CSV_MAX_BYTES),
                }
            )
        return upload


class MappingForm(forms.Form):
    """One select per CSV column: the candidate field it fills, or ignore."""

    def __init__(self, *args: Any, batch: ImportBatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, column in enumerate(batch.columns):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column,
                choices=list(imports.CSV_FIELDS.items()),
                required=False,
                initial=batch.mapping.get(str(index), ""),
            )

    def mapping(self) -> dict[str, str]:
        return {name.removeprefix("col_"): field for name, field in self.cleaned_data.items()}


# Views ------------------------------------------------------------------------------------------


def _batch(request: WorkspaceRequest, public_id: UUID) -> ImportBatch:
    return scoped_get(
        ImportBatch.objects.select_related("requisition", "created_by__user"),
        request.workspace,
        public_id=public_id,
    )


def _to_detail(request: WorkspaceRequest, batch: ImportBatch) -> HttpResponse:
    return redirect("candidates:import-detail", request.workspace.slug, batch.public_id)


def _target(form: TargetForm) -> dict[str, Any]:
    return {
        "requisition": form.cleaned_data.get("requisition"),
        "source": form.cleaned_data["source"],
    }


@member_required(MANAGE_CANDIDATES)
@require_http_methods(["GET", "POST"])
def upload(request: WorkspaceRequest) -> HttpResponse:
    """One resume is read now and opens its candidate; several become a batch for the worker."""
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, member=request.member
    )
    if posted and form.is_valid():
        files = form.cleaned_data["resumes"]
        try:
            if len(files) > 1:
                batch = imports.import_files_start(
                    actor=request.member, files=files, **_target(form)
                )
                return _to_detail(request, batch)
            return _single(request, form, files[0])
        except ParseError as error:
            form.add_error("resumes", f"“{files[0].name}”: {error}")
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "form": form,
        "max_files": settings.IMPORT_MAX_FILES,
        "max_bytes": settings.RESUME_MAX_BYTES,
    }
    return render(
        request,
        "candidates/imports/upload.html",
        context,
        status=422 if form.errors else 200,
    )


def _single(
    request: WorkspaceRequest, form: UploadForm, upload: UploadedFile[bytes]
) -> HttpResponse:
    result = imports.resume_import(
        actor=request.member,
        data=upload.read(),
        filename=upload.name or "",
        **_target(form),
    )
    candidate = result.candidate
    assert candidate is not None  # noqa: S101 (a stored resume always has its candidate)
    if result.outcome == Outcome.CREATED:
        messages.success(
            request, _("%(name)s is added from the resume.") % {"name": candidate.name}
        )
        if result.reason:
            messages.warning(request, result.reason)
    else:
        messages.info(request, result.reason)
    return redirect("candidates:detail", request.workspace.slug, candidate.public_id)


@member_required(MANAGE_CANDIDATES)
@require_http_methods(["GET", "POST"])
def import_csv(request: WorkspaceRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = CsvForm(
        request.POST if posted else None, request.FILES if posted else None, member=request.member
    )
    if posted and form.is_valid():
        try:
            batch = imports.import_csv_start(
                actor=request.member, data=form.cleaned_data["file"].read(), **_target(form)
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("candidates:import-mapping", request.workspace.slug, batch.public_id)
    context = {"form": form, "max_rows": imports.CSV_MAX_ROWS}
    return render(
        request, "candidates/imports/csv.html", context, status=422 if form.errors else 200
    )


@member_required(MANAGE_CANDIDATES)
@require_http_methods(["GET", "POST"])
def import_mapping(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    batch = _batch(request, public_id)
    if batch.status != ImportBatch.Status.MAPPING:
        return _to_detail(request, batch)
    form = MappingForm(request.POST if request.method == "POST" else None, batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            imports.import_mapping_set(actor=request.member, batch=batch, mapping=form.mapping())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _to_detail(request, batch)
    preview = [item.row for item in batch.items.only("row")[:5]]
    columns = [
        (form[f"col_{index}"], [row[index] for row in preview if index < len(row)])
        for index in range(len(batch.columns))
    ]
    context = {"batch": batch, "form": form, "columns": columns}
    return render(
        request, "candidates/imports/mapping.html", context, status=422 if form.errors else 200
    )


@member_required(MANAGE_CANDIDATES)
@require_POST
def import_discard(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    batch = _batch(request, public_id)
    try:
        imports.import_discard(actor=request.member, batch=batch)
    except ValidationError as error:
        flash_errors(request, error)
        return _to_detail(request, batch)
    messages.info(request, _("The file was discarded; nothing was imported."))
    return redirect("candidates:import-csv", request.workspace.slug)


@member_required(MANAGE_CANDIDATES)
@require_GET
@vary_on_headers("HX-Request")
def import_detail(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    """The progress bar and the per-item report; htmx polls the #status partial while the
    worker runs, and the partial it gets back once the batch is finished stops the polling."""
    batch = _batch(request, public_id)
    if batch.status == ImportBatch.Status.MAPPING:
        return redirect("candidates:import-mapping", request.workspace.slug, batch.public_id)
    show = request.GET.get("show", "")
    if show not in Outcome.values:
        show = ""
    counts = {
        row["outcome"]: row["n"]
        for row in batch.items.order_by().values("outcome").annotate(n=Count("id"))
    }
    items = batch.items.select_related("candidate").defer("row", "candidate__search_text")
    if show:
        items = items.filter(outcome=show)
    paginator = Paginator(items.order_by("position"), PAGE_SIZE)
    paginator.count = counts.get(show, 0) if show else sum(counts.values())  # known: no COUNT
    page = paginator.get_page(request.GET.get("page"))
    running = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    context = {
        "batch": batch,
        "page": page,
        "show": show,
        "running": running,
        "counts": [(value, label, counts.get(value, 0)) for value, label in OUTCOME_LABELS],
        "created": counts.get(Outcome.CREATED, 0),
        "merged": counts.get(Outcome.MERGED, 0),
        "failed": counts.get(Outcome.FAILED, 0),
    }
    template = "candidates/imports/detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#status"
    return render(request, template, context)


@member_required(MANAGE_CANDIDATES)
@require_POST
def import_continue(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    batch = _batch(request, public_id)
    if imports.import_continue(actor=request.member, batch=batch):
        messages.success(
            request,
            _("The import carries on from the first waiting item; finished ones are kept."),
        )
    else:
        messages.info(request, _("This import is not waiting or running; nothing to continue."))
    return _to_detail(request, batch)


@member_required(MANAGE_CANDIDATES)
@require_GET
def import_list(request: WorkspaceRequest) -> HttpResponse:
    def outcome(value: str) -> Count:
        return Count("items", filter=Q(items__outcome=value))

    batches = list(
        ImportBatch.objects.filter(workspace=request.workspace)
        .select_related("created_by__user", "requisition")
        .annotate(
            created=outcome(Outcome.CREATED),
            merged=outcome(Outcome.MERGED),
            failed=outcome(Outcome.FAILED),
        )
        .order_by("-created_at", "-id")[:RECENT_BATCHES]
    )
    return render(request, "candidates/imports/list.html", {"batches": batches})
