"""Emails unique regardless of case among persons, and the token generation of each person.

The case-insensitive constraint cannot be built while two persons share an
email spelled differently: the migration then stops and lists them, so that
an operator fixes those rows (back-office or shell) and migrates again.
"""

import django.db.models.functions.text
from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def email_clashes(person_model):
    """{lowered email: [the spellings in use]} for emails that several non-bot persons share."""
    persons = person_model.objects.exclude(is_bot=True).exclude(email__isnull=True)
    shared = (
        persons.annotate(lowered=Lower("email"))
        .values("lowered")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .values_list("lowered", flat=True)
    )
    clashes = {}
    for email in persons.annotate(lowered=Lower("email")).filter(lowered__in=list(shared)).order_by("email"):
        clashes.setdefault(email.lowered, []).append(email.email)
    return clashes


def refuse_email_clashes(apps, schema_editor):
    clashes = email_clashes(apps.get_model("people", "Person"))
    if clashes:
        listing = "\n".join(
            f"  {lowered}: {', '.join(sorted(spellings))}" for lowered, spellings in sorted(clashes.items())
        )
        raise CommandError(
            "Emails must be unique regardless of case, but several persons share these:\n"
            f"{listing}\n"
            "Give each of those persons but one another email (or make it a bot), then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_initial"),
        ("productions", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_email_clashes, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="person",
            name="only_one_email_by_person",
        ),
        migrations.AddField(
            model_name="person",
            name="token_generation",
            field=models.IntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("is_bot", True), _negated=True),
                name="only_one_email_by_person",
                violation_error_message="Email already in use.",
            ),
        ),
    ]
