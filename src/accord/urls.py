from django.contrib import admin
from django.urls import include, path

from accord import views

urlpatterns = [
    path("", include("accord.dashboard.urls")),
    path("", include("accord.people.urls")),
    path("", include("accord.workspaces.urls")),
    path("", include("accord.audit.urls")),
    path("", include("accord.requisitions.urls")),
    path("", include("accord.briefs.urls")),
    path("", include("accord.skills.urls")),
    path("", include("accord.candidates.search.urls")),
    path("", include("accord.candidates.urls")),
    path("", include("accord.pipeline.urls")),
    path("", include("accord.matching.urls")),
    path("", include("accord.reviews.urls")),
    path("", include("accord.nudges.urls")),
    path("", include("accord.reports.urls")),
    path("", include("accord.partnerships.urls")),
    path("", include("accord.partnerships.survey_urls")),
    path("", include("accord.analytics.urls")),
    path("healthz/", views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
]
