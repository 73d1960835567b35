"""The pipeline pages: board, columns, list, moving, bulk actions; who may see and do what."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.candidates.models import Candidate, Tag
from accord.pipeline import services
from accord.pipeline.models import Application, Reason, Stage, StageMove
from accord.workspaces.models import Role
from conftest import client_for
from tests.factories import CandidateFactory, MemberFactory, RequisitionFactory
from tests.pipeline.conftest import snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, requisition, *args: object) -> str:
    return reverse(name, args=[requisition.workspace.slug, requisition.public_id, *args])


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def text(response) -> str:
    return response.content.decode()


def card_names(html: str) -> list[str]:
    return re.findall(r'class="fw-semibold d-block text-truncate" href="[^"]*">([^<]+)</a>', html)


def fill(requisition, stages: list[Stage], n: int) -> list[Application]:
    """n applications spread over the stages, bulk-created; the k-th entered its stage k hours
    ago; every third candidate tagged."""
    workspace = requisition.workspace
    candidates = Candidate.objects.bulk_create(
        Candidate(workspace=workspace, name=f"Candidate {i:05d}", headline="Engineer")
        for i in range(n)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            workspace=workspace,
            candidate=c,
            requisition=requisition,
            stage=stages[i % len(stages)],
            stage_entered_at=now - timedelta(hours=i),
            must_met=i % 4,
            must_total=3,
            match_score=(i % 7) / 7,
        )
        for i, c in enumerate(candidates)
    )
    tag, _ = Tag.objects.get_or_create(workspace=workspace, name="Python")
    Candidate.tags.through.objects.bulk_create(
        Candidate.tags.through(candidate_id=c.pk, tag_id=tag.pk) for c in candidates[::3]
    )
    return applications


# --- the board ------------------------------------------------------------------------------------


def test_the_board_shows_columns_counts_and_cards(recruiter, requisition, stages) -> None:
    screen = stages["Screen"]
    ada = services.application_create(
        actor=recruiter,
        candidate=CandidateFactory(
            workspace=recruiter.workspace, name="Ada Lovelace", headline="Staff Engineer"
        ),
        requisition=requisition,
        stage=screen,
    )
    Application.objects.filter(pk=ada.pk).update(
        stage_entered_at=timezone.now() - timedelta(days=3, hours=2), must_met=3, must_total=4
    )
    ada.candidate.tags.add(Tag.objects.create(workspace=recruiter.workspace, name="Go"))

    response = client_for(recruiter).get(url("pipeline:board", requisition))

    assert response.status_code == 200
    columns = [column for column, _cards in response.context["columns"]]
    assert [c.stage.name for c in columns] == list(stages)
    assert {c.stage.name: c.count for c in columns if c.count} == {"Screen": 1}
    page = text(response)
    card = page[page.index(f'id="app-{ada.public_id}"') :]
    card = card[: card.index("</li>")]
    assert "Ada Lovelace" in card
    assert "Staff Engineer" in card
    assert ">3 d<" in card
    assert "Must-haves 3/4" in card
    assert ">Go<" in card
    assert 'data-testid="move-to"' in card  # the non-drag way to move
    assert f'href="{url("pipeline:move", requisition, ada.public_id)}"' in card
    assert 'name="applications"' in card
    assert 'id="bulk-form"' in page
    assert "Sortable.min.js" in page
    assert "board.js" in page
    assert "<script>" not in page
    assert " onclick=" not in page
    assert ' style="' not in page


def test_a_card_without_a_match_shows_no_number(recruiter, requisition, stages, application):
    page = text(client_for(recruiter).get(url("pipeline:board", requisition)))

    assert "Must-haves" not in page
    assert "score" not in page.lower()


def test_closed_columns_start_collapsed_and_load_when_opened(
    recruiter, requisition, stages, application
) -> None:
    services.application_move(
        actor=recruiter,
        application=application,
        to_stage=stages["Rejected"],
        reason=Reason.EXPERIENCE,
    )
    client = client_for(recruiter)

    response = client.get(url("pipeline:board", requisition))

    rejected = next(c for c, _ in response.context["columns"] if c.stage.name == "Rejected")
    assert (rejected.count, rejected.cards, rejected.loaded) == (1, [], False)
    assert "Grace Hopper" not in card_names(text(response))
    opened = client.get(url("pipeline:column", requisition, stages["Rejected"].public_id))
    assert card_names(text(opened)) == ["Grace Hopper"]
    assert "Not enough relevant experience" in text(opened)


def test_show_more_pages_through_a_column_oldest_in_stage_first(
    recruiter, requisition, stages
) -> None:
    fill(requisition, [stages["Screen"]], 65)
    client = client_for(recruiter)

    board = client.get(url("pipeline:board", requisition))
    screen = next(c for c, _ in board.context["columns"] if c.stage.name == "Screen")
    seen = [a.candidate.name for a in screen.cards]
    assert len(seen) == 30
    assert screen.more
    cursor = screen.cursor
    while cursor:
        page = client.get(
            url("pipeline:column", requisition, stages["Screen"].public_id), {"after": cursor}
        )
        col = page.context["col"]
        seen += [a.candidate.name for a in col.cards]
        cursor = col.cursor if col.more else ""
        assert ('data-testid="show-more"' in text(page)) == col.more

    # Candidate k entered k hours ago, so the oldest in stage is the last created.
    assert seen == [f"Candidate {i:05d}" for i in reversed(range(65))]


def test_a_garbled_cursor_starts_the_column_again(recruiter, requisition, stages) -> None:
    fill(requisition, [stages["Screen"]], 3)

    response = client_for(recruiter).get(
        url("pipeline:column", requisition, stages["Screen"].public_id), {"after": "nonsense~x"}
    )

    assert len(card_names(text(response))) == 3


def test_an_empty_board_says_what_to_do(recruiter, requisition) -> None:
    page = text(client_for(recruiter).get(url("pipeline:board", requisition)))

    assert "No candidates in this pipeline yet" in page
    assert "import resumes into this requisition" in page


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer"])
def test_managers_and_interviewers_on_the_requisition_see_a_read_only_board(
    request, role, recruiter, requisition, stages, application
) -> None:
    member = request.getfixturevalue(role)

    response = client_for(member).get(url("pipeline:board", requisition))

    assert response.status_code == 200
    page = text(response)
    assert "Grace Hopper" in page
    assert 'data-testid="move-to"' not in page
    assert 'name="applications"' not in page
    assert 'id="bulk-form"' not in page
    assert "data-can-move" not in page
    listed = client_for(member).get(url("pipeline:list", requisition))
    assert listed.status_code == 200
    assert "Move to…" not in text(listed)


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_people_not_on_the_requisition_get_404(role, workspace, requisition, stages) -> None:
    stranger = MemberFactory(workspace=workspace, role=role)
    client = client_for(stranger)

    for name in ("pipeline:board", "pipeline:list"):
        assert client.get(url(name, requisition)).status_code == 404
    column = url("pipeline:column", requisition, stages["Screen"].public_id)
    assert client.get(column).status_code == 404


def test_another_workspace_sees_nothing(outsider, requisition, stages, application) -> None:
    client = client_for(outsider)
    theirs = RequisitionFactory(workspace=outsider.workspace)
    ours_in_their_url = reverse(
        "pipeline:board", args=[outsider.workspace.slug, requisition.public_id]
    )

    assert client.get(url("pipeline:board", requisition)).status_code == 404
    assert client.get(ours_in_their_url).status_code == 404
    our_stage = reverse(
        "pipeline:column",
        args=[outsider.workspace.slug, theirs.public_id, stages["Screen"].public_id],
    )
    assert client.get(our_stage).status_code == 404
    our_application = reverse(
        "pipeline:move", args=[outsider.workspace.slug, theirs.public_id, application.public_id]
    )
    before = snapshot()
    assert client.post(our_application, {"to_stage": stages["Screen"].public_id}).status_code == 404
    assert snapshot() == before


# --- moving one application -----------------------------------------------------------------------


def test_the_move_form_lists_the_other_stages_and_the_reasons(
    recruiter, requisition, stages, application
) -> None:
    response = client_for(recruiter).get(
        url("pipeline:move", requisition, application.public_id), **HTMX
    )

    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page  # the dialog's fragment
    assert "Move Grace Hopper" in page
    assert f'value="{stages["Sourced"].public_id}"' not in page
    assert f'value="{stages["Rejected"].public_id}"' in page
    assert "Rejected because…" in page
    assert "Withdrew because…" in page


def test_a_move_without_htmx_redirects_to_the_board_with_a_message(
    recruiter, requisition, stages, application
) -> None:
    response = client_for(recruiter).post(
        url("pipeline:move", requisition, application.public_id),
        {"to_stage": stages["Screen"].public_id, "revision": 1},
    )

    assert response.status_code == 302
    assert response["Location"] == url("pipeline:board", requisition)
    assert flashed(response) == ["Grace Hopper moved to Screen."]
    application.refresh_from_db()
    assert application.stage == stages["Screen"]


def test_a_move_from_the_list_goes_back_to_the_list(
    recruiter, requisition, stages, application
) -> None:
    response = client_for(recruiter).post(
        url("pipeline:move", requisition, application.public_id),
        {"to_stage": stages["Screen"].public_id, "back": "list"},
    )

    assert response["Location"] == url("pipeline:list", requisition)


def test_a_move_with_htmx_sends_the_card_and_counts_back(
    recruiter, requisition, stages, application
) -> None:
    response = client_for(recruiter).post(
        url("pipeline:move", requisition, application.public_id),
        {"to_stage": stages["Screen"].public_id, "revision": 1},
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "pipeline-moved"
    page = text(response)
    assert f'id="app-{application.public_id}" data-stage="{stages["Screen"].public_id}"' in page
    assert 'data-revision="2"' in page
    assert (
        f'id="count-{stages["Screen"].public_id}" data-testid="count" hx-swap-oob="true">1<' in page
    )
    assert (
        f'id="count-{stages["Sourced"].public_id}" data-testid="count" hx-swap-oob="true">0<'
        in page
    )
    assert "Grace Hopper moved to Screen." in page


def test_a_rejection_without_a_reason_is_refused_with_the_form(
    recruiter, requisition, stages, application
) -> None:
    before = snapshot()

    response = client_for(recruiter).post(
        url("pipeline:move", requisition, application.public_id),
        {"to_stage": stages["Rejected"].public_id, "revision": 1},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Choose why the candidate is rejected" in text(response)
    assert 'data-testid="move-form"' in text(response)
    assert snapshot() == before


def test_a_stale_move_is_a_conflict_that_says_where_the_candidate_is(
    recruiter, admin, requisition, stages, application
) -> None:
    services.application_move(actor=admin, application=application, to_stage=stages["Offer"])
    before = snapshot()

    response = client_for(recruiter).post(
        url("pipeline:move", requisition, application.public_id),
        {"to_stage": stages["Screen"].public_id, "revision": 1},
        **HTMX,
    )

    assert response.status_code == 409
    page = text(response)
    assert "Someone moved Grace Hopper meanwhile: they are now in Offer." in page
    assert 'name="revision" value="2"' in page  # choosing again moves from the current state
    assert f'data-stage="{stages["Offer"].public_id}"' in page  # the card goes where it is
    assert snapshot() == before


def test_a_stage_of_another_requisition_is_not_a_choice(
    recruiter, requisition, stages, application
) -> None:
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    elsewhere = services.stages_for(other)[1]
    before = snapshot()

    response = client_for(recruiter).post(
        url("pipeline:move", requisition, application.public_id),
        {"to_stage": elsewhere.public_id},
    )

    assert response.status_code == 422
    assert snapshot() == before


def test_an_application_of_another_requisition_is_404(recruiter, requisition, stages) -> None:
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    services.stages_for(other)
    theirs = services.application_create(
        actor=recruiter,
        candidate=CandidateFactory(workspace=recruiter.workspace),
        requisition=other,
    )

    response = client_for(recruiter).get(url("pipeline:move", requisition, theirs.public_id))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer"])
def test_managers_and_interviewers_cannot_move(
    request, role, requisition, stages, application
) -> None:
    client = client_for(request.getfixturevalue(role))
    before = snapshot()

    move = url("pipeline:move", requisition, application.public_id)
    assert client.post(move, {"to_stage": stages["Screen"].public_id}).status_code == 403
    bulk = client.post(
        url("pipeline:bulk", requisition),
        {
            "action": "move",
            "to_stage": stages["Screen"].public_id,
            "applications": [application.public_id],
        },
    )
    assert bulk.status_code == 403
    assert snapshot() == before


# --- bulk -----------------------------------------------------------------------------------------


def test_a_bulk_move_reports_what_it_did_and_skipped(recruiter, requisition, stages) -> None:
    sourced = fill(requisition, [stages["Sourced"]], 3)
    screened = fill(requisition, [stages["Screen"]], 1)
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    foreign = fill(other, services.stages_for(other), 1)

    response = client_for(recruiter).post(
        url("pipeline:bulk", requisition),
        {
            "action": "move",
            "to_stage": stages["Screen"].public_id,
            "applications": [a.public_id for a in [*sourced, *screened, *foreign]] + ["junk"],
            "back": "board",
        },
    )

    assert response["Location"] == url("pipeline:board", requisition)
    assert flashed(response) == [
        "3 applications moved to Screen. Skipped: 1 already in Screen. "
        "1 selected were not found in this requisition."
    ]
    assert Application.objects.filter(stage=stages["Screen"]).count() == 4
    assert Application.objects.get(pk=foreign[0].pk).stage.requisition == other


def test_a_bulk_reject_goes_to_the_rejected_stage_with_the_reason(
    recruiter, requisition, stages
) -> None:
    applications = fill(requisition, [stages["Screen"]], 2)

    response = client_for(recruiter).post(
        url("pipeline:bulk", requisition),
        {
            "action": "reject",
            "reason": Reason.STRONGER,
            "note": "Went with the referral",
            "applications": [a.public_id for a in applications],
            "back": "list",
            "back_query": "stage=x&sort=name&evil=https://example.com",
        },
    )

    assert response["Location"] == url("pipeline:list", requisition) + "?stage=x&sort=name"
    assert set(Application.objects.values_list("stage", "reason", "reason_note")) == {
        (stages["Rejected"].pk, "stronger", "Went with the referral")
    }
    assert StageMove.objects.filter(to_stage=stages["Rejected"]).count() == 2


def test_a_bulk_reject_without_a_reason_changes_nothing(recruiter, requisition, stages) -> None:
    applications = fill(requisition, [stages["Screen"]], 2)
    before = snapshot()

    response = client_for(recruiter).post(
        url("pipeline:bulk", requisition),
        {"action": "reject", "applications": [a.public_id for a in applications]},
    )

    assert flashed(response) == ["Choose why they are rejected."]
    assert snapshot() == before


def test_bulk_tagging(recruiter, requisition, stages) -> None:
    applications = fill(requisition, [stages["Screen"]], 3)  # the first is tagged Python

    response = client_for(recruiter).post(
        url("pipeline:bulk", requisition),
        {
            "action": "tag",
            "tags": "python, Remote",
            "applications": [a.public_id for a in applications],
        },
    )

    assert flashed(response) == ["3 applications tagged."]
    for application in applications:
        names = sorted(application.candidate.tags.values_list("name", flat=True))
        assert names == ["Python", "Remote"]


def test_a_bulk_action_with_nothing_selected_says_so(recruiter, requisition, stages) -> None:
    response = client_for(recruiter).post(
        url("pipeline:bulk", requisition),
        {"action": "move", "to_stage": stages["Screen"].public_id},
    )

    assert flashed(response) == ["Select at least one application first."]


# --- the list -------------------------------------------------------------------------------------


def test_the_list_filters_by_stage_and_tag_and_sorts(recruiter, requisition, stages) -> None:
    fill(requisition, [stages["Sourced"], stages["Screen"]], 12)
    client = client_for(recruiter)
    base = url("pipeline:list", requisition)

    everyone = client.get(base)
    assert everyone.context["page"].paginator.count == 12
    assert "12 applications" in text(everyone)

    screen = client.get(base, {"stage": stages["Screen"].public_id, "sort": "name"})
    names = [a.candidate.name for a in screen.context["page"]]
    assert names == [f"Candidate {i:05d}" for i in range(1, 12, 2)]

    tagged = client.get(base, {"tag": "Python", "sort": "-time"})
    assert [a.candidate.name for a in tagged.context["page"]] == [
        f"Candidate {i:05d}" for i in range(0, 12, 3)
    ]

    best = client.get(base, {"sort": "match"})
    scores = [a.match_score for a in best.context["page"]]
    assert scores == sorted(scores, reverse=True)

    nobody = client.get(base, {"tag": "Nonexistent"})
    assert nobody.context["page"].paginator.count == 12  # an unknown tag is no filter


def test_the_list_paginates_and_keeps_the_filters(recruiter, requisition, stages) -> None:
    fill(requisition, [stages["Screen"]], 120)
    client = client_for(recruiter)

    first = client.get(url("pipeline:list", requisition), {"sort": "name"})
    assert len(first.context["page"].object_list) == 50
    assert "?sort=name&amp;page=2" in text(first)
    last = client.get(url("pipeline:list", requisition), {"sort": "name", "page": 3})
    assert [a.candidate.name for a in last.context["page"]][-1] == "Candidate 00119"


def test_an_empty_filter_result_says_how_to_widen_it(recruiter, requisition, stages) -> None:
    fill(requisition, [stages["Screen"]], 2)

    response = client_for(recruiter).get(
        url("pipeline:list", requisition), {"stage": stages["Offer"].public_id}
    )

    assert "No application matches these filters" in text(response)


# --- bounded queries at size ----------------------------------------------------------------------


def queries(client, path: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {})
    assert response.status_code == 200
    return len(captured)


def test_pages_run_the_same_few_queries_with_5000_applications(
    recruiter, hiring_manager, requisition, stages
) -> None:
    stage_list = list(stages.values())
    client = client_for(recruiter)
    screen = stages["Screen"].public_id
    pages = {
        "board": (url("pipeline:board", requisition), None),
        "list": (url("pipeline:list", requisition), {"sort": "match", "tag": "Python"}),
        "column": (url("pipeline:column", requisition, screen), None),
        "stages": (url("pipeline:stages", requisition), None),
    }
    fill(requisition, stage_list, 20)
    small = {name: queries(client, *page) for name, page in pages.items()}

    fill(requisition, stage_list, 5000)
    large = {name: queries(client, *page) for name, page in pages.items()}

    assert large == small
    assert max(large.values()) <= 16, large
    board = client.get(url("pipeline:board", requisition))
    assert sum(c.count for c, _ in board.context["columns"]) == 5020
    assert all(len(cards) <= 30 for _, cards in board.context["columns"])
    assert queries(client_for(hiring_manager), url("pipeline:board", requisition)) <= 16


def test_the_requisition_page_links_to_its_pipeline(interviewer, requisition) -> None:
    response = client_for(interviewer).get(
        reverse("requisitions:detail", args=[requisition.workspace.slug, requisition.public_id])
    )

    assert f'href="{url("pipeline:board", requisition)}"' in text(response)
    assert f'href="{url("pipeline:list", requisition)}"' in text(response)
