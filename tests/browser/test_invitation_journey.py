"""The foundation's acceptance journey, on a desktop and on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.workspaces.models import Member, Role
from conftest import Mailbox
from tests.browser.conftest import new_page
from tests.factories import PASSWORD, MemberFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_menu(page: Page) -> None:
    """On a phone the navigation is behind the menu button."""
    page.wait_for_load_state()  # the menu button works once Bootstrap has run
    toggler = page.get_by_role("button", name="Open the menu")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#nav-main")).to_have_class(re.compile(r"\bshow\b"))


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_admin_invites_a_hiring_manager_who_joins_and_sees_only_their_workspace(
    live_server, smtp: Mailbox, page: Page, browser: Browser, viewport, csp_errors
):
    admin = MemberFactory(
        workspace=WorkspaceFactory(name="Acme Talent", slug="acme"),
        role=Role.ADMIN,
        user__email="ada@acme.example",
        user__display_name="Ada Admin",
    )
    MemberFactory(workspace=WorkspaceFactory(name="Other Co", slug="other"), role=Role.ADMIN)

    sign_in(page, live_server.url, "ada@acme.example", PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Ada")).to_be_visible()
    open_menu(page)
    page.get_by_role("link", name="People", exact=True).click()

    page.get_by_label("Email", exact=True).fill("hana@acme.example")
    page.get_by_label("Role", exact=True).select_option(label="Hiring manager")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Invitation sent to hana@acme.example.")).to_be_visible()
    expect(page.get_by_test_id("invitation")).to_contain_text("hana@acme.example")

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "hana@acme.example"
    assert message["Subject"] == "Ada Admin invited you to Acme Talent on Accord"
    link = re.search(r"http://\S+/invitations/\S+/", smtp.text(message))
    assert link is not None
    invite_url = link.group(0).replace("http://127.0.0.1:8000", live_server.url)

    # The invitee opens the link in a browser of their own.
    invitee = new_page(browser, viewport, csp_errors)
    invitee.goto(invite_url)
    expect(invitee.get_by_role("heading", name="Join Acme Talent")).to_be_visible()
    invitee.get_by_label("Your name").fill("Hana Manager")
    invitee.get_by_label("Choose a password").fill("a sturdy passphrase 42")
    invitee.get_by_label("Password again").fill("a sturdy passphrase 42")
    invitee.get_by_role("button", name="Join", exact=True).click()

    expect(invitee.get_by_text("Welcome to Acme Talent.")).to_be_visible()
    expect(invitee.get_by_role("heading", name="Nothing is waiting for you")).to_be_visible()
    open_menu(invitee)
    invitee.get_by_test_id("workspace-switcher").click()
    switcher = invitee.locator("[data-testid=workspace-switcher] + .dropdown-menu")
    expect(switcher).to_contain_text("Acme Talent")
    expect(switcher).not_to_contain_text("Other Co")
    response = invitee.goto(f"{live_server.url}/w/other/")
    assert response is not None
    assert response.status == 404

    member = Member.objects.get(user__email="hana@acme.example")
    assert (member.workspace, member.role) == (admin.workspace, Role.HIRING_MANAGER)

    # The link worked once; opening it again explains and changes nothing.
    response = invitee.goto(invite_url)
    assert response is not None
    assert response.status == 410
    expect(invitee.get_by_role("heading", name="This invitation was already used")).to_be_visible()
    assert Member.objects.filter(workspace=admin.workspace).count() == 2
    invitee.context.close()
