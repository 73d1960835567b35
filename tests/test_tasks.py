"""Background work: real workers of both backends deliver real email, and only after commit."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from accord.lib.mail import send_templated_email
from conftest import Mailbox, free_port

ENQUEUE = (
    "from django.db import transaction\n"
    "from accord.lib.mail import send_templated_email\n"
    "with transaction.atomic():\n"
    "    send_templated_email(to='worker@example.com', "
    "template='people/email/password_reset', "
    "context={'user': {'get_short_name': 'Wanda', 'email': 'worker@example.com'}, "
    "'uid': 'MQ', 'token': 'abc-123'})\n"
)


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def accord(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own console script)
        [sys.executable, "-m", "accord", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("backend", ["database", "rq"])
def test_worker_delivers_queued_email_over_smtp(backend: str, tmp_path: Path) -> None:
    if backend == "rq" and not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("CI must exercise the RQ backend: start Redis on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DEBUG": "false",
        "SECRET_KEY": "worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "localhost",
        "ACCORD_VAR_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "TASK_BACKEND": backend,
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    try:
        if backend == "rq":
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        assert accord(env, "migrate", "--verbosity", "0").returncode == 0
        queued = accord(env, "shell", "-c", ENQUEUE)
        assert queued.returncode == 0, queued.stderr
        assert mailbox.messages == []  # queued, not sent: sending is the worker's job

        worked = accord(env, "worker", "--batch")
        assert worked.returncode == 0, worked.stderr
    finally:
        controller.stop()
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "worker@example.com"
    assert message["Subject"] == "Reset your Accord password"
    assert "/password-reset/MQ/abc-123/" in mailbox.text(message)


@pytest.mark.django_db(transaction=True)
def test_email_is_queued_only_when_the_transaction_commits(mailoutbox) -> None:
    context = {
        "user": {"get_short_name": "Rolf", "email": "r@example.com"},
        "uid": "x",
        "token": "y",
    }

    def refused_action() -> None:
        with transaction.atomic():
            send_templated_email(
                to="r@example.com", template="people/email/password_reset", context=context
            )
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        refused_action()
    assert mailoutbox == []

    with transaction.atomic():
        send_templated_email(
            to="r@example.com", template="people/email/password_reset", context=context
        )
        assert mailoutbox == []  # still inside the transaction
    assert [m.to for m in mailoutbox] == [["r@example.com"]]
