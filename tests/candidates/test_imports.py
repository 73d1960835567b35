"""Bulk resume upload through the views and the worker: real files, real parsing, real storage."""

import io
import logging
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from accord.audit.models import AuditEntry
from accord.candidates import services
from accord.candidates.imports import import_files_start, import_run, worker
from accord.candidates.models import Candidate, ImportBatch, ImportItem, Resume
from accord.pipeline.models import Application
from accord.workspaces.models import Member
from conftest import client_for
from tests.factories import CandidateFactory, RequisitionFactory

pytestmark = pytest.mark.django_db

CV_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cv-docx" / "CV"
Outcome = ImportItem.Outcome


def cv_files() -> list[Path]:
    if not CV_DIR.is_dir():
        pytest.skip(f"the DOCX CVs are not on this machine ({CV_DIR})")
    return sorted(CV_DIR.glob("*.docx"), key=lambda p: int(p.stem))


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def pdf_resume(name: str, email: str) -> bytes:
    from accord.lib.pdf import HTML

    html = (
        f"<h1>{name}</h1><p>{email} · +44 20 7946 0958 · London</p>"
        "<h2>Experience</h2><p>Senior Backend Engineer, Acme Ltd, 2018 – present</p>"
        "<p>Python, Django, PostgreSQL, Kubernetes.</p>"
    )
    return bytes(HTML(string=html).write_pdf())


def encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path, folder: str) -> list[Path]:
    root = media / folder
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload_url(member: Member) -> str:
    return reverse("candidates:upload", kwargs={"workspace_slug": member.workspace.slug})


def detail_url(batch: ImportBatch, **query: str) -> str:
    url = reverse(
        "candidates:import-detail",
        kwargs={"workspace_slug": batch.workspace.slug, "public_id": batch.public_id},
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post_files(
    client: Client, member: Member, files: list[SimpleUploadedFile], capture, **data: object
):
    with capture(execute=True):
        return client.post(upload_url(member), {"resumes": files, "source": "imported", **data})


def outcomes(batch: ImportBatch) -> dict[str, str]:
    return dict(batch.items.values_list("name", "outcome"))


# The acceptance case ----------------------------------------------------------------------------


def test_the_65_docx_cvs_import_through_the_bulk_upload(
    recruiter: Member, media: Path, django_capture_on_commit_callbacks
) -> None:
    paths = cv_files()
    assert len(paths) == 65
    client = client_for(recruiter)
    response = post_files(
        client, recruiter, [upload(p) for p in paths], django_capture_on_commit_callbacks
    )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(batch)
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.processed) == (ImportBatch.Status.DONE, 65, 65)
    assert batch.started_at is not None
    assert batch.finished_at is not None
    items = list(batch.items.order_by("position"))
    assert [i.name for i in items] == [p.name for p in paths]
    failed = [i for i in items if i.outcome == Outcome.FAILED]
    assert failed == [], [(i.name, i.reason) for i in failed]
    counts = Counter(i.outcome for i in items)
    assert counts[Outcome.CREATED] + counts[Outcome.MERGED] == 65
    assert Candidate.objects.filter(workspace=recruiter.workspace).count() == counts["created"]
    assert all(i.candidate_id for i in items)
    # Every original is kept; nothing is left in the staging area.
    assert Resume.objects.filter(candidate__workspace=recruiter.workspace).count() >= len(
        {i.candidate_id for i in items}
    )
    assert len(stored_files(media, "resumes")) == Resume.objects.count()
    assert stored_files(media, "imports") == []
    assert set(batch.items.values_list("upload", flat=True)) == {""}
    assert AuditEntry.objects.filter(action="import.started", object_id=str(batch.public_id))

    page = client.get(detail_url(batch))
    assert page.status_code == 200
    assert b'aria-valuenow="100"' in page.content
    assert b"65 of 65" in page.content
    assert b"every 1s" not in page.content  # finished: no more polling
    assert page.content.count(b'data-testid="item"') == 50  # first page of the report
    partial = client.get(detail_url(batch), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.content.lstrip().startswith(b'<div id="import-status"')
    assert b"<html" not in partial.content


# Hostile files ----------------------------------------------------------------------------------


def test_hostile_files_fail_with_their_reasons_and_leave_nothing_behind(
    recruiter: Member, media: Path, django_capture_on_commit_callbacks
) -> None:
    good = cv_files()[:2]
    docx = good[0].read_bytes()
    files = [
        upload(good[0]),
        SimpleUploadedFile("random.pdf", bytes(range(256)) * 40),
        SimpleUploadedFile("truncated.docx", docx[: len(docx) // 2]),
        SimpleUploadedFile("locked.pdf", encrypted(pdf_resume("Lena Lock", "lena@example.org"))),
        SimpleUploadedFile("empty.docx", b""),
        SimpleUploadedFile("lena.pdf", pdf_resume("Lena Open", "lena.open@example.org")),
        upload(good[1]),
    ]
    client = client_for(recruiter)
    response = post_files(client, recruiter, files, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.processed == 7
    by_name = {i.name: i for i in batch.items.all()}
    hostile = ["random.pdf", "truncated.docx", "locked.pdf", "empty.docx"]
    for name in hostile:
        item = by_name[name]
        assert item.outcome == Outcome.FAILED, name
        assert item.reason, name
        assert item.candidate is None
    assert "password" in by_name["locked.pdf"].reason
    assert "empty" in by_name["empty.docx"].reason
    for name in (good[0].name, "lena.pdf", good[1].name):
        assert by_name[name].outcome == Outcome.CREATED, by_name[name].reason
    assert Candidate.objects.filter(email="lena.open@example.org").exists()
    # Only the three good files were kept, and the staging area is empty.
    assert Resume.objects.count() == 3
    assert sorted(Resume.objects.values_list("original_name", flat=True)) == sorted(
        [good[0].name, good[1].name, "lena.pdf"]
    )
    assert len(stored_files(media, "resumes")) == 3
    assert stored_files(media, "imports") == []

    failures = client.get(detail_url(batch, show="failed"))
    assert failures.content.count(b'data-testid="item"') == 4
    assert b"password-protected" in failures.content


def test_an_unexpected_error_fails_only_that_item_and_is_logged(
    recruiter: Member, media: Path, monkeypatch, caplog, django_capture_on_commit_callbacks
) -> None:
    real = worker.store_resume

    def breaks_on_the_second(actor, data, filename, *args):  # type: ignore[no-untyped-def]
        result = real(actor, data, filename, *args)  # the candidate and file are stored…
        if filename == "2.docx":
            raise RuntimeError("disk on fire")  # …and then something unforeseen happens
        return result

    monkeypatch.setattr(worker, "store_resume", breaks_on_the_second)
    paths = cv_files()[:3]
    with caplog.at_level(logging.ERROR, logger="accord.candidates.imports.worker"):
        post_files(
            client_for(recruiter),
            recruiter,
            [upload(p) for p in paths],
            django_capture_on_commit_callbacks,
        )

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.DONE
    assert outcomes(batch) == {"1.docx": "created", "2.docx": "failed", "3.docx": "created"}
    assert batch.items.get(name="2.docx").reason == "Could not be read (internal error logged)."
    assert "disk on fire" in caplog.text  # the traceback is in the log
    # The failed item's candidate, resume row and stored file were all rolled back.
    assert Resume.objects.count() == 2
    assert Candidate.objects.count() == 2
    assert len(stored_files(media, "resumes")) == 2


# Merging ----------------------------------------------------------------------------------------


def test_the_same_file_twice_and_the_same_email_merge(
    recruiter: Member, media: Path, django_capture_on_commit_callbacks
) -> None:
    known = services.candidate_create(
        actor=recruiter, name="Marta Known", email="marta.known@example.org"
    )
    first = cv_files()[0]
    files = [
        upload(first),
        upload(first, "copy-of-1.docx"),
        SimpleUploadedFile("marta.pdf", pdf_resume("Marta Known", "marta.known@example.org")),
    ]
    post_files(client_for(recruiter), recruiter, files, django_capture_on_commit_callbacks)

    batch = ImportBatch.objects.get()
    items = {i.name: i for i in batch.items.select_related("candidate")}
    assert items["1.docx"].outcome == Outcome.CREATED
    assert items["copy-of-1.docx"].outcome == Outcome.MERGED
    assert items["copy-of-1.docx"].candidate == items["1.docx"].candidate
    assert "same file" in items["copy-of-1.docx"].reason
    assert items["marta.pdf"].outcome == Outcome.MERGED
    assert items["marta.pdf"].candidate == known
    assert Candidate.objects.count() == 2
    assert Resume.objects.filter(candidate=known).count() == 1
    assert Resume.objects.count() == 2  # the copy added nothing


def test_imported_candidates_join_the_chosen_requisition(
    recruiter: Member, media: Path, django_capture_on_commit_callbacks
) -> None:
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    already = services.candidate_create(actor=recruiter, name="Old Hand", email="old@example.org")
    from accord.pipeline.services import application_create

    application_create(actor=recruiter, candidate=already, requisition=requisition)
    files = [upload(p) for p in cv_files()[:2]]
    files.append(SimpleUploadedFile("old.pdf", pdf_resume("Old Hand", "old@example.org")))
    post_files(
        client_for(recruiter),
        recruiter,
        files,
        django_capture_on_commit_callbacks,
        requisition=requisition.pk,
        source="applied",
    )

    batch = ImportBatch.objects.get()
    assert batch.requisition == requisition
    assert set(outcomes(batch).values()) <= {"created", "merged"}
    applications = Application.objects.filter(requisition=requisition)
    assert applications.count() == 3  # two new, and the merged candidate's one is kept
    assert set(applications.values_list("candidate", flat=True)) == set(
        batch.items.values_list("candidate", flat=True)
    )


# One file ---------------------------------------------------------------------------------------


def test_one_resume_is_read_now_and_opens_its_candidate(recruiter: Member, media: Path) -> None:
    response = client_for(recruiter).post(
        upload_url(recruiter), {"resumes": [upload(cv_files()[0])], "source": "sourced"}
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "candidates:detail",
        kwargs={"workspace_slug": "acme", "public_id": candidate.public_id},
    )
    assert candidate.source == "sourced"
    assert candidate.resumes.count() == 1
    assert not ImportBatch.objects.exists()


def test_one_unreadable_resume_is_refused_on_the_form(recruiter: Member, media: Path) -> None:
    response = client_for(recruiter).post(
        upload_url(recruiter),
        {"resumes": [SimpleUploadedFile("cv.pdf", b"%PDF-1.7 not really")], "source": "imported"},
    )
    assert response.status_code == 422
    assert "“cv.pdf”" in response.content.decode()
    assert not Candidate.objects.exists()
    assert stored_files(media, "") == []


# Limits: a refused upload changes nothing ------------------------------------------------------


def test_no_files_too_many_files_or_an_oversized_file_change_nothing(
    recruiter: Member, media: Path, settings, django_capture_on_commit_callbacks
) -> None:
    client = client_for(recruiter)
    small = [SimpleUploadedFile(f"{n}.txt", b"Ana Example\nana@example.com\n") for n in range(3)]

    none = post_files(client, recruiter, [], django_capture_on_commit_callbacks)
    assert none.status_code == 422
    assert "Choose at least one resume file." in none.content.decode()

    settings.IMPORT_MAX_FILES = 2
    many = post_files(client, recruiter, small, django_capture_on_commit_callbacks)
    assert many.status_code == 422
    assert "You chose 3 files; one upload takes at most 2." in many.content.decode()

    settings.IMPORT_MAX_FILES = 500
    settings.RESUME_MAX_BYTES = 1024
    big = SimpleUploadedFile("huge.pdf", b"%PDF-1.4" + b"x" * 2048)
    oversized = post_files(client, recruiter, [small[0], big], django_capture_on_commit_callbacks)
    assert oversized.status_code == 422
    assert "“huge.pdf” is 2.0\xa0KB, over the 1.0\xa0KB limit." in oversized.content.decode()

    assert not ImportBatch.objects.exists()
    assert not Candidate.objects.exists()
    assert stored_files(media, "") == []


def test_django_accepts_as_many_files_as_an_import_takes(settings) -> None:
    # Django refuses a request with more files than this (400) before any view runs.
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES > settings.IMPORT_MAX_FILES


# Resuming after the worker died ----------------------------------------------------------------


class WorkerKilled(BaseException):
    """What a worker's process sees when it is killed: not an Exception the task may catch."""


def test_a_batch_carries_on_from_its_pending_items_after_the_worker_died(
    recruiter: Member, media: Path, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    paths = cv_files()[:4]
    batch = import_files_start(actor=recruiter, files=[upload(p) for p in paths])
    assert batch.status == ImportBatch.Status.QUEUED  # the worker gets it after the commit
    real = worker.parse_resume

    def dies_on_the_third(data, filename=""):  # type: ignore[no-untyped-def]
        if filename == "3.docx":
            raise WorkerKilled
        return real(data, filename)

    monkeypatch.setattr(worker, "parse_resume", dies_on_the_third)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        import_run.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
    assert batch.processed == 2
    assert outcomes(batch) == {
        "1.docx": "created",
        "2.docx": "created",
        "3.docx": "pending",
        "4.docx": "pending",
    }
    assert len(stored_files(media, f"imports/{batch.public_id}")) == 2  # 3 and 4 still staged

    monkeypatch.setattr(worker, "parse_resume", real)
    with django_capture_on_commit_callbacks(execute=True):
        import_run.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.processed == 4
    assert set(outcomes(batch).values()) == {"created"}
    assert Candidate.objects.count() == 4
    assert Resume.objects.count() == 4
    assert stored_files(media, "imports") == []

    import_run.call(batch_id=batch.pk)  # a second run of a finished batch does nothing
    assert Candidate.objects.count() == 4
    assert ImportBatch.objects.get().processed == 4


def test_continue_queues_a_stalled_batch_again(
    recruiter: Member, media: Path, django_capture_on_commit_callbacks
) -> None:
    batch = import_files_start(actor=recruiter, files=[upload(p) for p in cv_files()[:2]])
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    url = reverse(
        "candidates:import-continue",
        kwargs={"workspace_slug": "acme", "public_id": batch.public_id},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recruiter).post(url)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert set(outcomes(batch).values()) == {"created"}


def test_a_batch_stops_when_its_author_may_no_longer_add_candidates(
    recruiter: Member, media: Path
) -> None:
    batch = import_files_start(actor=recruiter, files=[upload(p) for p in cv_files()[:2]])
    Member.objects.filter(pk=recruiter.pk).update(role="interviewer")
    import_run.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "can no longer add candidates" in batch.error
    assert not Candidate.objects.exists()
    assert stored_files(media, "imports") == []


# The page ---------------------------------------------------------------------------------------


def test_a_running_batch_shows_its_progress_and_polls(recruiter: Member) -> None:
    batch = ImportBatch.objects.create(
        workspace=recruiter.workspace,
        created_by=recruiter,
        kind=ImportBatch.Kind.FILES,
        status=ImportBatch.Status.RUNNING,
        total=65,
        processed=23,
    )
    ImportItem.objects.bulk_create(
        ImportItem(batch=batch, position=n, name=f"{n}.docx") for n in range(1, 66)
    )
    client = client_for(recruiter)
    page = client.get(detail_url(batch)).content.decode()
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="35"' in page
    assert "23 of 65" in page
    assert 'hx-trigger="every 1s"' in page
    assert "import-bar-35" in page
    partial = client.get(detail_url(batch), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "HX-Request" in partial["Vary"]

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE, processed=65)
    done = client.get(detail_url(batch), headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in done  # the swapped-in partial stops the polling
    assert 'data-testid="import-done"' in done


def test_the_report_pages_run_a_bounded_number_of_queries(
    recruiter: Member, django_assert_max_num_queries
) -> None:
    batch = ImportBatch.objects.create(
        workspace=recruiter.workspace,
        created_by=recruiter,
        kind=ImportBatch.Kind.FILES,
        status=ImportBatch.Status.DONE,
        total=400,
        processed=400,
    )
    candidates = CandidateFactory.create_batch(30, workspace=recruiter.workspace)
    cycle = [Outcome.CREATED, Outcome.MERGED, Outcome.FAILED, Outcome.CREATED]
    ImportItem.objects.bulk_create(
        ImportItem(
            batch=batch,
            position=n,
            name=f"{n}.pdf",
            outcome=cycle[n % 4],
            reason="Unreadable." if cycle[n % 4] == Outcome.FAILED else "",
            candidate=None if cycle[n % 4] == Outcome.FAILED else candidates[n % 30],
        )
        for n in range(1, 401)
    )
    for n in range(40):
        ImportBatch.objects.create(
            workspace=recruiter.workspace, created_by=recruiter, kind="csv", total=n
        )
    client = client_for(recruiter)
    for query in ({}, {"show": "failed"}, {"show": "failed", "page": "2"}, {"page": "8"}):
        with django_assert_max_num_queries(10):
            response = client.get(detail_url(batch, **query))
        assert response.status_code == 200
        assert response.content.count(b'data-testid="item"') == 50
    with django_assert_max_num_queries(8):
        listing = client.get(reverse("candidates:imports", kwargs={"workspace_slug": "acme"}))
    assert listing.content.count(b'data-testid="batch"') == 30


# Who may ----------------------------------------------------------------------------------------


@pytest.fixture
def batch(recruiter: Member) -> ImportBatch:
    return ImportBatch.objects.create(
        workspace=recruiter.workspace,
        created_by=recruiter,
        kind=ImportBatch.Kind.CSV,
        status=ImportBatch.Status.MAPPING,
        columns=["Name"],
        total=1,
    )


def batch_urls(batch: ImportBatch, slug: str = "acme") -> list[str]:
    one = {"workspace_slug": slug, "public_id": batch.public_id}
    return [
        reverse("candidates:import-detail", kwargs=one),
        reverse("candidates:import-mapping", kwargs=one),
        reverse("candidates:import-continue", kwargs=one),
        reverse("candidates:import-discard", kwargs=one),
    ]


def test_managers_and_interviewers_may_not_import(
    hiring_manager: Member, interviewer: Member, batch: ImportBatch, media: Path
) -> None:
    slug = {"workspace_slug": "acme"}
    pages = [
        reverse("candidates:upload", kwargs=slug),
        reverse("candidates:import-csv", kwargs=slug),
        reverse("candidates:imports", kwargs=slug),
        *batch_urls(batch),
    ]
    for member in (hiring_manager, interviewer):
        client = client_for(member)
        for url in pages:
            assert client.get(url).status_code in (403, 405), url
            posted = client.post(
                url, {"resumes": [SimpleUploadedFile("a.txt", b"Ana\nana@example.com")]}
            )
            assert posted.status_code == 403, url
    assert ImportBatch.objects.count() == 1
    assert stored_files(media, "") == []


def test_another_workspaces_batch_is_not_found(
    outsider: Member, batch: ImportBatch, recruiter: Member
) -> None:
    client = client_for(outsider)
    detail, mapping, resume, discard = batch_urls(batch, slug="other")
    assert client.get(detail).status_code == 404
    assert client.get(mapping).status_code == 404
    assert client.post(mapping, {"col_0": "name"}).status_code == 404
    assert client.post(resume).status_code == 404
    assert client.post(discard).status_code == 404
    for url in batch_urls(batch):  # not a member of that workspace at all
        assert client.get(url).status_code == 404
        assert client.post(url, {"col_0": "name"}).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.MAPPING
