from django.urls import path

from accord.workspaces.views import invitations, members, workspaces

app_name = "workspaces"

urlpatterns = [
    path("workspaces/", workspaces.workspace_list, name="list"),
    path("workspaces/new/", workspaces.workspace_create, name="create"),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation-accept"),
    path("w/<slug:workspace_slug>/settings/", workspaces.workspace_settings, name="settings"),
    path("w/<slug:workspace_slug>/members/", members.member_list, name="members"),
    path("w/<slug:workspace_slug>/members/invite/", members.invitation_create, name="invite"),
    path(
        "w/<slug:workspace_slug>/invitations/<uuid:public_id>/resend/",
        members.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "w/<slug:workspace_slug>/invitations/<uuid:public_id>/revoke/",
        members.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "w/<slug:workspace_slug>/members/<uuid:public_id>/role/",
        members.member_role,
        name="member-role",
    ),
    path(
        "w/<slug:workspace_slug>/members/<uuid:public_id>/deactivate/",
        members.member_deactivate,
        name="member-deactivate",
    ),
    path(
        "w/<slug:workspace_slug>/members/<uuid:public_id>/reactivate/",
        members.member_reactivate,
        name="member-reactivate",
    ),
]
