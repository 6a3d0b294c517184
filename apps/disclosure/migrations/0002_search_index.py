"""PostgreSQL only: a GIN full-text index over the stored tsvector of the current published entries (jieba tokens,
``simple`` configuration)."""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS disclosure_pub_search ON disclosure_publishedentry "
        "USING gin (search_vector) WHERE is_current")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS disclosure_pub_search")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
