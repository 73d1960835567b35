from collections.abc import Iterable
from typing import Any

from django.db import models

from accord.audit.models import AuditEntry
from accord.people.models import User
from accord.workspaces.models import Workspace

Changes = dict[str, list[Any]]


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value for the change list."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def apply_changes(obj: models.Model, **values: Any) -> Changes:
    """Set attributes on obj and return {field: [old, new]} for those that really changed."""
    changes: Changes = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(obj, field, new)
    return changes


def _entry(
    actor: User | None,
    workspace: Workspace | None,
    action: str,
    obj: models.Model,
    changes: Changes | None,
    object_repr: str | None,
    about_id: int | None = None,
) -> AuditEntry:
    return AuditEntry(
        about_id=about_id,
        workspace=workspace,
        actor=actor,
        actor_name=str(actor) if actor else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "public_id", obj.pk)),
        object_repr=(object_repr if object_repr is not None else str(obj))[:200],
        changes=changes or {},
    )


def audit_record(
    *,
    actor: User | None,
    workspace: Workspace | None,
    action: str,
    obj: models.Model,
    changes: Changes | None = None,
    object_repr: str | None = None,
    about_id: int | None = None,
) -> AuditEntry:
    """Record one write. Call inside the service's transaction so both land or neither does.
    `about_id`: the member the entry's notes are about, to whom the log doesn't show it."""
    entry = _entry(actor, workspace, action, obj, changes, object_repr, about_id)
    entry.save(force_insert=True)
    return entry


def audit_record_many(
    *,
    actor: User | None,
    workspace: Workspace | None,
    action: str,
    items: Iterable[tuple[models.Model, Changes | None, str | None]],
) -> list[AuditEntry]:
    """One entry per (object, changes, repr), as `audit_record` writes them, in one query: a
    bulk action must not cost a query per object."""
    return AuditEntry.objects.bulk_create(
        _entry(actor, workspace, action, obj, changes, object_repr)
        for obj, changes, object_repr in items
    )
