"""Fixtures shared by the whole suite: personas, a real SMTP server, and a real browser."""

import os
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from accord.workspaces.models import Member, Role, Workspace
from tests.factories import MemberFactory, WorkspaceFactory

# The browser fixtures (one Playwright session per worker, for every folder's browser tests).
pytest_plugins = ["tests.browser.fixtures"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files land in a fresh folder per test, never in the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _time_zone_restored() -> Iterator[None]:
    """A test ends in the site's time zone: one left in a person's zone would shift the next
    test's dates by hours, and it would fail only near midnight."""
    yield
    if timezone.get_current_timezone_name() != django_settings.TIME_ZONE:
        timezone.deactivate()
        pytest.fail("This test left a time zone active: use timezone.override(), not activate().")


# --- personas ----------------------------------------------------------------------------


@pytest.fixture
def workspace(db: None) -> Workspace:
    return WorkspaceFactory(name="Acme Talent", slug="acme")


@pytest.fixture
def admin(workspace: Workspace) -> Member:
    return MemberFactory(workspace=workspace, role=Role.ADMIN, user__display_name="Ada Admin")


@pytest.fixture
def recruiter(workspace: Workspace) -> Member:
    return MemberFactory(
        workspace=workspace, role=Role.RECRUITER, user__display_name="Rita Recruiter"
    )


@pytest.fixture
def hiring_manager(workspace: Workspace) -> Member:
    return MemberFactory(
        workspace=workspace, role=Role.HIRING_MANAGER, user__display_name="Hugo Manager"
    )


@pytest.fixture
def interviewer(workspace: Workspace) -> Member:
    return MemberFactory(
        workspace=workspace, role=Role.INTERVIEWER, user__display_name="Ivy Interviewer"
    )


@pytest.fixture
def outsider(db: None) -> Member:
    """An admin of another workspace: must never see or change anything of `workspace`."""
    other = WorkspaceFactory(name="Other Co", slug="other")
    return MemberFactory(workspace=other, role=Role.ADMIN, user__display_name="Otto Outsider")


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


# --- a real SMTP server on loopback ----------------------------------------------------------


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def text(self, message: EmailMessage) -> str:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None  # noqa: S101 (test helper)
        return body.get_content()  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: object) -> Iterator[Mailbox]:
    """Deliver this test's email through SMTP to a server on loopback and collect it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield mailbox
    finally:
        controller.stop()
