"""`accord demo`: builds the people of demo/data.py, and running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accord.audit.models import AuditEntry
from accord.demo import data
from accord.people.models import User
from accord.workspaces.models import Invitation, Member, Workspace

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def state() -> dict[str, object]:
    return {
        "users": sorted(User.objects.values_list("email", "display_name", "time_zone")),
        "members": sorted(
            Member.objects.values_list("workspace__slug", "user__email", "role", "is_active")
        ),
        "invitations": sorted(
            Invitation.objects.values_list(
                "workspace__slug", "email", "role", "expires_at", "revoked_at", "accepted_at"
            )
        ),
        "workspaces": sorted(Workspace.objects.values_list("slug", "name", "time_zone")),
        "audit": AuditEntry.objects.count(),
    }


def test_demo_twice_is_idempotent():
    demo()
    first = state()

    demo()

    assert state() == first
    assert (User.objects.count(), Member.objects.count()) == (10, 11)
    assert (Invitation.objects.count(), Workspace.objects.count()) == (1, 2)


def test_demo_builds_the_listed_people_with_their_roles():
    demo()

    for (name, slug, time_zone), people in [
        (data.NORTHWIND, data.NORTHWIND_PEOPLE),
        (data.GLOBEX, data.GLOBEX_PEOPLE),
    ]:
        workspace = Workspace.objects.get(slug=slug)
        assert (workspace.name, workspace.time_zone) == (name, time_zone)
        assert sorted(
            Member.objects.filter(workspace=workspace).values_list(
                "user__email", "user__display_name", "role", "is_active"
            )
        ) == sorted((p.email, p.name, p.role, True) for p in people)

    for person in data.logins():
        user = User.objects.get(email=person.email)
        assert (user.display_name, user.time_zone) == (person.name, person.time_zone)
        assert user.check_password(data.PASSWORD)


def test_riya_is_in_both_workspaces_with_different_roles():
    demo()
    assert sorted(
        Member.objects.filter(user__email="riya@northwind.example").values_list(
            "workspace__slug", "role"
        )
    ) == [("globex", "admin"), ("northwind", "recruiter")]


def test_demo_invites_the_listed_people():
    demo()
    northwind = Workspace.objects.get(slug="northwind")
    assert sorted(
        Invitation.objects.pending().filter(workspace=northwind).values_list("email", "role")
    ) == sorted(data.NORTHWIND_INVITED)
    invitation = Invitation.objects.get()
    assert invitation.invited_by.user.email == "admin@northwind.example"


def test_demo_records_each_member_in_the_audit_log():
    demo()
    assert AuditEntry.objects.filter(action="member.added").count() == Member.objects.count()
    assert AuditEntry.objects.filter(action="invitation.created").count() == 1
    assert not AuditEntry.objects.filter(action="member.added", actor__isnull=False).exists()


def test_demo_completes_a_partly_built_demo():
    demo()
    Member.objects.filter(user__email="tom@northwind.example").delete()
    User.objects.filter(email="jules@globex.example").delete()

    demo()

    assert Member.objects.filter(user__email="tom@northwind.example").count() == 1
    assert Member.objects.get(user__email="jules@globex.example").workspace.slug == "globex"
    assert (User.objects.count(), Member.objects.count()) == (10, 11)


def test_demo_prints_how_to_sign_in():
    out = demo()
    assert "Demo workspaces ready: Northwind Labs, Globex Search Partners" in out
    assert "with password 'accord-demo'" in out
    for person in data.logins():
        assert person.email in out
    assert out.count("riya@northwind.example") == 1


def test_a_demo_account_can_sign_in():
    demo()
    client = Client()
    response = client.post(
        "/login/", {"username": "hannah@northwind.example", "password": data.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/w/northwind/").status_code == 200
    assert client.get("/w/globex/").status_code == 404
