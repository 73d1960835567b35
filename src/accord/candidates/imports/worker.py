"""The worker's side of an import: `import_run` takes a batch's pending items in order.

Each item is read or parsed outside any transaction, then stored in its own transaction together
with its outcome and the batch's `processed` count, so the progress bar moves as items commit, a
failed item leaves nothing behind (services.files_removed_on_failure removes stored files), and a
worker that dies mid-batch loses at most the item it was on: running the task again carries on
with the items still pending, and an item finished by one run is never imported again by another.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Field
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.candidates import services
from accord.candidates.imports.csvfile import Row, RowProblem, read_row
from accord.candidates.models import Candidate, ImportBatch, ImportItem
from accord.candidates.parsing import ParsedResume, ParseError, parse_resume
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_CANDIDATES
from accord.workspaces.models import Member

logger = logging.getLogger(__name__)

# A task hands the rest of a long batch to a fresh task after this long, so mail and other
# queued work get a turn and a worker asked to stop finishes within seconds.
CHUNK_SECONDS = 20.0
INTERNAL_ERROR = gettext_lazy("Could not be read (internal error logged).")


@dataclass(frozen=True)
class Result:
    """What became of one file or row."""

    outcome: str  # ImportItem.Outcome
    reason: str = ""
    candidate: Candidate | None = None


@task()
def import_run(*, batch_id: int) -> None:
    """Import the batch's pending items in order; safe to run twice or after a crash."""
    started = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING]
    ).update(status=ImportBatch.Status.RUNNING)
    if not started:
        return  # finished, failed, still waiting for its mapping, or gone
    batch = ImportBatch.objects.select_related("requisition", "workspace").get(pk=batch_id)
    if batch.started_at is None:
        ImportBatch.objects.filter(pk=batch_id, started_at__isnull=True).update(
            started_at=timezone.now()
        )
    actor = _actor(batch)
    if actor is None:
        return
    deadline = time.monotonic() + CHUNK_SECONDS
    pending = batch.items.filter(outcome=ImportItem.Outcome.PENDING).order_by("position")
    while (item := pending.first()) is not None:
        _process(batch, actor, item)
        if time.monotonic() > deadline and pending.exists():
            import_run.enqueue(batch_id=batch_id)
            return
    _finish(batch)


def _actor(batch: ImportBatch) -> Member | None:
    """The member who started the batch, if they may still add candidates; else the batch
    stops with the reason and the rest is not imported."""
    actor = (
        Member.objects.select_related("workspace", "user").filter(pk=batch.created_by_id).first()
        if batch.created_by_id
        else None
    )
    if actor is not None and actor.can(MANAGE_CANDIDATES) and actor.user.is_active:
        return actor
    _discard_pending_uploads(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED,
        finished_at=timezone.now(),
        error=_(
            "Stopped: the member who started this import can no longer add candidates. Start "
            "it again for the rows or files that were not imported."
        ),
    )
    return None


def _process(batch: ImportBatch, actor: Member, item: ImportItem) -> None:
    try:
        if batch.kind == ImportBatch.Kind.FILES:
            failure = _import_file(batch, actor, item)
        else:
            failure = _import_row(batch, actor, item)
    except Exception:
        logger.exception("Import %s: item %d failed unexpectedly", batch.public_id, item.position)
        failure = Result(ImportItem.Outcome.FAILED, str(INTERNAL_ERROR))
    if failure is not None:
        with transaction.atomic():
            _record(batch, item, failure)


def _claim(item: ImportItem) -> bool:
    """Lock the item for this transaction; False if another run already finished it."""
    locked = (
        ImportItem.objects.select_for_update()
        .filter(pk=item.pk, outcome=ImportItem.Outcome.PENDING)
        .values_list("pk", flat=True)
    )
    return locked.first() is not None


def _record(batch: ImportBatch, item: ImportItem, result: Result) -> None:
    """Store the item's outcome and count it, in the caller's transaction; the staged file
    goes once that commits."""
    done = ImportItem.objects.filter(pk=item.pk, outcome=ImportItem.Outcome.PENDING).update(
        outcome=result.outcome,
        reason=result.reason[:300],
        candidate=result.candidate,
        upload="",
        row={},  # a finished row's cells (emails, phones, notes) are not kept in the report
    )
    if done:
        ImportBatch.objects.filter(pk=batch.pk).update(processed=F("processed") + 1)
    if item.upload.name:
        storage, name = item.upload.storage, item.upload.name
        transaction.on_commit(lambda: storage.delete(name))


def _import_file(batch: ImportBatch, actor: Member, item: ImportItem) -> Result | None:
    try:
        with item.upload.open("rb") as staged:
            data = staged.read()
    except (OSError, ValueError):
        return Result(
            ImportItem.Outcome.FAILED,
            _("The uploaded copy of this file is missing. Upload the file again."),
        )
    try:
        parsed = parse_resume(data, item.name)
    except ParseError as error:
        return Result(ImportItem.Outcome.FAILED, str(error))
    return _stored(
        batch,
        item,
        lambda: store_resume(actor, data, item.name, parsed, batch.requisition, batch.source),
    )


def _stored(batch: ImportBatch, item: ImportItem, store: Callable[[], Result]) -> Result | None:
    """Run `store` and record its result in one transaction. A refusal rolls it all back and
    comes back as the failure to record; None when the item is done (here or by another run)."""
    try:
        with services.files_removed_on_failure(), transaction.atomic():
            if _claim(item):
                _record(batch, item, store())
    except ValidationError as error:
        return Result(ImportItem.Outcome.FAILED, " ".join(error.messages))
    return None


def store_resume(
    actor: Member,
    data: bytes,
    filename: str,
    parsed: ParsedResume,
    requisition: Requisition | None,
    source: str,
) -> Result:
    imported = services.candidate_from_resume(
        actor=actor, data=data, filename=filename, parsed=parsed, source=source
    )
    candidate = imported.candidate
    if imported.created:
        outcome, reason = ImportItem.Outcome.CREATED, _same_name(candidate)
    elif imported.resume is None:
        outcome = ImportItem.Outcome.MERGED
        reason = _("The same file is already on %(name)s's profile; nothing was added.") % {
            "name": candidate.name
        }
    else:
        outcome = ImportItem.Outcome.MERGED
        reason = _("Added to %(name)s, who has the same email or phone.") % {"name": candidate.name}
    return Result(
        outcome, _joined(reason, _apply(actor, candidate, requisition, source)), candidate
    )


def _same_name(candidate: Candidate) -> str:
    others = services.find_duplicates(candidate.workspace, name=candidate.name, exclude=candidate)
    if not others:
        return ""
    return _("%(name)s already has the same name: check whether they are the same person.") % {
        "name": others[0].candidate.name
    }


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _apply(
    actor: Member, candidate: Candidate, requisition: Requisition | None, source: str
) -> str:
    """Put the candidate in the batch's requisition; an already-applied candidate is fine."""
    if requisition is None:
        return ""
    from accord.pipeline.models import Application
    from accord.pipeline.services import application_create

    if Application.objects.filter(candidate=candidate, requisition=requisition).exists():
        return ""
    try:
        with transaction.atomic():
            application_create(
                actor=actor, candidate=candidate, requisition=requisition, source=source
            )
    except ValidationError as error:
        return _("Not added to %(title)s: %(why)s") % {
            "title": requisition.title,
            "why": " ".join(error.messages),
        }
    return ""


def _finish(batch: ImportBatch) -> None:
    counted = batch.items.exclude(outcome=ImportItem.Outcome.PENDING).count()
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
        status=ImportBatch.Status.DONE, processed=counted, finished_at=timezone.now()
    )
    _sweep(batch)


def _sweep(batch: ImportBatch) -> None:
    """Remove whatever staged copies a crash between commit and delete left behind."""
    storage = ImportItem._meta.get_field("upload").storage
    folder = f"imports/{batch.public_id}"
    try:
        _folders, files = storage.listdir(folder)
        for name in files:
            storage.delete(f"{folder}/{name}")
        storage.delete(folder)
    except (OSError, NotImplementedError):
        pass


def _discard_pending_uploads(batch: ImportBatch) -> None:
    batch.items.filter(outcome=ImportItem.Outcome.PENDING).exclude(upload="").update(upload="")
    _sweep(batch)


def _import_row(batch: ImportBatch, actor: Member, item: ImportItem) -> Result | None:
    cells = item.row if isinstance(item.row, list) else []
    try:
        row = read_row(batch.columns, batch.mapping, [str(cell) for cell in cells])
    except RowProblem as problem:
        return Result(ImportItem.Outcome.FAILED, str(problem))
    return _stored(batch, item, lambda: _store_row(batch, actor, row))


def _store_row(batch: ImportBatch, actor: Member, row: Row) -> Result:
    strong = [
        d
        for d in services.find_duplicates(
            actor.workspace, email=row.values.get("email", ""), phone=row.values.get("phone", "")
        )
        if d.is_strong
    ]
    if strong:
        candidate, reason = _merge_row(actor, strong[0], row)
        outcome = ImportItem.Outcome.MERGED
    else:
        candidate = services.candidate_create(
            actor=actor, name=row.name, tags=row.tags, source=batch.source, **row.values
        )
        outcome, reason = ImportItem.Outcome.CREATED, _same_name(candidate)
    if row.notes:
        services.note_add(actor=actor, candidate=candidate, body=row.notes)
    applied = _apply(actor, candidate, batch.requisition, batch.source)
    return Result(outcome, _joined(reason, applied), candidate)


def _merge_row(actor: Member, duplicate: services.Duplicate, row: Row) -> tuple[Candidate, str]:
    """Fill the existing candidate's empty fields and add the row's tags."""
    existing = duplicate.candidate
    filled = {
        field: value
        for field, value in row.values.items()
        if getattr(existing, field) in ("", None, [])
    }
    if filled:
        existing = services.candidate_update(actor=actor, candidate=existing, **filled)
    if row.tags:
        services.candidate_tag(actor=actor, candidate=existing, add=row.tags)
    same = " / ".join(_label(key) for key in duplicate.reasons if key != "name")
    if filled:
        detail = _("filled in %(fields)s") % {"fields": ", ".join(_label(f) for f in filled)}
    else:
        detail = _("nothing new to fill in")
    return existing, _("Merged into %(name)s (same %(same)s): %(detail)s.") % {
        "name": existing.name,
        "same": same,
        "detail": detail,
    }


def _label(field: str) -> str:
    return str(cast(Field[Any, Any], Candidate._meta.get_field(field)).verbose_name)
