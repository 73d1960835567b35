from django.urls import URLPattern, path

from accord.candidates.views import imports, profiles

app_name = "candidates"

BASE = "w/<slug:workspace_slug>/candidates/"
ONE = BASE + "<uuid:public_id>/"

urlpatterns: list[URLPattern] = [
    path(BASE + "new/", profiles.candidate_create, name="create"),
    path(ONE, profiles.candidate_detail, name="detail"),
    path(ONE + "edit/", profiles.candidate_edit, name="edit"),
    path(ONE + "resume/", profiles.resume_upload, name="resume-upload"),
    path(ONE + "resumes/<uuid:resume_id>/", profiles.resume_download, name="resume-download"),
    path(ONE + "notes/", profiles.note_add, name="note-add"),
    path(ONE + "tags/", profiles.tags_update, name="tags"),
    path(ONE + "apply/", profiles.application_add, name="apply"),
    path(ONE + "merge/", profiles.merge, name="merge"),
    path(ONE + "export/", profiles.data_export, name="export"),
    path(ONE + "erase/", profiles.erase, name="erase"),
    # Imports: many resumes at once, or a CSV with a column-mapping step (views/imports.py).
    # >>> imports block
    path(BASE + "upload/", imports.upload, name="upload"),
    path(BASE + "import/", imports.import_csv, name="import-csv"),
    path(BASE + "imports/", imports.import_list, name="imports"),
    path(BASE + "imports/<uuid:public_id>/", imports.import_detail, name="import-detail"),
    path(BASE + "imports/<uuid:public_id>/mapping/", imports.import_mapping, name="import-mapping"),
    path(
        BASE + "imports/<uuid:public_id>/discard/",
        imports.import_discard,
        name="import-discard",
    ),
    path(
        BASE + "imports/<uuid:public_id>/continue/",
        imports.import_continue,
        name="import-continue",
    ),
    # <<< imports block
]
