from django.urls import URLPattern, path  # noqa: F401

app_name = "skills"

urlpatterns: list[URLPattern] = []
