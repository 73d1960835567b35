from django.contrib import admin

from accord.workspaces.models import Invitation, Member, Workspace


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin[Workspace]):
    list_display = ["name", "slug", "time_zone", "created_at"]
    search_fields = ["name", "slug"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ["user", "workspace", "role", "is_active", "joined_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__display_name", "workspace__name"]
    list_select_related = ["user", "workspace"]
    raw_id_fields = ["user", "workspace"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "workspace", "role", "sent_at", "expires_at", "accepted_at"]
    list_select_related = ["workspace"]
    search_fields = ["email"]
    raw_id_fields = ["workspace", "invited_by", "accepted_by"]
