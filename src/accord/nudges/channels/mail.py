"""Email through Django's default mailer, with a Message-ID that survives retries, and its
attachments: images shown in the HTML part, and files."""

import smtplib
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage as MimeMessage
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext as _

from accord.nudges.channels.base import Attachment, DeliveryError, Outgoing


def send_email(message: Outgoing) -> str:
    if not message.to_email:
        raise DeliveryError(_("There is no email address to send to."), permanent=True)
    # The same Message-ID on every attempt: a resend after a crash is recognisably the same
    # message, and mail clients that deduplicate (Gmail among them) show it once.
    message_id = f"<{message.key}@{_site_host()}>"
    try:
        name = " ".join(message.to_name.split())
        to = str(Address(display_name=name, addr_spec=message.to_email))
        # Without an HTML part nothing shows an inline image: it goes as an ordinary file.
        inline = [a for a in message.attachments if a.inline_id and message.html]
        files = [a for a in message.attachments if not (a.inline_id and message.html)]
        email = RelatedEmail(
            subject=" ".join(message.subject.split()),
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"Message-ID": message_id},
            inline=inline,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for attachment in files:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        email.send()  # through the "default" mailer (settings.MAILERS)
    except smtplib.SMTPRecipientsRefused as error:
        raise _refused(error) from error
    except (smtplib.SMTPConnectError, smtplib.SMTPAuthenticationError) as error:
        # Our own mail server turning us away is the operator's to fix, not this message's
        # fault: keep it for the retries.
        raise DeliveryError(
            _("The mail server turned Accord away: %(reason)s")
            % {"reason": _smtp_reason(error.smtp_code, error.smtp_error)},
            permanent=False,
        ) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            _("The mail server answered %(reason)s")
            % {"reason": _smtp_reason(error.smtp_code, error.smtp_error)},
            permanent=500 <= error.smtp_code < 600,
        ) from error
    except (smtplib.SMTPException, OSError) as error:  # disconnections, refusals, timeouts
        # smtplib reports a timeout while reading a reply as a disconnection.
        timed_out = isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError)
        reason = (
            _("it did not answer in time.") if timed_out else str(error) or type(error).__name__
        )
        raise DeliveryError(
            _("Could not reach the mail server: %(reason)s") % {"reason": reason},
            permanent=False,
        ) from error
    except ValueError as error:  # an address that can't be written in a header
        raise DeliveryError(
            _("“%(address)s” is not an email address Accord can send to: %(reason)s")
            % {"address": message.to_email, "reason": error},
            permanent=True,
        ) from error
    return message_id


class RelatedEmail(EmailMultiAlternatives):
    """An email whose HTML part shows images sent with it (`<img src="cid:…">`):

    multipart/mixed [ multipart/alternative [ text/plain, multipart/related [ text/html,
    image/png … ] ], application/pdf … ]

    The images sit beside the HTML only, so clients showing the plain text don't list them as
    attachments, and the ordinary attachments stay outside the alternative."""

    def __init__(self, *args: Any, inline: Sequence[Attachment] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inline = list(inline)

    def _add_bodies(self, msg: MimeMessage) -> None:
        super()._add_bodies(msg)  # type: ignore[misc]  # django-stubs leaves out this hook
        html = msg.get_body(preferencelist=("html",)) if self.inline else None
        if html is None:  # no images, or no HTML to show them: send_email sends those as files
            return
        for image in self.inline:
            maintype, _sep, subtype = image.mimetype.partition("/")
            html.add_related(
                image.content,
                maintype,
                subtype,
                cid=f"<{image.inline_id}>",
                disposition="inline",  # a filename alone would make it an attachment
                filename=image.filename,
            )
        # RFC 2387: a multipart/related names the type of its root part.
        html.set_param("type", "text/html")


def _site_host() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"[{host}]" if ":" in host else host


def _refused(error: smtplib.SMTPRecipientsRefused) -> DeliveryError:
    refusals = error.recipients.values()
    reasons = "; ".join(
        f"{address} {_smtp_reason(code, text)}"
        for address, (code, text) in error.recipients.items()
    )
    # "Mailbox busy" or greylisting (4xx) passes; "no such user" (5xx) will not.
    transient = bool(refusals) and all(400 <= code < 500 for code, _text in refusals)
    return DeliveryError(
        _("The mail server refused the recipient: %(reasons)s") % {"reasons": reasons},
        permanent=not transient,
    )


def _smtp_reason(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()
