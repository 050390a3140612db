"""Abstract bases shared by every model (the reference's BaseMixin)."""

import uuid

from django.db import models
from django.utils import timezone


class KitsuQuerySet(models.QuerySet):
    """Set-based updates move `updated_at` as `save()` does (the reference's `onupdate`), so that
    a delta read (`?updated_since=`, kitsu_server.core.delta) sees every change; a caller that
    must keep the old value (a copy from another server) passes `updated_at` itself."""

    def update(self, **values):
        if "updated_at" not in values and self._tracks_changes():
            values["updated_at"] = timezone.now()
        return super().update(**values)

    def touch(self):
        """Mark the rows changed now (their `updated_at`): what a change of a row that shows in
        theirs does, e.g. a new assignee of a task. Returns the number of rows."""
        return super().update(updated_at=timezone.now())

    def _tracks_changes(self):
        return any(field.name == "updated_at" for field in self.model._meta.concrete_fields)


class KitsuManager(models.Manager.from_queryset(KitsuQuerySet)):
    """The default manager of every model (`KitsuQuerySet`: updates move `updated_at`)."""


class KitsuModel(models.Model):
    """UUID primary key and the audit dates every Kitsu table carries.

    `created_at` keeps its value once set (imports may give it); `updated_at`
    follows every save, like the reference's `onupdate`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, null=True, blank=True, editable=False)

    objects = KitsuManager()

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
