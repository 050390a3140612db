"""What a Kitsu import route takes: rows as another Kitsu (Zou) serves them, keyed by their
column names, each with its `id` (kept here, so that importing again updates instead of
duplicating), plus the relation lists the reference's import reads (a project's team, a task's
assignees, a comment's previews...).

`checked_rows` turns a pushed list into column values and relation lists, or refuses it with a
400 naming the entry and the field: a value of the wrong kind or size, a row this one points at
that exists neither here nor in the push. Keys that are no column are ignored, as the reference
ignores them (`type`, computed names...).
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models

from assets.models import Entity, EntityLink, EntityType
from files.models import AttachmentFile, BuildJob, Playlist, PreviewBackgroundFile, PreviewFile
from kitsu_server.api.errors import WrongParameter
from people.models import Department, Person
from productions.models import MetadataDescriptor, Milestone, Project, ScheduleItem, StatusAutomation
from tasks.models import Comment, News, Notification, Subscription, Task, TaskStatus, TaskType, TimeSpent

INTEGER_RANGES = {
    models.SmallIntegerField: 2**15,
    models.PositiveSmallIntegerField: 2**15,
    models.IntegerField: 2**31,
    models.PositiveIntegerField: 2**31,
    models.BigIntegerField: 2**63,
}
ENTITY_KINDS_BY_NAME = ("Shot", "Sequence", "Episode", "Edit")  # typed by name, the rest by type id


class Kind:
    """One import route: its model, the relation lists it reads ({key: model of the ids}), how
    an existing row is found (by id, or by a natural key), and the reference's renamings."""

    def __init__(self, route, model, event, lists=None, natural_key=None, prepare=None, lenient=()):
        self.route = route
        self.model = model
        self.event = event
        self.lists = lists or {}
        self.natural_key = natural_key
        self.prepare = prepare or (lambda entry: entry)
        self.lenient = set(lenient)  # references dropped (not refused) when they name nothing


def _entity_entry(entry):
    entry = dict(entry)
    if "asset_type_id" in entry:
        entry["entity_type_id"] = entry.pop("asset_type_id")
    if "sequence_id" in entry:
        entry["parent_id"] = entry.pop("sequence_id")
    frame_data = {name: entry.pop(name) for name in ("frame_in", "frame_out", "fps") if name in entry}
    if frame_data:
        entry["data"] = {**(entry.get("data") or {}), **frame_data}
    if entry.get("type") in ENTITY_KINDS_BY_NAME:
        entry["entity_type_id"] = str(EntityType.objects.get_or_create(name=entry["type"])[0].pk)
    return entry


def _preview_file_entry(entry):
    # The push carries rows, not media: flagged so that nothing looks for the files here.
    data = entry.get("data") if isinstance(entry.get("data"), dict) else {}
    return {**entry, "status": entry.get("status") or "ready", "data": {**data, "imported_only": True}}


def _notification_entry(entry):
    entry = {key: value for key, value in entry.items() if key != "type"}
    entry["type"] = entry.pop("notification_type", "")
    return entry


def _news_entry(entry):
    kept = ("id", "created_at", "change", "author_id", "comment_id", "preview_file_id", "task_id")
    entry = {key: entry[key] for key in kept if key in entry}
    if "created_at" in entry:
        entry["updated_at"] = entry["created_at"]
    return entry


KINDS = {
    kind.route: kind
    for kind in (
        Kind(
            "projects",
            Project,
            "project",
            lists={
                "team": Person,
                "task_types": TaskType,
                "task_statuses": TaskStatus,
                "asset_types": EntityType,
                "status_automations": StatusAutomation,
                "preview_background_files": PreviewBackgroundFile,
            },
        ),
        Kind(
            "entities",
            Entity,
            "entity",
            lists={"entities_out": Entity},
            prepare=_entity_entry,
            lenient=("preview_file_id",),
        ),
        Kind("entity-links", EntityLink, "entity-link", natural_key=("entity_in_id", "entity_out_id")),
        Kind("tasks", Task, "task", lists={"assignees": Person}),
        Kind(
            "comments",
            Comment,
            "comment",
            lists={
                "previews": PreviewFile,
                "mentions": Person,
                "department_mentions": Department,
                "acknowledgements": Person,
                "attachment_files": AttachmentFile,
            },
        ),
        Kind("preview-files", PreviewFile, "preview-file", prepare=_preview_file_entry),
        Kind("time-spents", TimeSpent, "time-spent"),
        Kind("subscriptions", Subscription, "subscription"),
        Kind("notifications", Notification, "notification", prepare=_notification_entry),
        Kind("news", News, "news", prepare=_news_entry),
        Kind("playlists", Playlist, "playlist"),
        Kind(
            "metadata-descriptors",
            MetadataDescriptor,
            "metadata-descriptor",
            lists={"departments": Department},
        ),
        Kind("schedule-items", ScheduleItem, "schedule-item"),
        Kind("milestones", Milestone, "milestone"),
        Kind("build-jobs", BuildJob, "build-job"),
        Kind("attachment-files", AttachmentFile, "attachment-file"),
    )
}


class Prepared:
    """One entry checked: its id, its column values (by attribute name) and relation lists."""

    def __init__(self, pk, values, lists):
        self.pk = pk
        self.values = values
        self.lists = lists


def parse_moment(value):
    moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def clean_value(field, value):
    """The value of `field` for a pushed `value`, or ValueError / ValidationError."""
    if value is None:
        if field.null:
            return None
        raise ValueError("must not be null")
    if field.is_relation:
        return uuid.UUID(str(value))
    if isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DateTimeField):
        return parse_moment(value)
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat(str(value)[:10])
    if isinstance(field, models.BooleanField) and not isinstance(value, bool):
        raise ValueError("must be a boolean")
    if isinstance(field, (models.IntegerField, models.FloatField)) and isinstance(value, (str, bool)):
        raise ValueError("must be a number")
    cleaned = field.to_python(value)
    limit = next((size for kind, size in INTEGER_RANGES.items() if type(field) is kind), None)
    if limit is not None and not -limit <= cleaned < limit:
        raise ValueError("is out of range")
    if isinstance(field, models.FloatField) and cleaned != cleaned:
        raise ValueError("must be a number")
    field.run_validators(cleaned)
    if field.choices and cleaned not in {choice for choice, _ in field.flatchoices}:
        raise ValueError(f"must be one of {', '.join(str(choice) for choice, _ in field.flatchoices)}")
    return cleaned


def column_values(model, entry, index=0):
    """{attribute name: value} of the columns of `model` that `entry` holds (keyed by column
    name, as Kitsu serves rows), the primary key aside; a 400 naming the first one wrong."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column not in entry:
            continue
        try:
            values[field.attname] = clean_value(field, entry[field.column])
        except (ValueError, TypeError, ValidationError, OverflowError):
            raise WrongParameter(f'Entry {index}: the field "{field.column}" is wrong.') from None
    return values


def _prepare(kind, index, entry):
    if not isinstance(entry, dict):
        raise WrongParameter(f"Entry {index}: a JSON object is expected.")
    entry = kind.prepare(entry)
    try:
        pk = uuid.UUID(str(entry["id"]))
    except (KeyError, ValueError):
        raise WrongParameter(f'Entry {index}: the field "id" must be a UUID.') from None
    values = column_values(kind.model, entry, index)
    lists = {}
    for name in kind.lists:
        if name in entry and entry[name] is not None:
            ids = entry[name]
            try:
                lists[name] = [uuid.UUID(str(item)) for item in ids] if isinstance(ids, list) else None
            except ValueError:
                lists[name] = None
            if lists[name] is None:
                raise WrongParameter(f'Entry {index}: the field "{name}" must be a list of ids.')
    return Prepared(pk, values, lists)


def _check_references(kind, prepared):
    """Every row an entry points at exists here or comes in the same push (a 400 otherwise)."""
    pushed = {row.pk for row in prepared}
    targets = {}  # model -> ids wanted
    for row in prepared:
        for field in kind.model._meta.concrete_fields:
            if field.is_relation and row.values.get(field.attname) is not None:
                targets.setdefault(field.related_model, set()).add(row.values[field.attname])
        for name, ids in row.lists.items():
            targets.setdefault(kind.lists[name], set()).update(ids)
    existing = {
        model: set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for model, ids in targets.items()
    }
    for model in existing:
        if model is kind.model:
            existing[model] |= pushed
    for index, row in enumerate(prepared):
        for field in kind.model._meta.concrete_fields:
            value = row.values.get(field.attname)
            if field.is_relation and value is not None and value not in existing[field.related_model]:
                if field.attname in kind.lenient:
                    del row.values[field.attname]
                    continue
                raise WrongParameter(
                    f'Entry {index}: "{field.column}" names no {field.related_model.__name__}.'
                )
        for name, ids in row.lists.items():
            missing = [str(item) for item in ids if item not in existing[kind.lists[name]]]
            if missing:
                raise WrongParameter(
                    f'Entry {index}: "{name}" names no {kind.lists[name].__name__} {missing[0]}.'
                )


def checked_rows(kind, body):
    """The pushed rows of `kind`, checked (see the module's docstring)."""
    if not isinstance(body, list):
        raise WrongParameter("A list of entities is expected.")
    prepared = [_prepare(kind, index, entry) for index, entry in enumerate(body)]
    _check_references(kind, prepared)
    return prepared
