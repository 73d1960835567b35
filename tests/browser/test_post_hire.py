"""The post-hire loop in a real browser: the recruiter hires a candidate and sets the start date;
with the clock in the test's hands the survey goes out at 09:00 the manager's time a week after
the start, arrives over SMTP, and the manager answers it on a phone from the one-tap link; the
recruiter's next intake with that manager offers the lessons and carries one into the brief."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accord.briefs.models import BriefVersion
from accord.partnerships.models import CriterionRating, Hire, Lesson, LessonUse, Survey
from accord.partnerships.survey_delivery import surveys_deliver
from accord.pipeline.models import Category
from accord.pipeline.services import application_create, application_move
from accord.requisitions.models import Status
from accord.workspaces.models import Role
from conftest import Mailbox
from tests.browser.fixtures import DESKTOP, PHONE, new_page
from tests.browser.test_candidate_journey import no_sideways_scroll
from tests.browser.test_invitation_journey import sign_in
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    MemberFactory,
    RequisitionFactory,
    WorkspaceFactory,
)
from tests.partnerships.hiring import make_requisition, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NY = ZoneInfo("America/New_York")


def test_a_hire_brings_the_survey_that_the_manager_answers_on_a_phone(
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
    requisition = make_requisition(rita, hugo)
    application = application_create(
        actor=rita,
        requisition=requisition,
        candidate=CandidateFactory(workspace=workspace, name="Nora Hired"),
    )
    application_move(
        actor=rita, application=application, to_stage=stage(requisition, Category.HIRED)
    )
    hire = Hire.objects.get(application=application)

    # The recruiter sets the real start date on the hire's page.
    today = timezone.localdate()
    start = today + timedelta(days=3 + (7 - (today + timedelta(days=3)).weekday()) % 7)  # Monday
    desk = new_page(browser, DESKTOP, csp_errors)
    sign_in(desk, live_server.url, "rita@acme.example", PASSWORD)
    desk.goto(f"{live_server.url}/w/acme/hires/")
    desk.get_by_role("link", name="Nora Hired").click()
    desk.wait_for_load_state()  # the start form saves in place once htmx has loaded
    desk.get_by_test_id("start-on").fill(start.isoformat())
    desk.get_by_test_id("start-save").click()
    expect(desk.get_by_test_id("start-saved")).to_be_visible()
    hire.refresh_from_db()
    assert hire.start_on == start
    due = datetime.combine(start + timedelta(days=7), time(9), tzinfo=NY).astimezone(UTC)
    expect(desk.get_by_test_id("survey-state")).to_have_text("Scheduled")

    # The test holds the clock: nothing a minute early, the email at 09:00 New York time.
    assert surveys_deliver(now=due - timedelta(minutes=1)) == 0
    assert smtp.messages == []
    assert surveys_deliver(now=due) == 1
    [email] = smtp.messages
    assert email["To"].addresses[0].addr_spec == "hugo@acme.example"
    assert "Platform Engineer" in str(email["Subject"])
    link = re.search(r"https?://\S+/hs/\S+/", smtp.text(email))
    assert link is not None

    # The manager answers on a phone, without signing in.
    phone = new_page(browser, PHONE, csp_errors)
    phone.goto(link.group(0))
    expect(phone.get_by_test_id("survey-form")).to_be_visible()
    no_sideways_scroll(phone)
    phone.get_by_test_id("hire-5").click()  # not the process yet: the page says what's missing
    phone.get_by_test_id("submit-survey").click()
    expect(phone.get_by_test_id("survey-errors")).to_contain_text("hiring process")
    phone.get_by_test_id("process-4").click()
    phone.get_by_test_id("smoother").fill("Fewer interview rounds.")
    criteria = phone.get_by_test_id("criterion")
    criteria.nth(0).get_by_test_id("mattered-crucial").click()
    criteria.nth(1).get_by_test_id("mattered-not").click()
    phone.get_by_test_id("missed").fill("Patience with juniors.")
    phone.get_by_test_id("submit-survey").click()
    expect(phone.get_by_test_id("survey-thanks")).to_be_visible()
    expect(phone.get_by_test_id("answer-criterion")).to_have_count(2)
    no_sideways_scroll(phone)

    survey = Survey.objects.get(hire=hire)
    assert (survey.process_rating, survey.hire_rating, survey.via_link) == (4, 5, True)
    assert dict(CriterionRating.objects.values_list("name", "mattered")) == {
        "Kubernetes": "crucial",
        "On-call": "not",
    }
    lessons = Lesson.objects.filter(partnership__manager=hugo)
    assert set(lessons.values_list("applies_to", flat=True)) == {"process_notes", "", "who_thrives"}

    # The recruiter sees the answers on the hire's page.
    desk.reload()
    expect(desk.get_by_test_id("survey-state")).to_have_text("Answered")
    expect(desk.get_by_test_id("lesson")).to_have_count(3)

    # Hugo's next search: the intake offers what the survey taught, and carries it over.
    following = RequisitionFactory(
        workspace=workspace,
        recruiter=rita,
        hiring_managers=[hugo],
        title="Staff Platform Engineer",
        status=Status.INTAKE,
    )
    desk.goto(f"{live_server.url}/w/acme/requisitions/{following.public_id}/")
    offered = desk.get_by_test_id("lesson-offered")
    expect(offered).to_have_count(3)
    expect(offered.filter(has_text="Fewer interview rounds.")).to_have_count(1)
    desk.get_by_test_id("start-intake").click()
    panel = desk.get_by_test_id("lessons-panel")
    expect(panel).to_contain_text("Lessons from working with Hugo Manager")
    smoother = panel.get_by_test_id("lesson-offered").filter(has_text="Fewer interview rounds.")
    smoother.get_by_test_id("carry-lesson").click()
    expect(smoother.get_by_test_id("lesson-carried")).to_be_visible()
    expect(desk.locator("#id_process_notes")).to_have_value(re.compile("Fewer interview rounds."))
    draft = BriefVersion.objects.get(requisition=following)
    assert "Fewer interview rounds." in draft.process_notes
    assert LessonUse.objects.filter(version=draft).count() == 1
    assert csp_errors == []
