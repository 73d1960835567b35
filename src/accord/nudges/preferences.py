"""Writes of how people are reached (their contact preference) and of a workspace's escalation
rules (its nudge policy), and the test message that proves a channel works."""

from datetime import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.audit.services import Changes, apply_changes, audit_record
from accord.nudges.channels import Channel, validate_phone, validate_webhook_url
from accord.nudges.models import (
    ContactPreference,
    Message,
    MessageKind,
    NudgePolicy,
)
from accord.nudges.services import message_queue, render, route
from accord.workspaces.access import MANAGE_REVIEWS, MANAGE_WORKSPACE, require
from accord.workspaces.models import Member, Workspace

# "At most one message every N hours": 0 sends each reminder as it falls due.
GAP_CHOICES = [
    (0, gettext_lazy("As they happen")),
    (1, gettext_lazy("1 hour")),
    (2, gettext_lazy("2 hours")),
    (4, gettext_lazy("4 hours")),
    (8, gettext_lazy("8 hours")),
    (24, gettext_lazy("24 hours (a daily digest)")),
]
CONTACT_FIELDS = frozenset(
    {
        "channel",
        "webhook_url",
        "phone",
        "quiet_start",
        "quiet_end",
        "quiet_weekends",
        "min_gap_hours",
    }
)
POLICY_FIELDS = frozenset(
    {"remind_before_hours", "escalate_after_days", "contact", "contact_after_days"}
)
REMIND_BEFORE_MAX_HOURS = 72
ESCALATE_MAX_DAYS = 10


def _unknown(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def _contact_values(preference: ContactPreference, fields: dict[str, Any]) -> dict[str, Any]:
    """The preference's new values, validated; every problem at once, keyed by field."""
    values = {name: fields.get(name, getattr(preference, name)) for name in CONTACT_FIELDS}
    errors: dict[str, str] = {}
    if values["channel"] not in Channel.values:
        errors["channel"] = _("Choose email, chat or text message.")
    values["webhook_url"] = (values["webhook_url"] or "").strip()
    values["phone"] = (values["phone"] or "").strip()
    if values["webhook_url"]:
        try:
            values["webhook_url"] = validate_webhook_url(values["webhook_url"])
        except ValidationError as error:
            errors["webhook_url"] = " ".join(error.messages)
    elif values["channel"] == "chat":
        errors["webhook_url"] = _(
            "Paste your chat’s incoming webhook address, or choose another channel."
        )
    if values["phone"]:
        try:
            values["phone"] = validate_phone(values["phone"])
        except ValidationError as error:
            errors["phone"] = " ".join(error.messages)
    elif values["channel"] == "sms":
        errors["phone"] = _(
            "Enter your mobile number with its country code, or choose another channel."
        )
    for name in ("quiet_start", "quiet_end"):
        if not isinstance(values[name], time):
            errors[name] = _("Enter a time such as 20:00.")
    if values["min_gap_hours"] not in dict(GAP_CHOICES):
        errors["min_gap_hours"] = _("Choose one of the offered intervals.")
    if errors:
        raise ValidationError(errors)
    values["quiet_weekends"] = bool(values["quiet_weekends"])
    return values


@transaction.atomic
def contact_update(*, actor: Member, member: Member, **fields: Any) -> ContactPreference:
    """Save how `member` wants to be reached. From then on it is their choice (`chosen`), which
    a later brief's communication agreement no longer overwrites.

    People set their own; recruiters and admins may set it for someone in their workspace who
    told them (the model's "or their recruiter for them")."""
    _unknown(fields, CONTACT_FIELDS)
    if actor.pk != member.pk:
        require(actor, MANAGE_REVIEWS, member.workspace_id)
    elif not actor.is_active:
        raise ValidationError(_("Your membership of this workspace has ended."))
    # Created with the defaults if missing (a concurrent creation is absorbed by
    # get_or_create), then locked, so two saves at once apply one after the other.
    ContactPreference.objects.get_or_create(member=member)
    preference = ContactPreference.objects.select_for_update().get(member=member)
    values = _contact_values(preference, fields)
    changes: Changes = apply_changes(preference, **values, chosen=True)
    if not changes:
        return preference
    preference.updated_at = timezone.now()
    preference.save(update_fields=[*changes, "updated_at"])
    member.contact = preference  # what route(member) reads later in this request
    audit_record(
        actor=actor.user,
        workspace=member.workspace,
        action="contact.updated",
        obj=member,
        changes=_masked(changes),
        object_repr=str(member.user),
    )
    return preference


def _masked(changes: Changes) -> Changes:
    """The audit log keeps that a webhook or number changed, not the value: a webhook address
    lets anyone post to the channel, and a number is personal."""
    masked = dict(changes)
    for name in ("webhook_url", "phone"):
        if name in masked:
            masked[name] = [_mask(str(v or "")) for v in masked[name]]
    return masked


def _mask(value: str) -> str:
    if not value:
        return ""
    if "://" in value:
        scheme, _sep, rest = value.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}/…"
    return "…" + value[-3:]


@transaction.atomic
def contact_test(*, actor: Member, member: Member) -> Message:
    """Queue a short message to `member` on the channel their preference routes to, so they can
    see that it arrives. Sent once the transaction commits, like any other message."""
    if actor.pk != member.pk:
        raise ValidationError(_("You can only send a test message to yourself."))
    if not member.is_active:
        raise ValidationError(_("Your membership of this workspace has ended."))
    channel = route(member)[0]
    settings_url = settings.SITE_URL + reverse("nudges:contact", args=[member.workspace.slug])
    content = render(
        "nudges/messages/test",
        {
            "recipient": member,
            "workspace": member.workspace,
            "channel": channel,
            "links": [(_("Change how Accord reaches you"), settings_url)],
        },
    )
    return message_queue(recipient=member, kind=MessageKind.NOTICE, content=content)


def _policy_values(
    workspace: Workspace, policy: NudgePolicy, fields: dict[str, Any]
) -> dict[str, Any]:
    values = {name: fields.get(name, getattr(policy, name)) for name in POLICY_FIELDS}
    errors: dict[str, str] = {}
    limits = {
        "remind_before_hours": (
            REMIND_BEFORE_MAX_HOURS,
            _("Set the first reminder between 0 and 72 hours before the due time."),
        ),
        "escalate_after_days": (
            ESCALATE_MAX_DAYS,
            _("Tell the recruiter between 0 and 10 business days after the due time."),
        ),
        "contact_after_days": (
            ESCALATE_MAX_DAYS,
            _("Tell the escalation contact between 0 and 10 business days after the due time."),
        ),
    }
    for name, (top, message) in limits.items():
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            errors[name] = message
    contact = values["contact"]
    if contact is not None and (
        contact.workspace_id != workspace.pk
        or not Member.objects.active().filter(pk=contact.pk).exists()
    ):
        errors["contact"] = _("Choose an active member of this workspace, or nobody.")
    if (
        contact is not None
        and "contact_after_days" not in errors
        and "escalate_after_days" not in errors
        and values["contact_after_days"] < values["escalate_after_days"]
    ):
        errors["contact_after_days"] = _(
            "The escalation contact hears after the recruiter: choose at least as many days "
            "as for the recruiter (%(days)d)."
        ) % {"days": values["escalate_after_days"]}
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def policy_update(*, actor: Member, workspace: Workspace, **fields: Any) -> NudgePolicy:
    """Change the workspace's reminder and escalation rules. Actions opened from now on follow
    them; the nudges already planned for open actions stay as they were."""
    _unknown(fields, POLICY_FIELDS)
    require(actor, MANAGE_WORKSPACE, workspace.pk)
    NudgePolicy.objects.get_or_create(workspace=workspace)
    policy = NudgePolicy.objects.select_for_update().get(workspace=workspace)
    values = _policy_values(workspace, policy, fields)
    changes = apply_changes(policy, **values)
    if not changes:
        return policy
    policy.save(update_fields=list(changes))
    audit_record(
        actor=actor.user,
        workspace=workspace,
        action="nudge_policy.updated",
        obj=workspace,
        changes=changes,
        object_repr=str(workspace),
    )
    return policy
