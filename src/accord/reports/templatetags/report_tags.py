"""Reading a report's stored figures in templates: its values are plain JSON (codes and ISO
dates), shown in words and in the reader's format."""

from datetime import date

from django import template
from django.utils.formats import date_format

from accord.nudges.channels import Channel

register = template.Library()


@register.filter
def channel_label(code: str) -> str:
    """ "sms" → "Text message"."""
    return str(dict(Channel.choices).get(code, code))


@register.filter
def day(value: str | None) -> str:
    """An ISO date ("2026-06-14") as the reader's short date."""
    if not value:
        return ""
    try:
        return date_format(date.fromisoformat(value), "j M Y")
    except ValueError:
        return value
