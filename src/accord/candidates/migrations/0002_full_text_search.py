"""Full-text search over candidates: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL.

Only database objects the ORM does not model (see accord.candidates.search.schema), so there are
no state operations.
"""

from django.db import migrations

from accord.candidates.search import schema


def forwards(apps, schema_editor):
    schema.install(schema_editor)


def backwards(apps, schema_editor):
    schema.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
