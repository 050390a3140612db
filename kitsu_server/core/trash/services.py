"""Restore and purge a trash item, whole or not at all.

A restore puts the item's rows back in one transaction, in the reverse order of their removal
(parents before what points at them, then the emptied keys), each value read back through its
field's `to_python`; the restored rows get a new `updated_at` (delta reads see them changed).
Whatever stands in the way (a unique name taken since, a row they point at gone since) is a 409
naming it, and nothing is written. A purge releases the media the item kept (stored files of its
previews and attachments), empties its rows' data and keeps them as tombstones of delta reads; it
runs as a job, in one transaction, and may run again after a worker died.
"""

from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.dispatch import Signal
from django.utils import timezone
from rest_framework import status as http_status
from rest_framework.exceptions import APIException

from assets.models import EntityType
from files.models import StoredFile
from kitsu_server.core.events import record_event, record_events
from kitsu_server.core.trash.units import CHUNK, insert_rows
from kitsu_server.core.trash_models import (
    DELETE,
    DETACH,
    PURGED,
    PURGING,
    RESTORED,
    TRASHED,
    TrashItem,
    TrashRow,
)
from tasks.models import Task

# Sent when an item is purged, per kind of media row: `sender` the model label, `ids` the rows'
# ids (strings). The apps that own the media free it (tasks: attachment files).
media_released = Signal()
MEDIA_MODELS = ("files.previewfile", "files.attachmentfile")
ENTITY_WORDS = {
    "Shot": "shot",
    "Sequence": "sequence",
    "Episode": "episode",
    "Scene": "scene",
    "Edit": "edit",
}
ENTITY_WORDS |= {"Concept": "concept"}


class RestoreConflict(APIException):
    status_code = http_status.HTTP_409_CONFLICT
    default_detail = "This item cannot be restored."


class WrongState(APIException):
    status_code = http_status.HTTP_409_CONFLICT
    default_detail = "This item is no longer in the trash."


def counts_by_model(item):
    """{model label: rows removed} of an item (the detached keys aside)."""
    rows = (
        TrashRow.objects.filter(item=item, action=DELETE).values("model").annotate(n=Count("id")).order_by()
    )
    return {row["model"]: row["n"] for row in rows}


# --- restore -----------------------------------------------------------------------------------


def restore_item(item_id, user=None):
    """Put an item back whole (409 and nothing written when it cannot be)."""
    with transaction.atomic():
        item = TrashItem.objects.select_for_update().filter(pk=item_id).first()
        # An item whose purge failed half-way (its worker killed) is whole still: it may be restored.
        if item is None or item.state not in (TRASHED, PURGING):
            raise WrongState(f"This item is {item.state if item else 'gone'}: it cannot be restored.")
        now = timezone.now()
        references = References()
        restored = defaultdict(list)  # label -> [ids]
        for action, label, first, last in reversed(_runs(item)):
            model = apps.get_model(label)
            rows = TrashRow.objects.filter(item=item, position__range=(first, last)).order_by("position")
            for chunk in _chunks(rows.iterator(chunk_size=CHUNK), CHUNK):
                if action == DELETE:
                    _reinsert(item, model, chunk, now, references)
                    restored[label].extend(row.object_id for row in chunk)
                else:
                    _reattach(model, chunk, now, references)
        references.check(item)
        try:
            connection.check_constraints(
                table_names=[apps.get_model(label)._meta.db_table for label in restored]
            )
        except IntegrityError as error:
            raise RestoreConflict(
                f"{item.name or item.model} cannot be restored: {_first_line(error)}"
            ) from None
        TrashRow.objects.filter(item=item)._raw_delete(TrashRow.objects.db)
        item.state, item.restored_at = RESTORED, now
        item.save(update_fields=["state", "restored_at", "updated_at"])
        _record_restore_events(item, restored, user)
    return item


def _runs(item):
    """The item's runs of rows removed (or detached) by one statement: (action, model, first and
    last position), in removal order. Restored last run first, each in its own order (rows come
    back in the order the lists read them before)."""
    runs = []
    positions = (
        TrashRow.objects.filter(item=item).order_by("position").values_list("position", "action", "model")
    )
    for position, action, label in positions.iterator(chunk_size=CHUNK * 5):
        if runs and runs[-1][0] == action and runs[-1][1] == label:
            runs[-1][3] = position
        else:
            runs.append([action, label, position, position])
    return runs


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _fields(model):
    return {field.attname: field for field in model._meta.concrete_model._meta.concrete_fields}


def _read_back(fields, data):
    """A trashed row's values (JSON) as Python values, through each field's `to_python`."""
    return {attname: fields[attname].to_python(value) for attname, value in data.items() if attname in fields}


def _reinsert(item, model, rows, now, references):
    model = model._meta.concrete_model
    fields = list(model._meta.concrete_fields)
    by_attname = _fields(model)
    values_list = []
    for row in rows:
        values = _read_back(by_attname, row.data)
        if "updated_at" in by_attname:
            values["updated_at"] = now
        references.note(model, values)
        values_list.append(
            tuple(
                values[field.attname] if field.attname in values else field.get_default() for field in fields
            )
        )
    try:
        with transaction.atomic():
            insert_rows(model, fields, values_list)
    except IntegrityError as error:
        instances = [
            model(**dict(zip([field.attname for field in fields], values, strict=True)))
            for values in values_list
        ]
        raise RestoreConflict(_conflict_message(item, model, instances, error)) from None


def _conflict_message(item, model, instances, error):
    """Which restored row a row written since stands in the way of (its unique name...)."""
    for instance in instances:
        try:
            instance.validate_constraints()
            instance.validate_unique()
        except Exception as problem:  # a ValidationError naming the taken values
            what = getattr(instance, "name", None) or instance.pk
            messages = "; ".join(getattr(problem, "messages", [str(problem)]))
            return (
                f"{item.name or item.model} cannot be restored: the {model._meta.verbose_name} "
                f'"{what}" conflicts with a row written since ({messages}).'
            )
    return f"{item.name or item.model} cannot be restored: {_first_line(error)}"


def _first_line(error):
    return str(error).splitlines()[0] if str(error) else error.__class__.__name__


def _reattach(model, rows, now, references):
    """Put the emptied keys back on the rows that stayed (rows gone since are left alone)."""
    fields = _fields(model)
    by_values = defaultdict(list)
    for row in rows:
        values = _read_back(fields, row.data)
        references.note(model, values)
        by_values[tuple(sorted(values.items(), key=lambda pair: pair[0]))].append(row.object_id)
    stamp = {"updated_at": now} if "updated_at" in fields else {}
    for values, ids in by_values.items():
        model._base_manager.filter(pk__in=ids).update(**dict(values), **stamp)


class References:
    """The rows the restored values point at, checked once everything is back: one gone since is
    a 409 naming it (the database would refuse the commit)."""

    def __init__(self):
        self.targets = defaultdict(set)  # target model -> ids
        self.foreign_keys = {}

    def _keys(self, model):
        if model not in self.foreign_keys:
            self.foreign_keys[model] = [
                (field.attname, field.related_model._meta.concrete_model)
                for field in model._meta.concrete_model._meta.concrete_fields
                if field.is_relation and (field.many_to_one or field.one_to_one)
            ]
        return self.foreign_keys[model]

    def note(self, model, values):
        for attname, target in self._keys(model):
            value = values.get(attname)
            if value is not None:
                self.targets[target].add(value)

    def check(self, item):
        for target, ids in self.targets.items():
            ids = list(ids)
            for start in range(0, len(ids), 1000):
                chunk = ids[start : start + 1000]
                found = set(target._base_manager.filter(pk__in=chunk).values_list("pk", flat=True))
                missing = [pk for pk in chunk if pk not in found]
                if missing:
                    raise RestoreConflict(
                        f"{item.name or item.model} cannot be restored: it points at a "
                        f"{target._meta.verbose_name} that is gone ({missing[0]})."
                    )


def _record_restore_events(item, restored, user):
    """`trash:restore` for the item, and `<kind>:new` for each restored row of its root's kind,
    as their creation would (a task, a shot, a comment, a playlist, a project)."""
    record_event(
        "trash:restore",
        {"trash_item_id": str(item.pk), "model": item.model, "object_id": str(item.object_id)},
        project_id=item.project_id,
        user=user,
    )
    ids = restored.get(item.model, [])
    if item.model == "assets.entity":
        rows = apps.get_model("assets.entity").objects.filter(pk__in=ids).values("pk", "entity_type_id")
        types = dict(EntityType.objects.values_list("pk", "name"))
        by_word = defaultdict(list)
        for row in rows:
            by_word[ENTITY_WORDS.get(types.get(row["entity_type_id"]), "asset")].append(row["pk"])
        for word, word_ids in by_word.items():
            record_events(f"{word}:new", [{f"{word}_id": str(pk)} for pk in word_ids], item.project_id, user)
    elif item.model == "tasks.comment":
        comments = apps.get_model("tasks.comment").objects.filter(pk__in=ids).values("pk", "object_id")
        datas = [{"comment_id": str(row["pk"]), "task_id": str(row["object_id"])} for row in comments]
        record_events("comment:new", datas, item.project_id, user)
    elif item.model == "tasks.task":
        tasks = Task.objects.filter(pk__in=ids).values("pk", "entity_id", "task_type_id")
        datas = [
            {
                "task_id": str(row["pk"]),
                "entity_id": str(row["entity_id"]),
                "task_type_id": str(row["task_type_id"]),
            }
            for row in tasks
        ]
        record_events("task:new", datas, item.project_id, user)
    elif item.model in ("files.playlist", "productions.project"):
        word = item.model.split(".")[1]
        record_events(f"{word}:new", [{f"{word}_id": str(pk)} for pk in ids], item.project_id, user)


# --- purge -------------------------------------------------------------------------------------


def start_purge(item_id):
    """Mark an item as being purged (its job then runs); 409 when it is no longer in the trash.
    Re-asking for an item being purged is the same purge."""
    with transaction.atomic():
        item = TrashItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.state not in (TRASHED, PURGING):
            raise WrongState(f"This item is {item.state if item else 'gone'}: it cannot be purged.")
        if item.state == TRASHED:
            item.state = PURGING
            item.save(update_fields=["state", "updated_at"])
    return item


def purge_item(item_id, report=None):
    """Purge one item, in one transaction: its media released, its rows' data emptied (they stay
    as tombstones). Runs again harmlessly (a purged item is left alone); a failure leaves it whole
    (state purging, data kept: it may still be restored by an admin or purged again)."""
    with transaction.atomic():
        item = TrashItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.state in (PURGED, RESTORED):
            return {"state": item.state if item else "gone"}
        rows = TrashRow.objects.filter(item=item, action=DELETE, model__in=MEDIA_MODELS)
        media = defaultdict(list)
        for label, object_id in rows.values_list("model", "object_id").iterator(chunk_size=CHUNK):
            media[label].append(str(object_id))
        for label, ids in media.items():
            # A forced project deletion had its previews' files purged at once: so does its purge.
            release_media(label, ids, force=item.model == "productions.project")
        TrashRow.objects.filter(item=item, action=DETACH)._raw_delete(TrashRow.objects.db)
        TrashRow.objects.filter(item=item).update(data=None)
        now = timezone.now()
        item.state, item.purged_at = PURGED, now
        item.save(update_fields=["state", "purged_at", "updated_at"])
        if report is not None:
            report(1, 1)
    return {"state": PURGED, "media": {label: len(ids) for label, ids in media.items()}}


def release_media(label, ids, force=False):
    """The stored files of purged previews and attachments go to the storage purge (marked
    deleted, as an immediate deletion marks them); the owning apps free the rest."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        now = timezone.now()
        stored = StoredFile.objects.filter(file_id__in=chunk, purged_at__isnull=True)
        stored.filter(deleted_at__isnull=True).update(deleted_at=now, updated_at=now)
        if force:
            stored.update(purge_forced=True, updated_at=now)
        media_released.send(sender=label, ids=chunk)


def expired_item_ids(now=None):
    now = now or timezone.now()
    return list(
        TrashItem.objects.filter(state__in=(TRASHED, PURGING), expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )


def sweep(now=None):
    """Purge the expired items and drop the tombstones older than TRASH_TOMBSTONE_DAYS (with
    their items once empty). Returns what it did."""
    now = now or timezone.now()
    purged = 0
    for item_id in expired_item_ids(now):
        start_purge(item_id)
        purge_item(item_id)
        purged += 1
    limit = now - timedelta(days=settings.TRASH_TOMBSTONE_DAYS)
    old = TrashItem.objects.filter(state=PURGED, trashed_at__lt=limit)
    dropped = TrashRow.objects.filter(item__in=old.values("pk"), trashed_at__lt=limit)._raw_delete(
        TrashRow.objects.db
    )
    old.delete()
    return {"purged": purged, "tombstones_dropped": dropped}
