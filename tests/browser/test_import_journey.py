"""Issue 4's bulk upload journey on a phone: real DOCX CVs through the real form, imported by a
real database-backed worker while the page's progress bar follows along."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.tasks import task_backends
from playwright.sync_api import Browser, expect

from accord.candidates.imports import worker
from accord.candidates.models import Candidate, ImportBatch
from accord.workspaces.models import Role
from tests.browser.conftest import PHONE, new_page
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, MemberFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CV_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cv-docx" / "CV"


@pytest.fixture
def database_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Queue tasks in the database, as production does, instead of running them in the request
    (the test settings' immediate backend); the test itself then plays the worker."""
    monkeypatch.setattr(
        task_backends,
        "settings",
        {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    )
    # Backends are built once per thread; drop the immediate one this thread already made.
    if hasattr(task_backends._connections, "default"):
        del task_backends["default"]
    # One item per task, so the worker can be stopped after a known number of items.
    monkeypatch.setattr(worker, "CHUNK_SECONDS", 0.0)
    yield
    if hasattr(task_backends._connections, "default"):
        del task_backends["default"]


def run_worker(*args: str) -> None:
    call_command("db_worker", "--queue-name=*", "--no-startup-delay", "--interval=0", *args)


def test_recruiter_uploads_cvs_and_watches_the_import_finish(
    live_server, browser: Browser, csp_errors: list[str], database_worker: None, settings, tmp_path
) -> None:
    if not CV_DIR.is_dir():
        pytest.skip(f"the DOCX CVs are not on this machine ({CV_DIR})")
    settings.MEDIA_ROOT = tmp_path / "media"
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    MemberFactory(
        workspace=workspace,
        role=Role.RECRUITER,
        user__email="rita@acme.example",
        user__display_name="Rita Recruiter",
    )
    cvs = [CV_DIR / f"{n}.docx" for n in (1, 2, 3, 4)]
    page = new_page(browser, PHONE, csp_errors)
    base = live_server.url

    sign_in(page, base, "rita@acme.example", PASSWORD)
    page.goto(f"{base}/w/acme/candidates/imports/")
    expect(page.get_by_role("heading", name="No imports yet")).to_be_visible()
    page.get_by_role("link", name="Upload resumes").first.click()

    page.get_by_label("Resumes").set_input_files(cvs)
    expect(page.get_by_text("Files chosen: 4,")).to_be_visible()
    page.get_by_role("button", name="Upload and import").click()

    # Queued: the bar is empty and the page polls for progress.
    progress = page.get_by_role("progressbar", name="Import progress")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_test_id("progress-text")).to_have_text("0 of 4")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.QUEUED

    run_worker("--max-tasks=2")  # the worker gets through half the batch…
    expect(page.get_by_test_id("progress-text")).to_have_text("2 of 4")
    expect(progress).to_have_attribute("aria-valuenow", "50")
    expect(page.get_by_test_id("item").filter(has_text="Created")).to_have_count(2)

    run_worker("--batch")  # …and then the rest
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("progress-text")).to_have_text("4 of 4")
    expect(page.get_by_test_id("import-done")).to_contain_text("4 created")
    expect(page.get_by_test_id("item")).to_have_count(4)
    assert page.locator("[hx-trigger]").count() == 0  # polling has stopped

    # The report links to each candidate.
    page.get_by_test_id("item").first.get_by_role("link").click()
    expect(page.get_by_test_id("candidate-name")).to_be_visible()
    assert Candidate.objects.count() == 4


def test_files_chosen_before_the_form_script_runs_are_described(
    live_server, browser: Browser, csp_errors: list[str], tmp_path
) -> None:
    """The form's script loads after the page: a person (or a test) quick enough to choose files
    first still sees how many there are. CI once chose them in that gap and saw nothing."""
    workspace = WorkspaceFactory(slug="acme")
    MemberFactory(workspace=workspace, role=Role.RECRUITER, user__email="rita@acme.example")
    files = []
    for n in (1, 2):
        path = tmp_path / f"cv-{n}.txt"
        path.write_text(f"Candidate {n}\ncandidate{n}@example.com\n")
        files.append(path)
    page = new_page(browser, PHONE, csp_errors)
    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)
    page.route("**/imports*.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/w/acme/candidates/upload/")
    page.get_by_label("Resumes").set_input_files(files)
    expect(page.locator("[data-file-summary]")).to_be_empty()

    page.unroute("**/imports*.js")
    src = page.locator("script[src*='imports']").get_attribute("src")
    # A fresh address: the browser remembers that the first fetch failed.
    page.add_script_tag(url=f"{src}?again", type="module")
    expect(page.get_by_text("Files chosen: 2,")).to_be_visible()
    assert csp_errors == []
