"""Search and filter the pool in a real browser, on a desktop and on a phone-sized screen."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accord.candidates.models import CandidateSkill, Resume, SavedSearch
from accord.candidates.search import index_candidates
from accord.workspaces.models import Role
from tests.factories import PASSWORD, CandidateFactory, MemberFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(tab: Page, base_url: str, email: str) -> None:
    tab.goto(f"{base_url}/login/")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()


def test_recruiter_searches_filters_and_saves_a_search(
    live_server,
    page: Page,
    csp_errors,
):
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    recruiter = MemberFactory(
        workspace=workspace, role=Role.RECRUITER, user__email="rita@acme.example"
    )
    people = [
        ("Ada Lovelace", "Platform Engineer", "London", "Kubernetes", "Ran Kubernetes clusters."),
        ("Bruno Costa", "Data Analyst", "Lisbon", "SQL", "Deployed a service to Kubernetes."),
        ("Cleo Park", "Designer", "London", "Figma", "Design systems."),
    ]
    for name, headline, location, skill, resume in people:
        made = CandidateFactory(
            workspace=workspace,
            name=name,
            headline=headline,
            location=location,
            years_experience=Decimal(6),
        )
        CandidateSkill.objects.create(candidate=made, ref=f"x:{skill}", label=skill)
        Resume.objects.create(
            candidate=made, original_name="cv.txt", kind="txt", size=1, sha256="0" * 64, text=resume
        )
        index_candidates([made.pk])

    sign_in(page, live_server.url, "rita@acme.example")
    page.goto(f"{live_server.url}/w/acme/candidates/")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Cleo Park")).to_be_visible()

    # Typing updates the results in place and the address, so Back and sharing work.
    page.get_by_label("Search candidates").press_sequentially("kube", delay=30)
    expect(results.get_by_role("link", name="Cleo Park")).to_have_count(0)
    expect(results.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(results.get_by_role("link", name="Bruno Costa")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=kube"))
    expect(results.locator("mark").first).to_have_text(re.compile("kubernetes", re.I))

    # Filters sit behind a button on a phone.
    toggle = page.get_by_role("button", name=re.compile("^Filters"))

    def open_filters() -> None:
        """On a phone the filters fold away; wait until the panel has finished opening."""
        page.wait_for_load_state()  # the toggle works once Bootstrap has run
        if toggle.is_visible():
            toggle.click()
            expect(page.locator("#search-filters")).to_have_class(re.compile(r"\bshow\b"))

    open_filters()
    page.get_by_label("Location").fill("lisbon")
    page.get_by_label("Location").press("Enter")
    expect(results.get_by_role("link", name="Ada Lovelace")).to_have_count(0)
    expect(results.get_by_role("link", name="Bruno Costa")).to_be_visible()
    expect(page).to_have_url(re.compile(r"location=lisbon"))

    page.get_by_label("Name for this search").fill("Kubernetes in Lisbon")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved “Kubernetes in Lisbon”.")).to_be_visible()
    saved = SavedSearch.objects.get(owner=recruiter)
    assert saved.query == "q=kube&location=lisbon"

    # Run it again later from the list.
    page.goto(f"{live_server.url}/w/acme/candidates/")
    open_filters()
    page.get_by_role("link", name="Kubernetes in Lisbon", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?q=kube&location=lisbon$"))
    expect(results.get_by_role("link", name="Bruno Costa")).to_be_visible()
    expect(results.get_by_role("link", name="Ada Lovelace")).to_have_count(0)

    # And delete it, after a confirmation.
    open_filters()
    page.get_by_role("link", name="Delete Kubernetes in Lisbon").click()
    expect(page).to_have_url(re.compile(r"/delete/$"))
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Deleted “Kubernetes in Lisbon”.")).to_be_visible()
    assert not SavedSearch.objects.exists()
