"""Delivering one message on one channel: email, a chat webhook, or a text message.

Plain data in (`Outgoing`), the provider's reference out. Every failure is a `DeliveryError` that
says whether trying again could help (`permanent=False`) or not, in words the delivery log can
show. Nothing here touches the database: recording and retrying are the caller's job.
"""

from django.utils.translation import gettext as _

from accord.nudges.channels.base import Channel, DeliveryError, Outgoing
from accord.nudges.channels.chat import (
    Flavour,
    chat_flavour,
    chat_payload,
    post_chat,
    slack_payload,
    teams_payload,
    validate_webhook_url,
)
from accord.nudges.channels.mail import send_email
from accord.nudges.channels.sms import (
    SMS_LIMIT,
    LoggingSmsProvider,
    SmsProvider,
    TwilioSmsProvider,
    send_sms,
    sms_body,
    sms_provider,
    validate_phone,
)

__all__ = [
    "SMS_LIMIT",
    "Channel",
    "DeliveryError",
    "Flavour",
    "LoggingSmsProvider",
    "Outgoing",
    "SmsProvider",
    "TwilioSmsProvider",
    "chat_flavour",
    "chat_payload",
    "deliver",
    "post_chat",
    "send_email",
    "send_sms",
    "slack_payload",
    "sms_body",
    "sms_provider",
    "teams_payload",
    "validate_phone",
    "validate_webhook_url",
]


def deliver(channel: str, message: Outgoing) -> str:
    """Send `message` on `channel` and return the provider's reference for it."""
    if channel == Channel.EMAIL:
        return send_email(message)
    if channel == Channel.CHAT:
        return post_chat(message)
    if channel == Channel.SMS:
        return send_sms(message)
    raise DeliveryError(_("Unknown channel “%(channel)s”.") % {"channel": channel}, permanent=True)
