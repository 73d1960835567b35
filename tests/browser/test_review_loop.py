"""The review loop in real browsers: the recruiter sends five candidates from a desktop; the
manager opens the link from the email on a phone, rejects two with reasons (one outside the
brief) and advances three; the recruiter sees the decisions. Then the manager asks for chat
messages, a second shortlist goes unanswered, and with the clock controlled by the test the
reminder reaches a webhook receiver on loopback at the right local time, then the recruiter is
told by email."""

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from accord.nudges import services as nudges
from accord.nudges.models import Commitment, Message, Nudge, NudgeKind
from accord.reviews.models import Review, Shortlist
from accord.workspaces.models import Role
from conftest import Mailbox
from tests.browser.fixtures import DESKTOP, PHONE, new_page
from tests.browser.test_candidate_journey import no_sideways_scroll
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, MemberFactory, WorkspaceFactory
from tests.receivers import Receiver
from tests.reviews.conftest import build_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(mailbox: Mailbox, subject_part: str) -> str:
    message = next(m for m in mailbox.messages if subject_part in str(m["Subject"]))
    found = re.search(r"https?://\S+/r/\S+/", mailbox.text(message))
    assert found, mailbox.text(message)
    return found.group(0)


def test_shortlist_decisions_reminders_and_escalation(
    live_server, smtp: Mailbox, browser: Browser, csp_errors: list[str], settings
) -> None:
    settings.SITE_URL = live_server.url
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = True
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    rita = MemberFactory(
        workspace=workspace,
        role=Role.RECRUITER,
        user__email="rita@acme.example",
        user__display_name="Rita Recruiter",
        user__time_zone="Europe/London",
    )
    hugo = MemberFactory(
        workspace=workspace,
        role=Role.HIRING_MANAGER,
        user__email="hugo@acme.example",
        user__display_name="Hugo Manager",
        user__time_zone="America/New_York",
    )
    scene = build_scene(rita, hugo, count=5)

    # The recruiter picks five screened candidates and sends them with a note.
    desk = new_page(browser, DESKTOP, csp_errors)
    sign_in(desk, live_server.url, "rita@acme.example", PASSWORD)
    desk.goto(f"{live_server.url}/w/acme/requisitions/{scene.requisition.public_id}/shortlists/")
    desk.get_by_test_id("new-shortlist").click()
    expect(desk.get_by_test_id("pick")).to_have_count(5)
    for pick in desk.get_by_test_id("pick").all():
        pick.check()
    desk.get_by_label("Highlights for Ana Alves").fill("Ran billing for 40 countries.")
    desk.get_by_test_id("shortlist-note").fill("Five strong people; Ana first.")
    desk.get_by_test_id("send").click()
    expect(desk.get_by_role("status")).to_contain_text("Sent to Hugo Manager")
    expect(desk.get_by_test_id("shortlist-state")).to_contain_text("5 to decide")

    # The manager opens the link in the email on a phone: no password.
    url = link_in(smtp, "5 candidates for Senior Backend Engineer")
    phone = new_page(browser, PHONE, csp_errors)
    phone.goto(url)
    expect(phone.get_by_test_id("review-card")).to_have_count(5)
    expect(phone.get_by_test_id("highlights").first).to_contain_text("40 countries")
    no_sideways_scroll(phone)
    cards = phone.get_by_test_id("review-card")

    # A decision without a reason is refused, and nothing changes.
    first = cards.nth(0)
    first.get_by_test_id("reject").click()
    expect(first.get_by_test_id("decide-error")).to_contain_text("Say why")
    assert not Review.objects.exists()

    # Two rejections: one on a criterion of the brief, one outside it.
    first = cards.nth(0)
    first.locator("label", has_text="Doesn’t meet").nth(2).click()  # Rust
    first.get_by_test_id("reject").click()
    expect(first.get_by_test_id("decision")).to_have_text("Reject")
    second = cards.nth(1)
    second.get_by_test_id("chip-compensation").click()
    second.get_by_test_id("reject").click()
    expect(second.get_by_test_id("outside-brief")).to_be_visible()
    # Three advance in one tap each, agreeing with the screen.
    for n in (2, 3, 4):
        card = cards.nth(n)
        card.get_by_test_id("advance-as-screened").click()
        expect(card.get_by_test_id("decision")).to_have_text("Advance")
    no_sideways_scroll(phone)
    assert sorted(Review.objects.values_list("decision", flat=True)) == [
        "advance",
        "advance",
        "advance",
        "reject",
        "reject",
    ]
    assert Review.objects.filter(outside_brief=True).count() == 1

    # The recruiter is told, and sees the decisions with their reasons.
    assert any("decided on the shortlist" in str(m["Subject"]) for m in smtp.messages)
    desk.reload()
    expect(desk.get_by_test_id("shortlist-state")).to_have_text("All decided")
    expect(desk.get_by_test_id("decision")).to_have_count(5)
    expect(desk.get_by_text("Compensation")).to_be_visible()

    # The link, used again, shows the decisions and takes no new one.
    phone.goto(url)
    expect(phone.get_by_test_id("reject")).to_have_count(0)

    # Hugo asks for chat messages instead of email, on his notifications page.
    with Receiver() as chat:
        phone.goto(f"{live_server.url}/login/")
        sign_in(phone, live_server.url, "hugo@acme.example", PASSWORD)
        phone.goto(f"{live_server.url}/w/acme/me/notifications/")
        phone.get_by_label("Chat (Slack or Teams webhook)").check()
        phone.get_by_label("Chat webhook address").fill(chat.url("/hooks/hugo"))
        phone.get_by_role("button", name=re.compile("Save")).click()
        expect(phone.get_by_role("status")).to_be_visible()

        # A second shortlist goes unanswered.
        sixth = build_scene(rita, hugo, count=1)
        desk.goto(
            f"{live_server.url}/w/acme/requisitions/{sixth.requisition.public_id}/shortlists/new/"
        )
        desk.get_by_test_id("pick").first.check()
        desk.get_by_test_id("send").click()
        expect(desk.get_by_role("status")).to_contain_text("Sent to Hugo Manager")
        assert chat.requests[0].json["text"].startswith("*1 candidate for")

        # With the clock in the test's hands: the reminder at the due time, on chat...
        shortlist = Shortlist.objects.get(requisition=sixth.requisition)
        commitment = Commitment.objects.get(shortlist=shortlist)
        planned = {n.kind: n.send_after for n in Nudge.objects.filter(commitment=commitment)}
        nudges.dispatch(now=planned[NudgeKind.BEFORE])
        nudges.dispatch(now=planned[NudgeKind.DUE])
        texts = [r.json["text"] for r in chat]
        assert texts[1].startswith("*Due soon: Review a shortlist"), texts
        assert texts[2].startswith("*Due now: Review a shortlist"), texts
        assert "/r/" in chat.requests[2].json["blocks"][1]["elements"][0]["url"]
        for at in (planned[NudgeKind.BEFORE], planned[NudgeKind.DUE]):
            local = at.astimezone(ZoneInfo("America/New_York"))
            assert local.weekday() < 5
            assert 8 <= local.hour < 20  # outside Hugo's quiet hours, in his time zone
        # ...then the recruiter hears about it, by email, a business day later.
        escalation = Nudge.objects.get(commitment=commitment, kind=NudgeKind.ESCALATE_RECRUITER)
        before = len(smtp.messages)
        nudges.dispatch(now=escalation.send_after)
        told = smtp.messages[before:]
        assert len(told) == 1
        assert told[0]["To"].endswith("<rita@acme.example>")
        assert "Overdue: Hugo Manager" in str(told[0]["Subject"])
    assert Message.objects.filter(channel="chat", status="sent").count() == 3
