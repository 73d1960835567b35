from django.urls import path

from accord.requisitions import views

app_name = "requisitions"

BASE = "w/<slug:workspace_slug>/requisitions/"
ONE = BASE + "<uuid:public_id>/"

urlpatterns = [
    path(BASE, views.requisition_list, name="list"),
    path(BASE + "new/", views.requisition_create, name="create"),
    path(ONE, views.requisition_detail, name="detail"),
    path(ONE + "edit/", views.requisition_edit, name="edit"),
    path(ONE + "status/", views.requisition_transition, name="transition"),
    path(ONE + "plan/", views.plan_create, name="plan-create"),
    path(ONE + "milestones/<uuid:milestone_id>/", views.milestone_update, name="milestone-update"),
    path(ONE + "kickoff/", views.kickoff_schedule, name="kickoff"),
]
