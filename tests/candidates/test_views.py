"""The candidate page and its actions, through the views."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accord.candidates import services
from accord.candidates.models import Candidate, CandidateEvent, Resume
from accord.pipeline.models import Application
from accord.workspaces.models import Member
from conftest import client_for
from tests.factories import ApplicationFactory, CandidateFactory, RequisitionFactory

pytestmark = pytest.mark.django_db

CV_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cv-docx" / "CV"


def url(name: str, candidate: Candidate, **kwargs: object) -> str:
    return reverse(
        name,
        kwargs={
            "workspace_slug": candidate.workspace.slug,
            "public_id": candidate.public_id,
            **kwargs,
        },
    )


@pytest.fixture
def ana(recruiter: Member) -> Candidate:
    return services.candidate_create(
        actor=recruiter, name="Ana García", email="ana@example.com", tags=["Python"]
    )


def test_the_candidate_page_runs_a_bounded_number_of_queries(
    recruiter: Member, ana: Candidate, django_assert_max_num_queries
) -> None:
    for n in range(8):
        requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
        ApplicationFactory(requisition=requisition, candidate=ana)
        services.note_add(actor=recruiter, candidate=ana, body=f"Note {n}")
    client = client_for(recruiter)
    with django_assert_max_num_queries(22):
        response = client.get(url("candidates:detail", ana))
    assert response.status_code == 200
    assert response.content.count(b'data-testid="application"') == 8


def test_a_manager_sees_only_candidates_of_their_requisitions(
    recruiter: Member, hiring_manager: Member, ana: Candidate
) -> None:
    client = client_for(hiring_manager)
    assert client.get(url("candidates:detail", ana)).status_code == 404
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    ApplicationFactory(requisition=requisition, candidate=ana)
    response = client.get(url("candidates:detail", ana))
    assert response.status_code == 200
    assert b'data-testid="merge"' not in response.content
    assert b"Add note" not in response.content


def test_another_workspaces_candidate_is_404(recruiter: Member, outsider: Member) -> None:
    theirs = CandidateFactory(workspace=outsider.workspace)
    client = client_for(recruiter)
    detail = reverse(
        "candidates:detail",
        kwargs={"workspace_slug": recruiter.workspace.slug, "public_id": theirs.public_id},
    )
    assert client.get(detail).status_code == 404


def test_adding_a_likely_duplicate_asks_first(recruiter: Member, ana: Candidate) -> None:
    client = client_for(recruiter)
    create = reverse("candidates:create", kwargs={"workspace_slug": recruiter.workspace.slug})
    data = {"name": "Ana Garcia", "email": "ANA@example.com", "source": "sourced"}
    response = client.post(create, data)
    assert response.status_code == 422
    assert b'data-testid="duplicates"' in response.content
    assert Candidate.objects.count() == 1
    response = client.post(create, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert Candidate.objects.count() == 2


def test_bad_input_says_what_is_wrong_and_saves_nothing(recruiter: Member) -> None:
    client = client_for(recruiter)
    create = reverse("candidates:create", kwargs={"workspace_slug": recruiter.workspace.slug})
    response = client.post(create, {"name": "", "email": "nope", "source": "sourced"})
    assert response.status_code == 422
    assert b"valid email" in response.content
    assert not Candidate.objects.exists()


def test_a_stale_edit_shows_the_other_version_and_saves_nothing(
    recruiter: Member, ana: Candidate
) -> None:
    services.candidate_update(actor=recruiter, candidate=ana, location="Lyon")
    response = client_for(recruiter).post(
        url("candidates:edit", ana),
        {"name": "Ana García", "location": "Rome", "source": "sourced", "revision": 1},
    )
    assert response.status_code == 409
    assert b'data-testid="conflict"' in response.content
    assert b"Lyon" in response.content
    ana.refresh_from_db()
    assert ana.location == "Lyon"


@pytest.mark.skipif(not CV_DIR.exists(), reason="../shared/data is absent (a fresh clone)")
def test_uploading_a_real_resume_adds_it(recruiter: Member, ana: Candidate) -> None:
    upload = SimpleUploadedFile("cv.docx", (CV_DIR / "2.docx").read_bytes())
    response = client_for(recruiter).post(url("candidates:resume-upload", ana), {"file": upload})
    assert response.status_code == 302
    assert ana.resumes.get().kind == "docx"
    download = client_for(recruiter).get(
        url("candidates:resume-download", ana, resume_id=ana.resumes.get().public_id)
    )
    assert b"".join(download.streaming_content) == (CV_DIR / "2.docx").read_bytes()  # type: ignore[attr-defined]


def test_a_file_that_is_not_a_resume_is_refused_with_the_reason(
    recruiter: Member, ana: Candidate
) -> None:
    png = SimpleUploadedFile("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    response = client_for(recruiter).post(
        url("candidates:resume-upload", ana), {"file": png}, follow=True
    )
    assert b"cv.pdf" in response.content
    assert not Resume.objects.exists()


def test_adding_to_a_requisition_puts_them_in_its_pipeline(
    recruiter: Member, ana: Candidate
) -> None:
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    client = client_for(recruiter)
    client.post(url("candidates:apply", ana), {"requisition": requisition.pk})
    application = Application.objects.get(candidate=ana)
    assert application.requisition == requisition
    # Another workspace's requisition can't be chosen.
    theirs = RequisitionFactory()
    response = client.post(url("candidates:apply", ana), {"requisition": theirs.pk})
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_merge_from_the_page(recruiter: Member, ana: Candidate) -> None:
    twin = services.candidate_create(actor=recruiter, name="Ana Garcia", phone="+34 600 111 222")
    page = client_for(recruiter).get(url("candidates:detail", ana))
    assert b'data-testid="duplicates"' in page.content
    client_for(recruiter).post(url("candidates:merge", ana), {"other": twin.public_id})
    assert list(Candidate.objects.all()) == [ana]
    ana.refresh_from_db()
    assert ana.phone == "+34 600 111 222"


def test_admin_exports_and_erases(admin: Member, ana: Candidate) -> None:
    client = client_for(admin)
    response = client.post(url("candidates:export", ana))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["candidate"]["email"] == "ana@example.com"
    refused = client.post(url("candidates:erase", ana), {"confirm": "someone else"})
    assert refused.status_code == 422
    ana.refresh_from_db()
    assert ana.erased_at is None
    client.post(url("candidates:erase", ana), {"confirm": "Ana García"})
    ana.refresh_from_db()
    assert ana.erased_at
    assert ana.email == ""
    assert ana.events.get().kind == CandidateEvent.Kind.ERASED
