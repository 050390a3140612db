"""Entities without a parent (assets, episodes, sequences outside episodes...) are unique per
production, type and name, as the ones with a parent already are.

A database that already holds such twins cannot take the constraint: the migration stops before
adding it and lists them, so that they are renamed or merged first (nothing is changed for you).
"""

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count

MAX_LISTED = 50


def refuse_existing_twins(apps, schema_editor):
    Entity = apps.get_model("assets", "Entity")
    twins = list(
        Entity.objects.using(schema_editor.connection.alias)
        .filter(parent__isnull=True)
        .values("project_id", "project__name", "entity_type_id", "entity_type__name", "name")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .order_by("project__name", "entity_type__name", "name")
    )
    if not twins:
        return
    lines = []
    for twin in twins[:MAX_LISTED]:
        ids = Entity.objects.using(schema_editor.connection.alias).filter(
            parent__isnull=True,
            project_id=twin["project_id"],
            entity_type_id=twin["entity_type_id"],
            name=twin["name"],
        )
        lines.append(
            f"  - production {twin['project__name']!r}, {twin['entity_type__name']} {twin['name']!r}: "
            f"{twin['count']} rows ({', '.join(str(pk) for pk in ids.values_list('id', flat=True))})"
        )
    if len(twins) > MAX_LISTED:
        lines.append(f"  ... and {len(twins) - MAX_LISTED} more.")
    # A CommandError: `migrate` prints the list alone, without a traceback.
    raise CommandError(
        f"{len(twins)} name(s) are held by several entities of the same production and type, with "
        "no parent. Entities are now unique per production, type, parent and name: rename or merge "
        "these, then run the migration again.\n" + "\n".join(lines)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0003_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_twins, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="entity",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", True)),
                fields=("name", "project", "entity_type"),
                name="entity_uc_without_parent",
            ),
        ),
    ]
