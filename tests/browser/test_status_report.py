"""The weekly status in real browsers: the recruiter opens a requisition's live status, writes the
narrative (saved as she types), sends it; the manager's email arrives over SMTP with the charts as
images and the PDF; a read-only link opens on a phone without an account and stops working
when revoked."""

import pytest
from playwright.sync_api import Browser, expect

from accord.reports.models import ReportNote, StatusReport
from accord.workspaces.models import Role
from conftest import Mailbox
from tests.browser.fixtures import DESKTOP, PHONE, new_page
from tests.browser.test_candidate_journey import no_sideways_scroll
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, MemberFactory, WorkspaceFactory
from tests.reports.conftest import build_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARRATIVE = "Cand E declined our offer on pay; we reopen sourcing with the band at 150k."


def test_recruiter_writes_and_sends_the_status_and_shares_it(
    live_server, smtp: Mailbox, browser: Browser, csp_errors: list[str], settings
) -> None:
    settings.SITE_URL = live_server.url
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    rita = MemberFactory(
        workspace=workspace,
        role=Role.RECRUITER,
        user__email="rita@acme.example",
        user__display_name="Rita Recruiter",
    )
    hugo = MemberFactory(
        workspace=workspace,
        role=Role.HIRING_MANAGER,
        user__email="hugo@acme.example",
        user__display_name="Hugo Manager",
        user__time_zone="America/New_York",
    )
    history = build_history(rita, hugo)
    requisition = history.requisition

    desk = new_page(browser, DESKTOP, csp_errors)
    sign_in(desk, live_server.url, "rita@acme.example", PASSWORD)
    desk.goto(f"{live_server.url}/w/acme/status/")
    desk.get_by_role("link", name="Platform Engineer").click()
    desk.wait_for_load_state()  # the note's autosave listens once the page has loaded
    expect(desk.get_by_test_id("timeline-state").first).to_have_text("Late")
    expect(desk.get_by_test_id("chart-funnel").locator("svg")).to_be_visible()
    expect(desk.locator('[data-testid="risk"][data-code="waiting"]')).to_contain_text("Cand D")

    # The narrative is saved as she types; the next steps with the button.
    desk.get_by_role("textbox", name="Narrative").fill(NARRATIVE)
    expect(desk.get_by_test_id("note-status")).to_have_text("Saved.")
    assert ReportNote.objects.get().narrative == NARRATIVE
    desk.get_by_role("textbox", name="Next steps").fill("Rita: 5 new candidates by Friday.")
    with desk.expect_response(lambda r: r.url.endswith("/note/") and r.request.method == "POST"):
        desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.get_by_test_id("note-status")).to_have_text("Saved.")

    desk.get_by_test_id("send-report").click()
    expect(desk.get_by_test_id("sent-banner")).to_contain_text("to Hugo Manager (email)")
    expect(desk.get_by_test_id("narrative")).to_contain_text(NARRATIVE)
    report = StatusReport.objects.get()
    assert report.narrative == NARRATIVE
    assert report.pdf
    expect(desk.get_by_test_id("snapshot-pdf")).to_be_visible()

    # The manager's email: the charts as inline images, the PDF attached, and links.
    [email] = [m for m in smtp.messages if "Hiring status: Platform Engineer" in str(m["Subject"])]
    assert email["To"].addresses[0].addr_spec == "hugo@acme.example"
    assert NARRATIVE in smtp.text(email)
    html = email.get_body(preferencelist=("html",)).get_content()
    images = [p for p in email.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 3
    for image in images:
        cid = image["Content-ID"].strip("<>")
        assert f"cid:{cid}" in html
        assert image.get_content().startswith(b"\x89PNG")
    [pdf] = [p for p in email.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_content().startswith(b"%PDF")
    assert f"/w/acme/status/reports/{report.public_id}/" in html

    # A read-only link for the manager's boss, opened on a phone without an account.
    desk.goto(f"{live_server.url}/w/acme/requisitions/{requisition.public_id}/report/")
    desk.get_by_label("For whom").fill("Dana Ruiz, VP Engineering")
    desk.get_by_test_id("make-link").click()
    shared_url = desk.get_by_test_id("share-url").input_value()
    assert shared_url.startswith(f"{live_server.url}/p/")

    phone = new_page(browser, PHONE, csp_errors)
    phone.goto(shared_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hiring status: Platform Engineer")
    expect(phone.get_by_test_id("shared-banner")).to_contain_text("Dana Ruiz, VP Engineering")
    expect(phone.get_by_test_id("narrative")).to_contain_text(NARRATIVE)
    expect(phone.get_by_test_id("note-form")).to_have_count(0)
    # Nobody outside the workspace reads candidates' names.
    expect(phone.locator('[data-testid="risk"][data-code="waiting"]')).to_contain_text(
        "Candidate 4"
    )
    assert "Cand D" not in phone.content()
    no_sideways_scroll(phone)

    desk.get_by_test_id("revoke-link").click()
    expect(desk.get_by_test_id("share-link")).to_have_count(0)
    phone.reload()
    expect(phone.get_by_test_id("link-problem")).to_have_text("This link was revoked")
