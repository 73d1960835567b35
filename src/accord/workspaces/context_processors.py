from typing import Any

from django.http import HttpRequest

from accord.workspaces.access import ROLE_PERMISSIONS
from accord.workspaces.selectors import memberships_for


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The current member, their permissions and their other workspaces, for the web shell."""
    member = getattr(request, "member", None)
    user = getattr(request, "user", None)
    return {
        "member": member,
        "current_workspace": getattr(request, "workspace", None),
        "member_perms": ROLE_PERMISSIONS.get(member.role, frozenset()) if member else frozenset(),
        "memberships": (
            memberships_for(user) if user is not None and user.is_authenticated else ()
        ),
    }
