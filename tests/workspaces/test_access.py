"""Access control for every URL: declared policies, the outsider rule and the role matrix.

These tests walk the whole URL configuration, so a new view fails them until it declares who
may use it and its URL is added to `EXPECTED` or `NOT_WORKSPACE_SCOPED` below.
"""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import serializers
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs import services as brief_services
from accord.briefs.models import (
    BriefLink,
    BriefVersion,
    Channel,
    Criterion,
    Frequency,
    GlossaryTerm,
    InterviewStage,
    Kind,
    Signature,
    VagueTerm,
)
from accord.people.models import User
from accord.requisitions import services as requisition_services
from accord.requisitions.models import (
    Kickoff,
    Milestone,
    Owner,
    Requisition,
    RequisitionEvent,
    Status,
)
from accord.workspaces import services
from accord.workspaces.models import Invitation, Member, Role, Workspace
from conftest import client_for
from tests.factories import BriefVersionFactory, CriterionFactory, RequisitionFactory

ROLES = [Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER]
ALL = frozenset(ROLES)
STAFF = frozenset({Role.ADMIN, Role.RECRUITER})
# Brief editors: a hiring manager only on their own requisitions, which the scene arranges.
EDITORS = frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})

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
    # Managers and interviewers see the requisitions they are on; the scene puts them on one.
    "requisitions:list": ALL,
    "requisitions:create": STAFF,
    "requisitions:detail": ALL,
    "requisitions:edit": STAFF,
    "requisitions:transition": STAFF,
    "requisitions:plan-create": STAFF,
    "requisitions:milestone-update": STAFF,
    "requisitions:kickoff": STAFF,
    "briefs:brief": ALL,
    "briefs:version": ALL,
    "briefs:diff": ALL,
    "briefs:export": ALL,
    "briefs:start": EDITORS,
    "briefs:send": STAFF,
    "briefs:revise": EDITORS,
    "briefs:edit": EDITORS,
    "briefs:answers": EDITORS,
    "briefs:checks": EDITORS,
    "briefs:criterion-add": EDITORS,
    "briefs:criterion-update": EDITORS,
    "briefs:criterion-delete": EDITORS,
    "briefs:stage-add": EDITORS,
    "briefs:stage-delete": EDITORS,
    "briefs:sign": EDITORS,
    "briefs:request-sign-off": EDITORS,
    "briefs:glossary": ALL,
    "briefs:glossary-save": STAFF,
    "briefs:glossary-delete": STAFF,
    "briefs:lexicon": frozenset({Role.ADMIN}),
    "briefs:lexicon-delete": frozenset({Role.ADMIN}),
}
# Allowed through the door, then refused by the domain rule the view applies (not an access
# refusal: the view answers with its own message, and the role matrix checks that status).
DOMAIN_REFUSALS = {
    # An admin may edit any brief, but only the role's recruiter and hiring managers sign it.
    ("briefs:sign", Role.ADMIN): 422,
}
POST_ONLY = {
    "workspaces:invite",
    "workspaces:invitation-resend",
    "workspaces:invitation-revoke",
    "workspaces:member-role",
    "workspaces:member-reactivate",
    "requisitions:transition",
    "requisitions:plan-create",
    "requisitions:milestone-update",
    "requisitions:kickoff",
    "briefs:start",
    "briefs:send",
    "briefs:answers",
    "briefs:criterion-add",
    "briefs:criterion-update",
    "briefs:criterion-delete",
    "briefs:stage-add",
    "briefs:stage-delete",
    "briefs:sign",
    "briefs:request-sign-off",
    "briefs:glossary-save",
    "briefs:glossary-delete",
    "briefs:lexicon-delete",
}
# The manager's intake link: public, the signed token is the credential (tested below).
LINK_URLS = {
    "briefs:link",
    "briefs:link-answers",
    "briefs:link-checks",
    "briefs:link-criterion-add",
    "briefs:link-criterion-update",
    "briefs:link-criterion-delete",
    "briefs:link-stage-add",
    "briefs:link-stage-delete",
    "briefs:link-sign",
}
LINK_GET = {"briefs:link", "briefs:link-checks"}
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
    *LINK_URLS,
    "briefs:link-done",
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


# What a brief needs before anyone can sign it (briefs.services.sign_off_problems).
SIGNABLE = {
    "why_now": "The payments team doubles next year.",
    "success_90": "Owns the settlement service on call.",
    "review_days": 2,
    "decision_days": 3,
    "update_channel": Channel.EMAIL,
    "update_frequency": Frequency.WEEKLY,
}


def requisition_with_brief(recruiter: Member, *, manager: Member, interviewer: Member) -> dict:
    """A requisition with signed brief v1, draft v2 with a criterion and a stage, and a plan."""
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[manager]
    )
    requisition.hiring_team.set([interviewer])
    signed = BriefVersionFactory(
        requisition=requisition, number=1, signed_at=timezone.now(), **SIGNABLE
    )
    CriterionFactory(version=signed, name="Owns a service", kind=Kind.MUST)
    draft = BriefVersionFactory(
        requisition=requisition, number=2, reason="Payments scope", **SIGNABLE
    )
    milestones = requisition_services.plan_create(actor=recruiter, requisition=requisition)
    return {
        "requisition": requisition,
        "draft": draft,
        "criterion": CriterionFactory(version=draft, name="Owns a service", kind=Kind.MUST),
        "stage": InterviewStage.objects.create(version=draft, name="Systems design", position=1),
        "milestone": milestones[0],
    }


@pytest.fixture
def scene(admin: Member, recruiter: Member, hiring_manager: Member, interviewer: Member):
    """A workspace with one of each role, a pending invitation and a deactivated member, and a
    requisition all four are on: signed brief v1, draft v2 with a criterion and a stage, a plan,
    a glossary term, a vague term, and the manager's intake link."""
    invitation = services.invitation_create(
        actor=admin, email="pending@example.com", role=Role.INTERVIEWER
    )
    former = Member.objects.create(
        workspace=admin.workspace,
        user=User.objects.create_user("former@example.com", "x", display_name="Former"),
        role=Role.INTERVIEWER,
        is_active=False,
    )
    on_it = requisition_with_brief(recruiter, manager=hiring_manager, interviewer=interviewer)
    requisition = on_it["requisition"]
    link = BriefLink.objects.create(
        requisition=requisition,
        member=hiring_manager,
        created_by=recruiter,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {
        Role.ADMIN: admin,
        Role.RECRUITER: recruiter,
        Role.HIRING_MANAGER: hiring_manager,
        Role.INTERVIEWER: interviewer,
        "invitation": invitation,
        "former": former,
        **on_it,
        "glossary_term": brief_services.glossary_term_save(
            actor=recruiter, term="Team player", definition="Has covered for a colleague."
        ),
        "vague_term": brief_services.vague_term_add(actor=admin, term="go-getter"),
        "token": brief_services.link_token(link),
    }


def url_for(name: str, workspace: Workspace, scene: dict) -> str:
    namespace, _, view = name.partition(":")
    kwargs: dict[str, object] = {}
    if name.startswith("briefs:link"):
        kwargs["token"] = scene["token"]
    else:
        kwargs["workspace_slug"] = workspace.slug
    if name.startswith("workspaces:invitation-"):
        kwargs["public_id"] = scene["invitation"].public_id
    elif name == "workspaces:member-reactivate":
        kwargs["public_id"] = scene["former"].public_id
    elif name.startswith("workspaces:member-"):
        kwargs["public_id"] = scene[Role.INTERVIEWER].public_id
    elif name == "briefs:glossary-delete":
        kwargs["term_id"] = scene["glossary_term"].public_id
    elif name == "briefs:lexicon-delete":
        kwargs["term_id"] = scene["vague_term"].public_id
    elif (namespace == "requisitions" and view not in ("list", "create")) or (
        namespace == "briefs"
        and "workspace_slug" in kwargs
        and "glossary" not in view
        and "lexicon" not in view
    ):
        kwargs["public_id"] = scene["requisition"].public_id
    if view == "milestone-update":
        kwargs["milestone_id"] = scene["milestone"].public_id
    if view in ("version", "export"):
        kwargs["number"] = 1
    elif view == "diff":
        kwargs["number"] = 2  # the draft, against the signed version 1
    if view == "export":
        kwargs["fmt"] = "md"
    if view.endswith(("criterion-update", "criterion-delete")):
        kwargs["criterion_id"] = scene["criterion"].public_id
    if view.endswith("stage-delete"):
        kwargs["stage_id"] = scene["stage"].public_id
    return reverse(name, kwargs=kwargs)


POST_DATA: dict[str, dict[str, Any]] = {
    "workspaces:invite": {"email": "new@example.com", "role": Role.INTERVIEWER},
    "workspaces:member-role": {"role": Role.HIRING_MANAGER},
    "workspaces:settings": {"name": "Renamed", "time_zone": "UTC"},
    "requisitions:transition": {"to_status": Status.INTAKE},
    "requisitions:kickoff": {
        "starts_at": "2099-06-01 10:00",
        "duration_minutes": 45,
        "where": "Room 4",
    },
    "briefs:send": {"message": "Could you fill this in before we meet?"},
    "briefs:revise": {"reason": "The team moved to payments."},
    "briefs:answers": {"why_now": "A new market opens in May."},
    "briefs:criterion-add": {
        "name": "Has run an on-call rotation",
        "kind": Kind.MUST,
        "definition": "Has carried a pager for a production service.",
    },
    "briefs:criterion-update": {"definition": "Has owned a service end to end for a year."},
    "briefs:stage-add": {"name": "Pairing session"},
    "briefs:glossary-save": {"term": "Self-starter", "definition": "Has started a project."},
    "briefs:lexicon": {"term": "rockstar ninja", "ask": "What would they have done?"},
}


def post_data(name: str, scene: dict) -> dict[str, Any]:
    """Valid input for the URL, so that a refusal is the access rule's and not a form error."""
    requisition, draft = scene["requisition"], scene["draft"]
    details = {
        "title": "Staff Backend Engineer",
        "level": "senior",
        "employment_type": "full_time",
        "remote_policy": "hybrid",
        "openings": 1,
        "recruiter": scene[Role.RECRUITER].pk,
        "hiring_managers": [scene[Role.HIRING_MANAGER].pk],
    }
    prefix = scene["milestone"].public_id
    dynamic: dict[str, dict[str, Any]] = {
        "requisitions:create": details,
        "requisitions:edit": {**details, "revision": requisition.revision},
        "requisitions:milestone-update": {
            f"{prefix}-owner": Owner.MANAGER,
            f"{prefix}-due_on": "2031-03-03",
        },
        "briefs:sign": {"revision": draft.revision},
    }
    return {**POST_DATA.get(name, {}), **dynamic.get(name, {})}


def snapshot() -> str:
    """Every row a workspace URL could change, serialised, to prove nothing changed."""
    rows = [
        *Workspace.objects.order_by("pk"),
        *Member.objects.order_by("pk"),
        *Invitation.objects.order_by("pk"),
        *User.objects.order_by("pk"),
        *AuditEntry.objects.order_by("pk"),
        *Requisition.objects.order_by("pk"),  # with its hiring managers and hiring team
        *RequisitionEvent.objects.order_by("pk"),
        *Milestone.objects.order_by("pk"),
        *Kickoff.objects.order_by("pk"),
        *BriefVersion.objects.order_by("pk"),
        *Criterion.objects.order_by("pk"),
        *InterviewStage.objects.order_by("pk"),
        *Signature.objects.order_by("pk"),
        *BriefLink.objects.order_by("pk"),
        *GlossaryTerm.objects.order_by("pk"),
        *VagueTerm.objects.order_by("pk"),
    ]
    return serializers.serialize("json", rows)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outsider_gets_404_and_changes_nothing(name: str, scene: dict, outsider: Member) -> None:
    url = url_for(name, scene[Role.ADMIN].workspace, scene)
    client = client_for(outsider)
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(url, post_data(name, scene))
        assert response.status_code == 404, (method, url)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anonymous_is_sent_to_sign_in(name: str, scene: dict) -> None:
    url = url_for(name, scene[Role.ADMIN].workspace, scene)
    before = snapshot()
    response = Client().post(url, post_data(name, scene))
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
    response = getattr(client, method)(url, post_data(name, scene))
    if (name, role) in DOMAIN_REFUSALS:
        assert response.status_code == DOMAIN_REFUSALS[name, role]
        assert snapshot() == before
    elif role in EXPECTED[name]:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403
        assert snapshot() == before
        # A refused POST is refused the same way, and still changes nothing.
        assert client.post(url, post_data(name, scene)).status_code == 403
        assert snapshot() == before


def test_deactivated_member_loses_access_at_once(scene: dict) -> None:
    interviewer = scene[Role.INTERVIEWER]
    client = client_for(interviewer)
    home = reverse("dashboard:workspace", args=[interviewer.workspace.slug])
    assert client.get(home).status_code == 200
    services.member_deactivate(actor=scene[Role.ADMIN], member=interviewer)
    assert client.get(home).status_code == 404


# Workspace URLs about one requisition: their object is visible to its own people only.
ABOUT_A_REQUISITION = sorted(
    name
    for name in EXPECTED
    if (
        name.startswith("requisitions:")
        and name not in ("requisitions:list", "requisitions:create")
    )
    or (name.startswith("briefs:") and not name.startswith(("briefs:glossary", "briefs:lexicon")))
)


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
@pytest.mark.parametrize("name", ABOUT_A_REQUISITION)
def test_managers_and_interviewers_get_404_on_requisitions_they_are_not_on(
    name: str, role: str, scene: dict, workspace: Workspace
) -> None:
    other_manager = Member.objects.create(
        workspace=workspace,
        user=User.objects.create_user("olga@example.com", "x", display_name="Olga"),
        role=Role.HIRING_MANAGER,
    )
    other_interviewer = Member.objects.create(
        workspace=workspace,
        user=User.objects.create_user("oscar@example.com", "x", display_name="Oscar"),
        role=Role.INTERVIEWER,
    )
    elsewhere = requisition_with_brief(
        scene[Role.RECRUITER], manager=other_manager, interviewer=other_interviewer
    )
    url = url_for(name, workspace, {**scene, **elsewhere})
    client = client_for(scene[role])
    # Refused by role first (403); allowed by role but not on this requisition: not disclosed.
    expected = 404 if role in EXPECTED[name] else 403
    served = "post" if name in POST_ONLY else "get"
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(url, post_data(name, {**scene, **elsewhere}))
        # The other method may be refused as such (405) before any object is looked up.
        allowed = {expected} if method == served else {expected, 405}
        assert response.status_code in allowed, (method, url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(LINK_URLS))
def test_intake_link_refuses_a_forged_token_and_changes_nothing(name: str, scene: dict) -> None:
    token = scene["token"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    url = url_for(name, scene[Role.ADMIN].workspace, {**scene, "token": forged})
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(Client(), method)(url, post_data(name.replace("link-", ""), scene))
        assert response.status_code == 410, (method, url)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(LINK_GET))
def test_intake_link_opens_the_draft_without_a_password(name: str, scene: dict) -> None:
    response = Client().get(url_for(name, scene[Role.ADMIN].workspace, scene))

    assert response.status_code == 200
