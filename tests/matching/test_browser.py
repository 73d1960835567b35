"""Screening in a real browser, on a desktop and a phone: pre-filled evidence, one-tap verdicts,
the match summary updated in place, then the ranking."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accord.matching import services
from accord.pipeline.models import Assessment
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD
from tests.matching.conftest import Brief

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, name: str) -> None:
    """Keep a picture for people checking the layout: ACCORD_SCREENSHOTS=folder."""
    folder = os.environ.get("ACCORD_SCREENSHOTS")
    if folder:
        # caret="initial": hiding the caret would inject a style the CSP refuses.
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True, caret="initial")


def test_screen_an_applicant_and_see_the_ranking(
    live_server, page: Page, viewport: dict[str, int], brief: Brief, application, recruiter
) -> None:  # type: ignore[no-untyped-def]
    services.refresh_suggestions([application.pk])
    sign_in(page, live_server.url, recruiter.user.email, PASSWORD)
    page.goto(f"{live_server.url}/w/acme/applications/{application.public_id}/screen/")
    size = "phone" if viewport["width"] < 500 else "desktop"
    summary = page.get_by_test_id("match-summary")
    expect(summary).to_contain_text("Must-haves 2 of 3")
    expect(summary).to_contain_text("Missing: Rust")
    php = page.get_by_test_id("criterion").filter(has_text="Has built and run PHP services")
    expect(php.get_by_test_id("suggestion")).to_contain_text("Suggested: Met — PHP: “Built the")
    expect(php.locator("textarea")).to_have_value(
        "PHP: “Built the billing platform in PHP and SQL for 40 countries” (Backend engineer at "
        "Acme, 2017–2023) — about 6 years in the work history."
    )
    shot(page, f"screen-{size}")
    # Nothing on the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    rust = page.get_by_test_id("criterion").filter(has_text="Rust: looked for it")
    rust.locator("textarea").fill("Two years of Rust on side projects, per the call.")
    rust.get_by_test_id("verdict-met").click()
    expect(summary).to_contain_text("Must-haves 3 of 3")
    rust = page.get_by_test_id("criterion").filter(has_text="Two years of Rust")
    expect(rust.get_by_test_id("assessed")).to_contain_text("Marked Met by Rita Recruiter")
    expect(rust.get_by_test_id("verdict-met")).to_have_attribute("aria-pressed", "true")
    row = Assessment.objects.get(criterion=brief.rust)
    assert (row.verdict, row.evidence) == (
        "met",
        "Two years of Rust on side projects, per the call.",
    )
    shot(page, f"screen-saved-{size}")

    page.goto(f"{live_server.url}/w/acme/requisitions/{brief.requisition.public_id}/ranking/")
    first = page.get_by_test_id("applicant").first
    expect(first).to_contain_text("Sam Candidate")
    expect(first).to_contain_text("3 of 3")
    shot(page, f"ranking-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
