"""Files sent with a message: a PDF as an attachment and images shown in the HTML part, read
from storage at each attempt, through a real SMTP server on loopback."""

import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from io import BytesIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from accord.nudges import services
from accord.nudges.channels import Channel, Outgoing, deliver
from accord.nudges.channels.base import Attachment
from accord.nudges.models import ContactPreference, Message, MessageKind, MessageStatus
from accord.workspaces.models import Member
from conftest import Mailbox, free_port
from tests.receivers import Receiver, Reply

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# Every byte value, so a transfer encoding that mangled binary content would show.
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def png(colour: str) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 20), colour).save(buffer, format="PNG")
    return buffer.getvalue()


FUNNEL_PNG = png("#0d6efd")
TREND_PNG = png("#fd7e14")


def stored(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


@pytest.fixture
def report_files() -> dict[str, Any]:
    """A report's PDF and two chart images in storage, and the message's attachments."""
    key = uuid.uuid4()
    ids = {"funnel": f"funnel.{key}@accord", "turnaround": f"turnaround.{key}@accord"}
    attachments = [
        {
            "path": stored(f"reports/{key}/status-report.pdf", PDF),
            "filename": "status-report.pdf",
            "mimetype": "application/pdf",
            "inline_id": "",
        },
        {
            "path": stored(f"reports/{key}/funnel.png", FUNNEL_PNG),
            "filename": "funnel.png",
            "mimetype": "image/png",
            "inline_id": ids["funnel"],
        },
        {
            "path": stored(f"reports/{key}/turnaround.png", TREND_PNG),
            "filename": "turnaround.png",
            "mimetype": "image/png",
            "inline_id": ids["turnaround"],
        },
    ]
    html = (
        "<h1>Weekly status</h1>"
        f'<img src="cid:{ids["funnel"]}" alt="Funnel: 30 applied" width="384">'
        f'<img src="cid:{ids["turnaround"]}" alt="Feedback turnaround" width="384">'
    )
    return {"ids": ids, "attachments": attachments, "html": html}


def queue(recipient: Member, files: dict[str, Any], **overrides: Any) -> Message:
    return services.message_queue(
        recipient=recipient,
        kind=MessageKind.NOTICE,
        content=services.Rendered(
            "Weekly status: Senior Backend Engineer",
            "Weekly status. The charts and the PDF are attached.",
            files["html"],
            [("Open the report", "https://accord.example/r/1/")],
        ),
        now=NOW,
        **{"attachments": files["attachments"], **overrides},
    )


def tree(part: EmailMessage) -> Any:
    if part.is_multipart():
        return (part.get_content_type(), [tree(child) for child in part.iter_parts()])
    return part.get_content_type()


def assert_report_email(sent: EmailMessage, files: dict[str, Any]) -> None:
    assert tree(sent) == (
        "multipart/mixed",
        [
            (
                "multipart/alternative",
                ["text/plain", ("multipart/related", ["text/html", "image/png", "image/png"])],
            ),
            "application/pdf",
        ],
    )
    alternative, pdf = sent.iter_parts()
    plain, related = alternative.iter_parts()
    html, *images = related.iter_parts()
    assert related.get_param("type") == "text/html"
    # Each image is the one the HTML points at, by Content-ID, with its bytes intact.
    by_cid = {image["Content-ID"]: image for image in images}
    assert set(by_cid) == {f"<{cid}>" for cid in files["ids"].values()}
    for cid in files["ids"].values():
        assert f'src="cid:{cid}"' in html.get_content()
    assert by_cid[f"<{files['ids']['funnel']}>"].get_content() == FUNNEL_PNG
    assert by_cid[f"<{files['ids']['turnaround']}>"].get_content() == TREND_PNG
    assert {image.get_content_disposition() for image in images} == {"inline"}
    assert {image.get_filename() for image in images} == {"funnel.png", "turnaround.png"}
    assert plain.get_content().startswith("Weekly status. The charts and the PDF are attached.")
    assert pdf.get_content_disposition() == "attachment"
    assert pdf.get_filename() == "status-report.pdf"
    assert pdf.get_content() == PDF


def test_a_report_email_carries_its_charts_inline_and_its_pdf(
    hiring_manager: Member, smtp: Mailbox, report_files: dict[str, Any]
) -> None:
    message = queue(hiring_manager, report_files)

    assert services.message_send(message.pk, now=NOW) == MessageStatus.SENT

    [sent] = smtp.messages
    assert sent["Message-ID"].startswith(f"<{message.public_id}@")
    assert_report_email(sent, report_files)


def test_attachments_are_stored_complete(hiring_manager: Member) -> None:
    path = stored("reports/1/status-report.pdf", PDF)
    message = services.message_queue(
        recipient=hiring_manager,
        kind=MessageKind.NOTICE,
        content=services.Rendered("Status", "Body", ""),
        attachments=[{"path": path, "inline_id": None}],
    )
    message.refresh_from_db()
    assert message.attachments == [
        {
            "path": path,
            "filename": "status-report.pdf",
            "mimetype": "application/pdf",
            "inline_id": "",
        }
    ]
    plain = services.message_queue(
        recipient=hiring_manager,
        kind=MessageKind.NOTICE,
        content=services.Rendered("Hello", "Body", ""),
    )
    plain.refresh_from_db()
    assert plain.attachments == []
    with pytest.raises(ValueError, match="needs the name of its file"):
        services.message_queue(
            recipient=hiring_manager,
            kind=MessageKind.NOTICE,
            content=services.Rendered("Status", "Body", ""),
            attachments=[{"path": None, "filename": "status-report.pdf"}],
        )


def test_a_retry_sends_the_same_attachments_again(
    hiring_manager: Member, smtp: Mailbox, report_files: dict[str, Any], settings: Any
) -> None:
    message = queue(hiring_manager, report_files)
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    assert services.message_send(message.pk, now=NOW) == MessageStatus.RETRY
    assert smtp.messages == []

    settings.MAILERS = working
    later = NOW + timedelta(minutes=1)
    assert services.message_send(message.pk, now=later) == MessageStatus.SENT

    [sent] = smtp.messages
    assert sent["Message-ID"].startswith(f"<{message.public_id}@")
    assert_report_email(sent, report_files)
    message.refresh_from_db()
    assert message.attempts == 2


def test_a_missing_file_fails_for_good_and_names_it(
    hiring_manager: Member, smtp: Mailbox, report_files: dict[str, Any]
) -> None:
    message = queue(hiring_manager, report_files)
    pdf_path = report_files["attachments"][0]["path"]
    default_storage.delete(pdf_path)

    assert services.message_send(message.pk, now=NOW) == MessageStatus.FAILED

    assert smtp.messages == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert message.last_error == (
        f"The attachment “status-report.pdf” ({pdf_path}) is missing from storage."
    )
    # An email has nowhere else to fall back to.
    assert Message.objects.filter(recipient=hiring_manager).count() == 1


@pytest.fixture
def chat_manager(
    hiring_manager: Member, webhook_receiver: Receiver, insecure_webhooks: None
) -> Member:
    ContactPreference.objects.create(
        member=hiring_manager,
        channel="chat",
        webhook_url=webhook_receiver.url("/hooks/status"),
        chosen=True,
    )
    return hiring_manager


def test_a_chat_message_carries_the_link_not_the_files(
    chat_manager: Member, webhook_receiver: Receiver, report_files: dict[str, Any]
) -> None:
    message = queue(chat_manager, report_files)
    assert message.channel == "chat"
    # Chat never reads the files, so one gone from storage doesn't hold the message back.
    default_storage.delete(report_files["attachments"][0]["path"])

    assert services.message_send(message.pk, now=NOW) == MessageStatus.SENT

    [posted] = webhook_receiver.requests
    assert b"https://accord.example/r/1/" in posted.body
    assert b"status-report.pdf" not in posted.body


def test_a_failed_chat_message_goes_by_email_with_its_attachments(
    chat_manager: Member,
    webhook_receiver: Receiver,
    smtp: Mailbox,
    report_files: dict[str, Any],
) -> None:
    webhook_receiver.answer(Reply(status=404, body="no_service"))
    message = queue(chat_manager, report_files)

    assert services.message_send(message.pk, now=NOW) == MessageStatus.FAILED

    fallback = Message.objects.exclude(pk=message.pk).get(recipient=chat_manager)
    assert fallback.channel == "email"
    assert fallback.attachments == message.attachments
    assert services.message_send(fallback.pk, now=NOW) == MessageStatus.SENT
    [sent] = smtp.messages
    assert_report_email(sent, report_files)
    # Saying why (a regression: the reason read "?" when the first attempt failed for good).
    assert (
        smtp.text(sent)
        .rstrip()
        .endswith(
            "(Sent by email because your Chat (Slack or Teams webhook) message could not be "
            "delivered: 127.0.0.1 answered 404: no_service)"
        )
    )


def test_without_html_an_inline_image_is_an_ordinary_attachment(smtp: Mailbox) -> None:
    message = Outgoing(
        key=str(uuid.uuid4()),
        subject="Status",
        text="See the chart.",
        to_email="hugo@example.com",
        attachments=(Attachment("funnel.png", "image/png", FUNNEL_PNG, inline_id="f@accord"),),
    )
    deliver(Channel.EMAIL, message)

    [sent] = smtp.messages
    assert tree(sent) == ("multipart/mixed", ["text/plain", "image/png"])
    _text, image = sent.iter_parts()
    assert image.get_content_disposition() == "attachment"
    assert image.get_content() == FUNNEL_PNG


def test_inline_images_alone_need_no_mixed_part(smtp: Mailbox) -> None:
    message = Outgoing(
        key=str(uuid.uuid4()),
        subject="Status",
        text="See the chart.",
        html='<img src="cid:f@accord" alt="Funnel">',
        to_email="hugo@example.com",
        attachments=(Attachment("funnel.png", "image/png", FUNNEL_PNG, inline_id="f@accord"),),
    )
    deliver(Channel.EMAIL, message)

    [sent] = smtp.messages
    assert tree(sent) == (
        "multipart/alternative",
        ["text/plain", ("multipart/related", ["text/html", "image/png"])],
    )
    assert sent.get_body(preferencelist=("related",)) is not None
    [image] = [part for part in sent.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<f@accord>"


def test_a_message_without_attachments_is_as_before(smtp: Mailbox) -> None:
    deliver(
        Channel.EMAIL,
        Outgoing(
            key=str(uuid.uuid4()),
            subject="Hello",
            text="Body",
            html="<p>Body</p>",
            to_email="hugo@example.com",
        ),
    )
    [sent] = smtp.messages
    assert tree(sent) == ("multipart/alternative", ["text/plain", "text/html"])
