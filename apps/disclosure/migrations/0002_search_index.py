"""PostgreSQL only: a GIN full-text index over the jieba tokens of the published entries (``simple`` configuration;
the expression is the one Django's SearchVector("search_tokens", config="simple") generates, so queries use it)."""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS disclosure_pub_search ON disclosure_publishedentry "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_tokens, ''::text))) WHERE is_current")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS disclosure_pub_search")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
