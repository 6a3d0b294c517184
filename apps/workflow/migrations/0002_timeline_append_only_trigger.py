"""PostgreSQL itself refuses UPDATE and DELETE on timeline entries.

Only PostgreSQL (production): Django's test flush on SQLite deletes rows one table at a time, which a SQLite trigger
would block; PostgreSQL's flush is TRUNCATE, which row triggers do not see. On SQLite the model and its queryset
refuse the same changes.
"""
from django.db import migrations

TABLE = "workflow_timelineentry"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"""
            CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'timeline entries are append-only'; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE OR DELETE ON {TABLE}
                FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
        """)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};"
                              f"DROP FUNCTION IF EXISTS {TABLE}_append_only();")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
