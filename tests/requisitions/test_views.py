"""The requisition pages: list, create, edit, detail, status, plan and kickoff."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs.models import BriefVersion
from accord.pipeline import services as pipeline
from accord.requisitions import services
from accord.requisitions.models import (
    Kickoff,
    Level,
    Milestone,
    MilestoneKind,
    Owner,
    Requisition,
    RequisitionEvent,
    Status,
)
from accord.workspaces.models import Member, Role, Workspace
from conftest import client_for
from tests.factories import BriefVersionFactory, CandidateFactory, MemberFactory, RequisitionFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def list_url(workspace: Workspace) -> str:
    return reverse("requisitions:list", args=[workspace.slug])


def url(name: str, requisition: Requisition, *args: object) -> str:
    return reverse(name, args=[requisition.workspace.slug, requisition.public_id, *args])


def titles(response) -> list[str]:
    return [r.title for r in response.context["requisitions"]]


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def requisition(recruiter: Member, hiring_manager: Member, interviewer: Member) -> Requisition:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        title="Senior Backend Engineer",
        team="Payments",
    )
    requisition.hiring_team.set([interviewer])
    return requisition


@pytest.fixture
def board(workspace: Workspace, recruiter: Member, admin: Member, hiring_manager: Member):
    """Requisitions in several states, teams and hands; the manager is on two of them."""
    other_manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)

    def make(title: str, status: str, team: str, recruited_by: Member, manager: Member):
        return RequisitionFactory(
            workspace=workspace,
            title=title,
            status=status,
            team=team,
            recruiter=recruited_by,
            hiring_managers=[manager],
        )

    return {
        "backend": make("Backend Engineer", Status.OPEN, "Platform", recruiter, hiring_manager),
        "designer": make("Product Designer", Status.DRAFT, "Design", admin, other_manager),
        "sre": make("Site Reliability Engineer", Status.ON_HOLD, "platform", admin, hiring_manager),
        "analyst": make("Data Analyst", Status.INTAKE, "Data", recruiter, other_manager),
        "filled": make("Frontend Engineer", Status.FILLED, "Platform", recruiter, other_manager),
        "cancelled": make("Office Manager", Status.CANCELLED, "Ops", admin, other_manager),
    }


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_active_requisitions_by_default(board, recruiter, workspace) -> None:
    response = client_for(recruiter).get(list_url(workspace))

    assert response.status_code == 200
    assert sorted(titles(response)) == [
        "Backend Engineer",
        "Data Analyst",
        "Product Designer",
        "Site Reliability Engineer",
    ]
    assert dict(response.context["counts"]) == {
        "Draft": 1,
        "Intake": 1,
        "Open": 1,
        "On hold": 1,
        "Filled": 1,
        "Cancelled": 1,
    }
    page = text(response)
    assert "Open: 1" in page
    assert "Backend Engineer" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "all"}, {"backend", "designer", "sre", "analyst", "filled", "cancelled"}),
        ({"status": Status.FILLED}, {"filled"}),
        ({"status": Status.ON_HOLD}, {"sre"}),
        ({"q": "engineer"}, {"backend", "sre"}),
        ({"q": "ENGINEER", "status": "all"}, {"backend", "sre", "filled"}),
        ({"team": "Platform"}, {"backend", "sre"}),
        ({"team": "platform", "status": Status.OPEN}, {"backend"}),
        ({"mine": "on"}, {"backend", "analyst"}),
        ({"mine": "on", "status": "all"}, {"backend", "analyst", "filled"}),
        ({"q": "nothing like this"}, set()),
    ],
)
def test_the_list_filters(board, recruiter, workspace, query, expected) -> None:
    response = client_for(recruiter).get(list_url(workspace), query)

    assert sorted(titles(response)) == sorted(board[key].title for key in expected)
    # The counts describe the whole board, whatever the filters.
    assert sum(n for _, n in response.context["counts"]) == 6


def test_an_unknown_status_filter_falls_back_to_active(board, recruiter, workspace) -> None:
    response = client_for(recruiter).get(list_url(workspace), {"status": "archived"})

    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_htmx_filtering_returns_the_results_only(board, recruiter, workspace) -> None:
    response = client_for(recruiter).get(list_url(workspace), {"q": "designer"}, **HTMX)

    page = text(response)
    assert page.lstrip().startswith('<div id="results">')
    assert "Product Designer" in page
    assert "Backend Engineer" not in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_the_empty_list_says_what_to_do(recruiter, interviewer, workspace) -> None:
    assert "Create a requisition" in text(client_for(recruiter).get(list_url(workspace)))
    page = text(client_for(interviewer).get(list_url(workspace)))
    assert "When a recruiter adds you to a role" in page
    assert "New requisition" not in page


def test_a_hiring_manager_sees_only_their_requisitions(board, hiring_manager, workspace) -> None:
    client = client_for(hiring_manager)

    response = client.get(list_url(workspace), {"status": "all"})

    assert sorted(titles(response)) == ["Backend Engineer", "Site Reliability Engineer"]
    assert {label: n for label, n in response.context["counts"] if n} == {"Open": 1, "On hold": 1}
    assert "New requisition" not in text(response)
    assert client.get(url("requisitions:detail", board["backend"])).status_code == 200
    for key in ("designer", "analyst", "filled", "cancelled"):
        assert client.get(url("requisitions:detail", board[key])).status_code == 404, key


def test_an_interviewer_sees_the_requisitions_they_interview_for(
    board, interviewer, workspace
) -> None:
    board["designer"].hiring_team.add(interviewer)
    client = client_for(interviewer)

    assert titles(client.get(list_url(workspace), {"status": "all"})) == ["Product Designer"]
    assert client.get(url("requisitions:detail", board["designer"])).status_code == 200
    assert client.get(url("requisitions:detail", board["backend"])).status_code == 404


def test_another_workspace_requisition_is_a_404(requisition, outsider) -> None:
    other_url = reverse(
        "requisitions:detail", args=[outsider.workspace.slug, requisition.public_id]
    )

    assert client_for(outsider).get(other_url).status_code == 404


# --- creating --------------------------------------------------------------------------------


def form_data(recruiter: Member, managers: list[Member], **overrides) -> dict:
    return {
        "title": "Staff Data Engineer",
        "team": "Data",
        "level": Level.LEAD,
        "employment_type": "full_time",
        "location": "Berlin",
        "remote_policy": "remote",
        "openings": "1",
        "compensation_min": "80000",
        "compensation_max": "100000",
        "currency": "eur",
        "recruiter": str(recruiter.pk),
        "hiring_managers": [str(m.pk) for m in managers],
        **overrides,
    }


def test_the_create_form_suggests_the_recruiter_themself(recruiter, workspace) -> None:
    response = client_for(recruiter).get(reverse("requisitions:create", args=[workspace.slug]))

    assert response.status_code == 200
    assert response.context["form"]["recruiter"].value() == recruiter.pk


def test_creating_a_requisition(recruiter, hiring_manager, interviewer, workspace) -> None:
    data = form_data(recruiter, [hiring_manager], hiring_team=[str(interviewer.pk)])

    response = client_for(recruiter).post(
        reverse("requisitions:create", args=[workspace.slug]), data
    )

    requisition = Requisition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("requisitions:detail", requisition)
    assert (requisition.title, requisition.level, requisition.currency) == (
        "Staff Data Engineer",
        Level.LEAD,
        "EUR",
    )
    assert list(requisition.hiring_managers.all()) == [hiring_manager]
    assert list(requisition.hiring_team.all()) == [interviewer]
    assert flashed(response) == [
        "Staff Data Engineer is created. Next: run the intake with the hiring manager."
    ]
    assert AuditEntry.objects.get().action == "requisition.created"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"compensation_min": "120000"}, "The top of the range is below the bottom."),
        ({"currency": ""}, "Say which currency the pay range is in"),
        ({"currency": "euro"}, "Use the three-letter code"),
        ({"hiring_managers": []}, "This field is required."),
        ({"openings": "0"}, "greater than or equal to 1"),
    ],
)
def test_invalid_input_is_refused_with_a_message_and_creates_nothing(
    recruiter, hiring_manager, workspace, overrides, message
) -> None:
    data = form_data(recruiter, [hiring_manager], **overrides)

    response = client_for(recruiter).post(
        reverse("requisitions:create", args=[workspace.slug]), data
    )

    assert response.status_code == 422
    assert message in text(response)
    assert Requisition.objects.count() == 0
    assert RequisitionEvent.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_member_of_another_workspace_is_not_a_choice(
    recruiter, hiring_manager, outsider, workspace
) -> None:
    data = form_data(recruiter, [hiring_manager, outsider])

    response = client_for(recruiter).post(
        reverse("requisitions:create", args=[workspace.slug]), data
    )

    assert response.status_code == 422
    assert "Select a valid choice" in text(response)
    assert Requisition.objects.count() == 0


# --- editing ---------------------------------------------------------------------------------


def edit_data(requisition: Requisition, **overrides) -> dict:
    current = {
        "title": requisition.title,
        "team": requisition.team,
        "level": requisition.level,
        "compensation_min": "",
        "compensation_max": "",
        "currency": "",
        "hiring_team": [str(m.pk) for m in requisition.hiring_team.all()],
        "revision": str(requisition.revision),
    }
    managers = list(requisition.hiring_managers.all())
    return form_data(requisition.recruiter, managers, **{**current, **overrides})


def test_the_edit_form_shows_the_current_details(requisition, recruiter) -> None:
    response = client_for(recruiter).get(url("requisitions:edit", requisition))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Senior Backend Engineer"
    assert form["revision"].value() == 1


def test_editing_saves_and_goes_back_to_the_requisition(requisition, recruiter) -> None:
    response = client_for(recruiter).post(
        url("requisitions:edit", requisition), edit_data(requisition, title="Staff Engineer")
    )

    assert response.status_code == 302
    assert response["Location"] == url("requisitions:detail", requisition)
    requisition.refresh_from_db()
    assert (requisition.title, requisition.revision) == ("Staff Engineer", 2)


def test_a_stale_edit_is_a_conflict_showing_both_versions(requisition, recruiter, admin) -> None:
    stale = edit_data(requisition, title="Mine: Staff Engineer")
    client_for(admin).post(
        url("requisitions:edit", requisition), edit_data(requisition, title="Theirs: Lead")
    )
    requisition.refresh_from_db()
    before = (requisition.title, requisition.revision, AuditEntry.objects.count())

    response = client_for(recruiter).post(url("requisitions:edit", requisition), stale)

    assert response.status_code == 409
    page = text(response)
    assert 'data-testid="conflict"' in page
    assert "Theirs: Lead" in page  # their saved version
    assert 'value="Mine: Staff Engineer"' in page  # my unsaved input, kept
    assert "Someone saved this requisition while you were editing" in page
    requisition.refresh_from_db()
    assert (requisition.title, requisition.revision, AuditEntry.objects.count()) == before
    # The form now carries their revision: saving again, knowingly, goes through.
    assert re.search(r'name="revision" value="2"', page)
    again = client_for(recruiter).post(
        url("requisitions:edit", requisition), {**stale, "revision": "2"}
    )
    assert again.status_code == 302
    requisition.refresh_from_db()
    assert (requisition.title, requisition.revision) == ("Mine: Staff Engineer", 3)


def test_an_invalid_edit_is_422_and_changes_nothing(requisition, recruiter) -> None:
    response = client_for(recruiter).post(
        url("requisitions:edit", requisition), edit_data(requisition, title="")
    )

    assert response.status_code == 422
    requisition.refresh_from_db()
    assert (requisition.title, requisition.revision) == ("Senior Backend Engineer", 1)


def test_a_closed_requisition_cannot_be_edited(requisition, recruiter) -> None:
    Requisition.objects.filter(pk=requisition.pk).update(status=Status.FILLED)

    response = client_for(recruiter).post(
        url("requisitions:edit", requisition), edit_data(requisition, title="Reopened")
    )

    assert response.status_code == 422
    assert "This requisition is closed" in text(response)
    requisition.refresh_from_db()
    assert requisition.title == "Senior Backend Engineer"


# --- the detail page and the lifecycle -------------------------------------------------------


def test_the_detail_page_shows_people_history_and_actions(requisition, recruiter) -> None:
    services.requisition_transition(
        actor=recruiter, requisition=requisition, to_status=Status.INTAKE, reason="Kickoff booked"
    )

    response = client_for(recruiter).get(url("requisitions:detail", requisition))

    page = text(response)
    assert response.status_code == 200
    for name in ("Hugo Manager", "Ivy Interviewer", "Rita Recruiter"):
        assert name in page
    assert "“Kickoff booked”" in page
    assert 'data-testid="transition"' in page
    assert 'data-testid="start-intake"' in page
    assert response.context["estimate"].is_default


def test_an_interviewer_reads_the_detail_page_without_actions(requisition, interviewer) -> None:
    page = text(client_for(interviewer).get(url("requisitions:detail", requisition)))

    assert "Senior Backend Engineer" in page
    for action in ("transition", "start-intake", "send-intake", "plan-create", "kickoff-send"):
        assert f'data-testid="{action}"' not in page


def test_moving_the_status(requisition, recruiter) -> None:
    response = client_for(recruiter).post(
        url("requisitions:transition", requisition), {"to_status": Status.INTAKE}
    )

    assert response.status_code == 302
    assert response["Location"] == url("requisitions:detail", requisition)
    assert flashed(response) == ["Senior Backend Engineer is now intake."]
    requisition.refresh_from_db()
    assert requisition.status == Status.INTAKE
    assert requisition.events.get().actor == recruiter


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"to_status": Status.OPEN},
            "Open the search once the brief is signed by you and the hiring manager: it is what "
            "shortlists will be held against.",
        ),
        (
            {"to_status": Status.CANCELLED, "reason": " "},
            "Say why, so the team and the manager know.",
        ),
        ({"to_status": Status.FILLED}, "A requisition that is draft can’t become filled."),
        ({"to_status": "gone"}, "Choose a status from the list."),
    ],
)
def test_a_refused_move_explains_why_and_changes_nothing(
    requisition, recruiter, data, message
) -> None:
    response = client_for(recruiter).post(url("requisitions:transition", requisition), data)

    assert response.status_code == 302
    assert flashed(response) == [message]
    requisition.refresh_from_db()
    assert requisition.status == Status.DRAFT
    assert RequisitionEvent.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_opening_with_a_signed_brief(requisition, recruiter) -> None:
    BriefVersionFactory(requisition=requisition, number=1, signed_at=timezone.now())

    response = client_for(recruiter).post(
        url("requisitions:transition", requisition), {"to_status": Status.OPEN}
    )

    assert flashed(response) == ["Senior Backend Engineer is now open."]
    requisition.refresh_from_db()
    assert requisition.opened_at is not None


def test_transition_is_post_only(requisition, recruiter) -> None:
    response = client_for(recruiter).get(
        url("requisitions:transition", requisition), {"to_status": Status.INTAKE}
    )

    assert response.status_code == 405
    requisition.refresh_from_db()
    assert requisition.status == Status.DRAFT


# --- the plan and the kickoff ----------------------------------------------------------------


def test_laying_out_the_plan(requisition, recruiter) -> None:
    client = client_for(recruiter)

    response = client.post(url("requisitions:plan-create", requisition))

    assert response.status_code == 302
    assert flashed(response) == ["Plan laid out: 6 milestones. Adjust the dates with the manager."]
    assert requisition.milestones.count() == 6
    page = text(client.get(url("requisitions:detail", requisition)))
    assert "First shortlist" in page
    assert 'data-testid="plan-create"' not in page  # nothing left to lay out

    again = client_for(recruiter).post(url("requisitions:plan-create", requisition))
    assert flashed(again) == ["The plan is already laid out; adjust its dates below."]
    assert requisition.milestones.count() == 6
    assert AuditEntry.objects.filter(action="plan.created").count() == 1


def test_a_missing_milestone_is_put_back(requisition, recruiter) -> None:
    services.plan_create(actor=recruiter, requisition=requisition)
    requisition.milestones.filter(kind=MilestoneKind.OFFER).delete()

    response = client_for(recruiter).post(url("requisitions:plan-create", requisition))

    assert flashed(response) == ["Plan laid out: 1 milestone. Adjust the dates with the manager."]


def test_changing_a_milestone(requisition, recruiter) -> None:
    services.plan_create(actor=recruiter, requisition=requisition)
    offer = requisition.milestones.get(kind=MilestoneKind.OFFER)
    prefix = offer.public_id

    response = client_for(recruiter).post(
        url("requisitions:milestone-update", requisition, offer.public_id),
        {f"{prefix}-owner": Owner.RECRUITER, f"{prefix}-due_on": "2031-02-03"},
    )

    assert flashed(response) == ["Milestone saved."]
    offer.refresh_from_db()
    assert (offer.owner, str(offer.due_on), offer.done_on) == (Owner.RECRUITER, "2031-02-03", None)


def test_a_milestone_of_another_requisition_is_a_404(requisition, recruiter, workspace) -> None:
    other = RequisitionFactory(workspace=workspace, recruiter=recruiter)
    services.plan_create(actor=recruiter, requisition=other)
    foreign = other.milestones.first()

    response = client_for(recruiter).post(
        url("requisitions:milestone-update", requisition, foreign.public_id),
        {
            f"{foreign.public_id}-owner": Owner.RECRUITER,
            f"{foreign.public_id}-due_on": "2031-02-03",
        },
    )

    assert response.status_code == 404
    assert Milestone.objects.get(pk=foreign.pk).due_on == foreign.due_on


def test_scheduling_the_kickoff_in_my_time_zone(
    requisition, recruiter, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    assert recruiter.user.time_zone == "Europe/London"

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recruiter).post(
            url("requisitions:kickoff", requisition),
            {"starts_at": "2099-06-01 10:00", "duration_minutes": "30", "where": "Room 4"},
        )

    assert flashed(response) == [
        "Kickoff invite sent to you and the hiring manager, with a calendar file."
    ]
    kickoff = Kickoff.objects.get()
    assert kickoff.starts_at == datetime(2099, 6, 1, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert len(mailoutbox) == 2


def test_a_kickoff_in_the_past_is_refused(requisition, recruiter, mailoutbox) -> None:
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")

    response = client_for(recruiter).post(
        url("requisitions:kickoff", requisition), {"starts_at": past, "duration_minutes": "45"}
    )

    assert flashed(response) == ["Choose a time in the future."]
    assert Kickoff.objects.count() == 0
    assert mailoutbox == []


def test_no_kickoff_invite_for_a_closed_requisition(
    requisition, recruiter, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    Requisition.objects.filter(pk=requisition.pk).update(status=Status.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recruiter).post(
            url("requisitions:kickoff", requisition),
            {"starts_at": "2099-06-01 10:00", "duration_minutes": "30"},
        )

    assert flashed(response) == ["This requisition is closed; there is no kickoff to hold."]
    assert Kickoff.objects.count() == 0
    assert mailoutbox == []


# --- bounded queries -------------------------------------------------------------------------

# Session, user and member; the page of requisitions with their recruiters, their managers and
# the managers' users; the status counts; the workspace switcher; and saving the session (3).
LIST_QUERY_BOUND = 11


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager"])
def test_the_list_runs_a_bounded_number_of_queries(
    request, persona, size, workspace, recruiter, hiring_manager, django_assert_max_num_queries
) -> None:
    for n in range(size):
        RequisitionFactory(
            workspace=workspace,
            recruiter=recruiter,
            hiring_managers=[hiring_manager, MemberFactory(workspace=workspace)],
            title=f"Role {n}",
            status=[Status.DRAFT, Status.INTAKE, Status.OPEN, Status.ON_HOLD][n % 4],
        )
    client = client_for(request.getfixturevalue(persona))

    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = client.get(list_url(workspace), {"status": "all"})

    assert len(titles(response)) == size
    results = text(response).split('<div id="results">')[1]
    assert results.count("Hugo Manager") == results.count("Rita Recruiter") == size


# Session, user and member; the requisition, its managers and its team; the brief versions; the
# milestones; the estimate's history; the kickoff; the workspace switcher; the history of events;
# saving the session (3); the pipeline's stage counts. Before any brief, one more: the manager's
# earlier intakes; and for the recruiting team, the lessons from working with the managers.
DETAIL_QUERY_BOUND = 17


@pytest.mark.parametrize(("size", "milestones"), [(3, 3), (40, 6)])
@pytest.mark.parametrize("persona", ["recruiter", "interviewer"])
def test_the_detail_page_runs_a_bounded_number_of_queries(
    request,
    persona,
    size,
    milestones,
    requisition,
    workspace,
    recruiter,
    django_assert_max_num_queries,
) -> None:
    services.plan_create(actor=recruiter, requisition=requisition)
    requisition.milestones.filter(
        pk__in=list(requisition.milestones.values_list("pk", flat=True)[milestones:])
    ).delete()
    people = [MemberFactory(workspace=workspace, role=Role.INTERVIEWER) for _ in range(size)]
    requisition.hiring_team.add(*people)
    requisition.hiring_managers.add(*people)
    now = timezone.now()
    BriefVersion.objects.bulk_create(
        BriefVersion(requisition=requisition, number=n + 1, signed_at=now) for n in range(size)
    )
    BriefVersionFactory(requisition=requisition, number=size + 1)
    RequisitionEvent.objects.bulk_create(
        RequisitionEvent(
            requisition=requisition, actor=people[n], from_status="draft", to_status="intake"
        )
        for n in range(size)
    )
    for n in range(size):  # a history of filled roles for the estimate
        RequisitionFactory(
            workspace=workspace,
            recruiter=recruiter,
            status=Status.FILLED,
            days_to_fill=30 + n,
            title=f"Backend Engineer {n}",
        )
    Kickoff.objects.create(
        requisition=requisition, starts_at=now + timedelta(days=1), organizer=recruiter
    )
    client = client_for(request.getfixturevalue(persona))

    with django_assert_max_num_queries(DETAIL_QUERY_BOUND):
        response = client.get(url("requisitions:detail", requisition))

    assert response.status_code == 200
    assert len(response.context["milestones"]) == milestones
    assert len(response.context["versions"]) == size + 1
    assert text(response).count("→ Intake") == min(size, 20)


@pytest.mark.parametrize("size", [3, 40])
def test_the_earlier_intakes_offered_are_bounded(
    size, requisition, workspace, recruiter, hiring_manager, django_assert_max_num_queries
) -> None:
    for n in range(size):
        earlier = RequisitionFactory(
            workspace=workspace,
            recruiter=recruiter,
            hiring_managers=[hiring_manager],
            title=f"Earlier role {n}",
        )
        BriefVersionFactory(requisition=earlier, number=1, signed_at=timezone.now())
    client = client_for(recruiter)

    with django_assert_max_num_queries(DETAIL_QUERY_BOUND + 1):
        response = client.get(url("requisitions:detail", requisition))

    assert len(response.context["previous"]) == min(size, 5)
    assert text(response).count('data-testid="carry-from"') == min(size, 5)


def test_the_detail_page_counts_candidates_per_stage(requisition, recruiter) -> None:
    client = client_for(recruiter)
    assert (
        b'data-testid="stage-counts"'
        not in client.get(url("requisitions:detail", requisition)).content
    )
    for _ in range(2):
        pipeline.application_create(
            actor=recruiter,
            candidate=CandidateFactory(workspace=requisition.workspace),
            requisition=requisition,
        )
    page = text(client.get(url("requisitions:detail", requisition)))
    counts = page.split('data-testid="stage-counts"')[1].split("</ul>")[0]
    assert '<span class="fw-semibold">2</span> Sourced' in counts
    assert "Withdrawn" not in counts  # empty closed stages are left out
