"""Candidate services: duplicates, merging, resumes, erasure, retention and export."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.candidates import services
from accord.candidates.models import (
    Candidate,
    CandidateEvent,
    CandidateSkill,
    ImportBatch,
    ImportItem,
    Note,
    Resume,
)
from accord.candidates.parsing import ParsedResume, parse_resume
from accord.lib.conflicts import Conflict
from accord.pipeline import services as pipeline_services
from accord.pipeline.models import Application, Assessment, Verdict
from accord.workspaces.models import Member
from tests.factories import ApplicationFactory, CriterionFactory, RequisitionFactory

pytestmark = pytest.mark.django_db

CV_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cv-docx" / "CV"


def parsed(**fields: object) -> ParsedResume:
    """A parsed resume as the parser returns it, with the fields the test cares about."""
    values: dict[str, object] = {
        "kind": "txt",
        "text": "Ana García\nana@example.com\nSenior Python developer with Kubernetes.",
        "name": "Ana García",
        "emails": ["ana@example.com"],
        "phones": [],
        "location": "Madrid",
        "links": [],
        "headline": "Senior Python Developer",
        "current_employer": "Acme",
        "summary": "",
        "work": [],
        "education": [],
        "years_experience": 6.5,
    }
    values.update(fields)
    return ParsedResume(**values)  # type: ignore[arg-type]


def test_duplicate_keys_ignore_case_accents_spacing_order_and_phone_format() -> None:
    assert services.email_key(" Ana@Example.COM ") == "ana@example.com"
    assert services.name_key("García,  Ana") == services.name_key("ana garcia")
    assert services.phone_key("+44 20 7946 0958") == services.phone_key("+44 (0)20-7946-0958")
    assert services.phone_key("12") == ""


def test_find_duplicates_by_email_phone_and_name_strongest_first(recruiter: Member) -> None:
    by_name = services.candidate_create(actor=recruiter, name="Ana Garcia")
    by_email = services.candidate_create(
        actor=recruiter, name="A. García", email="ana@example.com", phone="+34 600 111 222"
    )
    found = services.find_duplicates(
        recruiter.workspace, email="ANA@example.com", phone="+34600111222", name="Ana García"
    )
    assert [d.candidate for d in found] == [by_email, by_name]
    assert found[0].reasons == ("email", "phone")
    assert found[0].is_strong
    assert found[1].reasons == ("name",)
    assert not found[1].is_strong


def test_duplicates_never_cross_workspaces(recruiter: Member, outsider: Member) -> None:
    services.candidate_create(actor=outsider, name="Ana", email="ana@example.com")
    assert services.find_duplicates(recruiter.workspace, email="ana@example.com") == []


def test_create_refuses_bad_input_and_saves_nothing(recruiter: Member) -> None:
    with pytest.raises(ValidationError) as error:
        services.candidate_create(actor=recruiter, name=" ", email="not-an-email")
    assert set(error.value.message_dict) == {"name", "email"}
    with pytest.raises(ValidationError):
        services.candidate_create(actor=recruiter, name="Ana", links=["javascript:alert(1)"])
    assert not Candidate.objects.exists()


def test_create_sets_retention_keys_history_and_audit(recruiter: Member) -> None:
    candidate = services.candidate_create(
        actor=recruiter,
        name="Ana García",
        email="Ana@Example.com",
        links=["github.com/ana"],
        tags=["Python", "python", "Referral"],
    )
    assert candidate.retain_until == timezone.localdate() + timedelta(days=730)
    assert candidate.email_key == "ana@example.com"
    assert candidate.links == ["https://github.com/ana"]
    assert sorted(t.name for t in candidate.tags.all()) == ["Python", "Referral"]
    assert candidate.events.get().kind == CandidateEvent.Kind.CREATED
    assert AuditEntry.objects.filter(action="candidate.created").count() == 1


def test_interviewers_cannot_create(interviewer: Member) -> None:
    with pytest.raises(ValidationError):
        services.candidate_create(actor=interviewer, name="Ana")
    assert not Candidate.objects.exists()


def test_update_with_a_stale_revision_conflicts_and_changes_nothing(recruiter: Member) -> None:
    candidate = services.candidate_create(actor=recruiter, name="Ana")
    services.candidate_update(actor=recruiter, candidate=candidate, revision=1, location="Lyon")
    with pytest.raises(Conflict) as conflict:
        services.candidate_update(actor=recruiter, candidate=candidate, revision=1, location="Rome")
    assert conflict.value.current.location == "Lyon"  # type: ignore[attr-defined]
    candidate.refresh_from_db()
    assert (candidate.location, candidate.revision) == ("Lyon", 2)


def test_resume_creates_a_candidate_then_merges_the_same_person(recruiter: Member) -> None:
    first = services.candidate_from_resume(
        actor=recruiter, data=b"resume one", filename="ana.txt", parsed=parsed()
    )
    assert first.created
    assert first.candidate.name == "Ana García"
    assert first.candidate.years_experience == 6.5
    again = services.candidate_from_resume(
        actor=recruiter, data=b"resume one", filename="copy.txt", parsed=parsed()
    )
    assert (again.created, again.resume) == (False, None)  # the same file adds nothing
    newer = services.candidate_from_resume(
        actor=recruiter,
        data=b"resume two",
        filename="ana-2026.txt",
        parsed=parsed(name="Ana Garcia Lopez", emails=["ANA@example.com"]),
    )
    assert not newer.created
    assert newer.candidate == first.candidate
    assert Resume.objects.filter(candidate=first.candidate).count() == 2
    assert Candidate.objects.count() == 1


def test_a_mangled_link_in_a_resume_is_dropped_not_refused(recruiter: Member) -> None:
    result = services.candidate_from_resume(
        actor=recruiter,
        data=b"x",
        filename="ana.txt",
        parsed=parsed(links=["https://www./Aruba", "github.com/ana"]),
    )
    assert result.candidate.links == ["https://github.com/ana"]


def test_resume_skills_carry_the_words_that_show_them(recruiter: Member) -> None:
    result = services.candidate_from_resume(
        actor=recruiter, data=b"x", filename="ana.txt", parsed=parsed()
    )
    skills = {s.label: s.evidence for s in result.candidate.skills.all()}
    assert "Kubernetes" in skills
    assert "Kubernetes" in skills["Kubernetes"]


def test_a_failed_resume_store_leaves_no_file(
    recruiter: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidate = services.candidate_create(actor=recruiter, name="Ana")

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away after the file was stored")

    monkeypatch.setattr(services, "_event", fail)
    with pytest.raises(RuntimeError):
        services.resume_attach(
            actor=recruiter, candidate=candidate, data=b"x", filename="a.txt", parsed=parsed()
        )
    assert not Resume.objects.exists()
    storage = Resume._meta.get_field("file").storage  # type: ignore[attr-defined]
    folder = f"resumes/{recruiter.workspace.public_id}"
    assert not storage.exists(folder) or storage.listdir(folder) == ([], [])


@pytest.mark.skipif(not CV_DIR.exists(), reason="../shared/data is absent (a fresh clone)")
def test_a_real_docx_resume_fills_the_profile_and_keeps_the_original(recruiter: Member) -> None:
    data = (CV_DIR / "1.docx").read_bytes()
    result = services.candidate_from_resume(
        actor=recruiter, data=data, filename="1.docx", parsed=parse_resume(data, "1.docx")
    )
    resume = result.candidate.resumes.get()
    assert resume.kind == "docx"
    assert resume.size == len(data)
    assert resume.file.read() == data
    assert resume.text
    assert resume.parsed["text"] == resume.text
    assert result.candidate.skills.exists()


def test_merge_moves_everything_and_records_what_the_duplicate_was(recruiter: Member) -> None:
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    other_requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    keep = services.candidate_create(actor=recruiter, name="Ana García", tags=["Python"])
    other = services.candidate_from_resume(
        actor=recruiter,
        data=b"other",
        filename="ana.txt",
        parsed=parsed(emails=["ana.g@example.com"]),
    ).candidate
    services.note_add(actor=recruiter, candidate=other, body="Met at PyCon")
    services.candidate_tag(actor=recruiter, candidate=other, add=["Referral"])
    stages = pipeline_services.stages_for(requisition)
    pipeline_services.application_create(actor=recruiter, candidate=keep, requisition=requisition)
    further = pipeline_services.application_create(
        actor=recruiter, candidate=other, requisition=requisition
    )  # both in the same requisition; the duplicate's application has moved on
    pipeline_services.application_move(actor=recruiter, application=further, to_stage=stages[1])
    ApplicationFactory(requisition=other_requisition, candidate=other)

    merged = services.candidate_merge(actor=recruiter, keep=keep, other=other)

    assert not Candidate.objects.filter(pk=other.pk).exists()
    assert merged.email == "ana.g@example.com"  # empty field filled from the duplicate
    assert merged.resumes.count() == 1
    assert Note.objects.get().candidate == merged
    assert sorted(t.name for t in merged.tags.all()) == ["Python", "Referral"]
    assert Application.objects.filter(candidate=merged).count() == 2
    assert merged.skills.filter(label="Kubernetes").exists()
    event = merged.events.get(kind=CandidateEvent.Kind.MERGED)
    assert event.details["merged"]["email"] == "ana.g@example.com"
    assert event.details["applications_folded"] == 1
    kept = Application.objects.get(candidate=merged, requisition=requisition)
    assert kept.pk == further.pk  # the further-along application stays, with both histories
    assert kept.stage == stages[1]
    assert kept.moves.count() == 3  # keep's entry, the duplicate's entry and its move
    assert (
        AuditEntry.objects.filter(
            object_id=str(merged.public_id), action="candidate.created"
        ).count()
        == 2
    )
    kinds = set(merged.events.values_list("kind", flat=True))
    assert {"created", "resume", "merged"} <= kinds  # the duplicate's history came along


def test_an_erased_candidate_takes_no_new_data(admin: Member, recruiter: Member) -> None:
    candidate = services.candidate_create(actor=recruiter, name="Ana")
    services.candidate_erase(actor=admin, candidate=candidate)
    candidate.refresh_from_db()
    for attempt in (
        lambda: services.note_add(actor=recruiter, candidate=candidate, body="Hi"),
        lambda: services.candidate_tag(actor=recruiter, candidate=candidate, add=["x"]),
        lambda: services.resume_attach(
            actor=recruiter, candidate=candidate, data=b"x", filename="a.txt", parsed=parsed()
        ),
    ):
        with pytest.raises(ValidationError):
            attempt()
    candidate.refresh_from_db()
    assert (candidate.email, candidate.notes.count(), candidate.tags.count()) == ("", 0, 0)
    assert not Resume.objects.exists()


def test_merge_refuses_another_workspaces_candidate(recruiter: Member, outsider: Member) -> None:
    keep = services.candidate_create(actor=recruiter, name="Ana")
    theirs = services.candidate_create(actor=outsider, name="Ana")
    with pytest.raises(ValidationError):
        services.candidate_merge(actor=recruiter, keep=keep, other=theirs)
    assert Candidate.objects.count() == 2


def test_erase_removes_personal_data_everywhere(
    admin: Member, recruiter: Member, django_capture_on_commit_callbacks
) -> None:
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    candidate = services.candidate_from_resume(
        actor=recruiter, data=b"cv", filename="ana-garcia.txt", parsed=parsed()
    ).candidate
    services.candidate_update(actor=recruiter, candidate=candidate, location="Ana's street")
    services.note_add(actor=recruiter, candidate=candidate, body="Ana prefers mornings")
    application = pipeline_services.application_create(
        actor=recruiter, candidate=candidate, requisition=requisition
    )
    Application.objects.filter(pk=application.pk).update(reason_note="Ana declined")
    Assessment.objects.create(
        application=application,
        criterion=CriterionFactory(version__requisition=requisition),
        verdict=Verdict.MET,
        evidence="Ana built it",
    )
    stored = candidate.resumes.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_erase(actor=admin, candidate=candidate)

    candidate.refresh_from_db()
    assert candidate.name == services.ERASED_NAME
    assert candidate.erased_at
    assert (candidate.email, candidate.location, candidate.headline) == ("", "", "")
    assert not candidate.resumes.exists()
    assert not candidate.notes.exists()
    assert not candidate.skills.exists()
    assert list(candidate.events.values_list("kind", flat=True)) == ["erased"]
    assert Resume._meta.get_field("file").storage.exists(stored) is False  # type: ignore[attr-defined]
    application.refresh_from_db()
    assert application.reason_note == ""
    assert application.stage_id
    assert Assessment.objects.get().evidence == ""
    entries = AuditEntry.objects.filter(
        object_id__in=[str(candidate.public_id), str(application.public_id)]
    )
    assert entries.filter(object_id=str(application.public_id)).exists()
    assert "Ana" not in " ".join(f"{e.object_repr} {e.changes}" for e in entries)
    assert entries.filter(action="candidate.erased", actor=admin.user).exists()


def test_only_admins_erase_or_export(recruiter: Member) -> None:
    candidate = services.candidate_create(actor=recruiter, name="Ana")
    with pytest.raises(ValidationError):
        services.candidate_erase(actor=recruiter, candidate=candidate)
    with pytest.raises(ValidationError):
        services.candidate_export(actor=recruiter, candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.name == "Ana"
    assert not candidate.events.filter(kind="exported").exists()


def test_export_holds_everything_about_the_person(admin: Member, recruiter: Member) -> None:
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    candidate = services.candidate_from_resume(
        actor=recruiter, data=b"cv", filename="ana.txt", parsed=parsed()
    ).candidate
    services.note_add(actor=recruiter, candidate=candidate, body="Strong on call stories")
    ApplicationFactory(requisition=requisition, candidate=candidate)
    data = services.candidate_export(actor=admin, candidate=candidate)
    assert data["candidate"]["email"] == "ana@example.com"
    assert data["resumes"][0]["text"].startswith("Ana García")
    assert data["notes"][0]["note"] == "Strong on call stories"
    assert data["applications"][0]["requisition"] == requisition.title
    assert any(s["skill"] == "Kubernetes" for s in data["skills"])
    assert candidate.events.filter(kind=CandidateEvent.Kind.EXPORTED).exists()


def test_retention_purges_only_candidates_past_their_date(recruiter: Member) -> None:
    today = timezone.localdate()
    expired = services.candidate_create(
        actor=recruiter, name="Old", retain_until=today - timedelta(days=1)
    )
    kept = services.candidate_create(actor=recruiter, name="Current", retain_until=today)
    assert services.retention_purge(today) == 1
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert expired.erased_at
    assert not kept.erased_at
    assert services.retention_purge(today) == 0  # idempotent
    assert CandidateSkill.objects.count() == 0


def test_old_import_reports_are_deleted_with_their_rows(recruiter: Member) -> None:
    today = date(2026, 11, 22)
    cutoff = datetime(2026, 8, 24, tzinfo=UTC)  # IMPORT_REPORT_DAYS before today, at midnight
    assert (today - cutoff.date()).days == services.IMPORT_REPORT_DAYS
    old = ImportBatch.objects.create(
        workspace=recruiter.workspace, created_by=recruiter, kind="csv", status="mapping"
    )
    ImportItem.objects.create(batch=old, position=1, name="Row 2", row=["Ana", "ana@example.com"])
    kept = ImportBatch.objects.create(
        workspace=recruiter.workspace, created_by=recruiter, kind="csv", status="done"
    )
    ImportBatch.objects.filter(pk=old.pk).update(created_at=cutoff - timedelta(seconds=1))
    ImportBatch.objects.filter(pk=kept.pk).update(created_at=cutoff)

    with timezone.override(UTC):
        assert services.imports_purge(today) == 2  # the batch and its row

    assert list(ImportBatch.objects.all()) == [kept]
    assert not ImportItem.objects.exists()
