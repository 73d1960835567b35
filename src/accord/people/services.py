from django.db import transaction

from accord.audit.services import apply_changes, audit_record
from accord.people.models import User


@transaction.atomic
def user_update_profile(*, actor: User, display_name: str, time_zone: str) -> User:
    changes = apply_changes(actor, display_name=display_name.strip(), time_zone=time_zone)
    if changes:
        actor.full_clean()
        actor.save(update_fields=list(changes))
        audit_record(
            actor=actor, workspace=None, action="user.profile_updated", obj=actor, changes=changes
        )
    return actor
