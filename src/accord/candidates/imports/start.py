"""Starting an import: the web request stages the work and queues it for the worker."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accord.audit.services import audit_record
from accord.candidates import services
from accord.candidates.imports.csvfile import guess_mapping, read_csv, validate_mapping
from accord.candidates.imports.worker import Result, import_run, store_resume
from accord.candidates.models import ImportBatch, ImportItem, Source
from accord.candidates.parsing import parse_resume
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_CANDIDATES, require
from accord.workspaces.models import Member


def _check_target(actor: Member, requisition: Requisition | None, source: str) -> None:
    require(actor, MANAGE_CANDIDATES)
    if requisition is not None:
        require(actor, MANAGE_CANDIDATES, requisition.workspace_id)
        if requisition.is_closed:
            raise ValidationError(
                _("%(title)s is closed; it takes no new candidates.") % {"title": requisition.title}
            )
    if source not in Source.values:
        raise ValidationError(_("Choose a source from the list."))


def _enqueue(batch: ImportBatch) -> None:
    batch_id = batch.pk
    transaction.on_commit(lambda: import_run.enqueue(batch_id=batch_id))


def import_files_start(
    *,
    actor: Member,
    files: Sequence[UploadedFile[bytes]],
    requisition: Requisition | None = None,
    source: str = Source.IMPORTED,
) -> ImportBatch:
    """Stage the uploaded resumes as one batch and queue it for the worker.

    The stored copies are named by batch and position, never by what the uploader typed; if
    staging fails part-way, the copies already written are removed again.
    """
    _check_target(actor, requisition, source)
    if not files:
        raise ValidationError(_("Choose at least one resume file."))
    staged: list[ImportItem] = []
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                workspace=actor.workspace,
                created_by=actor,
                kind=ImportBatch.Kind.FILES,
                requisition=requisition,
                source=source,
                total=len(files),
            )
            for position, upload in enumerate(files, start=1):
                item = ImportItem(batch=batch, position=position, name=_file_name(upload))
                item.upload.save(f"{batch.public_id}/{position:04d}", upload, save=False)
                staged.append(item)
            ImportItem.objects.bulk_create(staged, batch_size=500)
            audit_record(
                actor=actor.user,
                workspace=actor.workspace,
                action="import.started",
                obj=batch,
                changes={"files": [None, len(files)]},
            )
            _enqueue(batch)
    except BaseException:
        for item in staged:
            item.upload.delete(save=False)
        raise
    return batch


def _file_name(upload: UploadedFile[bytes]) -> str:
    return (upload.name or _("Unnamed file"))[:255]


def import_csv_start(
    *,
    actor: Member,
    data: bytes,
    requisition: Requisition | None = None,
    source: str = Source.IMPORTED,
) -> ImportBatch:
    """Read a CSV into a batch waiting for its column mapping (one item per non-blank row)."""
    _check_target(actor, requisition, source)
    columns, rows = read_csv(data)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            workspace=actor.workspace,
            created_by=actor,
            kind=ImportBatch.Kind.CSV,
            status=ImportBatch.Status.MAPPING,
            requisition=requisition,
            source=source,
            columns=columns,
            mapping=guess_mapping(columns),
            total=len(rows),
        )
        ImportItem.objects.bulk_create(
            [
                ImportItem(
                    batch=batch, position=position, name=_("Row %(n)d") % {"n": number}, row=cells
                )
                for position, (number, cells) in enumerate(rows, start=1)
            ],
            batch_size=500,
        )
    return batch


@transaction.atomic
def import_mapping_set(*, actor: Member, batch: ImportBatch, mapping: dict[str, str]) -> None:
    """Confirm which candidate field each CSV column fills, and queue the rows."""
    require(actor, MANAGE_CANDIDATES, batch.workspace_id)
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportBatch.Status.MAPPING:
        raise ValidationError(_("This import has already started."))
    mapping = {key: field for key, field in mapping.items() if field}
    validate_mapping(mapping, locked.columns)
    locked.mapping = mapping
    locked.status = ImportBatch.Status.QUEUED
    locked.save(update_fields=["mapping", "status"])
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="import.started",
        obj=locked,
        changes={"rows": [None, locked.total]},
    )
    _enqueue(locked)
    batch.mapping, batch.status = locked.mapping, locked.status


def import_discard(*, actor: Member, batch: ImportBatch) -> None:
    """Drop a CSV import before it starts: its rows were only staged for the mapping step."""
    require(actor, MANAGE_CANDIDATES, batch.workspace_id)
    waiting = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.MAPPING)
    deleted, _counts = waiting.delete()
    if not deleted:
        raise ValidationError(_("This import has already started; it can't be discarded."))


def import_continue(*, actor: Member, batch: ImportBatch) -> bool:
    """Queue an unfinished batch again (after a worker restart): pending items carry on, the
    finished ones are never imported twice. False when the batch is not waiting or running."""
    require(actor, MANAGE_CANDIDATES, batch.workspace_id)
    if batch.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING):
        return False
    with transaction.atomic():
        _enqueue(batch)
    return True


def resume_import(
    *,
    actor: Member,
    data: bytes,
    filename: str,
    requisition: Requisition | None = None,
    source: str = Source.IMPORTED,
) -> Result:
    """One resume, read and stored now (the upload page's single-file case).

    Raises ParseError with the reason when the file can't be read; nothing is stored then.
    """
    _check_target(actor, requisition, source)
    parsed = parse_resume(data, filename)  # outside the transaction: it may take seconds
    with services.files_removed_on_failure(), transaction.atomic():
        return store_resume(actor, data, filename, parsed, requisition, source)
