"""The partnership memory in a real browser, at a desktop and a phone width: the recruiter logs a
call on a manager's profile (a refused date keeps what was typed), keeps a lesson from it,
corrects the call's date in place (the next check-in follows), and carries the lesson into the
manager's next intake; the manager never sees it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accord.briefs.models import BriefVersion
from accord.partnerships.models import LessonUse, Partnership
from accord.requisitions.models import Status
from accord.workspaces.models import Role
from tests.browser.test_candidate_journey import no_sideways_scroll
from tests.browser.test_invitation_journey import sign_in
from tests.factories import (
    PASSWORD,
    BriefVersionFactory,
    MemberFactory,
    RequisitionFactory,
    WorkspaceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recruiter_logs_a_call_keeps_a_lesson_and_carries_it_into_the_intake(
    live_server, page: Page
) -> None:
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    rita = MemberFactory(workspace=workspace, role=Role.RECRUITER, user__email="rita@acme.example")
    hugo = MemberFactory(
        workspace=workspace,
        role=Role.HIRING_MANAGER,
        user__email="hugo@acme.example",
        user__display_name="Hugo Manager",
    )
    requisition = RequisitionFactory(
        workspace=workspace,
        recruiter=rita,
        hiring_managers=[hugo],
        title="Data Engineer",
        status=Status.INTAKE,
    )
    draft = BriefVersionFactory(requisition=requisition, process_notes="Two interviews.")

    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)
    page.goto(f"{live_server.url}/w/acme/partners/")
    page.get_by_role("link", name="Hugo Manager").click()
    expect(page).to_have_url(re.compile(r"/w/acme/partners/[0-9a-f-]+/$"))
    no_sideways_scroll(page)
    form = page.get_by_test_id("touchpoint-form")
    expect(form).to_be_visible()  # open while nothing is logged
    form.get_by_label("Kind").select_option("call")
    form.get_by_label("Summary").fill("He wants a decision within a week of the final interview.")
    form.get_by_label("Date", exact=True).fill(
        (timezone.localdate() + timedelta(days=2)).isoformat()
    )
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("That date is in the future")).to_be_visible()
    expect(page.get_by_test_id("touchpoint-form").get_by_label("Summary")).to_have_value(
        "He wants a decision within a week of the final interview."
    )
    form = page.get_by_test_id("touchpoint-form")
    form.get_by_label("Date", exact=True).fill(
        (timezone.localdate() - timedelta(days=1)).isoformat()
    )
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_test_id("touchpoint-logged")).to_be_visible()
    expect(page.get_by_test_id("next-checkin")).to_contain_text(
        (timezone.localdate() + timedelta(days=29)).strftime("%-d")
    )
    assert Partnership.objects.get(
        manager=hugo
    ).next_checkin_on == timezone.localdate() + timedelta(days=29)

    page.get_by_text("Make this a lesson").click()
    lesson_form = page.get_by_test_id("touchpoint-lesson-form")
    lesson_form.get_by_label("Lesson").fill("Agree the decision time at the kickoff: one week.")
    lesson_form.get_by_role("button", name="Keep as a lesson").click()
    expect(page.get_by_test_id("lesson-added")).to_be_visible()
    expect(page.get_by_test_id("lesson")).to_have_count(1)

    # The call was a day earlier: corrected in place, the next check-in follows it.
    page.get_by_test_id("touchpoint").get_by_test_id("touchpoint-edit").click()
    edit = page.get_by_test_id("touchpoint-edit-form")
    expect(edit.get_by_label("Summary")).to_have_value(
        "He wants a decision within a week of the final interview."
    )
    no_sideways_scroll(page)
    edit.get_by_label("Date", exact=True).fill(
        (timezone.localdate() - timedelta(days=2)).isoformat()
    )
    edit.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("touchpoint-saved")).to_be_visible()
    expect(page.get_by_test_id("touchpoint")).to_contain_text(
        (timezone.localdate() - timedelta(days=2)).strftime("%-d %b %Y")
    )
    expect(page.get_by_test_id("next-checkin")).to_contain_text(
        (timezone.localdate() + timedelta(days=28)).strftime("%-d %b %Y")
    )
    assert Partnership.objects.get(
        manager=hugo
    ).next_checkin_on == timezone.localdate() + timedelta(days=28)
    no_sideways_scroll(page)

    # The next intake with Hugo offers it.
    page.goto(f"{live_server.url}/w/acme/requisitions/{requisition.public_id}/")
    expect(page.get_by_test_id("lesson-offered")).to_contain_text("Agree the decision time")
    page.get_by_test_id("open-intake").click()
    panel = page.get_by_test_id("lessons-panel")
    expect(panel).to_contain_text("Lessons from working with Hugo Manager")
    panel.get_by_test_id("carry-lesson").click()
    expect(panel.get_by_test_id("lesson-carried")).to_be_visible()
    expect(page.locator("#id_process_notes")).to_have_value(
        "Two interviews.\n\nAgree the decision time at the kickoff: one week."
    )
    assert LessonUse.objects.filter(version=draft).count() == 1
    assert BriefVersion.objects.get(pk=draft.pk).process_notes.endswith("one week.")
    no_sideways_scroll(page)

    # Hugo edits his own brief without ever seeing the notes about him.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "hugo@acme.example", PASSWORD)
    page.goto(f"{live_server.url}/w/acme/requisitions/{requisition.public_id}/brief/edit/")
    expect(page.locator("#id_process_notes")).to_be_visible()
    expect(page.get_by_test_id("lessons-panel")).to_have_count(0)
