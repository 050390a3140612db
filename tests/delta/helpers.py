"""Builders of the delta-read tests: a production whose rows all changed long ago, a cursor
after that, and tombstones written as the trash writes them."""

import datetime

from django.utils import timezone

from assets.models import Entity, EntityLink, EntityType
from kitsu_server.core.trash_models import TrashItem, TrashRow
from productions.models import Project
from tasks.models import Comment, Task

LONG_AGO = timezone.now() - datetime.timedelta(days=3)
CURSOR = LONG_AGO + datetime.timedelta(hours=1)


def age_everything():
    """Every tracked row of the test database last changed LONG_AGO (before CURSOR)."""
    for model in (Project, Entity, EntityType, EntityLink, Task, Comment):
        model.objects.update(updated_at=LONG_AGO)


def cursor(moment=CURSOR):
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()


def trash(instance, project_id=None, at=None, delete=True, **data):
    """A tombstone of `instance` (its row removed when `delete`), as the trash writes it."""
    at = at or timezone.now()
    label = instance._meta.concrete_model._meta.label_lower
    if project_id is None:
        project_id = getattr(instance, "project_id", None)
    item = TrashItem.objects.create(
        model=label,
        object_id=instance.pk,
        project_id=project_id,
        trashed_at=at,
        expires_at=at + datetime.timedelta(days=30),
    )
    row_data = {"id": str(instance.pk), **{key: str(value) for key, value in data.items()}}
    TrashRow.objects.create(
        item=item,
        position=0,
        model=label,
        object_id=instance.pk,
        project_id=project_id,
        trashed_at=at,
        data=row_data,
    )
    if delete:
        instance._meta.concrete_model.objects.filter(pk=instance.pk).delete()
    return str(instance.pk)
