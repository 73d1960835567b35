"""The candidate page in a real browser, at a desktop and a phone width: a recruiter adds a
resume, a note and a tag, merges a duplicate, and an admin erases the person."""

import pytest
from playwright.sync_api import Page, expect

from accord.candidates import services
from accord.candidates.models import Candidate
from accord.workspaces.models import Role
from tests.browser.test_candidate_journey import no_sideways_scroll
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, MemberFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESUME = b"""Ana Garcia
Senior Backend Engineer
Lisbon, Portugal - ana.garcia@example.net

EXPERIENCE
Senior Backend Engineer, Orchard Payments
Mar 2019 - Present
- Built the settlement service in Python and Django on PostgreSQL.
- Moved the deployment to Kubernetes.
"""


def test_recruiter_and_admin_work_on_a_candidate(live_server, page: Page, csp_errors) -> None:
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    recruiter = MemberFactory(
        workspace=workspace, role=Role.RECRUITER, user__email="rita@acme.example"
    )
    MemberFactory(workspace=workspace, role=Role.ADMIN, user__email="ada@acme.example")
    ana = services.candidate_create(actor=recruiter, name="Ana Garcia")
    twin = services.candidate_create(
        actor=recruiter, name="Ana García", phone="+351 21 100 0042", source_detail="Meetup"
    )
    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)
    page.goto(f"{live_server.url}/w/acme/candidates/{ana.public_id}/")
    no_sideways_scroll(page)

    # A resume fills the empty fields and brings skills with the words that show them.
    page.get_by_label("Add a resume").set_input_files(
        {"name": "ana.txt", "mimeType": "text/plain", "buffer": RESUME}
    )
    page.get_by_test_id("upload-resume").click()
    expect(page.get_by_role("status")).to_contain_text("Resume added")
    expect(page.get_by_text("ana.garcia@example.net").first).to_be_visible()
    expect(page.locator(".skill-list")).to_contain_text("Kubernetes")
    expect(page.locator(".skill-list")).to_contain_text("Moved the deployment to Kubernetes")

    page.get_by_label("Note", exact=True).fill("Prefers mornings for calls.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Prefers mornings for calls.")).to_be_visible()
    page.get_by_label("Add tags").fill("Payments, Referral")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("button", name="Remove tag Payments")).to_be_visible()

    # The duplicate typed in by hand is offered for merging, and merged.
    page.get_by_test_id("merge").click()
    expect(page.get_by_text("was merged into Ana Garcia")).to_be_visible()
    assert not Candidate.objects.filter(pk=twin.pk).exists()
    ana.refresh_from_db()
    assert ana.phone == "+351 21 100 0042"
    no_sideways_scroll(page)

    # The admin answers an erasure request: the name must be typed to confirm.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "ada@acme.example", PASSWORD)
    page.goto(f"{live_server.url}/w/acme/candidates/{ana.public_id}/")
    page.get_by_role("link", name="Erase…").click()
    page.get_by_label("Type Ana Garcia to confirm").fill("Ana Garcia")
    page.get_by_test_id("erase").click()
    expect(page.get_by_test_id("erased")).to_be_visible()
    expect(page.get_by_text("Prefers mornings for calls.")).to_have_count(0)
    ana.refresh_from_db()
    assert ana.erased_at is not None
    assert ana.email == ""
