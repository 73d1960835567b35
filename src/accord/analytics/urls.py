from django.urls import path

from accord.analytics import views

app_name = "analytics"

WS = "w/<slug:workspace_slug>/analytics/"

urlpatterns = [
    path(WS, views.index, name="index"),
    path(WS + "export.csv", views.export, name="export"),
    path(WS + "records/", views.records, name="records"),
]
