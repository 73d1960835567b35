"""Real servers on loopback for the nudges tests: a webhook receiver, mail servers that refuse."""

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from conftest import free_port
from tests.receivers import Receiver


@pytest.fixture
def webhook_receiver() -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 that records each request and answers 200 "ok" unless told
    otherwise (`webhook_receiver.answer(Reply(...))`)."""
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def insecure_webhooks(settings: Any) -> None:
    """Allow http:// webhooks on loopback, as NUDGE_WEBHOOK_ALLOW_INSECURE does in development."""
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = True


class RefusingMailServer:
    """An SMTP server answering RCPT TO or DATA with the given reply (e.g. "550 5.1.1 ...")."""

    def __init__(self) -> None:
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None
        self.delivered = 0

    async def handle_RCPT(
        self, server: object, session: object, envelope: Any, address: str, options: object
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.data_reply:
            return self.data_reply
        self.delivered += 1
        return "250 Message accepted for delivery"


def _mailer(settings: Any, port: int, timeout: float = 10) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


@pytest.fixture
def refusing_smtp(settings: Any) -> Iterator[RefusingMailServer]:
    handler = RefusingMailServer()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    _mailer(settings, port)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def silent_smtp(settings: Any) -> Iterator[None]:
    """A server that accepts connections and never says a word, with a 1-second mail timeout."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        accepted: list[socket.socket] = []
        done = threading.Event()

        def accept() -> None:
            listener.settimeout(0.2)
            while not done.is_set():
                try:
                    accepted.append(listener.accept()[0])
                except TimeoutError:
                    continue
                except OSError:
                    return

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        _mailer(settings, listener.getsockname()[1], timeout=1)
        try:
            yield
        finally:
            done.set()
            thread.join(timeout=5)
            for connection in accepted:
                connection.close()


@pytest.fixture
def no_smtp(settings: Any) -> None:
    """Mail settings pointing at a loopback port where nothing listens."""
    _mailer(settings, free_port(), timeout=2)
