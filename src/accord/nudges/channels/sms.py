"""Text messages: a provider interface, a logging provider (the default) and Twilio."""

import base64
import json
import logging
import urllib.request
from typing import Protocol
from urllib.parse import quote, urlencode

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accord.nudges.channels.base import DeliveryError, Outgoing, trim
from accord.nudges.channels.web import NoRedirects, permanent_status, post

sms_log = logging.getLogger("accord.sms")

SMS_LIMIT = 480  # about three segments of GSM text (a "…" or an emoji switches to 70 a segment)


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
        answer = post(
            url,
            urlencode({"To": to, "From": self.from_number, "Body": body}).encode(),
            {
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            who="Twilio",
            opener=urllib.request.build_opener(NoRedirects()),
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
            permanent=permanent_status(answer.status),
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
        return trim("\n".join(part for part in (subject, text) if part), SMS_LIMIT)
    if len(link) >= SMS_LIMIT:
        return trim(subject, SMS_LIMIT)
    subject = trim(subject, SMS_LIMIT - len(link) - 1)
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
