"""Nothing typed into an intake is lost: not to a dropped connection, not to a closed tab."""

import pytest
from playwright.sync_api import Browser, expect

from accord.briefs.models import BriefVersion
from accord.workspaces.models import Role
from tests.browser.conftest import DESKTOP, new_page
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, BriefVersionFactory, MemberFactory, RequisitionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answers_typed_offline_are_kept_and_saved_when_the_page_comes_back(
    live_server, browser: Browser, csp_errors
):
    recruiter = MemberFactory(role=Role.RECRUITER, user__email="rita@acme.example")
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    version = BriefVersionFactory(requisition=requisition)
    page = new_page(browser, DESKTOP, csp_errors)
    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)
    url = (
        f"{live_server.url}/w/{recruiter.workspace.slug}/requisitions/"
        f"{requisition.public_id}/brief/edit/"
    )
    page.goto(url)

    page.context.set_offline(True)
    page.get_by_label("Why this role now", exact=True).fill("Typed on a train without signal.")
    expect(page.get_by_test_id("save-status")).to_contain_text("Offline")
    csp_errors.clear()  # the failed request is logged to the console; that is the point here
    page.close()  # the tab is closed before the connection returns

    assert BriefVersion.objects.get(pk=version.pk).why_now == ""
    page.context.set_offline(False)
    again = page.context.new_page()
    again.goto(url)
    expect(again.locator("#restored")).to_be_visible()
    expect(again.get_by_label("Why this role now", exact=True)).to_have_value(
        "Typed on a train without signal."
    )
    expect(again.get_by_test_id("save-status")).to_contain_text("All answers saved")
    assert BriefVersion.objects.get(pk=version.pk).why_now == "Typed on a train without signal."


def test_a_second_editor_gets_a_conflict_instead_of_overwriting(
    live_server, browser: Browser, csp_errors
):
    recruiter = MemberFactory(role=Role.RECRUITER, user__email="rita@acme.example")
    manager = MemberFactory(
        workspace=recruiter.workspace,
        role=Role.HIRING_MANAGER,
        user__email="hugo@acme.example",
        user__display_name="Hugo Manager",
    )
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[manager]
    )
    version = BriefVersionFactory(requisition=requisition)
    url = (
        f"{live_server.url}/w/{recruiter.workspace.slug}/requisitions/"
        f"{requisition.public_id}/brief/edit/"
    )
    rita = new_page(browser, DESKTOP, csp_errors)
    sign_in(rita, live_server.url, "rita@acme.example", PASSWORD)
    rita.goto(url)
    hugo = new_page(browser, DESKTOP, csp_errors)
    sign_in(hugo, live_server.url, "hugo@acme.example", PASSWORD)
    hugo.goto(url)

    hugo.get_by_label("Business goals", exact=True).fill("Launch in Spain.")
    expect(hugo.get_by_test_id("save-status")).to_contain_text("All answers saved")
    rita.get_by_label("Business goals", exact=True).fill("Launch in Portugal.")
    conflict = rita.get_by_test_id("conflict-business_goals")
    expect(conflict).to_contain_text("Hugo Manager")
    expect(conflict).to_contain_text("Launch in Spain.")
    expect(conflict).to_contain_text("Launch in Portugal.")
    assert BriefVersion.objects.get(pk=version.pk).business_goals == "Launch in Spain."

    conflict.get_by_test_id("keep-mine").click()
    expect(rita.get_by_test_id("conflict-business_goals")).to_have_count(0)
    expect(rita.get_by_test_id("save-status")).to_contain_text("All answers saved")
    assert BriefVersion.objects.get(pk=version.pk).business_goals == "Launch in Portugal."
