from django.urls import path

from accord.pipeline.views import board, stages

app_name = "pipeline"

TEMPLATES = "w/<slug:workspace_slug>/stages/"
PIPELINE = "w/<slug:workspace_slug>/requisitions/<uuid:public_id>/pipeline/"

urlpatterns = [
    path(TEMPLATES, stages.templates, name="templates"),
    path(TEMPLATES + "<uuid:template_id>/", stages.template_edit, name="template"),
    path(PIPELINE, board.board, name="board"),
    path(PIPELINE + "list/", board.application_list, name="list"),
    path(PIPELINE + "columns/<uuid:stage_id>/", board.column, name="column"),
    path(PIPELINE + "applications/<uuid:application_id>/move/", board.move, name="move"),
    path(PIPELINE + "bulk/", board.bulk, name="bulk"),
    path(PIPELINE + "stages/", stages.stages, name="stages"),
]
