"""Abstract bases shared by every model (the reference's BaseMixin)."""

import uuid

from django.db import models
from django.utils import timezone


class KitsuModel(models.Model):
    """UUID primary key and the audit dates every Kitsu table carries.

    `created_at` keeps its value once set (imports may give it); `updated_at`
    follows every save, like the reference's `onupdate`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]
        super().save(*args, **kwargs)


class LinkModel(models.Model):
    """A pure link table of the reference (two foreign keys, composite key).

    Django wants a single-column primary key for a model it can edit in the
    admin, so our link rows carry a UUID `id`; the pair stays unique through
    each model's UniqueConstraint, which is what the reference's composite
    primary key guarantees.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True
