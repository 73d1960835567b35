from django.urls import path

from accord.reports import views

app_name = "reports"

WS = "w/<slug:workspace_slug>/"
REQ = WS + "requisitions/<uuid:public_id>/report/"
MANAGER = WS + "status/managers/<uuid:public_id>/"

urlpatterns = [
    path(WS + "status/", views.index, name="index"),
    path(REQ, views.requisition_report, name="requisition"),
    path(REQ + "note/", views.note_save, name="note"),
    path(REQ + "send/", views.report_send, name="send"),
    path(REQ + "pdf/", views.requisition_pdf, name="requisition-pdf"),
    path(MANAGER, views.manager_report, name="manager"),
    path(MANAGER + "send/", views.manager_send, name="manager-send"),
    path(MANAGER + "schedule/", views.schedule_save, name="schedule"),
    path(WS + "status/reports/<uuid:public_id>/", views.snapshot, name="snapshot"),
    path(WS + "status/reports/<uuid:public_id>/pdf/", views.snapshot_pdf, name="snapshot-pdf"),
    path(WS + "status/share/", views.share_create, name="share-create"),
    path(WS + "status/share/<uuid:public_id>/revoke/", views.share_revoke, name="share-revoke"),
    # Read-only, for people without an account; the token names a revocable ShareLink.
    path("p/<str:token>/", views.shared, name="shared"),
]
