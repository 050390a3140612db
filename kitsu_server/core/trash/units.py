"""What a deletion removes, written down as it goes: the rows of one `TrashItem`.

`with trashing(root, person):` around a deletion makes every removal of `deletion.purge` and
every key emptied by `deletion.detach` (or by a purge's SET_NULL) land in one trash item, in the
order they happen: the item is the unit a restore or a purge takes whole. The rows are read in
chunks and written in bulk (a production holds 100k tasks), inside the deletion's transaction, so
that a deletion rolled back leaves no trash behind. A `trashing` inside another joins it: a forced
sequence deletion removing its shots one by one is one item. Nothing removed, no item (a shot
only canceled).
"""

import base64
import datetime
import decimal
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kitsu_server.core.trash_models import DELETE, DETACH, TrashItem, TrashRow
from productions.models import Project
from tasks.models import Task

CHUNK = 2000  # rows read and written at once
# The kinds of rows a person deletes into the trash (the roots of its items).
TRASHED_MODELS = {"assets.entity", "tasks.task", "tasks.comment", "files.playlist", "productions.project"}

_current = ContextVar("trash_unit", default=None)


def insert_rows(model, fields, rows):
    """INSERT `rows` (tuples of Python values, one per field of `fields`) in a few statements:
    Django's `bulk_create` builds a model per row and, on SQLite, one statement per 40 rows; this
    is an `executemany` of one statement (a project's deletion writes 100k rows here)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    params = [
        [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


ROW_FIELDS = None


def row_fields():
    global ROW_FIELDS
    if ROW_FIELDS is None:
        names = ("item", "position", "action", "model", "object_id", "project_id", "trashed_at", "data")
        ROW_FIELDS = [TrashRow._meta.get_field(name) for name in names]
    return ROW_FIELDS


def label_of(model):
    return model._meta.concrete_model._meta.label_lower


def is_trashed_kind(instance):
    return label_of(type(instance)) in TRASHED_MODELS


def columns_of(model):
    """The concrete columns of `model` by attribute name (`project_id`, not `project`)."""
    return [field.attname for field in model._meta.concrete_model._meta.concrete_fields]


def jsonable(value):
    """A column value as JSON keeps it; `field.to_python` reads it back."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def root_name(root):
    """What the trash calls its root: a task by its entity and type ("Hero / Modeling"), a
    comment by its text, anything else by its name."""
    if label_of(type(root)) == "tasks.task":
        names = Task.objects.filter(pk=root.pk).values_list("entity__name", "task_type__name").first()
        if names is not None:
            return " / ".join(name for name in names if name)[:255]
    for attribute in ("name", "full_name", "text"):
        value = getattr(root, attribute, None)
        if value:
            return str(value)[:255]
    return ""


def root_project(root):
    """(project id, project name) of a root row."""
    if label_of(type(root)) == "productions.project":
        return root.pk, root.name
    project_id = getattr(root, "project_id", None)
    if project_id is None and label_of(type(root)) == "tasks.comment":
        project_id = Task.objects.filter(pk=root.object_id).values_list("project_id", flat=True).first()
    if project_id is None:
        return None, ""
    return project_id, Project.objects.filter(pk=project_id).values_list("name", flat=True).first() or ""


class TrashUnit:
    """The item being filled by one deletion (created with its first row)."""

    def __init__(self, root, person, name=None):
        self.root = root
        self.person = person
        self.name = name
        self.item = None
        self.position = 0
        self.now = timezone.now()
        self.project_id, self.project_name = root_project(root)

    def open(self):
        """The item, written at once: a deletion that fails inside a savepoint (a scene only
        canceled) must not leave the unit pointing at a rolled-back item."""
        if self.item is None:
            self.item = TrashItem.objects.create(
                model=label_of(type(self.root)),
                object_id=self.root.pk,
                name=(self.name or root_name(self.root))[:255],
                project_id=self.project_id,
                project_name=(self.project_name or "")[:255],
                deleted_by_id=getattr(self.person, "pk", None),
                trashed_at=self.now,
                expires_at=self.now + timedelta(days=settings.TRASH_RETENTION_DAYS),
            )
        return self.item

    def _write(self, rows):
        insert_rows(TrashRow, row_fields(), rows)

    def record_removal(self, queryset):
        """The rows `queryset` is about to delete, with all their columns."""
        model = queryset.model
        label = label_of(model)
        columns = columns_of(model)
        pk_name = model._meta.concrete_model._meta.pk.attname
        has_project = "project_id" in columns
        rows = []
        for values in queryset.values(*columns).order_by().iterator(chunk_size=CHUNK):
            self.position += 1
            rows.append(
                (
                    self.item.pk,
                    self.position,
                    DELETE,
                    label,
                    values[pk_name],
                    values["project_id"] if has_project else self.project_id,
                    self.now,
                    {column: jsonable(value) for column, value in values.items()},
                )
            )
            if len(rows) >= CHUNK:
                self._write(rows)
                rows = []
        self._write(rows)

    def record_change(self, queryset, columns):
        """The old values of `columns` on the rows `queryset` is about to change (they stay)."""
        model = queryset.model
        label = label_of(model)
        meta = model._meta.concrete_model._meta
        attnames = [meta.get_field(column).attname for column in columns]
        pk_name = meta.pk.attname
        has_project = any(field.attname == "project_id" for field in meta.concrete_fields)
        read = [pk_name, *attnames] + (["project_id"] if has_project and "project_id" not in attnames else [])
        rows = []
        for values in queryset.values(*read).order_by().iterator(chunk_size=CHUNK):
            self.position += 1
            rows.append(
                (
                    self.item.pk,
                    self.position,
                    DETACH,
                    label,
                    values[pk_name],
                    values["project_id"] if has_project else self.project_id,
                    self.now,
                    {column: jsonable(values[column]) for column in attnames},
                )
            )
            if len(rows) >= CHUNK:
                self._write(rows)
                rows = []
        self._write(rows)

    def close(self):
        """Nothing removed, no item (a shot only canceled)."""
        if self.item is None:
            return
        count = TrashRow.objects.filter(item=self.item, action=DELETE).count()
        if count == 0:
            TrashRow.objects.filter(item=self.item)._raw_delete(TrashRow.objects.db)
            TrashItem.objects.filter(pk=self.item.pk).delete()
            self.item = None
            return
        self.item.row_count = count
        self.item.save(update_fields=["row_count", "updated_at"])


def current_unit():
    return _current.get()


@contextmanager
def trashing(root, person=None, name=None):
    """Record what the block removes into one trash item whose root is `root` (joins the unit
    already open, if any). Yields the unit; `unit.item` is None when nothing was removed."""
    unit = _current.get()
    if unit is not None:
        yield unit
        return
    unit = TrashUnit(root, person, name)
    unit.open()
    token = _current.set(unit)
    try:
        yield unit
        unit.close()
    except BaseException:
        if not transaction.get_connection().in_atomic_block:  # no rollback to take the item away
            TrashItem.objects.filter(pk=unit.item.pk).delete()
        raise
    finally:
        _current.reset(token)


@contextmanager
def trashing_if_kept(instance, person=None):
    """`trashing(instance)` for the kinds of rows the trash keeps, a plain block for the others."""
    if is_trashed_kind(instance):
        with trashing(instance, person) as unit:
            yield unit
    else:
        yield None


def record_removal(queryset):
    unit = _current.get()
    if unit is not None:
        unit.record_removal(queryset)


def record_change(queryset, columns):
    unit = _current.get()
    if unit is not None:
        unit.record_change(queryset, columns)


def keeps_media():
    """Whether the stored files of what is removed now stay (their rows go to the trash): they
    are released when the item is purged."""
    return _current.get() is not None
