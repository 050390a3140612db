"""The news feeds' pages (newest first) read from an index on (created_at, id) instead of sorting
every news of a production."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0002_admin_list_indexes_verbose_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="news",
            index=models.Index(fields=["created_at", "id"], name="news_created_at_id_index"),
        ),
    ]
