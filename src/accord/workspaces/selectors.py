from django.db.models import QuerySet

from accord.people.models import User
from accord.workspaces.models import Invitation, Member, Workspace


def memberships_for(user: User) -> QuerySet[Member]:
    return (
        Member.objects.active()
        .filter(user=user)
        .select_related("workspace")
        .order_by("workspace__name")
    )


def members_of(workspace: Workspace) -> QuerySet[Member]:
    return (
        Member.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("-is_active", "user__display_name")
    )


def pending_invitations(workspace: Workspace) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            workspace=workspace, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by__user")
        .order_by("-sent_at")
    )
