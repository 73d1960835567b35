from django.urls import path

from accord.audit import views

app_name = "audit"

urlpatterns = [
    path("w/<slug:workspace_slug>/audit/", views.audit_log, name="log"),
]
