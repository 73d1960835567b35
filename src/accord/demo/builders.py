"""Build the demo workspaces idempotently: running `accord demo` twice changes nothing."""

import functools

from django.conf import settings
from django.db import transaction

from accord.demo import data, hiring, pool, stories
from accord.demo.hires import build_hires
from accord.demo.partnerships import build_partnerships
from accord.demo.reports import build_reports
from accord.demo.reviews import build_reviews
from accord.people.models import User
from accord.workspaces import services as workspace_services
from accord.workspaces.models import Invitation, Member, Role, Workspace


def _user(person: data.Person) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create_user(
            person.email, data.PASSWORD, display_name=person.name, time_zone=person.time_zone
        )
    return user


def _workspace(
    spec: tuple[str, str, str], people: list[data.Person]
) -> tuple[Workspace, list[Member]]:
    name, slug, time_zone = spec
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        workspace = Workspace.objects.create(name=name, slug=slug, time_zone=time_zone)
    members = []
    for person in people:
        user = _user(person)
        member = Member.objects.filter(workspace=workspace, user=user).first()
        if member is None:
            member = workspace_services.member_add(
                actor=None, workspace=workspace, user=user, role=person.role
            )
        members.append(member)
    return workspace, members


@transaction.atomic
def build_people() -> list[Workspace]:
    northwind, members = _workspace(data.NORTHWIND, data.NORTHWIND_PEOPLE)
    admin = next(m for m in members if m.role == Role.ADMIN)
    for email, role in data.NORTHWIND_INVITED:
        if not Invitation.objects.filter(workspace=northwind, email=email).exists():
            workspace_services.invitation_create(actor=admin, email=email, role=role)
    globex, _ = _workspace(data.GLOBEX, data.GLOBEX_PEOPLE)
    return [northwind, globex]


def build_all() -> list[Workspace]:
    """Every demo step, in dependency order. New capabilities append theirs here."""
    workspaces = build_people()
    build_requisitions()
    build_pool()
    build_reviews()
    build_reports()
    build_hires()
    build_partnerships()
    return workspaces


@transaction.atomic
def build_requisitions() -> None:
    """Northwind's requisitions at every stage of the intake and brief flow.

    A requisition whose title already exists in the workspace is left alone, so a second run
    changes nothing and a deleted one comes back.
    """
    cast = {
        member.user.email: member
        for member in Member.objects.filter(workspace__slug=data.NORTHWIND[1]).select_related(
            "user", "workspace"
        )
    }
    stories.lexicon(cast)
    # The filled roles first: they are the history the open search's plan is estimated from.
    for filled in hiring.FILLED:
        stories.tell(cast, filled.role, functools.partial(stories.filled, filled=filled))
    stories.tell(cast, hiring.SDR, stories.cancelled)
    stories.tell(cast, hiring.DATA_ANALYST, stories.draft)
    stories.tell(cast, hiring.CS_LEAD, stories.intake)
    stories.tell(cast, hiring.PLATFORM_EM, stories.awaiting_sign_off)
    stories.tell(cast, hiring.PRODUCT_DESIGNER, stories.on_hold)
    stories.tell(cast, hiring.SENIOR_BACKEND, stories.open_with_two_versions)


@transaction.atomic
def build_pool() -> None:
    """Northwind's candidates, in the pipelines of its active requisitions (demo/pool.py)."""
    northwind = Workspace.objects.get(slug=data.NORTHWIND[1])
    members = Member.objects.filter(workspace=northwind).select_related("user", "workspace")
    by_email = {m.user.email: m for m in members}
    pool.build(recruiter=by_email[hiring.RIYA], size=settings.DEMO_POOL_SIZE)
