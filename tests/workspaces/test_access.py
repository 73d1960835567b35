"""Access control for every URL: declared policies, the outsider rule and the role matrix.

These tests walk the whole URL configuration, so a new view fails them until it declares who
may use it and its URL is added to `EXAMPLES` below.
"""

from collections.abc import Callable, Iterator

import pytest
from django.core import serializers
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accord.audit.models import AuditEntry
from accord.people.models import User
from accord.workspaces import services
from accord.workspaces.models import Invitation, Member, Role, Workspace
from conftest import client_for

ROLES = [Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER]
ALL = frozenset(ROLES)

# Who may use each workspace URL, stated independently of accord.workspaces.access.
EXPECTED: dict[str, frozenset[str]] = {
    "dashboard:workspace": ALL,
    "workspaces:members": frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}),
    "workspaces:invite": frozenset({Role.ADMIN, Role.RECRUITER}),
    "workspaces:invitation-resend": frozenset({Role.ADMIN, Role.RECRUITER}),
    "workspaces:invitation-revoke": frozenset({Role.ADMIN, Role.RECRUITER}),
    "workspaces:member-role": frozenset({Role.ADMIN}),
    "workspaces:member-deactivate": frozenset({Role.ADMIN}),
    "workspaces:member-reactivate": frozenset({Role.ADMIN}),
    "workspaces:settings": frozenset({Role.ADMIN}),
    "audit:log": frozenset({Role.ADMIN}),
}
POST_ONLY = {
    "workspaces:invite",
    "workspaces:invitation-resend",
    "workspaces:invitation-revoke",
    "workspaces:member-role",
    "workspaces:member-reactivate",
}
NOT_WORKSPACE_SCOPED = {
    "dashboard:home",
    "people:login",
    "people:logout",
    "people:password-reset",
    "people:password-reset-sent",
    "people:password-reset-confirm",
    "people:password-reset-complete",
    "people:account",
    "people:password-change",
    "workspaces:list",
    "workspaces:create",
    "workspaces:invitation-accept",
    "healthz",
}


def walk(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> Iterator[tuple[str, Callable[..., object]]]:
    """(namespaced name, view) for every URL of the app, Django's own admin excepted."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            prefix = f"{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix)
        else:
            yield f"{namespace}{entry.name}", entry.callback


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = [name for name, view in walk() if not hasattr(view, "access_policy")]
    assert undeclared == []


def test_every_url_is_known_to_these_tests() -> None:
    names = {name for name, _ in walk()}
    assert names == set(EXPECTED) | NOT_WORKSPACE_SCOPED


def test_workspace_urls_require_membership_and_the_expected_permission() -> None:
    for name, view in walk():
        policy = view.access_policy  # type: ignore[attr-defined]
        assert (policy.kind == "member") == (name in EXPECTED), name


@pytest.fixture
def scene(admin: Member, recruiter: Member, hiring_manager: Member, interviewer: Member):
    """A workspace with one of each role, a pending invitation and a deactivated member."""
    invitation = services.invitation_create(
        actor=admin, email="pending@example.com", role=Role.INTERVIEWER
    )
    former = Member.objects.create(
        workspace=admin.workspace,
        user=User.objects.create_user("former@example.com", "x", display_name="Former"),
        role=Role.INTERVIEWER,
        is_active=False,
    )
    return {
        Role.ADMIN: admin,
        Role.RECRUITER: recruiter,
        Role.HIRING_MANAGER: hiring_manager,
        Role.INTERVIEWER: interviewer,
        "invitation": invitation,
        "former": former,
    }


def url_for(name: str, workspace: Workspace, scene: dict) -> str:
    kwargs: dict[str, object] = {"workspace_slug": workspace.slug}
    if name.startswith("workspaces:invitation-"):
        kwargs["public_id"] = scene["invitation"].public_id
    elif name == "workspaces:member-reactivate":
        kwargs["public_id"] = scene["former"].public_id
    elif name.startswith("workspaces:member-"):
        kwargs["public_id"] = scene[Role.INTERVIEWER].public_id
    return reverse(name, kwargs=kwargs)


POST_DATA = {
    "workspaces:invite": {"email": "new@example.com", "role": Role.INTERVIEWER},
    "workspaces:member-role": {"role": Role.HIRING_MANAGER},
    "workspaces:settings": {"name": "Renamed", "time_zone": "UTC"},
}


def snapshot() -> str:
    """Every row a workspace URL could change, serialised, to prove nothing changed."""
    rows = [
        *Workspace.objects.order_by("pk"),
        *Member.objects.order_by("pk"),
        *Invitation.objects.order_by("pk"),
        *User.objects.order_by("pk"),
        *AuditEntry.objects.order_by("pk"),
    ]
    return serializers.serialize("json", rows)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outsider_gets_404_and_changes_nothing(name: str, scene: dict, outsider: Member) -> None:
    url = url_for(name, scene[Role.ADMIN].workspace, scene)
    client = client_for(outsider)
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(url, POST_DATA.get(name, {}))
        assert response.status_code == 404, (method, url)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anonymous_is_sent_to_sign_in(name: str, scene: dict) -> None:
    url = url_for(name, scene[Role.ADMIN].workspace, scene)
    before = snapshot()
    response = Client().post(url, POST_DATA.get(name, {}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_matrix(name: str, role: str, scene: dict) -> None:
    actor = scene[role]
    url = url_for(name, actor.workspace, scene)
    client = client_for(actor)
    method = "post" if name in POST_ONLY else "get"
    before = snapshot()
    response = getattr(client, method)(url, POST_DATA.get(name, {}))
    if role in EXPECTED[name]:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403
        assert snapshot() == before
        # A refused POST is refused the same way, and still changes nothing.
        assert client.post(url, POST_DATA.get(name, {})).status_code == 403
        assert snapshot() == before


def test_deactivated_member_loses_access_at_once(scene: dict) -> None:
    interviewer = scene[Role.INTERVIEWER]
    client = client_for(interviewer)
    home = reverse("dashboard:workspace", args=[interviewer.workspace.slug])
    assert client.get(home).status_code == 200
    services.member_deactivate(actor=scene[Role.ADMIN], member=interviewer)
    assert client.get(home).status_code == 404
