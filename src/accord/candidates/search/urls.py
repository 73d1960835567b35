from django.urls import path

from accord.candidates.search import views

app_name = "search"

BASE = "w/<slug:workspace_slug>/candidates/"

urlpatterns = [
    path(BASE, views.candidate_search, name="candidates"),
    path(BASE + "searches/", views.saved_search_save, name="save"),
    path(
        BASE + "searches/<uuid:public_id>/delete/", views.saved_search_delete, name="saved-delete"
    ),
]
