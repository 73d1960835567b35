"""Every write to candidates — profiles, resumes, notes, tags, merges and erasure — goes here.

Resumes are parsed (in a sandboxed child process) *before* the transaction that stores them, so a
slow or hostile file never holds a database lock, and a failure leaves nothing half-written.
"""

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.models import AuditEntry
from accord.audit.services import apply_changes, audit_record
from accord.candidates.models import (
    Candidate,
    CandidateEvent,
    CandidateSkill,
    ImportBatch,
    ImportItem,
    Note,
    Resume,
    Source,
    Tag,
)
from accord.candidates.parsing import ParsedResume
from accord.candidates.search import index_candidates
from accord.lib.conflicts import Conflict
from accord.matching.services import refresh_later
from accord.pipeline.models import Application, Assessment, StageMove
from accord.skills.extract import extract_skills
from accord.workspaces.access import CANDIDATE_DATA_RIGHTS, MANAGE_CANDIDATES, require
from accord.workspaces.models import Member, Workspace

PROFILE_FIELDS = (
    "name",
    "email",
    "phone",
    "location",
    "links",
    "headline",
    "current_employer",
    "years_experience",
    "source",
    "source_detail",
    "consent_given_at",
    "consent_note",
    "retain_until",
)
ERASED_NAME = "Erased candidate"
LINKS_LIMIT = 10


# Duplicate keys ---------------------------------------------------------------------------------


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str, region: str | None = None) -> str:
    """E.164 when the number parses (with or without a country code), else its last 10 digits."""
    raw = phone.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = "".join(c for c in raw if c.isdigit())
    return digits[-10:] if len(digits) >= 7 else ""


def name_key(name: str) -> str:
    """Case-, accent- and spacing-insensitive, word order ignored: "García, Ana" = "ana garcia"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.casefold()).split()
    return " ".join(sorted(words))[:160]


def _set_keys(candidate: Candidate) -> None:
    candidate.email_key = email_key(candidate.email)
    candidate.phone_key = phone_key(candidate.phone)
    candidate.name_key = name_key(candidate.name)


@dataclass(frozen=True)
class Duplicate:
    candidate: Candidate
    reasons: tuple[str, ...]  # "email", "phone", "name"

    @property
    def is_strong(self) -> bool:
        """Same email or phone: the same person. A shared name alone only deserves a look."""
        return "email" in self.reasons or "phone" in self.reasons


def find_duplicates(
    workspace: Workspace,
    *,
    email: str = "",
    phone: str = "",
    name: str = "",
    exclude: Candidate | None = None,
) -> list[Duplicate]:
    """Live candidates sharing the email, the phone or the name; strongest matches first."""
    keys = {"email": email_key(email), "phone": phone_key(phone), "name": name_key(name)}
    query = Q()
    for field, key in keys.items():
        if key:
            query |= Q(**{f"{field}_key": key})
    if not query:
        return []
    found = Candidate.objects.live().filter(query, workspace=workspace)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    duplicates = [
        Duplicate(
            candidate,
            tuple(f for f, key in keys.items() if key and getattr(candidate, f"{f}_key") == key),
        )
        for candidate in found.order_by("created_at")[:20]
    ]
    return sorted(duplicates, key=lambda d: (not d.is_strong, -len(d.reasons)))


# Profiles ---------------------------------------------------------------------------------------


def _clean_links(links: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        link = link.strip()
        if not link:
            continue
        if "://" not in link:
            link = "https://" + link
        try:
            check(link)
        except ValidationError:
            message = _("“%(link)s” is not a web address. Use e.g. https://github.com/name.")
            raise ValidationError({"links": message % {"link": link[:80]}}) from None
        if link not in cleaned:
            cleaned.append(link[:300])
    return cleaned[:LINKS_LIMIT]


def _usable_links(links: Iterable[str]) -> list[str]:
    """The links of a resume that are web addresses; a mangled one is dropped, not refused."""
    usable: list[str] = []
    for link in links:
        try:
            usable += _clean_links([link])
        except ValidationError:
            continue
    return usable[:LINKS_LIMIT]


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if "name" in values and not str(values["name"]).strip():
        errors["name"] = _("Give the candidate's name.")
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = _(
                "That email address isn't valid. Check for typos, e.g. ana@example.com."
            )
    if values.get("phone") and not phone_key(values["phone"]):
        errors["phone"] = _("That phone number has too few digits.")
    years = values.get("years_experience")
    if years is not None and not 0 <= years <= 70:
        errors["years_experience"] = _("Years of experience must be between 0 and 70.")
    if values.get("source") and values["source"] not in Source.values:
        errors["source"] = _("Choose a source from the list.")
    if errors:
        raise ValidationError(errors)


def _event(
    candidate: Candidate,
    actor: Member | None,
    kind: str,
    summary: str = "",
    **details: Any,
) -> None:
    CandidateEvent.objects.create(
        candidate=candidate, actor=actor, kind=kind, summary=summary[:300], details=details
    )


def default_retention() -> date:
    return timezone.localdate() + timedelta(days=settings.CANDIDATE_RETENTION_DAYS)


@transaction.atomic
def candidate_create(
    *, actor: Member, name: str, tags: Sequence[str] = (), **values: Any
) -> Candidate:
    """A new candidate in the actor's workspace. Check `find_duplicates` first when a person
    types the details; imports call `candidate_from_resume`, which merges on strong matches."""
    require(actor, MANAGE_CANDIDATES)
    values = {"name": name.strip()[:160], **values}
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown candidate fields: {sorted(unknown)}")
    _validate(values)
    values["links"] = _clean_links(values.get("links", ()))
    values.setdefault("retain_until", default_retention())
    candidate = Candidate(workspace=actor.workspace, created_by=actor, **values)
    _set_keys(candidate)
    candidate.save()
    if tags:
        candidate.tags.set(tags_get_or_create(actor.workspace, tags))
    _event(candidate, actor, CandidateEvent.Kind.CREATED, _("Added by %(who)s") % {"who": actor})
    audit_record(
        actor=actor.user, workspace=actor.workspace, action="candidate.created", obj=candidate
    )
    transaction.on_commit(lambda: index_candidates([candidate.pk]))
    return candidate


@transaction.atomic
def candidate_update(
    *, actor: Member, candidate: Candidate, revision: int | None = None, **values: Any
) -> Candidate:
    """Change profile fields; a save based on an older revision raises Conflict."""
    require(actor, MANAGE_CANDIDATES, candidate.workspace_id)
    current = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _refuse_if_erased(current)
    if revision is not None and revision != current.revision:
        raise Conflict(current)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown candidate fields: {sorted(unknown)}")
    _validate(values)
    if "links" in values:
        values["links"] = _clean_links(values["links"])
    changes = apply_changes(current, **values)
    if changes:
        _set_keys(current)
        current.revision += 1
        current.updated_at = timezone.now()
        current.save()
        _event(current, actor, CandidateEvent.Kind.UPDATED, ", ".join(sorted(changes)))
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="candidate.updated",
            obj=current,
            changes=changes,
        )
        transaction.on_commit(lambda: index_candidates([current.pk]))
    return current


def tags_get_or_create(workspace: Workspace, names: Iterable[str]) -> list[Tag]:
    """The workspace's tags with these names (any case), creating the missing ones. Safe when
    a concurrent request creates the same tag: whichever row won is used."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:40]
        if name:
            wanted.setdefault(name.casefold(), name)
    if not wanted:
        return []

    def existing() -> list[Tag]:
        found = Tag.objects.annotate(key=Lower("name")).filter(workspace=workspace)
        return list(found.filter(key__in=[n.lower() for n in wanted.values()]))

    found = existing()
    known = {t.name.casefold() for t in found}
    missing = [Tag(workspace=workspace, name=n) for k, n in wanted.items() if k not in known]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        found = existing()
    return found


@transaction.atomic
def _refuse_if_erased(candidate: Candidate) -> None:
    if candidate.erased_at is not None:
        raise ValidationError(_("This candidate's data was erased; nothing can be added."))


def candidate_tag(
    *, actor: Member, candidate: Candidate, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> None:
    require(actor, MANAGE_CANDIDATES, candidate.workspace_id)
    _refuse_if_erased(candidate)
    if add:
        candidate.tags.add(*tags_get_or_create(actor.workspace, add))
    if remove:
        lowered = {name.casefold() for name in remove}
        candidate.tags.remove(*[t for t in candidate.tags.all() if t.name.casefold() in lowered])
    transaction.on_commit(lambda: index_candidates([candidate.pk]))


@transaction.atomic
def note_add(*, actor: Member, candidate: Candidate, body: str) -> Note:
    require(actor, MANAGE_CANDIDATES, candidate.workspace_id)
    _refuse_if_erased(candidate)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the note first.")})
    if len(body) > 4000:
        raise ValidationError({"body": _("Keep a note under 4,000 characters.")})
    return Note.objects.create(candidate=candidate, author=actor, body=body)


# Resumes ----------------------------------------------------------------------------------------


def _skills_from(parsed: ParsedResume, workspace: Workspace) -> list[CandidateSkill]:
    return [
        CandidateSkill(ref=m.ref, label=m.label[:120], evidence=m.evidence[:300])
        for m in extract_skills(parsed.text, workspace)
    ]


def _profile_from(parsed: ParsedResume) -> dict[str, Any]:
    """Candidate fields a parsed resume supplies (only used where the profile is still empty)."""
    years = parsed.years_experience
    return {
        "name": parsed.name[:160],
        "email": parsed.emails[0] if parsed.emails else "",
        "phone": parsed.phones[0][:40] if parsed.phones else "",
        "location": parsed.location[:160],
        "links": _usable_links(parsed.links),
        "headline": parsed.headline[:160],
        "current_employer": parsed.current_employer[:160],
        "years_experience": Decimal(str(round(years, 1))) if years is not None else None,
    }


def _store_resume(
    candidate: Candidate, actor: Member | None, data: bytes, filename: str, parsed: ParsedResume
) -> Resume:
    resume = Resume(
        candidate=candidate,
        original_name=filename[:255] or "resume",
        kind=parsed.kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=parsed.text,
        parsed=parsed.to_dict(),
        uploaded_by=actor,
    )
    resume.file.save(resume.original_name, ContentFile(data), save=False)
    stored = _stored_files.get()
    if stored is not None and resume.file.name:
        stored.append((resume.file.storage, resume.file.name))
    resume.save()
    # Skills: the newest resume's, plus whatever recruiters added by hand.
    candidate.skills.filter(origin=CandidateSkill.Origin.RESUME).delete()
    manual = set(candidate.skills.values_list("ref", flat=True))
    skills = [s for s in _skills_from(parsed, candidate.workspace) if s.ref not in manual]
    for skill in skills:
        skill.candidate = candidate
    CandidateSkill.objects.bulk_create(skills, ignore_conflicts=True)
    _event(candidate, actor, CandidateEvent.Kind.RESUME_ADDED, resume.original_name)
    # A new resume is new evidence: the candidate's screens get fresh suggestions.
    refresh_later(Application.objects.filter(candidate=candidate).values_list("pk", flat=True))
    return resume


_stored_files: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "stored_files", default=None
)


@contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Files stored inside this block are deleted again if the block fails, so a failed import
    item leaves no file behind its rolled-back rows. Nested blocks share the outermost list."""
    if _stored_files.get() is not None:
        yield
        return
    stored: list[tuple[Storage, str]] = []
    token = _stored_files.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _stored_files.reset(token)


def resume_attach(
    *, actor: Member, candidate: Candidate, data: bytes, filename: str, parsed: ParsedResume
) -> Resume:
    """Keep the original file and what parsing found; fill the profile's empty fields from it."""
    require(actor, MANAGE_CANDIDATES, candidate.workspace_id)
    with files_removed_on_failure(), transaction.atomic():
        return _resume_attach(actor, candidate, data, filename, parsed)


def _resume_attach(
    actor: Member, candidate: Candidate, data: bytes, filename: str, parsed: ParsedResume
) -> Resume:
    current = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _refuse_if_erased(current)
    resume = _store_resume(current, actor, data, filename, parsed)
    _fill_empty(current, _profile_from(parsed))
    audit_record(
        actor=actor.user, workspace=actor.workspace, action="candidate.resume_added", obj=current
    )
    transaction.on_commit(lambda: index_candidates([current.pk]))
    return resume


def _fill_empty(candidate: Candidate, values: dict[str, Any]) -> None:
    filled = {
        field: value
        for field, value in values.items()
        if value not in ("", None, []) and getattr(candidate, field) in ("", None, [])
    }
    if filled:
        apply_changes(candidate, **filled)
        _set_keys(candidate)
        candidate.revision += 1
        candidate.updated_at = timezone.now()
        candidate.save()


@dataclass(frozen=True)
class Imported:
    candidate: Candidate
    created: bool  # False: merged into an existing candidate with the same email or phone
    resume: Resume | None


def candidate_from_resume(
    *,
    actor: Member,
    data: bytes,
    filename: str,
    parsed: ParsedResume,
    source: str = Source.IMPORTED,
) -> Imported:
    """Create a candidate from a parsed resume, or add it to the existing candidate with the
    same file, email or phone. The same file twice adds nothing."""
    require(actor, MANAGE_CANDIDATES)
    with files_removed_on_failure(), transaction.atomic():
        return _candidate_from_resume(actor, data, filename, parsed, source)


def _candidate_from_resume(
    actor: Member, data: bytes, filename: str, parsed: ParsedResume, source: str
) -> Imported:
    sha = hashlib.sha256(data).hexdigest()
    same_file = (
        Resume.objects.filter(
            sha256=sha, candidate__workspace=actor.workspace, candidate__erased_at__isnull=True
        )
        .select_related("candidate")
        .first()
    )
    if same_file is not None:
        return Imported(same_file.candidate, created=False, resume=None)
    profile = _profile_from(parsed)
    strong = [
        d
        for d in find_duplicates(
            actor.workspace, email=profile["email"], phone=profile["phone"], name=profile["name"]
        )
        if d.is_strong
    ]
    if strong:
        existing = strong[0].candidate
        resume = _resume_attach(actor, existing, data, filename, parsed)
        return Imported(existing, created=False, resume=resume)
    if not profile["name"]:
        profile["name"] = filename.rsplit(".", 1)[0][:160] or _("Unnamed candidate")
    try:
        _validate({k: v for k, v in profile.items() if k in ("email",)})
    except ValidationError:
        profile["email"] = ""  # a mangled address in a resume is not worth refusing it over
    candidate = candidate_create(actor=actor, source=source, **profile)
    resume = _store_resume(candidate, actor, data, filename, parsed)
    return Imported(candidate, created=True, resume=resume)


# Merging ----------------------------------------------------------------------------------------


def _further_along(a: Application, b: Application) -> bool:
    """Whether a is further along its pipeline than b: open beats closed, then the later stage."""
    return (not a.stage.is_closed, a.stage.position, -a.pk) > (
        not b.stage.is_closed,
        b.stage.position,
        -b.pk,
    )


def _fold_shared_applications(keep: Candidate, other: Candidate) -> int:
    """Where both are in the same requisition, keep the application that is further along and
    give it the other's moves and screening (where it has none for that criterion)."""
    mine = {
        a.requisition_id: a
        for a in Application.objects.filter(candidate=keep).select_related("stage")
    }
    folded = 0
    for theirs in Application.objects.filter(
        candidate=other, requisition__in=list(mine)
    ).select_related("stage"):
        ours = mine[theirs.requisition_id]
        winner, loser = (theirs, ours) if _further_along(theirs, ours) else (ours, theirs)
        StageMove.objects.filter(application=loser).update(application=winner)
        judged = Assessment.objects.filter(application=winner).values("criterion")
        Assessment.objects.filter(application=loser).exclude(criterion__in=judged).update(
            application=winner
        )
        AuditEntry.objects.filter(
            object_type=Application._meta.label_lower, object_id=str(loser.public_id)
        ).update(object_id=str(winner.public_id))
        loser.delete()
        if winner.candidate_id != keep.pk:
            winner.candidate = keep
            winner.save(update_fields=["candidate"])
        folded += 1
    return folded


@transaction.atomic
def candidate_merge(*, actor: Member, keep: Candidate, other: Candidate) -> Candidate:
    """Fold `other` into `keep`: resumes, notes, history, skills, tags and applications move;
    empty profile fields are filled from `other`; `other` is deleted. The merge is recorded in
    keep's history with what `other` was."""
    require(actor, MANAGE_CANDIDATES, keep.workspace_id)
    require(actor, MANAGE_CANDIDATES, other.workspace_id)
    if keep.pk == other.pk:
        raise ValidationError(_("Choose two different candidates to merge."))
    locked = {
        c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])
    }
    keep, other = locked[keep.pk], locked[other.pk]
    if keep.erased_at or other.erased_at:
        raise ValidationError(_("An erased candidate can't be merged."))
    was = {"name": other.name, "email": other.email, "phone": other.phone}
    _fill_empty(keep, {field: getattr(other, field) for field in PROFILE_FIELDS})
    Resume.objects.filter(candidate=other).update(candidate=keep)
    Note.objects.filter(candidate=other).update(candidate=keep)
    CandidateEvent.objects.filter(candidate=other).update(candidate=keep)
    known = set(keep.skills.values_list("ref", flat=True))
    CandidateSkill.objects.filter(candidate=other).exclude(ref__in=known).update(candidate=keep)
    keep.tags.add(*other.tags.all())
    folded = _fold_shared_applications(keep, other)
    moved_ids = list(Application.objects.filter(candidate=other).values_list("pk", flat=True))
    moved_count = Application.objects.filter(pk__in=moved_ids).update(candidate=keep)
    ImportItem.objects.filter(candidate=other).update(candidate=keep)
    # The duplicate's audit entries now describe the kept candidate (so erasing them reaches
    # them too).
    AuditEntry.objects.filter(
        object_type=Candidate._meta.label_lower, object_id=str(other.public_id)
    ).update(object_id=str(keep.public_id))
    refresh_later(moved_ids)
    _event(
        keep,
        actor,
        CandidateEvent.Kind.MERGED,
        _("Merged %(name)s into this candidate") % {"name": other.name},
        merged=was,
        applications_moved=moved_count,
        applications_folded=folded,
    )
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="candidate.merged",
        obj=keep,
        changes={"merged": [str(other.public_id), str(keep.public_id)]},
    )
    other.delete()
    keep.revision += 1
    keep.save(update_fields=["revision"])
    transaction.on_commit(lambda: index_candidates([keep.pk]))
    return keep


# Data rights ------------------------------------------------------------------------------------


def candidate_export(*, actor: Member, candidate: Candidate) -> dict[str, Any]:
    """Everything Accord holds about the person, as JSON-safe data (a subject access request)."""
    require(actor, CANDIDATE_DATA_RIGHTS, candidate.workspace_id)
    from accord.candidates.exports import candidate_data

    with transaction.atomic():
        data = candidate_data(candidate)
        _event(candidate, actor, CandidateEvent.Kind.EXPORTED, _("Data exported"))
        audit_record(
            actor=actor.user, workspace=actor.workspace, action="candidate.exported", obj=candidate
        )
    return data


def _delete_after_commit(files: list[tuple[Storage, str]]) -> None:
    """Delete stored files once the rows naming them are gone for good; a file that can't be
    deleted is logged by Django and never undoes or stops the erasure (robust)."""

    def delete_files() -> None:
        for storage, name in files:
            if storage.exists(name):
                storage.delete(name)

    transaction.on_commit(delete_files, robust=True)


def _erase(candidate: Candidate, actor: Member | None, why: str) -> None:
    # Status reports sent name them too (imported here: reports build on candidates).
    from accord.reports.services import candidate_forget

    candidate_forget(
        candidate.name,
        list(Application.objects.filter(candidate=candidate).values_list("requisition", flat=True)),
        ERASED_NAME,
    )
    # So do their hires' audit entries, survey answers, lessons and messages (imported here:
    # the post-hire loop builds on candidates).
    from accord.partnerships.forget import hires_forget

    hires_forget(candidate.pk, candidate.name, ERASED_NAME)
    _delete_after_commit(
        [(r.file.storage, r.file.name) for r in candidate.resumes.all() if r.file.name]
    )
    candidate.resumes.all().delete()
    candidate.notes.all().delete()
    candidate.events.all().delete()
    candidate.skills.all().delete()
    candidate.tags.clear()
    applications = Application.objects.filter(candidate=candidate)
    applications.update(reason_note="")
    Assessment.objects.filter(application__in=applications).update(
        evidence="", suggested_evidence=""
    )
    StageMove.objects.filter(application__in=applications).update(note="")
    ImportItem.objects.filter(candidate=candidate).update(name="—", row={}, upload="", reason="")
    AuditEntry.objects.filter(
        object_type=candidate._meta.label_lower, object_id=str(candidate.public_id)
    ).update(object_repr=ERASED_NAME, changes={})
    # Entries about their applications name them too ("Ana García · Backend Engineer").
    AuditEntry.objects.filter(
        object_type=Application._meta.label_lower,
        object_id__in=[str(pk) for pk in applications.values_list("public_id", flat=True)],
    ).update(object_repr=ERASED_NAME)
    for field in PROFILE_FIELDS:
        default = Candidate._meta.get_field(field).get_default()  # type: ignore[union-attr]
        setattr(candidate, field, default)
    candidate.name = ERASED_NAME
    candidate.source = Source.OTHER
    candidate.email_key = candidate.phone_key = candidate.name_key = candidate.search_text = ""
    candidate.erased_at = timezone.now()
    candidate.revision += 1
    candidate.save()
    CandidateEvent.objects.create(
        candidate=candidate, actor=actor, kind=CandidateEvent.Kind.ERASED, summary=why
    )
    audit_record(
        actor=actor.user if actor else None,
        workspace=candidate.workspace,
        action="candidate.erased",
        obj=candidate,
        object_repr=ERASED_NAME,
    )
    transaction.on_commit(lambda: index_candidates([candidate.pk]))


@transaction.atomic
def candidate_erase(*, actor: Member, candidate: Candidate) -> None:
    """Remove the person's data everywhere; an anonymous row keeps pipeline counts true and an
    audit entry without personal data records who erased it and when."""
    require(actor, CANDIDATE_DATA_RIGHTS, candidate.workspace_id)
    current = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if current.erased_at:
        return
    _erase(current, actor, _("Erased on request"))


def retention_due(today: date | None = None) -> Any:
    today = today or timezone.localdate()
    return Candidate.objects.live().filter(retain_until__lt=today)


# Import reports (and the rows of CSV files never mapped) are kept this long, then deleted.
IMPORT_REPORT_DAYS = 90


def imports_purge(today: date | None = None) -> int:
    """Delete import batches older than IMPORT_REPORT_DAYS, with any staged file still left."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=IMPORT_REPORT_DAYS), datetime.min.time())
    )
    old = ImportBatch.objects.filter(created_at__lt=cutoff)
    staged = [
        (item.upload.storage, item.upload.name)
        for item in ImportItem.objects.filter(batch__in=old).exclude(upload="")
        if item.upload.name
    ]
    with transaction.atomic():
        count, _deleted = old.delete()
        _delete_after_commit(staged)
    return count


def retention_purge(today: date | None = None) -> int:
    """Erase every candidate whose retention date has passed. Run daily by the worker."""
    count = 0
    for pk in retention_due(today).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            candidate = Candidate.objects.select_for_update().get(pk=pk)
            if candidate.erased_at is None:
                _erase(candidate, None, _("Retention date passed"))
                count += 1
    return count
