"""Kitsu imports: rows of another Kitsu written here under their own ids, all of a push or none.

A row already here (same id, or for casting links the same pair of entities) is updated, else
created with the pushed id: importing the same rows again changes nothing, and an import cut
short is finished by pushing it again. Each written row is announced as the reference announces
it (`comment:new`, `shot:update`...), unless the push asks to be silent.
"""

from django.db import DataError, IntegrityError, transaction

from assets.models import entity_kind
from exchange.kitsu.records import KINDS, checked_rows
from files.models import AttachmentFile, Playlist
from kitsu_server.api.errors import WrongParameter, integrity_message
from kitsu_server.core.events import record_event
from people.models import Person
from tasks.models import Comment, Task


def write_row(kind, row):
    """Create or update one checked row; answers (instance, created)."""
    model = kind.model
    if kind.natural_key:
        lookup = {name: row.values.get(name) for name in kind.natural_key}
    else:
        lookup = {"pk": row.pk}
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(pk=row.pk, **row.values)
        instance.save(force_insert=True)
    else:
        for name, value in row.values.items():
            setattr(instance, name, value)
        instance.save()
    if "updated_at" in row.values:  # kept as pushed: saving moved it
        model.objects.filter(pk=instance.pk).update(updated_at=row.values["updated_at"])
    for name, ids in row.lists.items():
        if name == "attachment_files":
            AttachmentFile.objects.filter(pk__in=ids).update(comment=instance)
        else:
            getattr(instance, name).set(ids)
    return instance, created


def import_rows(report, route, entries, person_id, silent=False):
    """Import the pushed rows `entries` of `route` for the person `person_id`, in one
    transaction: {"created", "updated", "ids"}."""
    kind = KINDS[route]
    user = Person.objects.filter(pk=person_id).first()
    rows = checked_rows(kind, entries)
    counts = {"created": 0, "updated": 0}
    ids = []
    report(0, len(rows))
    with transaction.atomic():
        for index, row in enumerate(rows):
            try:
                with transaction.atomic():
                    instance, created = write_row(kind, row)
            except (IntegrityError, DataError) as error:
                raise WrongParameter(f"Entry {index}: {integrity_message(error)}") from error
            if not silent:
                announce(kind, instance, created, user)
            counts["created" if created else "updated"] += 1
            ids.append(str(instance.pk))
            report(index + 1)
    return {"route": route, **counts, "ids": ids}


def project_of(kind, instance):
    """The production of an imported row, for its event."""
    if hasattr(instance, "project_id"):
        return instance.project_id
    if kind.route == "entity-links":
        return instance.entity_in.project_id
    task_id = getattr(instance, "task_id", None)
    if kind.route == "attachment-files" and instance.comment_id:
        task_id = Comment.objects.filter(pk=instance.comment_id).values_list("object_id", flat=True).first()
    if kind.route == "build-jobs":
        return Playlist.objects.filter(pk=instance.playlist_id).values_list("project_id", flat=True).first()
    if task_id is not None:
        return Task.objects.filter(pk=task_id).values_list("project_id", flat=True).first()
    return None


def announce(kind, instance, created, user):
    verb = "new" if created else "update"
    if kind.route == "comments":
        project_id = project_of(kind, Task.objects.filter(pk=instance.object_id).first() or instance)
        data = {
            "comment_id": str(instance.pk),
            "task_id": str(instance.object_id),
            "person_id": str(instance.person_id),
            "for_client": instance.for_client,
        }
        record_event(f"comment:{verb}", data, project_id=project_id, user=user)
        return
    event = entity_kind(instance.entity_type_id).lower() if kind.route == "entities" else kind.event
    name = "project" if kind.route == "projects" else event.replace("-", "_")
    data = {} if kind.route == "projects" else {f"{name}_id": str(instance.pk)}
    record_event(f"{event}:{verb}", data, project_id=project_of(kind, instance), user=user)
