"""Scorecards in real browsers: the recruiter asks two interviewers for theirs from a desktop;
one has submitted; the other opens the link from her email on a phone, is told what to fix,
submits, and only then sees her colleague's scorecard."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accord.reviews import scorecards as services
from accord.reviews.models import Scorecard
from accord.workspaces.models import Role
from conftest import Mailbox
from tests.browser.fixtures import DESKTOP, PHONE, new_page
from tests.browser.test_candidate_journey import no_sideways_scroll
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, MemberFactory, WorkspaceFactory
from tests.reviews.test_scorecards import build_panel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scorecard_link(mailbox: Mailbox, email: str) -> str:
    message = next(m for m in mailbox.messages if email in str(m["To"]))
    assert str(message["Subject"]) == "Your scorecard for Ana Alves"
    found = re.search(r"https?://\S+/s/\S+/", mailbox.text(message))
    assert found, mailbox.text(message)
    return found.group(0)


def test_interviewer_submits_from_the_emailed_link_on_a_phone(
    live_server, smtp: Mailbox, browser: Browser, csp_errors: list[str], settings
) -> None:
    settings.SITE_URL = live_server.url
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    rita = MemberFactory(
        workspace=workspace,
        role=Role.RECRUITER,
        user__email="rita@acme.example",
        user__display_name="Rita Recruiter",
        user__time_zone="Europe/London",
    )
    hugo = MemberFactory(
        workspace=workspace, role=Role.HIRING_MANAGER, user__display_name="Hugo Manager"
    )
    ivy = MemberFactory(
        workspace=workspace,
        role=Role.INTERVIEWER,
        user__email="ivy@acme.example",
        user__display_name="Ivy Interviewer",
    )
    panel = build_panel(rita, hugo, ivy)
    application = panel.application

    # The recruiter asks Ivy and Ivo for their scorecards after this morning's interview.
    desk = new_page(browser, DESKTOP, csp_errors)
    sign_in(desk, live_server.url, "rita@acme.example", PASSWORD)
    desk.goto(f"{live_server.url}/w/acme/applications/{application.public_id}/scorecards/")
    expect(desk.get_by_test_id("no-scorecards")).to_be_visible()
    desk.get_by_test_id("request-scorecards").first.click()
    desk.get_by_label("Ivy Interviewer · Interviewer").check()
    desk.get_by_label("Ivo Interviewer · Interviewer").check()
    interview = timezone.localtime(
        timezone.now() - timedelta(hours=2), ZoneInfo(rita.user.time_zone)
    )
    desk.get_by_label("Interview date and time").fill(interview.strftime("%Y-%m-%dT%H:%M"))
    expect(desk.get_by_label("Interview stage in the pipeline")).to_have_value(
        str(panel.first.public_id)
    )
    expect(desk.get_by_label("Criteria to assess")).to_have_value(str(panel.technical.public_id))
    desk.get_by_test_id("send-request").click()
    expect(desk.get_by_role("status")).to_contain_text("Scorecards requested from")
    expect(desk.get_by_role("status")).to_contain_text("Ivo Interviewer")
    expect(desk.get_by_test_id("scorecard-entry")).to_have_count(2)

    # Ivo has already submitted his.
    ivo_card = Scorecard.objects.get(interviewer=panel.ivo)
    services.scorecard_submit(
        actor=panel.ivo,
        scorecard=ivo_card,
        ratings={c.pk: ("doesnt", "") for c in services.criteria_for(ivo_card)},
        recommendation="no",
        evidence="Could not say why the queue was needed.",
    )

    # Ivy opens the link from her email on a phone: no password, her criteria with their
    # agreed definitions, and nothing of Ivo's judgement yet.
    phone = new_page(browser, PHONE, csp_errors)
    phone.goto(scorecard_link(smtp, "ivy@acme.example"))
    criteria = phone.get_by_test_id("criterion")
    expect(criteria).to_have_count(2)
    expect(criteria.nth(0)).to_contain_text("Has designed a service others run")
    expect(phone.get_by_test_id("others")).to_contain_text("Ivo Interviewer")
    expect(phone.get_by_test_id("others")).not_to_contain_text("Could not say why")
    no_sideways_scroll(phone)

    # Without evidence, nothing is saved and she is told what to add; her taps are kept.
    criteria.nth(0).get_by_test_id("judge-meets").click()
    criteria.nth(1).get_by_test_id("judge-cant_tell").click()
    phone.get_by_test_id("recommend-yes").click()
    phone.get_by_test_id("submit-scorecard").click()
    expect(phone.get_by_test_id("scorecard-errors")).to_contain_text(
        "Write the evidence behind your recommendation"
    )
    assert Scorecard.objects.get(interviewer=panel.ivy).submitted_at is None
    expect(phone.get_by_test_id("criterion").nth(0).locator("input[value=meets]")).to_be_checked()
    expect(phone.locator("#r-yes")).to_be_checked()

    phone.get_by_label("Evidence for your recommendation").fill(
        "Designed the ledger on the whiteboard and named the failure modes."
    )
    phone.get_by_test_id("submit-scorecard").click()
    expect(phone.get_by_role("status")).to_contain_text("Scorecard submitted")
    expect(phone.get_by_test_id("scorecard-form")).to_have_count(0)
    expect(phone.get_by_test_id("others")).to_contain_text("Could not say why the queue")
    no_sideways_scroll(phone)
    card = Scorecard.objects.get(interviewer=panel.ivy)
    assert card.recommendation == "yes"
    assert card.was_late is False

    # The recruiter is told every scorecard is in, and sees both.
    assert any("All scorecards in for Ana Alves" in str(m["Subject"]) for m in smtp.messages)
    desk.reload()
    expect(desk.get_by_test_id("scorecard-content")).to_have_count(2)
    expect(desk.get_by_test_id("scorecard-entry").first).to_contain_text("Submitted")
