import pytest
from django.urls import reverse

from accord.workspaces import services
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import MemberFactory


def grow(workspace, n: int) -> None:
    """Add n members and n audit entries, so query counts can be compared across sizes."""
    admin = Member.objects.get(workspace=workspace, role=Role.ADMIN)
    for i in range(n):
        member = MemberFactory(workspace=workspace, role=Role.INTERVIEWER)
        services.member_change_role(actor=admin, member=member, role=Role.HIRING_MANAGER)
        services.invitation_create(
            actor=admin, email=f"invitee{i}@example.com", role=Role.RECRUITER
        )


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER]
)
def test_each_role_gets_its_own_dashboard_with_a_next_step(role, workspace, admin):
    member = admin if role == Role.ADMIN else MemberFactory(workspace=workspace, role=role)
    response = client_for(member).get(reverse("dashboard:workspace", args=[workspace.slug]))
    assert response.status_code == 200
    expected = {
        Role.ADMIN: "Invite your team",
        Role.RECRUITER: "Invite a hiring manager",
        Role.HIRING_MANAGER: "Nothing is waiting for you",
        Role.INTERVIEWER: "No interviews assigned to you",
    }[role]
    assert expected in response.content.decode()


@pytest.mark.parametrize("size", [2, 60])
@pytest.mark.parametrize(
    ("url_name", "bound"), [("dashboard:workspace", 13), ("workspaces:members", 10)]
)
def test_pages_run_a_bounded_number_of_queries(
    url_name, bound, size, workspace, admin, django_assert_max_num_queries
):
    grow(workspace, size)
    client = client_for(admin)
    url = reverse(url_name, args=[workspace.slug])
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200


def test_home_takes_people_to_their_last_workspace(admin, outsider):
    MemberFactory(workspace=outsider.workspace, user=admin.user, role=Role.RECRUITER)
    client = client_for(admin)
    assert client.get(reverse("dashboard:home"))["Location"] == reverse("workspaces:list")
    client.get(reverse("dashboard:workspace", args=[outsider.workspace.slug]))
    assert client.get(reverse("dashboard:home"))["Location"] == reverse(
        "dashboard:workspace", args=[outsider.workspace.slug]
    )


def test_someone_in_no_workspace_is_told_what_to_do(db):
    user = MemberFactory().user
    Member.objects.filter(user=user).update(is_active=False)
    client = client_for(Member.objects.get(user=user))
    response = client.get(reverse("dashboard:home"), follow=True)
    assert "You’re not in a workspace yet" in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_a_manager_sees_what_waits_for_them_in_bounded_queries(
    size, workspace, recruiter, hiring_manager, django_assert_max_num_queries
):
    from django.utils import timezone

    from tests.factories import BriefVersionFactory, RequisitionFactory

    for n in range(size):
        requisition = RequisitionFactory(
            workspace=workspace,
            recruiter=recruiter,
            hiring_managers=[hiring_manager],
            title=f"Role {n}",
            status="intake",
        )
        BriefVersionFactory(requisition=requisition, sign_off_requested_at=timezone.now())
    other = RequisitionFactory(workspace=workspace, recruiter=recruiter, title="Not theirs")
    BriefVersionFactory(requisition=other, sign_off_requested_at=timezone.now())
    client = client_for(hiring_manager)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("dashboard:workspace", args=[workspace.slug]))
    page = response.content.decode()
    assert page.count("Your signature on version 1") == min(size, 20)
    assert "Not theirs" not in page


@pytest.mark.parametrize("size", [1, 4])
def test_a_manager_is_offered_the_surveys_sent_to_them_one_tap_away(
    size, workspace, recruiter, hiring_manager, django_assert_max_num_queries
):
    from accord.partnerships.models import Survey
    from accord.partnerships.survey_delivery import survey_send_now
    from tests.partnerships.hiring import hire_one, make_requisition

    requisition = make_requisition(recruiter, hiring_manager)
    surveys = []
    for n in range(size):
        hire = hire_one(recruiter, requisition, name=f"Hire {n}")
        surveys.append(survey_send_now(actor=recruiter, survey=Survey.objects.get(hire=hire)))
    unsent = hire_one(recruiter, requisition, name="Not asked yet")
    client = client_for(hiring_manager)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard:workspace", args=[workspace.slug]))
    page = response.content.decode()
    assert page.count('data-testid="answer-survey"') == size
    for survey in surveys:
        assert reverse("surveys:survey", args=[workspace.slug, survey.public_id]) in page
    assert unsent.application.candidate.name not in page


def test_a_recruiter_is_told_when_check_ins_are_due(workspace, recruiter, hiring_manager):
    from datetime import timedelta

    from django.utils import timezone

    from accord.partnerships.models import Partnership

    client = client_for(recruiter)
    url = reverse("dashboard:workspace", args=[workspace.slug])
    assert 'data-testid="checkins-due"' not in client.get(url).content.decode()
    Partnership.objects.create(
        workspace=workspace,
        manager=hiring_manager,
        recruiter=recruiter,
        next_checkin_on=timezone.localdate() - timedelta(days=1),
    )
    page = client.get(url).content.decode()
    assert "1 check-in with a hiring manager is due." in page
