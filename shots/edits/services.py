"""Writes of the `edits` area, with the events the reference records."""

from django.db import transaction

from assets.concepts.services import entity_type_named
from assets.models import Entity
from kitsu_server.core.events import record_event


def create_edit(project_id, name, *, data=None, description="", episode=None, user=None):
    """An edit of the production (of `episode` when given). Records `edit:new` with its parent.
    Returns (edit, created)."""
    parent_id = episode.pk if episode is not None else None
    with transaction.atomic():
        # get_or_create: a request beaten to the name by a concurrent one gets the row it made.
        edit, created = Entity.objects.get_or_create(
            entity_type=entity_type_named("Edit"),
            project_id=project_id,
            parent_id=parent_id,
            name=name,
            defaults={
                "data": data if data is not None else {},
                "description": description,
                "created_by": user,
            },
        )
        if created:
            record_event(
                "edit:new",
                {"edit_id": str(edit.pk), "parent_id": str(parent_id) if parent_id else None},
                project_id=project_id,
                user=user,
            )
    return edit, created
