"""A worker killed in the middle of a send, then restarted, delivers each message exactly once.

Real processes throughout: `accord worker` (django-tasks-db) in a subprocess, a real SMTP
server on loopback that holds the first send open until the test has killed the worker, and
the test's database (a fresh SQLite file, or a fresh PostgreSQL database when the suite runs on
PostgreSQL).
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiosmtpd.controller import Controller

from conftest import Mailbox, free_port
from tests.test_tasks import accord

SETUP = """
from django.db import transaction
from accord.nudges.models import MessageKind
from accord.nudges.services import Rendered, message_queue
from tests.factories import MemberFactory
member = MemberFactory(user__email="hugo@example.com", user__display_name="Hugo")
with transaction.atomic():
    for n in (1, 2):
        message_queue(
            recipient=member,
            kind=MessageKind.NOTICE,
            content=Rendered(f"Message {n}", f"Body {n}", f"<p>Body {n}</p>", []),
        )
"""

STATUS = """
from accord.nudges.models import Message
for m in Message.objects.order_by("subject"):
    print(m.subject, m.status, m.attempts)
"""


class StallingMailbox(Mailbox):
    """Holds the first delivery at RCPT until released, then refuses it: the sender died
    before the server accepted anything."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._first = True

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self._first:
            self._first = False
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def database_url() -> Iterator[str]:
    """A database of the test's own, on the same engine as the suite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    name = f"accord_crash_{uuid.uuid4().hex[:8]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_killed_worker_neither_loses_nor_repeats_a_message(
    tmp_path: Path, database_url: str
) -> None:
    mailbox = StallingMailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DEBUG": "false",
        "SECRET_KEY": "worker-crash-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "localhost",
        "ACCORD_VAR_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "30",
        "TASK_BACKEND": "database",
        "NUDGE_TICK_SECONDS": "5",
        "NUDGE_SEND_LEASE_SECONDS": "10",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    worker: subprocess.Popen[bytes] | None = None
    try:
        assert accord(env, "migrate", "--verbosity", "0").returncode == 0
        queued = accord(env, "shell", "-c", SETUP)
        assert queued.returncode == 0, queued.stderr

        worker = subprocess.Popen(
            [sys.executable, "-m", "accord", "worker"], env=env, start_new_session=True
        )
        assert mailbox.stalled.wait(60), "the worker never started sending"
        os.killpg(worker.pid, signal.SIGKILL)  # killed between claiming and finishing a send
        worker.wait(10)
        mailbox.release.set()
        claimed = accord(env, "shell", "-c", STATUS).stdout
        assert "sending 1" in claimed, claimed

        worker = subprocess.Popen(
            [sys.executable, "-m", "accord", "worker"], env=env, start_new_session=True
        )
        assert _wait(lambda: len(mailbox.messages) >= 2, 90), "a message was lost"
        time.sleep(12)  # more rounds of the dispatcher, past the lease: nothing more goes out
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
        controller.stop()
    subjects = sorted(str(m["Subject"]) for m in mailbox.messages)
    assert subjects == ["Message 1", "Message 2"]
    final = [line for line in accord(env, "shell", "-c", STATUS).stdout.split("\n") if line]
    assert final[-2:] == ["Message 1 sent 2", "Message 2 sent 1"] or final[-2:] == [
        "Message 1 sent 1",
        "Message 2 sent 2",
    ]
