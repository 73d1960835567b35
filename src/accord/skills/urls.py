from django.urls import path

from accord.skills import views

app_name = "skills"

BASE = "w/<slug:workspace_slug>/skills/"

urlpatterns = [
    path("about/data-sources/", views.about_data, name="about-data"),
    path(BASE, views.skill_list, name="list"),
    path(BASE + "lookup/", views.skill_lookup, name="lookup"),
    path(BASE + "<uuid:public_id>/edit/", views.skill_edit, name="edit"),
    path(BASE + "<uuid:public_id>/delete/", views.skill_delete, name="delete"),
]
