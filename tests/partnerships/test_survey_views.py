"""The post-hire pages: the one-tap survey link and its problems, the signed-in survey, the
hires list and a hire's page (start date, send now, resend), the policy; bounded queries."""

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.nudges.models import Message
from accord.partnerships.models import Hire, HirePolicy, Lesson, Survey
from accord.partnerships.survey_answers import Answers, criteria_of, survey_answer
from accord.partnerships.survey_links import SALT, token_of
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import MemberFactory
from tests.partnerships.hiring import hire_one, make_requisition

pytestmark = pytest.mark.django_db


@pytest.fixture
def hire(recruiter: Member, hiring_manager: Member) -> Hire:
    return hire_one(recruiter, make_requisition(recruiter, hiring_manager))


def link_url(survey: Survey) -> str:
    return reverse("surveys:link", args=[token_of(survey)])


def answer_data(survey: Survey, **extra: str) -> dict[str, str]:
    data = {"process_rating": "4", "smoother": "Fewer rounds.", "hire_rating": "5"}
    data |= {"hire_notes": "", "missed_criteria": "Patience with juniors."}
    for criterion in criteria_of(survey):
        data[f"c-{criterion.public_id}"] = "useful"
    return data | extra


# --- the one-tap link -----------------------------------------------------------------------


def test_the_link_shows_the_survey_and_takes_the_answers(hire: Hire) -> None:
    survey = Survey.objects.get(hire=hire)
    client = Client()
    page = client.get(link_url(survey))
    assert page.status_code == 200
    assert 'data-testid="survey-form"' in page.text
    assert "Kubernetes" in page.text
    assert page["Cache-Control"] == "private, no-store"
    done = client.post(link_url(survey), answer_data(survey))
    assert done.status_code == 302
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert survey.via_link
    assert Lesson.objects.filter(survey=survey).count() == 2
    thanks = client.get(link_url(survey))
    assert 'data-testid="survey-thanks"' in thanks.text
    assert 'data-testid="survey-form"' not in thanks.text
    again = client.post(link_url(survey), answer_data(survey, hire_rating="1"))
    assert again.status_code == 409
    survey.refresh_from_db()
    assert survey.hire_rating == 5


def test_missing_answers_are_a_422_that_keeps_what_was_typed(hire: Hire) -> None:
    survey = Survey.objects.get(hire=hire)
    data = answer_data(survey, smoother="Keep this text")
    del data["hire_rating"]
    response = Client().post(link_url(survey), data)
    assert response.status_code == 422
    assert "Rate how the new hire is doing" in response.text
    assert "Keep this text" in response.text
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_link_problems(hire: Hire, hiring_manager: Member) -> None:
    survey = Survey.objects.get(hire=hire)
    client = Client()
    forged = client.get(reverse("surveys:link", args=[token_of(survey)[:-3] + "abc"]))
    assert forged.status_code == 410
    assert "doesn’t work" in forged.text
    other = signing.TimestampSigner(salt=SALT).sign_object(
        {"s": str(survey.public_id), "m": str(hire.recorded_by.public_id)}  # type: ignore[union-attr]
    )
    assert client.get(reverse("surveys:link", args=[other])).status_code == 410
    Survey.objects.filter(pk=survey.pk).update(cancelled_at=timezone.now())
    withdrawn = client.get(link_url(survey))
    assert withdrawn.status_code == 410
    assert "withdrawn" in withdrawn.text
    Survey.objects.filter(pk=survey.pk).update(cancelled_at=None)
    Member.objects.filter(pk=hiring_manager.pk).update(is_active=False)
    gone = client.post(link_url(survey), answer_data(survey))
    assert gone.status_code == 410
    assert "no longer a member" in gone.text
    survey.refresh_from_db()
    assert survey.answered_at is None


# --- signed in ---------------------------------------------------------------------------------


def test_only_the_surveys_manager_answers_signed_in(
    hire: Hire, hiring_manager: Member, recruiter: Member
) -> None:
    survey = Survey.objects.get(hire=hire)
    url = reverse("surveys:survey", args=[survey.workspace.slug, survey.public_id])
    other = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    assert client_for(other).get(url).status_code == 404
    assert client_for(recruiter).get(url).status_code == 404
    client = client_for(hiring_manager)
    assert client.get(url).status_code == 200
    assert client.post(url, answer_data(survey)).status_code == 302
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert not survey.via_link


def test_a_withdrawn_survey_signed_in_says_so_and_takes_no_answers(
    hire: Hire, hiring_manager: Member
) -> None:
    survey = Survey.objects.get(hire=hire)
    url = reverse("surveys:survey", args=[survey.workspace.slug, survey.public_id])
    Hire.objects.filter(pk=hire.pk).update(cancelled_at=timezone.now())
    client = client_for(hiring_manager)
    page = client.get(url)
    assert page.status_code == 410
    assert "This survey was withdrawn" in page.text
    assert client.post(url, answer_data(survey)).status_code == 410
    survey.refresh_from_db()
    assert survey.answered_at is None


# --- the recruiting team's pages ----------------------------------------------------------------


def test_hires_list_and_empty_state(recruiter: Member, hiring_manager: Member) -> None:
    client = client_for(recruiter)
    url = reverse("surveys:hires", args=["acme"])
    empty = client.get(url)
    assert 'data-testid="hires-empty"' in empty.text
    hire_one(recruiter, make_requisition(recruiter, hiring_manager))
    page = client.get(url)
    assert page.text.count('data-testid="hire-row"') == 1
    assert "Scheduled" in page.text
    assert client.get(url + "?state=cancelled").text.count('data-testid="hire-row"') == 0
    assert client_for(hiring_manager).get(url).status_code == 403


def _many(recruiter: Member, manager: Member, n: int) -> None:
    requisition = make_requisition(recruiter, manager)
    for i in range(n):
        hire = hire_one(recruiter, requisition, name=f"Hire {i}")
    survey = Survey.objects.filter(hire=hire).first()
    assert survey is not None
    survey_answer(
        actor=manager,
        survey=survey,
        answers=Answers(
            process_rating=3,
            hire_rating=4,
            mattered={c.pk: "crucial" for c in criteria_of(survey)},
        ),
        via_link=False,
    )


@pytest.mark.parametrize("n", [2, 12])
def test_pages_run_bounded_queries(
    n: int, recruiter: Member, hiring_manager: Member, django_assert_max_num_queries: object
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30, 90])
    _many(recruiter, hiring_manager, n)
    client = client_for(recruiter)
    hire = Hire.objects.first()
    assert hire is not None
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("surveys:hires", args=["acme"])).status_code == 200
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        url = reverse("surveys:hire", args=["acme", hire.public_id])
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("managers", [1, 4])
def test_the_hire_page_costs_the_same_whatever_the_number_of_surveys(
    managers: int, recruiter: Member, hiring_manager: Member, django_assert_max_num_queries: object
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30, 90])
    others = [
        MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
        for _ in range(managers - 1)
    ]
    hire = hire_one(recruiter, make_requisition(recruiter, hiring_manager, *others))
    assert Survey.objects.filter(hire=hire).count() == managers * 3
    first = Survey.objects.filter(hire=hire, manager=hiring_manager).order_by("due_at").first()
    assert first is not None
    survey_answer(
        actor=hiring_manager,
        survey=first,
        answers=Answers(
            process_rating=3,
            smoother="Fewer rounds.",
            hire_rating=4,
            mattered={c.pk: "not" for c in criteria_of(first)},
        ),
        via_link=False,
    )
    hire.requisition.hiring_managers.remove(*others)  # their surveys say why they can't go
    client = client_for(recruiter)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        page = client.get(reverse("surveys:hire", args=["acme", hire.public_id]))
    assert page.text.count('data-testid="survey"') == managers * 3
    assert page.text.count('data-testid="survey-problem"') == (managers - 1) * 3
    assert page.text.count('data-testid="lesson"') == 3


def test_start_date_edit_htmx_422_409_200(recruiter: Member, hire: Hire) -> None:
    client = client_for(recruiter)
    url = reverse("surveys:hire-start", args=["acme", hire.public_id])
    htmx = {"HTTP_HX_REQUEST": "true"}
    bad = client.post(url, {"start_on": "next week", "revision": hire.revision}, **htmx)
    assert bad.status_code == 422
    assert "Enter a date" in bad.text
    new = hire.start_on + timedelta(days=3)
    ok = client.post(url, {"start_on": new.isoformat(), "revision": hire.revision}, **htmx)
    assert ok.status_code == 200
    assert 'data-testid="start-saved"' in ok.text
    stale = client.post(url, {"start_on": new.isoformat(), "revision": hire.revision}, **htmx)
    assert stale.status_code == 409
    assert "Someone changed the start date" in stale.text
    hire.refresh_from_db()
    assert hire.start_on == new
    survey = Survey.objects.get(hire=hire)
    assert survey.due_at.date() >= new + timedelta(days=7)


def test_send_now_and_resend(recruiter: Member, hire: Hire) -> None:
    client = client_for(recruiter)
    survey = Survey.objects.get(hire=hire)
    page = client.get(reverse("surveys:hire", args=["acme", hire.public_id]))
    assert 'data-testid="send-now"' in page.text
    client.post(reverse("surveys:send", args=["acme", survey.public_id]))
    survey.refresh_from_db()
    assert survey.sent_at is not None
    assert Message.objects.count() == 1
    assert client.get(reverse("surveys:send", args=["acme", survey.public_id])).status_code == 405
    client.post(reverse("surveys:send", args=["acme", survey.public_id]))
    assert Message.objects.count() == 1  # already sent: refused, nothing sent
    resend = reverse("surveys:resend", args=["acme", survey.public_id])
    client.post(resend)
    assert Message.objects.count() == 2
    too_soon = client.post(resend, follow=True)
    assert "less than an hour ago" in too_soon.text
    assert Message.objects.count() == 2


def test_the_hire_page_says_why_a_survey_cant_be_sent(
    recruiter: Member, hiring_manager: Member, hire: Hire
) -> None:
    hire.requisition.hiring_managers.remove(hiring_manager)
    page = client_for(recruiter).get(reverse("surveys:hire", args=["acme", hire.public_id]))
    assert 'data-testid="survey-problem"' in page.text
    assert "is no longer a hiring manager of this role" in page.text
    assert 'data-testid="send-now"' not in page.text


def test_a_manager_on_the_team_doesnt_read_the_lessons_about_their_own_answers(
    admin: Member, recruiter: Member
) -> None:
    hire = hire_one(recruiter, make_requisition(recruiter, admin))
    survey = Survey.objects.get(hire=hire)
    survey_answer(
        actor=admin,
        survey=survey,
        answers=Answers(
            process_rating=2,
            smoother="Too many rounds.",
            hire_rating=4,
            missed_criteria="Patience with juniors.",
            mattered={c.pk: "crucial" for c in criteria_of(survey)},
        ),
        via_link=False,
    )
    assert Lesson.objects.filter(survey=survey).count() == 2
    url = reverse("surveys:hire", args=["acme", hire.public_id])
    own = client_for(admin).get(url)
    assert own.status_code == 200
    assert 'data-testid="survey-answers"' in own.text  # their own answers are shown
    assert 'data-testid="lesson"' not in own.text
    team = client_for(recruiter).get(url)
    assert team.text.count('data-testid="lesson"') == 2


def test_another_workspaces_hire_is_404(outsider: Member, hire: Hire) -> None:
    client = client_for(outsider)
    assert client.get(reverse("surveys:hire", args=["other", hire.public_id])).status_code == 404


def test_policy_page_saves_and_explains_bad_checkpoints(recruiter: Member) -> None:
    client = client_for(recruiter)
    url = reverse("surveys:policy", args=["acme"])
    assert client.get(url).status_code == 200
    data = {"first_after_days": "7", "remind_after_days": "3", "max_reminders": "2"}
    bad = client.post(url, data | {"checkpoints": "30, sixty"})
    assert bad.status_code == 422
    assert "isn’t a number of days" in bad.text
    early = client.post(url, data | {"checkpoints": "5"})
    assert early.status_code == 422
    assert "come after the first survey" in early.text
    assert client.post(url, data | {"checkpoints": "90, 30"}).status_code == 302
    assert HirePolicy.objects.get().checkpoints == [30, 90]


def test_a_hired_card_links_to_its_hire(recruiter: Member, hire: Hire) -> None:
    client = client_for(recruiter)
    requisition = hire.requisition
    board = client.get(reverse("pipeline:board", args=["acme", requisition.public_id]))
    url = reverse("surveys:application-hire", args=["acme", hire.application.public_id])
    assert url in board.text
    listing = client.get(reverse("pipeline:list", args=["acme", requisition.public_id]))
    assert url in listing.text
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:hire", args=["acme", hire.public_id])
