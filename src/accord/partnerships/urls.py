from django.urls import path

from accord.partnerships.views import partners, touchpoints

app_name = "partnerships"

WS = "w/<slug:workspace_slug>/"
PARTNER = WS + "partners/<uuid:public_id>/"
LESSON = WS + "partners/lessons/<uuid:lesson_id>/"
TOUCHPOINT = WS + "partners/touchpoints/<uuid:touchpoint_id>/"

urlpatterns = [
    # Every hiring manager, and one manager's profile (the recruiting team's own notes).
    path(WS + "partners/", partners.index, name="index"),
    path(PARTNER, partners.profile, name="profile"),
    path(PARTNER + "save/", partners.profile_save, name="profile-save"),
    path(PARTNER + "touchpoints/", touchpoints.touchpoint_add, name="touchpoint-add"),
    # Correct one (GET: the form), delete one (GET: asks first).
    path(TOUCHPOINT + "edit/", touchpoints.touchpoint_edit, name="touchpoint-edit"),
    path(TOUCHPOINT + "delete/", touchpoints.touchpoint_delete, name="touchpoint-delete"),
    path(PARTNER + "lessons/", partners.lesson_add, name="lesson-add"),
    path(LESSON + "retire/", partners.lesson_retire, name="lesson-retire"),
    path(LESSON + "restore/", partners.lesson_restore, name="lesson-restore"),
    # From the intake editor: a lesson appended to the draft brief's answer.
    path(
        WS + "requisitions/<uuid:public_id>/lessons/<uuid:lesson_id>/carry/",
        partners.lesson_carry,
        name="lesson-carry",
    ),
]
