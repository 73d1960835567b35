"""A request sent in place that fails says so, in a real browser: htmx swaps nothing on a 404 or
when the server can't be reached, so without the page's problem notice a tap on something
another person just deleted, or a tap while offline, would seem to do nothing."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from accord.partnerships import services
from accord.partnerships.models import Touchpoint, TouchpointKind
from accord.workspaces.models import Member, Role
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, MemberFactory, RequisitionFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged(recruiter: Member, manager: Member, summary: str, days_ago: int) -> Touchpoint:
    return services.touchpoint_log(
        actor=recruiter,
        manager=manager,
        data=services.TouchpointInput(
            kind=TouchpointKind.CALL,
            occurred_on=timezone.localdate() - timedelta(days=days_ago),
            summary=summary,
        ),
    )


def recruiter_and_manager() -> tuple[Member, Member]:
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    rita = MemberFactory(workspace=workspace, role=Role.RECRUITER, user__email="rita@acme.example")
    return rita, MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)


def test_a_tap_on_something_deleted_meanwhile_or_while_offline_says_what_happened(
    live_server, page: Page
) -> None:
    rita, hugo = recruiter_and_manager()
    gone = logged(rita, hugo, "Agreed on two interview rounds.", days_ago=3)
    kept = logged(rita, hugo, "He prefers calls on Tuesdays.", days_ago=1)

    sign_in(page, live_server.url, rita.user.email, PASSWORD)
    page.goto(f"{live_server.url}/w/acme/partners/{hugo.public_id}/")
    problem = page.get_by_test_id("request-problem")
    expect(problem).to_be_hidden()

    # A colleague deletes the call while the page is open; deleting it here finds it gone.
    services.touchpoint_delete(actor=rita, touchpoint=gone, revision=gone.revision)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#tp-{gone.public_id}").get_by_test_id("touchpoint-delete").click()
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("That is no longer here")
    expect(problem).to_contain_text("Nothing was changed")
    assert Touchpoint.objects.filter(pk=kept.pk).exists()
    problem.get_by_role("button", name="Close").click()
    expect(problem).to_be_hidden()

    # Offline: the correction form can't be fetched, and the page says so rather than nothing.
    def offline(route: Route) -> None:
        route.abort("internetdisconnected")

    page.route("**/edit/", offline)
    edit = page.locator(f"#tp-{kept.public_id}").get_by_test_id("touchpoint-edit")
    edit.click()
    expect(problem).to_contain_text("Accord could not be reached")
    expect(problem).to_contain_text("what you typed is still on this page")

    # Back online, the same tap works and the notice goes.
    page.unroute("**/edit/", offline)
    edit.click()
    expect(page.locator(f"#tp-{kept.public_id}").get_by_label("Summary")).to_have_value(
        "He prefers calls on Tuesdays."
    )
    expect(problem).to_be_hidden()


def test_a_tap_after_the_session_ended_signs_in_again_and_comes_back_to_the_page(
    live_server, page: Page
) -> None:
    rita, hugo = recruiter_and_manager()
    call = logged(rita, hugo, "Agreed on two interview rounds.", days_ago=3)
    profile = f"/w/acme/partners/{hugo.public_id}/"

    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)
    page.goto(f"{live_server.url}{profile}")
    page.context.clear_cookies()  # signed out elsewhere, or the session ran out

    page.locator(f"#tp-{call.public_id}").get_by_test_id("touchpoint-edit").click()
    expect(page).to_have_url(f"{live_server.url}/login/?next={profile}")
    page.get_by_label("Email").fill("rita@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}{profile}")
    expect(page.locator(f"#tp-{call.public_id}")).to_contain_text("Agreed on two interview rounds.")


def test_back_after_filtering_shows_the_whole_page_again(live_server, page: Page) -> None:
    """Filters push their address; Back to an address htmx holds no copy of reloads the page,
    rather than fetching it as a fragment and swapping that in for the whole page."""
    rita, hugo = recruiter_and_manager()
    for title in ("Data Engineer", "Product Designer"):
        RequisitionFactory(
            workspace=rita.workspace, recruiter=rita, hiring_managers=[hugo], title=title
        )
    sign_in(page, live_server.url, rita.user.email, PASSWORD)
    page.goto(f"{live_server.url}/w/acme/requisitions/")
    page.get_by_label("Title").fill("Data")
    expect(page).to_have_url(re.compile(r"\?.*q=Data"))
    expect(page.get_by_role("link", name="Product Designer")).to_have_count(0)

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/w/acme/requisitions/")
    expect(page.get_by_role("heading", name="Requisitions", exact=True)).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_role("link", name="Product Designer")).to_be_visible()
