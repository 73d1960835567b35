"""Chat messages through incoming webhooks: Slack, Microsoft Teams, and Slack-compatible tools."""

import ipaddress
import json
from typing import Any, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accord.nudges.channels.base import DeliveryError, Outgoing, trim
from accord.nudges.channels.web import is_public, permanent_status, post, webhook_opener

Flavour = Literal["slack", "teams", "generic"]
SLACK_HOSTS = ("hooks.slack.com", "hooks.slack-gov.com")
# Teams "Workflows" webhooks (Power Automate) and the older connector webhooks.
TEAMS_HOST_SUFFIXES = (".webhook.office.com", ".logic.azure.com", ".powerplatform.com")
MAX_ACTIONS = 5  # Slack allows 25 buttons and Teams shows 6; a nudge needs a few
SLACK_SECTION_LIMIT = 3000
SLACK_BUTTON_LIMIT = 75


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
    body = trim(_slack_escape(message.text.strip()), SLACK_SECTION_LIMIT - len(heading) - 1)
    links = message.links[:MAX_ACTIONS]
    inline = " · ".join(f"<{_slack_escape(url)}|{_slack_label(label)}>" for label, url in links)
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": trim(f"{heading}\n{body}", SLACK_SECTION_LIMIT)},
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
                            "text": trim(label, SLACK_BUTTON_LIMIT),
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
    answer = post(
        url,
        json.dumps(chat_payload(message, flavour)).encode(),
        {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.key,
        },
        who=who,
        opener=webhook_opener(),
    )
    if not 200 <= answer.status < 300:
        raise DeliveryError(
            _("%(who)s answered %(status)s: %(detail)s")
            % {"who": who, "status": answer.status, "detail": answer.detail()},
            permanent=permanent_status(answer.status),
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
    webhook checks every address the name resolves to just before connecting (see `web.py`), so
    a name pointing inside the network fails at send time, permanently.
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
    return not is_public(address)


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_label(label: str) -> str:
    return _slack_escape(" ".join(label.split()).replace("|", "/"))
