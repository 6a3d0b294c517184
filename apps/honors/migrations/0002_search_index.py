"""PostgreSQL only: a GIN full-text index over the stored tsvector of published showcases (jieba tokens, ``simple``
configuration)."""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS showcase_search ON honors_showcase USING gin (search_vector) "
        "WHERE status = 'published'")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS showcase_search")


class Migration(migrations.Migration):
    dependencies = [("honors", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
