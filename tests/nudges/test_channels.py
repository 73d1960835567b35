"""Delivering one message: email through a real SMTP server, chat and Twilio through a real HTTP
server on loopback, and every kind of failure sorted into "try again" and "give up"."""

import base64
import logging
import socket
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accord.nudges.channels import (
    SMS_LIMIT,
    Channel,
    DeliveryError,
    LoggingSmsProvider,
    Outgoing,
    TwilioSmsProvider,
    chat_flavour,
    deliver,
    slack_payload,
    sms_body,
    sms_provider,
    teams_payload,
    validate_phone,
    validate_webhook_url,
)
from conftest import Mailbox, free_port
from tests.nudges.conftest import RefusingMailServer
from tests.receivers import Receiver, Reply

REVIEW = "https://accord.example.com/r/7f3e/review"
PROFILE = "https://accord.example.com/r/7f3e/candidates"


def outgoing(**fields: Any) -> Outgoing:
    values: dict[str, Any] = {
        "key": str(uuid.uuid4()),
        "subject": "Review due: 5 candidates for Senior Engineer",
        "text": "Hugo, Rita shortlisted 5 candidates. Your review is due Tuesday at 15:00.",
        "html": "<p>Hugo, Rita shortlisted <b>5 candidates</b>.</p>",
        "links": (("Review now", REVIEW), ("See the candidates", PROFILE)),
        "to_email": "hugo@example.com",
        "to_name": "Hugo Manager",
        "phone": "+44 7700 900123",
    }
    values.update(fields)
    return Outgoing(**values)


def failure(channel: str, message: Outgoing) -> DeliveryError:
    with pytest.raises(DeliveryError) as raised:
        deliver(channel, message)
    return raised.value


def test_channel_choices() -> None:
    assert Channel.values == ["email", "chat", "sms"]
    assert str(Channel.CHAT.label) == "Chat (Slack or Teams webhook)"


def test_an_unknown_channel_is_a_permanent_failure() -> None:
    error = failure("pigeon", outgoing())
    assert error.permanent
    assert "pigeon" in str(error)


# --- email ------------------------------------------------------------------------------------


def test_email_goes_out_with_both_parts_and_a_stable_message_id(
    smtp: Mailbox, settings: Any
) -> None:
    settings.SITE_URL = "https://accord.example.com"
    settings.DEFAULT_FROM_EMAIL = "Accord <nudges@accord.example.com>"
    message = outgoing(to_name="Manager, Hugo", subject="Review due:\n5 candidates")

    reference = deliver(Channel.EMAIL, message)

    assert reference == f"<{message.key}@accord.example.com>"
    [sent] = smtp.messages
    assert sent["Message-ID"] == reference
    assert sent["To"] == '"Manager, Hugo" <hugo@example.com>'
    assert sent["From"] == "Accord <nudges@accord.example.com>"
    assert sent["Subject"] == "Review due: 5 candidates"
    assert smtp.text(sent).strip() == message.text
    html = sent.get_body(preferencelist=("html",))
    assert html is not None
    assert html.get_content().strip() == message.html

    # A retry after a crash carries the same id, so the second copy is recognisably the same.
    assert deliver(Channel.EMAIL, message) == reference
    assert smtp.messages[1]["Message-ID"] == reference


def test_email_without_html_is_plain_text(smtp: Mailbox) -> None:
    deliver(Channel.EMAIL, outgoing(html="", to_name=""))
    [sent] = smtp.messages
    assert sent.get_content_type() == "text/plain"
    assert sent["To"] == "hugo@example.com"


@pytest.mark.parametrize(
    ("reply", "permanent"),
    [
        ("550 5.1.1 No such user here", True),
        ("553 5.1.3 Bad recipient address syntax", True),
        ("450 4.2.0 Greylisted, try again later", False),
        ("452 4.2.2 Mailbox full", False),
    ],
)
def test_a_refused_recipient(
    refusing_smtp: RefusingMailServer, reply: str, permanent: bool
) -> None:
    refusing_smtp.rcpt_reply = reply
    error = failure(Channel.EMAIL, outgoing())
    assert error.permanent is permanent
    code, _, text = reply.partition(" ")
    assert str(error) == f"The mail server refused the recipient: hugo@example.com {code} {text}"
    assert refusing_smtp.delivered == 0


@pytest.mark.parametrize(
    ("reply", "permanent"),
    [("554 5.7.1 Message rejected as spam", True), ("451 4.3.0 Try again later", False)],
)
def test_a_refused_message(refusing_smtp: RefusingMailServer, reply: str, permanent: bool) -> None:
    refusing_smtp.data_reply = reply
    error = failure(Channel.EMAIL, outgoing())
    assert error.permanent is permanent
    assert str(error) == f"The mail server answered {reply}"


def test_no_mail_server_is_transient(no_smtp: None) -> None:
    error = failure(Channel.EMAIL, outgoing())
    assert not error.permanent
    assert str(error).startswith("Could not reach the mail server: ")


def test_a_silent_mail_server_times_out_and_is_transient(silent_smtp: None) -> None:
    error = failure(Channel.EMAIL, outgoing())
    assert not error.permanent
    assert str(error) == "Could not reach the mail server: it did not answer in time."


@pytest.mark.parametrize("address", ["", "not an address", "hugo@example.com\nBcc: x@evil.test"])
def test_a_bad_address_is_permanent_and_nothing_is_sent(smtp: Mailbox, address: str) -> None:
    error = failure(Channel.EMAIL, outgoing(to_email=address))
    assert error.permanent
    assert smtp.messages == []


# --- chat: formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "flavour"),
    [
        ("https://hooks.slack.com/services/T000/B000/XXXX", "slack"),
        ("https://HOOKS.SLACK.COM/services/T000/B000/XXXX", "slack"),
        ("https://hooks.slack-gov.com/services/T000/B000/XXXX", "slack"),
        ("https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def", "teams"),
        ("https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual", "teams"),
        ("https://default1234.56.environment.api.powerplatform.com/powerautomate/x", "teams"),
        ("https://chat.example.com/hooks/abc123", "generic"),  # Mattermost
        ("https://discord.com/api/webhooks/1/abc/slack", "generic"),
        ("https://slack.com.evil.test/hook", "generic"),
        ("https://webhook.office.com.evil.test/hook", "generic"),
        ("https://evil-webhook.office.com/hook", "generic"),
    ],
)
def test_chat_flavour(url: str, flavour: str) -> None:
    assert chat_flavour(url) == flavour


def test_slack_payload() -> None:
    message = outgoing(subject="Review due: A & B", text="Line one <b>\nLine two")
    assert slack_payload(message) == {
        "text": (
            "*Review due: A &amp; B*\nLine one &lt;b&gt;\nLine two\n"
            f"<{REVIEW}|Review now> · <{PROFILE}|See the candidates>"
        ),
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*Review due: A &amp; B*\nLine one &lt;b&gt;\nLine two",
                },
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Review now", "emoji": True},
                        "url": REVIEW,
                        "action_id": "link-0",
                    },
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "See the candidates", "emoji": True},
                        "url": PROFILE,
                        "action_id": "link-1",
                    },
                ],
            },
        ],
    }


def test_slack_payload_without_links_has_no_actions_and_respects_slack_limits() -> None:
    payload = slack_payload(outgoing(links=(), text="x" * 5000))
    [section] = payload["blocks"]
    assert len(section["text"]["text"]) == 3000
    assert section["text"]["text"].endswith("x…")

    label = "A very long label " * 10
    [_, actions] = slack_payload(outgoing(links=((label, REVIEW),) * 9))["blocks"]
    assert len(actions["elements"]) == 5
    assert all(len(button["text"]["text"]) <= 75 for button in actions["elements"])


def test_teams_payload() -> None:
    assert teams_payload(outgoing(text="Due Tuesday.")) == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": "Review due: 5 candidates for Senior Engineer",
                            "weight": "Bolder",
                            "size": "Medium",
                            "wrap": True,
                        },
                        {"type": "TextBlock", "text": "Due Tuesday.", "wrap": True},
                    ],
                    "actions": [
                        {"type": "Action.OpenUrl", "title": "Review now", "url": REVIEW},
                        {"type": "Action.OpenUrl", "title": "See the candidates", "url": PROFILE},
                    ],
                },
            }
        ],
    }
    card = teams_payload(outgoing(links=(), text=""))["attachments"][0]["content"]
    assert "actions" not in card
    assert len(card["body"]) == 1


# --- chat: posting ----------------------------------------------------------------------------


@pytest.fixture
def hook(webhook_receiver: Receiver, insecure_webhooks: None) -> Receiver:
    return webhook_receiver


def test_a_generic_webhook_gets_the_slack_compatible_payload(hook: Receiver) -> None:
    message = outgoing(webhook_url=hook.url("/hooks/abc"))

    assert deliver(Channel.CHAT, message) == "http-200"

    [received] = hook.requests
    assert received.method == "POST"
    assert received.path == "/hooks/abc"
    assert received.json == slack_payload(message)
    assert received.headers["Content-Type"] == "application/json; charset=utf-8"
    assert received.headers["Idempotency-Key"] == message.key

    # A retry carries the same key.
    deliver(Channel.CHAT, message)
    assert hook.requests[1].headers["Idempotency-Key"] == message.key


@pytest.mark.parametrize(
    ("headers", "reference"),
    [
        ({"X-Slack-Req-Id": "a1b2c3"}, "a1b2c3"),
        ({"request-id": "0f9e-8d7c"}, "0f9e-8d7c"),
        ({}, "http-202"),
    ],
)
def test_the_reference_is_the_providers_request_id(
    hook: Receiver, headers: dict[str, str], reference: str
) -> None:
    hook.answer(Reply(status=202, headers=headers))
    assert deliver(Channel.CHAT, outgoing(webhook_url=hook.url("/h"))) == reference


@pytest.mark.parametrize(
    ("status", "body", "permanent"),
    [
        (500, "rollup_error", False),
        (502, "", False),
        (503, "down for maintenance", False),
        (429, "rate limited", False),
        (408, "", False),
        (400, "invalid_payload", True),
        (403, "action_prohibited", True),
        (404, "no_service", True),
        (410, "channel_is_archived", True),
    ],
)
def test_error_answers_are_classified(
    hook: Receiver, status: int, body: str, permanent: bool
) -> None:
    hook.answer(Reply(status=status, body=body))
    error = failure(Channel.CHAT, outgoing(webhook_url=hook.url("/h")))
    assert error.permanent is permanent
    assert str(error).startswith(f"127.0.0.1 answered {status}: ")
    assert str(error).endswith(body or "")


def test_a_slow_webhook_times_out_and_is_transient(hook: Receiver, settings: Any) -> None:
    settings.NUDGE_SEND_TIMEOUT_SECONDS = 1
    hook.answer(Reply(delay=5))
    error = failure(Channel.CHAT, outgoing(webhook_url=hook.url("/h")))
    assert not error.permanent
    assert str(error) == "Could not reach 127.0.0.1: no answer within 1 second"


def test_nothing_listening_is_transient(insecure_webhooks: None) -> None:
    error = failure(Channel.CHAT, outgoing(webhook_url=f"http://127.0.0.1:{free_port()}/h"))
    assert not error.permanent
    assert str(error).startswith("Could not reach 127.0.0.1: ")


def test_a_redirect_to_another_host_is_refused(hook: Receiver) -> None:
    with Receiver() as elsewhere:
        target = f"http://localhost:{elsewhere.port}/stolen"
        hook.answer(Reply(status=307, headers={"Location": target}))
        error = failure(Channel.CHAT, outgoing(webhook_url=hook.url("/h")))
        assert error.permanent
        assert f"redirected the message to {target}" in str(error)
        assert elsewhere.requests == []


def test_a_redirect_that_would_drop_the_body_is_refused(hook: Receiver) -> None:
    hook.answer(Reply(status=302, headers={"Location": "/moved"}))
    error = failure(Channel.CHAT, outgoing(webhook_url=hook.url("/h")))
    assert error.permanent
    assert [request.route for request in hook.requests] == ["/h"]


def test_a_same_host_redirect_keeping_the_post_is_followed(hook: Receiver) -> None:
    hook.answer(Reply(status=308, headers={"Location": "/moved"}))
    message = outgoing(webhook_url=hook.url("/h"))
    assert deliver(Channel.CHAT, message) == "http-200"
    first, second = hook.requests
    assert (first.route, second.route) == ("/h", "/moved")
    assert second.method == "POST"
    assert second.body == first.body
    assert second.headers["Idempotency-Key"] == message.key


def test_endless_redirects_give_up(hook: Receiver) -> None:
    hook.default = Reply(status=307, headers={"Location": "/again"})
    error = failure(Channel.CHAT, outgoing(webhook_url=hook.url("/h")))
    assert error.permanent
    assert str(error) == "127.0.0.1 redirected the message too many times."
    assert len(hook.requests) == 4


# --- chat: which addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/services/T000/B000/XXXX",
        "ftp://hooks.slack.com/x",
        "hooks.slack.com/services/T000",
        "https://",
        "https:///path",
        "https://127.0.0.1/hook",
        "https://127.1.2.3:8443/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://user:secret@hooks.slack.com/services/T000",
        "https://hooks.slack.com:99999/services",
    ],
)
def test_validate_webhook_url_refuses(url: str, settings: Any) -> None:
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = False
    with pytest.raises(ValidationError):
        validate_webhook_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/services/T000/B000/XXXX",
        "  https://contoso.webhook.office.com/webhookb2/abc  ",
        "https://chat.example.com:8443/hooks/abc",
        "https://8.8.8.8/hook",
        "https://[2001:4860:4860::8888]/hook",
    ],
)
def test_validate_webhook_url_accepts(url: str, settings: Any) -> None:
    # Host names are not resolved here (see validate_webhook_url): these pass without a network.
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = False
    assert validate_webhook_url(url) == url.strip()


def test_the_messages_say_what_to_do(settings: Any) -> None:
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = False
    with pytest.raises(ValidationError) as raised:
        validate_webhook_url("http://hooks.slack.com/services/T000")
    assert raised.value.messages == [
        "Use the https:// address that Slack, Teams or your chat tool gave you."
    ]
    with pytest.raises(ValidationError) as raised:
        validate_webhook_url("https://192.168.1.10/hook")
    assert raised.value.code == "private"


def test_insecure_development_setting_allows_http_and_loopback(settings: Any) -> None:
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = True
    assert validate_webhook_url("http://127.0.0.1:8065/hooks/x") == "http://127.0.0.1:8065/hooks/x"
    with pytest.raises(ValidationError):
        validate_webhook_url("ftp://127.0.0.1/x")


def test_deliver_checks_the_address_again(webhook_receiver: Receiver, settings: Any) -> None:
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = False
    error = failure(Channel.CHAT, outgoing(webhook_url=webhook_receiver.url("/h")))
    assert error.permanent
    assert str(error) == "Use the https:// address that Slack, Teams or your chat tool gave you."
    assert webhook_receiver.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",  # 127.0.0.1 written as a number: not an IP literal to ipaddress
        "0x7f.1",
        socket.gethostname(),
    ],
)
def test_a_name_resolving_to_a_private_address_is_refused_when_connecting(
    webhook_receiver: Receiver, settings: Any, host: str
) -> None:
    addresses = {info[4][0] for info in socket.getaddrinfo(host, 443)}
    if not addresses & {"127.0.0.1", "::1"}:
        pytest.skip(f"{host} does not resolve to loopback on this machine")
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = False
    url = f"https://{host}:{webhook_receiver.port}/h"
    assert validate_webhook_url(url) == url

    error = failure(Channel.CHAT, outgoing(webhook_url=url))

    assert error.permanent
    assert "a local or private address, where Accord does not post" in str(error)
    assert webhook_receiver.requests == []


# --- text messages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+44 7700 900123", "+447700900123"),
        (" +44 (0)7700 900123 ", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("+1 212-555-0142", "+12125550142"),
        ("+91 98765 43210", "+919876543210"),
        ("+81 90-1234-5678", "+819012345678"),
    ],
)
def test_validate_phone(raw: str, e164: str) -> None:
    assert validate_phone(raw) == e164


def test_a_number_without_country_code_is_refused_with_an_example() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_phone("07700 900123")
    assert raised.value.messages == [
        "Write the number with its country code, e.g. +44 7700 900123."
    ]


@pytest.mark.parametrize("raw", ["+44 12", "+44 7700 900123 4567 89", "+hello", "+", ""])
def test_validate_phone_refuses_what_is_not_a_number(raw: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(raw)


def test_sms_body_is_the_subject_and_the_first_link() -> None:
    assert sms_body(outgoing()) == f"Review due: 5 candidates for Senior Engineer\n{REVIEW}"


def test_sms_body_trims_the_words_never_the_link() -> None:
    body = sms_body(outgoing(subject="word " * 200))
    assert len(body) == SMS_LIMIT
    assert body.endswith(f"…\n{REVIEW}")


def test_sms_body_without_a_link_uses_the_text() -> None:
    assert sms_body(outgoing(links=(), subject="Due", text="Review by\nTuesday.")) == (
        "Due\nReview by Tuesday."
    )
    body = sms_body(outgoing(links=(), text="blah " * 200))
    assert len(body) == SMS_LIMIT
    assert body.endswith("blah…")


def test_the_logging_provider_logs_and_sends_nothing(
    caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.SMS_PROVIDER = "log"
    message = outgoing()
    with caplog.at_level(logging.INFO, logger="accord.sms"):
        reference = deliver(Channel.SMS, message)
    assert reference == f"log-{message.key}"
    [record] = caplog.records
    assert record.name == "accord.sms"
    assert record.getMessage() == f"SMS to +447700900123 (ref {message.key}): {sms_body(message)}"


def test_sms_provider_follows_the_setting(settings: Any) -> None:
    settings.SMS_PROVIDER = "log"
    assert isinstance(sms_provider(), LoggingSmsProvider)
    settings.SMS_PROVIDER = "twilio"
    assert isinstance(sms_provider(), TwilioSmsProvider)


def test_an_invalid_phone_is_permanent_and_nothing_is_sent(twilio: Receiver) -> None:
    error = failure(Channel.SMS, outgoing(phone="07700 900123"))
    assert error.permanent
    assert str(error) == "Write the number with its country code, e.g. +44 7700 900123."
    assert twilio.requests == []


@pytest.fixture
def twilio(webhook_receiver: Receiver, settings: Any) -> Receiver:
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC0123456789abcdef"
    settings.TWILIO_AUTH_TOKEN = "token-secret"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TWILIO_API_BASE = webhook_receiver.base_url
    return webhook_receiver


def test_twilio_sends_the_form_with_basic_auth(twilio: Receiver) -> None:
    twilio.answer(Reply(status=201, body={"sid": "SM9f8e7d", "status": "queued"}))
    message = outgoing()

    assert deliver(Channel.SMS, message) == "SM9f8e7d"

    [received] = twilio.requests
    assert received.method == "POST"
    assert received.path == "/2010-04-01/Accounts/AC0123456789abcdef/Messages.json"
    assert received.form == {
        "To": "+447700900123",
        "From": "+15005550006",
        "Body": sms_body(message),
    }
    scheme, _, credentials = received.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(credentials).decode() == "AC0123456789abcdef:token-secret"


def test_twilio_invalid_number_is_permanent(twilio: Receiver) -> None:
    twilio.answer(
        Reply(
            status=400,
            body={
                "code": 21211,
                "message": "The 'To' number +447700900123 is not a valid phone number.",
                "more_info": "https://www.twilio.com/docs/errors/21211",
                "status": 400,
            },
        )
    )
    error = failure(Channel.SMS, outgoing())
    assert error.permanent
    assert str(error) == (
        "Twilio answered 400: The 'To' number +447700900123 is not a valid phone number. "
        "(code 21211)"
    )


@pytest.mark.parametrize(
    ("status", "permanent"), [(500, False), (503, False), (429, False), (401, True), (404, True)]
)
def test_twilio_errors_are_classified(twilio: Receiver, status: int, permanent: bool) -> None:
    twilio.answer(Reply(status=status, body="<html>error</html>"))
    error = failure(Channel.SMS, outgoing())
    assert error.permanent is permanent
    assert str(error) == f"Twilio answered {status}: <html>error</html>"


def test_twilio_unreachable_is_transient(settings: Any) -> None:
    provider = TwilioSmsProvider(
        account_sid="AC1",
        auth_token="t",
        from_number="+15005550006",
        api_base=f"http://127.0.0.1:{free_port()}",
    )
    with pytest.raises(DeliveryError) as raised:
        provider.send(to="+447700900123", body="Hi", reference="r1")
    assert not raised.value.permanent
    assert str(raised.value).startswith("Could not reach Twilio: ")
