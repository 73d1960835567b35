from django.urls import path

from accord.briefs.views import editor, pages

app_name = "briefs"

WS = "w/<slug:workspace_slug>/"
BRIEF = WS + "requisitions/<uuid:public_id>/brief/"
EDIT = BRIEF + "edit/"
LINK = "b/<str:token>/"

urlpatterns = [
    path(BRIEF, pages.brief, name="brief"),
    path(BRIEF + "v<int:number>/", pages.version, name="version"),
    path(BRIEF + "v<int:number>/diff/", pages.diff, name="diff"),
    path(BRIEF + "v<int:number>/export/<slug:fmt>/", pages.export, name="export"),
    path(BRIEF + "start/", pages.start, name="start"),
    path(BRIEF + "send/", pages.send_intake, name="send"),
    path(BRIEF + "revise/", pages.revise, name="revise"),
    path(EDIT, editor.member_edit, name="edit"),
    path(EDIT + "answers/", editor.member_answers, name="answers"),
    path(EDIT + "checks/", editor.member_checks, name="checks"),
    path(EDIT + "criteria/", editor.member_criterion_add, name="criterion-add"),
    path(
        EDIT + "criteria/<uuid:criterion_id>/",
        editor.member_criterion_update,
        name="criterion-update",
    ),
    path(
        EDIT + "criteria/<uuid:criterion_id>/delete/",
        editor.member_criterion_delete,
        name="criterion-delete",
    ),
    path(EDIT + "stages/", editor.member_stage_add, name="stage-add"),
    path(EDIT + "stages/<uuid:stage_id>/delete/", editor.member_stage_delete, name="stage-delete"),
    path(EDIT + "sign/", editor.member_sign, name="sign"),
    path(EDIT + "request-sign-off/", editor.member_request_sign_off, name="request-sign-off"),
    path(LINK, editor.link_edit, name="link"),
    path(LINK + "answers/", editor.link_answers, name="link-answers"),
    path(LINK + "checks/", editor.link_checks, name="link-checks"),
    path(LINK + "criteria/", editor.link_criterion_add, name="link-criterion-add"),
    path(
        LINK + "criteria/<uuid:criterion_id>/",
        editor.link_criterion_update,
        name="link-criterion-update",
    ),
    path(
        LINK + "criteria/<uuid:criterion_id>/delete/",
        editor.link_criterion_delete,
        name="link-criterion-delete",
    ),
    path(LINK + "stages/", editor.link_stage_add, name="link-stage-add"),
    path(
        LINK + "stages/<uuid:stage_id>/delete/", editor.link_stage_delete, name="link-stage-delete"
    ),
    path(LINK + "sign/", editor.link_sign, name="link-sign"),
    path(LINK + "done/", editor.link_done, name="link-done"),
    path(WS + "glossary/", pages.glossary, name="glossary"),
    path(WS + "glossary/save/", pages.glossary_save, name="glossary-save"),
    path(WS + "glossary/<uuid:term_id>/delete/", pages.glossary_delete, name="glossary-delete"),
    path(WS + "settings/vague-terms/", pages.lexicon, name="lexicon"),
    path(
        WS + "settings/vague-terms/<uuid:term_id>/delete/",
        pages.lexicon_delete,
        name="lexicon-delete",
    ),
]
