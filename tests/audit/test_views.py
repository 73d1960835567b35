"""The workspace audit log page: who sees it, filters, pages, and a bounded number of queries."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from accord.audit.models import AuditEntry
from accord.audit.views import PAGE_SIZE
from accord.workspaces import services
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

URL = "/w/acme/audit/"


def entry(workspace, actor=None, action="member.added", when=None, **fields):
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=actor,
        actor_name=str(actor) if actor else "",
        action=action,
        object_type="workspaces.member",
        object_id=fields.pop("object_id", "x"),
        object_repr=fields.pop("object_repr", "Someone"),
        created_at=when or datetime(2026, 3, 10, 12, tzinfo=UTC),
        **fields,
    )


def shown(response) -> list[str]:
    """The object column of each row, in page order."""
    rows = re.findall(
        r'<tr data-testid="audit-entry">(.*?)</tr>', response.content.decode(), flags=re.S
    )
    return [re.findall(r'data-label="Object">(.*?)</td>', row, flags=re.S)[0] for row in rows]


def test_admin_sees_what_happened(admin, recruiter):
    services.member_change_role(actor=admin, member=recruiter, role=Role.HIRING_MANAGER)

    response = client_for(admin).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert shown(response) == ["Rita Recruiter"]
    assert 'data-label="What">Role changed</td>' in page
    assert 'data-label="Who">Ada Admin</td>' in page
    assert "role: recruiter → hiring_manager" in page


def test_entries_of_other_workspaces_stay_out(admin, outsider):
    entry(admin.workspace, object_repr="Ours")
    entry(outsider.workspace, object_repr="Theirs")
    entry(None, object_repr="Nobody's")

    assert shown(client_for(admin).get(URL)) == ["Ours"]


def test_newest_first(admin):
    entry(admin.workspace, object_repr="Older", when=datetime(2026, 3, 1, 9, tzinfo=UTC))
    entry(admin.workspace, object_repr="Newer", when=datetime(2026, 3, 2, 9, tzinfo=UTC))

    assert shown(client_for(admin).get(URL)) == ["Newer", "Older"]


def test_filter_by_action(admin):
    entry(admin.workspace, action="member.added", object_repr="Added")
    entry(admin.workspace, action="invitation.created", object_repr="Invited")
    entry(admin.workspace, action="member.deactivated", object_repr="Gone")

    response = client_for(admin).get(URL, {"action": "invitation.created"})

    assert shown(response) == ["Invited"]


def test_filter_by_actor(admin, recruiter, outsider):
    entry(admin.workspace, actor=admin.user, object_repr="By Ada")
    entry(admin.workspace, actor=recruiter.user, object_repr="By Rita")
    entry(admin.workspace, actor=None, object_repr="By the system")

    response = client_for(admin).get(URL, {"actor": str(recruiter.public_id)})

    assert shown(response) == ["By Rita"]


def test_filtering_by_a_member_of_another_workspace_is_ignored_as_invalid(admin, outsider):
    entry(admin.workspace, actor=admin.user, object_repr="By Ada")

    response = client_for(admin).get(URL, {"actor": str(outsider.public_id)})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert shown(response) == ["By Ada"]


def test_filter_by_date_range_includes_both_ends(admin):
    for day in (9, 10, 11, 12, 13):
        entry(
            admin.workspace, object_repr=f"March {day}", when=datetime(2026, 3, day, 12, tzinfo=UTC)
        )

    response = client_for(admin).get(URL, {"since": "2026-03-10", "until": "2026-03-12"})

    assert shown(response) == ["March 12", "March 11", "March 10"]


def test_dates_are_the_viewers_own_days(admin):
    # Ada's time zone is Europe/London (UTC+1 in summer): 23:30 UTC on 1 July is 2 July for her.
    entry(admin.workspace, object_repr="Late", when=datetime(2026, 7, 1, 23, 30, tzinfo=UTC))

    client = client_for(admin)
    assert shown(client.get(URL, {"since": "2026-07-02", "until": "2026-07-02"})) == ["Late"]
    assert shown(client.get(URL, {"until": "2026-07-01"})) == []


def test_filters_combine(admin, recruiter):
    entry(admin.workspace, actor=recruiter.user, action="invitation.created", object_repr="Hit")
    entry(admin.workspace, actor=recruiter.user, action="member.added", object_repr="Wrong action")
    entry(admin.workspace, actor=admin.user, action="invitation.created", object_repr="Wrong actor")
    entry(
        admin.workspace,
        actor=recruiter.user,
        action="invitation.created",
        object_repr="Too early",
        when=datetime(2026, 1, 1, 12, tzinfo=UTC),
    )

    response = client_for(admin).get(
        URL,
        {
            "actor": str(recruiter.public_id),
            "action": "invitation.created",
            "since": "2026-03-01",
        },
    )

    assert shown(response) == ["Hit"]


def test_no_match_explains(admin):
    entry(admin.workspace)
    response = client_for(admin).get(URL, {"action": "workspace.updated"})
    assert "No changes match these filters." in response.content.decode()


def test_pagination(admin):
    total = PAGE_SIZE * 2 + 7
    for n in range(total):
        entry(
            admin.workspace,
            object_repr=f"Entry {n:03}",
            when=datetime(2026, 3, 1, tzinfo=UTC).replace(minute=n % 60, hour=n // 60),
        )
    client = client_for(admin)

    first = client.get(URL, {"action": "member.added"})
    last = client.get(URL, {"action": "member.added", "page": 3})
    beyond = client.get(URL, {"action": "member.added", "page": 99})

    assert shown(first) == [f"Entry {n:03}" for n in range(total - 1, total - 1 - PAGE_SIZE, -1)]
    assert "Page 1 of 3" in first.content.decode()
    assert 'href="?action=member.added&page=2"' in first.content.decode()
    assert shown(last) == [f"Entry {n:03}" for n in range(6, -1, -1)]
    assert "Page 3 of 3" in last.content.decode()
    assert "page=4" not in last.content.decode()
    assert shown(beyond) == shown(last)
    every = []
    for page in (1, 2, 3):
        every += shown(client.get(URL, {"page": page}))
    assert sorted(every) == sorted(f"Entry {n:03}" for n in range(total))


def test_htmx_gets_only_the_results(admin):
    entry(admin.workspace, object_repr="One")
    response = client_for(admin).get(URL, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="results">')
    assert "<html" not in page
    assert shown(response) == ["One"]


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager", "interviewer"])
def test_only_admins_see_the_log(request, persona, admin):
    entry(admin.workspace)
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 403
    assert "Someone" not in response.content.decode()


def test_outsider_gets_404(admin, outsider):
    entry(admin.workspace)
    assert client_for(outsider).get(URL).status_code == 404


def test_a_deactivated_admin_gets_404(admin, workspace):
    other = MemberFactory(workspace=workspace, role=Role.ADMIN)
    services.member_deactivate(actor=other, member=admin)
    assert client_for(admin).get(URL).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(workspace):
    response = Client().get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={URL}")


# Session, user, member, the chosen actor, the entry count, the page of entries, the filter's
# list of people, the workspace switcher, and saving the session (3): however long the log is.
QUERY_BOUND = 11


@pytest.mark.parametrize(("entries", "people"), [(5, 1), (200, 25)])
def test_the_number_of_queries_does_not_grow_with_the_log(
    admin, workspace, entries, people, django_assert_max_num_queries
):
    actors = [admin.user] + [
        MemberFactory(workspace=workspace, role=Role.INTERVIEWER).user for _ in range(people)
    ]
    for n in range(entries):
        entry(
            workspace,
            actor=actors[n % len(actors)],
            object_repr=f"Entry {n}",
            changes={"role": ["recruiter", "admin"]},
        )
    client = client_for(admin)

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(URL)
    assert len(shown(response)) == min(entries, PAGE_SIZE)
    assert response.content.decode().count("<option value=") >= people + 1

    someone = str(Member.objects.order_by("id").last().public_id)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(URL, {"actor": someone, "page": 2})
    assert response.status_code == 200
