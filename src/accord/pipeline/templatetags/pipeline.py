from datetime import datetime

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def in_stage(entered_at: datetime, now: datetime) -> str:
    """Time in stage as the board shows it: "3 d", or "< 1 d" on the first day."""
    days = (now - entered_at).days
    if days < 1:
        return _("< 1 d")
    return _("%(n)s d") % {"n": days}
