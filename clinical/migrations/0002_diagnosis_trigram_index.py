"""Trigram index for the diagnosis typeahead, on PostgreSQL only (SQLite scans 74,700 rows fine
for a local demo). `LIKE '%word%'` on search_text uses it."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dx_search_text_trgm ON clinical_diagnosiscode "
        "USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS dx_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("clinical", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
