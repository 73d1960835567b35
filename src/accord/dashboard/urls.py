from django.urls import path

from accord.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("w/<slug:workspace_slug>/", views.workspace_home, name="workspace"),
]
