"""Delivering one message on one channel: email, a chat webhook, or a text message.

Plain data in (`Outgoing`), the provider's reference out. Every failure is a `DeliveryError` that
says whether trying again could help (`permanent=False`) or not, in words the delivery log can
show. Nothing here touches the database: recording and retrying are the caller's job.
"""

import base64
import http.client
import ipaddress
import json
import logging
import smtplib
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import Message
from typing import Any, Literal, Protocol
from urllib.parse import quote, urlencode, urljoin, urlsplit

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

sms_log = logging.getLogger("accord.sms")


class Channel(models.TextChoices):
    EMAIL = "email", gettext_lazy("Email")
    CHAT = "chat", gettext_lazy("Chat (Slack or Teams webhook)")
    SMS = "sms", gettext_lazy("Text message")


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


class DeliveryError(Exception):
    """A send that failed. `str(error)` is the reason, for people; `permanent` says that sending
    the same message again would fail the same way."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def deliver(channel: str, message: Outgoing) -> str:
    """Send `message` on `channel` and return the provider's reference for it."""
    if channel == Channel.EMAIL:
        return send_email(message)
    if channel == Channel.CHAT:
        return post_chat(message)
    if channel == Channel.SMS:
        return send_sms(message)
    raise DeliveryError(_("Unknown channel “%(channel)s”.") % {"channel": channel}, permanent=True)


# --- email ------------------------------------------------------------------------------------


def send_email(message: Outgoing) -> str:
    if not message.to_email:
        raise DeliveryError(_("There is no email address to send to."), permanent=True)
    # The same Message-ID on every attempt: a resend after a crash is recognisably the same
    # message, and mail clients that deduplicate (Gmail among them) show it once.
    message_id = f"<{message.key}@{_site_host()}>"
    try:
        name = " ".join(message.to_name.split())
        to = str(Address(display_name=name, addr_spec=message.to_email))
        email = EmailMultiAlternatives(
            subject=" ".join(message.subject.split()),
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"Message-ID": message_id},
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
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
        reason = _("it did not answer in time.") if timed_out else _describe(error)
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


# --- chat webhooks ----------------------------------------------------------------------------

Flavour = Literal["slack", "teams", "generic"]
SLACK_HOSTS = ("hooks.slack.com", "hooks.slack-gov.com")
# Teams "Workflows" webhooks (Power Automate) and the older connector webhooks.
TEAMS_HOST_SUFFIXES = (".webhook.office.com", ".logic.azure.com", ".powerplatform.com")
MAX_ACTIONS = 5  # Slack allows 25 buttons and Teams shows 6; a nudge needs a few
SLACK_SECTION_LIMIT = 3000
SLACK_BUTTON_LIMIT = 75
MAX_REDIRECTS = 3
ANSWER_LIMIT = 64 * 1024  # how much of a response body to read


def chat_flavour(url: str) -> Flavour:
    """Which message format the webhook at `url` expects. Mattermost, Rocket.Chat and Discord's
    `/slack` endpoint take Slack's, so anything not recognised gets that."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host in SLACK_HOSTS:
        return "slack"
    if host.endswith(TEAMS_HOST_SUFFIXES):
        return "teams"
    return "generic"


def chat_payload(message: Outgoing, flavour: Flavour) -> dict[str, Any]:
    return teams_payload(message) if flavour == "teams" else slack_payload(message)


def slack_payload(message: Outgoing) -> dict[str, Any]:
    """Slack's Block Kit: the text in a section, the links as URL buttons. The top-level `text`
    carries everything too (with the links inline), for notifications and for Slack-compatible
    tools that show only `text`."""
    subject = _slack_escape(" ".join(message.subject.split()))
    heading = f"*{subject}*"
    body = _trim(_slack_escape(message.text.strip()), SLACK_SECTION_LIMIT - len(heading) - 1)
    links = message.links[:MAX_ACTIONS]
    inline = " · ".join(f"<{_slack_escape(url)}|{_slack_label(label)}>" for label, url in links)
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _trim(f"{heading}\n{body}", SLACK_SECTION_LIMIT)},
        }
    ]
    if links:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {
                            "type": "plain_text",
                            "text": _trim(label, SLACK_BUTTON_LIMIT),
                            "emoji": True,
                        },
                        "url": url,
                        "action_id": f"link-{number}",
                    }
                    for number, (label, url) in enumerate(links)
                ],
            }
        )
    text = "\n".join(part for part in (heading, body, inline) if part)
    return {"text": text, "blocks": blocks}


def teams_payload(message: Outgoing) -> dict[str, Any]:
    """A message with one Adaptive Card, the shape Teams Workflows webhooks post to a channel."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": " ".join(message.subject.split()),
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    if message.text.strip():
        body.append({"type": "TextBlock", "text": message.text.strip(), "wrap": True})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.links:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": label, "url": url}
            for label, url in message.links[:MAX_ACTIONS]
        ]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def post_chat(message: Outgoing) -> str:
    try:
        url = validate_webhook_url(message.webhook_url)
    except ValidationError as error:
        raise DeliveryError(" ".join(error.messages), permanent=True) from error
    flavour = chat_flavour(url)
    who = {"slack": "Slack", "teams": "Teams"}.get(flavour) or urlsplit(url).hostname or url
    answer = _post(
        url,
        json.dumps(chat_payload(message, flavour)).encode(),
        {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.key,
        },
        who=who,
        opener=_webhook_opener(),
    )
    if not 200 <= answer.status < 300:
        raise DeliveryError(
            _("%(who)s answered %(status)s: %(detail)s")
            % {"who": who, "status": answer.status, "detail": answer.detail()},
            permanent=_permanent(answer.status),
        )
    for header in ("X-Slack-Req-Id", "request-id", "x-ms-request-id", "X-Request-Id"):
        if answer.headers.get(header):
            return str(answer.headers[header])
    return f"http-{answer.status}"


def validate_webhook_url(url: str) -> str:
    """The webhook address, stripped, or a ValidationError that says what to change.

    Unless NUDGE_WEBHOOK_ALLOW_INSECURE is on, only https:// is accepted, and addresses that
    are IP literals or `localhost` names on a loopback, private or link-local network are refused
    (a webhook must not become a way to reach Accord's own network). Host names are not resolved
    here: whether a name resolves now says nothing about what it resolves to when the message is
    sent, and saving a preference should not depend on DNS. Instead, every connection made for a
    webhook checks each address the name resolves to just before connecting (`_connect_public`),
    so a name pointing inside the network fails at send time, permanently, with this reason.
    """
    url = url.strip()
    insecure = settings.NUDGE_WEBHOOK_ALLOW_INSECURE
    parts = urlsplit(url)
    if parts.scheme not in (("https", "http") if insecure else ("https",)):
        raise ValidationError(
            _("Use the https:// address that Slack, Teams or your chat tool gave you."),
            code="scheme",
        )
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        host = None
    if not host:
        raise ValidationError(
            _("This address has no valid host name: paste the whole webhook address."),
            code="host",
        )
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("Remove the user name and password from the address."), code="credentials"
        )
    if not insecure and _local_host(host):
        raise ValidationError(
            _(
                "This address points to a local or private network, where Accord does not "
                "post. Use the public webhook address that your chat tool gave you."
            ),
            code="private",
        )
    return url


def _local_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: checked when connecting
    return not _public(address)


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_label(label: str) -> str:
    return _slack_escape(" ".join(label.split()).replace("|", "/"))


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…" if limit > 0 else ""


# --- HTTP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: Message
    body: bytes

    def detail(self) -> str:
        text = " ".join(self.body.decode("utf-8", "replace").split())
        return _trim(text, 200) or http.client.responses.get(self.status, "")


class _PrivateAddress(OSError):
    """A webhook host name that resolves to a loopback, private or link-local address."""


def _connect_public(
    address: tuple[str, int],
    timeout: float | None = None,
    source_address: tuple[str, int] | None = None,
) -> socket.socket:
    """socket.create_connection, refusing hosts with any non-public address, and connecting to
    the address it checked (so a second DNS answer can't swap in a private one)."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    ips = [str(info[4][0]).split("%")[0] for info in found]
    for ip in ips:
        if not _public(ipaddress.ip_address(ip)):
            raise _PrivateAddress(
                _(
                    "%(host)s resolves to %(ip)s, a local or private address, where Accord "
                    "does not post."
                )
                % {"host": host, "ip": ip}
            )
    last_error: OSError = OSError(f"{host} has no address")
    for ip in dict.fromkeys(ips):
        try:
            return socket.create_connection((ip, port), timeout, source_address)
        except OSError as error:
            last_error = error
    raise last_error


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined] # typeshed omits HTTPSHandler._context


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to `_post`, which decides (urllib would turn a POST into a GET)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _webhook_opener() -> urllib.request.OpenerDirector:
    # No proxies from the environment: the address checks must see the real destination.
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({}), _NoRedirects()]
    if not settings.NUDGE_WEBHOOK_ALLOW_INSECURE:
        handlers += [_PublicHTTPHandler(), _PublicHTTPSHandler()]
    return urllib.request.build_opener(*handlers)


def _post(
    url: str,
    data: bytes,
    headers: dict[str, str],
    *,
    who: str,
    opener: urllib.request.OpenerDirector,
) -> _Answer:
    """POST `data` and return the answer, whatever its status; raise DeliveryError for failures
    to get one. Redirects are followed only when they keep the method and body (307, 308) and
    stay on the same scheme, host and port."""
    for _hop in range(MAX_REDIRECTS + 1):
        answer = _post_once(url, data, headers, who=who, opener=opener)
        if not 300 <= answer.status < 400:
            return answer
        location = urljoin(url, answer.headers.get("Location", ""))
        same_place = _origin(location) == _origin(url)
        if answer.status not in (307, 308) or not same_place:
            raise DeliveryError(
                _(
                    "%(who)s redirected the message to %(location)s, and Accord does not follow "
                    "redirects to another address. Use the address it redirects to."
                )
                % {"who": who, "location": location or "?"},
                permanent=True,
            )
        url = location
    raise DeliveryError(
        _("%(who)s redirected the message too many times.") % {"who": who}, permanent=True
    )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return parts.scheme, (parts.hostname or "").rstrip("."), port


def _post_once(
    url: str,
    data: bytes,
    headers: dict[str, str],
    *,
    who: str,
    opener: urllib.request.OpenerDirector,
) -> _Answer:
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked by the callers)
        url, data=data, headers={"User-Agent": "Accord", **headers}, method="POST"
    )
    try:
        with opener.open(request, timeout=settings.NUDGE_SEND_TIMEOUT_SECONDS) as response:
            return _Answer(response.status, response.headers, response.read(ANSWER_LIMIT))
    except urllib.error.HTTPError as error:  # an answer with a 3xx, 4xx or 5xx status
        try:
            body = error.read(ANSWER_LIMIT)
        except OSError:
            body = b""
        finally:
            error.close()
        return _Answer(error.code, error.headers, body)
    except urllib.error.URLError as error:
        if isinstance(error.reason, _PrivateAddress):
            raise DeliveryError(str(error.reason), permanent=True) from error
        raise _unreachable(who, error.reason) from error
    except (OSError, http.client.HTTPException) as error:  # timeouts while reading, resets
        raise _unreachable(who, error) from error


def _unreachable(who: str, reason: object) -> DeliveryError:
    return DeliveryError(
        _("Could not reach %(who)s: %(reason)s") % {"who": who, "reason": _describe(reason)},
        permanent=False,
    )


def _describe(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        seconds = settings.NUDGE_SEND_TIMEOUT_SECONDS
        return ngettext(
            "no answer within %(seconds)s second", "no answer within %(seconds)s seconds", seconds
        ) % {"seconds": seconds}
    return str(reason) or type(reason).__name__


def _permanent(status: int) -> bool:
    """Whether an HTTP error status means the same request will keep failing."""
    return not (status in (408, 429) or status >= 500)


# --- text messages ----------------------------------------------------------------------------

SMS_LIMIT = 480  # three concatenated GSM segments


class SmsProvider(Protocol):
    def send(self, *, to: str, body: str, reference: str) -> str: ...


class LoggingSmsProvider:
    """The default: writes each text message to the "accord.sms" log and sends nothing."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        sms_log.info("SMS to %s (ref %s): %s", to, reference, body)
        return f"log-{reference}"


class TwilioSmsProvider:
    """Twilio's Messages API. (Twilio takes no idempotency key: `reference` is only logged.)"""

    def __init__(
        self,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        from_number: str | None = None,
        api_base: str | None = None,
    ) -> None:
        self.account_sid = account_sid or settings.TWILIO_ACCOUNT_SID
        self.auth_token = auth_token or settings.TWILIO_AUTH_TOKEN
        self.from_number = from_number or settings.TWILIO_FROM_NUMBER
        self.api_base = (api_base or settings.TWILIO_API_BASE).rstrip("/")

    def send(self, *, to: str, body: str, reference: str) -> str:
        account = quote(self.account_sid, safe="")
        url = f"{self.api_base}/2010-04-01/Accounts/{account}/Messages.json"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        answer = _post(
            url,
            urlencode({"To": to, "From": self.from_number, "Body": body}).encode(),
            {
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            who="Twilio",
            opener=urllib.request.build_opener(_NoRedirects()),
        )
        try:
            answered = json.loads(answer.body)
        except ValueError:
            answered = None
        answered = answered if isinstance(answered, dict) else {}
        if 200 <= answer.status < 300:
            sid = str(answered.get("sid") or f"http-{answer.status}")
            sms_log.info("SMS to %s (ref %s) sent by Twilio as %s", to, reference, sid)
            return sid
        detail = answer.detail()
        if answered.get("message"):
            detail = f"{answered['message']} (code {answered.get('code')})"
        # Twilio's 400s (21211: not a valid number, 21610: the person unsubscribed) are
        # permanent, like every other 4xx but 408 and 429.
        raise DeliveryError(
            _("Twilio answered %(status)s: %(detail)s")
            % {"status": answer.status, "detail": detail},
            permanent=_permanent(answer.status),
        )


def sms_provider() -> SmsProvider:
    if settings.SMS_PROVIDER == "twilio":
        return TwilioSmsProvider()
    return LoggingSmsProvider()


def sms_body(message: Outgoing) -> str:
    """The subject and the first link (the text instead when there is no link), at most
    SMS_LIMIT characters; a link is never cut, the words before it are."""
    subject = " ".join(message.subject.split())
    link = message.links[0][1] if message.links else ""
    if not link:
        text = " ".join(message.text.split())
        return _trim("\n".join(part for part in (subject, text) if part), SMS_LIMIT)
    if len(link) >= SMS_LIMIT:
        return _trim(subject, SMS_LIMIT)
    subject = _trim(subject, SMS_LIMIT - len(link) - 1)
    return f"{subject}\n{link}" if subject else link


def send_sms(message: Outgoing) -> str:
    try:
        phone = validate_phone(message.phone)
    except ValidationError as error:
        raise DeliveryError(" ".join(error.messages), permanent=True) from error
    return sms_provider().send(to=phone, body=sms_body(message), reference=message.key)


def validate_phone(raw: str) -> str:
    """The number in E.164 (+447700900123), or a ValidationError that says what to write.

    The check is on the number's length for its country (`is_possible_number`), as for
    candidates' numbers: strict validity would refuse the ranges reserved for fiction (+44 7700
    900xxx) that demos and tests use, and the provider is the final judge anyway.
    """
    raw = raw.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not raw.startswith("+"):
        raise ValidationError(
            _("Write the number with its country code, e.g. +44 7700 900123."),
            code="country_code",
        )
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("“%(number)s” is not a phone number: check the digits and the country code."),
            code="invalid",
            params={"number": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
