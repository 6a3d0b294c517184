import uuid

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    for pk in Document.objects.values_list("pk", flat=True).iterator():
        Document.objects.filter(pk=pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.AddField(model_name="document", name="token", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(model_name="document", name="token",
                              field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False)),
    ]
