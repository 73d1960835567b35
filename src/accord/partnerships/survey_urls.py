"""The post-hire loop: hires and their surveys, the survey policy, and the survey a manager
answers (signed in, or from a one-tap link)."""

from django.urls import path

from accord.partnerships.views import surveys as views

app_name = "surveys"

WS = "w/<slug:workspace_slug>/"
HIRES = WS + "hires/"

urlpatterns = [
    path(HIRES, views.hires, name="hires"),
    path(HIRES + "policy/", views.policy, name="policy"),
    path(HIRES + "<uuid:public_id>/", views.hire, name="hire"),
    path(HIRES + "<uuid:public_id>/start/", views.hire_start, name="hire-start"),
    # From a hired card of a pipeline, which knows the application, not the hire.
    path(
        WS + "applications/<uuid:public_id>/hire/",
        views.application_hire,
        name="application-hire",
    ),
    path(WS + "surveys/<uuid:public_id>/", views.survey, name="survey"),
    path(WS + "surveys/<uuid:public_id>/send/", views.survey_send, name="send"),
    path(WS + "surveys/<uuid:public_id>/resend/", views.survey_resend, name="resend"),
    # One tap from the message, no password: the token names the survey and its manager.
    path("hs/<str:token>/", views.link, name="link"),
]
