"""The status pages: bounded queries, who sees which roll-up, the narrative saved in place, and
the public share page."""

import pytest
from django.urls import reverse

from accord.reports import services
from accord.reports.models import ReportNote
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import MemberFactory
from tests.reports.conftest import History, build_history

pytestmark = pytest.mark.django_db


def page_url(history: History) -> str:
    r = history.requisition
    return reverse("reports:requisition", args=[r.workspace.slug, r.public_id])


def test_requisition_page_shows_the_report_in_bounded_queries(
    recruiter: Member, hiring_manager: Member, django_assert_max_num_queries
) -> None:
    small = build_history(recruiter, hiring_manager)
    client = client_for(recruiter)
    with django_assert_max_num_queries(32) as few:
        response = client.get(page_url(small))
    assert response.status_code == 200
    shown = response.content.decode()
    assert "Offer was due 14 Jun" in shown
    assert 'data-testid="chart-funnel"' in shown
    assert "<svg" in shown
    # Five times the candidates and commitments: the same queries.
    for _ in range(4):
        bigger = build_history(recruiter, hiring_manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(page_url(bigger)).status_code == 200


def test_manager_rollup_in_bounded_queries_and_private_to_its_manager(
    recruiter: Member, hiring_manager: Member, workspace, django_assert_max_num_queries
) -> None:
    build_history(recruiter, hiring_manager)
    url = reverse("reports:manager", args=[workspace.slug, hiring_manager.public_id])
    client = client_for(hiring_manager)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for _ in range(3):
        build_history(recruiter, hiring_manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-testid="rollup-row"') == 4

    other = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    assert client_for(other).get(url).status_code == 404
    # A manager's overview is their own roll-up.
    overview = client.get(reverse("reports:index", args=[workspace.slug]))
    assert overview["Location"] == url


def test_narrative_saves_in_place_and_a_stale_save_is_a_conflict(
    history: History, recruiter: Member, admin: Member
) -> None:
    r = history.requisition
    url = reverse("reports:note", args=[r.workspace.slug, r.public_id])
    saved = client_for(recruiter).post(
        url,
        {"narrative": "Offer out to A.", "next_steps": "", "revision": 0},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert "Saved." in saved.content.decode()

    stale = client_for(admin).post(
        url, {"narrative": "Mine", "next_steps": "", "revision": 0}, HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Offer out to A." in body
    assert "Mine" in body
    assert ReportNote.objects.get().narrative == "Offer out to A."

    too_long = client_for(recruiter).post(
        url, {"narrative": "x" * 5000, "next_steps": "", "revision": 1}, HTTP_HX_REQUEST="true"
    )
    assert too_long.status_code == 422
    assert ReportNote.objects.get().narrative == "Offer out to A."


def test_shared_page_is_read_only_without_an_account_until_revoked(
    history: History, recruiter: Member, client
) -> None:
    link = services.share_link_create(
        actor=recruiter, label="Dana Ruiz, VP Engineering", requisition=history.requisition
    )
    url = reverse("reports:shared", args=[services.share_token(link)])
    response = client.get(url)
    assert response.status_code == 200
    shown = response.content.decode()
    assert "Hiring status: Platform Engineer" in shown
    assert "Dana Ruiz, VP Engineering" in shown
    assert 'name="narrative"' not in shown
    assert "csrfmiddlewaretoken" not in shown
    assert response["X-Robots-Tag"] == "noindex, nofollow"

    services.share_link_revoke(actor=recruiter, link=link)
    gone = client.get(url)
    assert gone.status_code == 410
    assert "This link was revoked" in gone.content.decode()


def test_a_rollup_as_sent_and_the_overview_in_bounded_queries(
    recruiter: Member, hiring_manager: Member, workspace, django_assert_max_num_queries
) -> None:
    def sent_rollup_page(searches: int) -> int:
        while hiring_manager.requisitions_managed.count() < searches:
            build_history(recruiter, hiring_manager)
        for _ in range(2):  # a previous roll-up to compare with, then this one
            report = services.rollup_send(actor=recruiter, manager=hiring_manager)
        url = reverse("reports:snapshot", args=[workspace.slug, report.public_id])
        with django_assert_max_num_queries(30) as queries:
            response = client_for(hiring_manager).get(url)
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="report-section"') == searches
        return len(queries.captured_queries)

    assert sent_rollup_page(2) == sent_rollup_page(5)

    overview = reverse("reports:index", args=[workspace.slug])
    with django_assert_max_num_queries(40) as few:
        assert client_for(recruiter).get(overview).status_code == 200
    for _ in range(3):
        build_history(recruiter, hiring_manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client_for(recruiter).get(overview)
    assert response.content.decode().count('data-testid="status-row"') == 8


def test_the_shared_page_names_no_candidate_and_sets_no_cookie(
    history: History, recruiter: Member, client
) -> None:
    link = services.share_link_create(
        actor=recruiter, label="Dana", requisition=history.requisition
    )
    response = client.get(reverse("reports:shared", args=[services.share_token(link)]))
    shown = response.content.decode()
    assert "Candidate 4" in shown
    assert "Cand D" not in shown
    assert "150k" not in shown
    assert "csrftoken" not in response.cookies


def test_a_malformed_share_request_is_a_404_not_a_crash(
    history: History, recruiter: Member, workspace
) -> None:
    response = client_for(recruiter).post(
        reverse("reports:share-create", args=[workspace.slug]),
        {"requisition": "not-a-uuid", "label": "Dana", "days": "7"},
    )
    assert response.status_code == 404


def test_a_manager_who_only_interviews_for_a_search_does_not_read_its_report(
    history: History, workspace
) -> None:
    other = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    history.requisition.hiring_team.add(other)
    assert client_for(other).get(page_url(history)).status_code == 404


def test_the_live_page_does_not_query_per_hiring_manager(
    history: History, recruiter: Member, workspace, django_assert_max_num_queries
) -> None:
    client = client_for(recruiter)
    with django_assert_max_num_queries(40) as one:
        assert client.get(page_url(history)).status_code == 200
    for _ in range(3):
        history.requisition.hiring_managers.add(
            MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(page_url(history)).status_code == 200
