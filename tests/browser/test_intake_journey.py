"""Issue 3's acceptance journey: from a new requisition to a signed brief and its second version.

The recruiter works on a desktop; the hiring manager answers from the emailed link on a phone.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.briefs.models import BriefVersion
from accord.workspaces.models import Role
from conftest import Mailbox
from tests.browser.conftest import DESKTOP, PHONE, new_page
from tests.browser.test_invitation_journey import open_menu, sign_in
from tests.factories import PASSWORD, MemberFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MUST_HAVES = [
    "Strategic thinker",
    "Python in production",
    "PostgreSQL at scale",
    "API design",
    "Mentoring",
    "On-call experience",
    "Payments domain",
    "Kubernetes",
    "Event-driven systems",
]
TO_NICE = ["Payments domain", "Kubernetes", "Event-driven systems", "Mentoring"]


def link_in(mailbox: Mailbox, to: str, pattern: str, base_url: str) -> str:
    for message in reversed(mailbox.messages):
        if message["To"] == to:
            found = re.search(pattern, mailbox.text(message))
            assert found, mailbox.text(message)
            return found.group(0).replace("http://127.0.0.1:8000", base_url)
    raise AssertionError(f"no email to {to}")


def answer(page: Page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).fill(text)


def wait_saved(page: Page) -> None:
    expect(page.get_by_test_id("save-status")).to_contain_text("All answers saved")


def criterion(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("criterion").filter(
        has=page.locator(f'input[name="name"][value="{name}"]')
    )


def test_recruiter_and_manager_agree_sign_and_revise_the_brief(
    live_server, smtp: Mailbox, browser: Browser, csp_errors
):
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    MemberFactory(
        workspace=workspace,
        role=Role.RECRUITER,
        user__email="rita@acme.example",
        user__display_name="Rita Recruiter",
    )
    MemberFactory(
        workspace=workspace,
        role=Role.HIRING_MANAGER,
        user__email="hugo@acme.example",
        user__display_name="Hugo Manager",
    )
    page = new_page(browser, DESKTOP, csp_errors)
    base = live_server.url

    # The recruiter creates the requisition and sends the intake to the manager.
    sign_in(page, base, "rita@acme.example", PASSWORD)
    open_menu(page)
    page.get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name="New requisition").first.click()
    page.get_by_label("Title").fill("Senior Backend Engineer")
    page.get_by_label("Team or department").fill("Platform")
    page.get_by_label("Level").select_option(label="Senior")
    page.get_by_label("Location").fill("London")
    page.get_by_label("Pay from (yearly)").fill("70000")
    page.get_by_label("Pay up to (yearly)").fill("90000")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Hiring managers").select_option(label="Hugo Manager · Hiring manager")
    page.get_by_role("button", name="Create requisition").click()
    expect(page.get_by_role("heading", name="Senior Backend Engineer")).to_be_visible()
    page.get_by_test_id("send-intake").click()
    expect(page.get_by_text("Intake sent to Hugo Manager")).to_be_visible()
    intake_url = link_in(smtp, "hugo@acme.example", r"http://\S+/b/\S+/", base)

    # The manager fills part of it on a phone, from the emailed link, without a password.
    phone = new_page(browser, PHONE, csp_errors)
    phone.goto(intake_url)
    expect(phone.get_by_role("heading", name="Senior Backend Engineer")).to_be_visible()
    answer(phone, "Why this role now", "Payments volume doubled; the team can't keep up.")
    answer(
        phone,
        "A past hire that didn’t work out, and why",
        "Brilliant alone, but took review comments personally.",
    )
    answer(phone, "After 90 days", "Owns the settlement service and its on-call rota.")
    wait_saved(phone)

    # The recruiter completes it: the manager's answers are there.
    page.goto(base + page.url.split(base)[1].split("brief")[0] + "brief/edit/")
    expect(page.get_by_label("Why this role now", exact=True)).to_have_value(
        "Payments volume doubled; the team can't keep up."
    )
    answer(page, "Business goals", "Launch instant payouts in three markets this year.")
    page.get_by_label("Shortlist review within (business days)").fill("2")
    page.get_by_label("Decision after the final interview (business days)").fill("3")
    page.get_by_label("Preferred channel").select_option(label="Email")
    page.get_by_label("Frequency of updates").select_option(label="Weekly")
    wait_saved(page)
    for name in MUST_HAVES:
        page.get_by_label("New criterion").fill(name)
        page.get_by_test_id("criterion-add").click()
        expect(criterion(page, name)).to_be_visible()

    # The checks flag the undefined "strategic thinker" and the nine must-haves.
    expect(page.get_by_test_id("finding-vague_term")).to_contain_text("Strategic thinker")
    expect(page.get_by_test_id("finding-unicorn")).to_be_visible()

    # They define the term (and every criterion), and move four to nice-to-have.
    for name in MUST_HAVES:
        row = criterion(page, name)
        definition = (
            "Has owned a plan spanning several quarters and can explain the trade-offs made."
            if name == "Strategic thinker"
            else f"Can show a shipped piece of work demonstrating {name.lower()}."
        )
        row.get_by_test_id("criterion-definition").fill(definition)
        row.get_by_test_id("criterion-definition").blur()
        expect(row.get_by_test_id("row-saved")).to_be_visible()
    expect(page.get_by_test_id("finding-vague_term")).to_have_count(0)
    for name in TO_NICE:
        criterion(page, name).get_by_test_id("criterion-kind").select_option(label="Nice-to-have")
        expect(criterion(page, name).get_by_test_id("criterion-kind")).to_have_value("nice")
    expect(page.get_by_test_id("finding-unicorn")).to_have_count(0)

    # Both sign: the recruiter here, the manager from the link on the phone.
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("signatures")).to_contain_text("Rita Recruiter")
    phone.goto(intake_url)
    phone.get_by_test_id("sign").click()
    expect(phone.get_by_test_id("link-done")).to_be_visible()

    page.reload()  # the draft is gone: the editor sends the recruiter to the signed brief
    expect(page.get_by_test_id("version-state")).to_contain_text("Signed")
    expect(page.get_by_test_id("brief-signatures")).to_contain_text("Hugo Manager")
    page.get_by_role("button", name="Download").click()
    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"

    # A later change creates version 2, with a diff, and asks both to sign again.
    page.get_by_test_id("revise").click()
    page.get_by_label("What changes, and why").fill("Payouts launch moved to next quarter.")
    page.get_by_test_id("revise-submit").click()
    page.wait_for_load_state()  # version 2's editor, its autosave listening
    answer(page, "Business goals", "Launch instant payouts in two markets next quarter.")
    wait_saved(page)
    smtp.messages.clear()
    page.get_by_test_id("request-sign-off").click()
    expect(page.get_by_text("Sign-off requested from 2 people by email.")).to_be_visible()
    assert sorted(m["To"] for m in smtp.messages) == ["hugo@acme.example", "rita@acme.example"]
    assert all("version 2" in m["Subject"] for m in smtp.messages)

    version = BriefVersion.objects.get(number=2)
    page.goto(page.url.replace("edit/", f"v{version.number}/diff/"))
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("Business goals")
    expect(diff.locator("ins")).to_contain_text(["two"])
    expect(diff.locator("del")).to_contain_text(["three"])
