"""What every channel shares: the message, the error, and the channel names."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy


class Channel(models.TextChoices):
    EMAIL = "email", gettext_lazy("Email")
    CHAT = "chat", gettext_lazy("Chat (Slack or Teams webhook)")
    SMS = "sms", gettext_lazy("Text message")


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str  # "application/pdf", "image/png"
    content: bytes = field(repr=False)
    # The Content-ID (without <>) of an image shown in the HTML part as <img src="cid:…">;
    # empty for an ordinary attachment.
    inline_id: str = ""


@dataclass(frozen=True)
class Outgoing:
    key: str  # stable id of this message (a UUID string); the same on every retry
    subject: str
    text: str  # plain text: the email's text part, and what chat and SMS bodies are made of
    html: str = ""  # the email's HTML part
    links: tuple[tuple[str, str], ...] = ()  # (label, absolute URL): one-click actions
    to_email: str = ""
    to_name: str = ""
    webhook_url: str = ""
    phone: str = ""  # E.164
    attachments: tuple[Attachment, ...] = ()  # email only: chat and SMS carry the links


class DeliveryError(Exception):
    """A send that failed. `str(error)` is the reason, for people; `permanent` says that sending
    the same message again would fail the same way."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…" if limit > 0 else ""
