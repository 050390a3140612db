"""Reads of the API event log: its last events (filtered, a cursor page), the last logins, the
names of the events it holds."""

from dataclasses import dataclass, field

from django.db.models import Q

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import datetime_or_none, text_or_none
from people.models import LoginLog
from tasks.models import ApiEvent

# Events about stored files, what `only_files` keeps.
FILE_EVENTS = (
    "preview-file:add-file",
    "organisation:set-thumbnail",
    "person:set-thumbnail",
    "project:set-thumbnail",
)


@dataclass
class EventFilters:
    """What `/data/events/last` narrows the log by (None or empty: no filter)."""

    after: object = None
    before: object = None
    only_files: bool = False
    project_id: object = None
    project_ids: object = None  # the projects a non-admin is held to
    person_ids: list = field(default_factory=list)
    name: str = None
    name_prefixes: list = field(default_factory=list)
    name_suffixes: list = field(default_factory=list)


def last_events(filters, cursor_id, limit):
    """The events the filters keep, newest first, at most `limit` of them, older than the event
    `cursor_id` when given (400 when it names none)."""
    events = ApiEvent.objects.all()
    if filters.after is not None:
        events = events.filter(created_at__gt=filters.after)
    if filters.before is not None:
        events = events.filter(created_at__lt=filters.before)
    if filters.only_files:
        events = events.filter(name__in=FILE_EVENTS)
    if filters.project_id is not None:
        events = events.filter(project_id=filters.project_id)
    if filters.project_ids is not None:
        events = events.filter(project_id__in=filters.project_ids)
    if filters.person_ids:
        events = events.filter(user_id__in=filters.person_ids)
    if filters.name is not None:
        events = events.filter(name=filters.name)
    if filters.name_prefixes:
        events = events.filter(
            _any_of([Q(name__startswith=f"{prefix}:") for prefix in filters.name_prefixes])
        )
    if filters.name_suffixes:
        events = events.filter(_any_of([Q(name__endswith=f":{suffix}") for suffix in filters.name_suffixes]))
    if cursor_id is not None:
        cursor = ApiEvent.objects.filter(pk=cursor_id).values_list("created_at", flat=True).first()
        if cursor is None:
            raise WrongParameter(f"No event found with id: {cursor_id}")
        events = events.filter(created_at__lt=cursor)
    rows = events.order_by("-created_at", "-pk").values(
        "pk", "created_at", "name", "user_id", "project_id", "data"
    )
    return [
        {
            "id": str(row["pk"]),
            "created_at": datetime_or_none(row["created_at"]),
            "name": row["name"],
            "user_id": text_or_none(row["user_id"]),
            "project_id": text_or_none(row["project_id"]),
            "data": row["data"],
        }
        for row in rows[:limit]
    ]


def last_login_logs(person_ids, after, before, cursor_id, limit):
    """The login logs, newest first, at most `limit` of them, of the persons given (all when none),
    older than the log `cursor_id` when given (400 when it names none)."""
    logs = LoginLog.objects.all()
    if person_ids:
        logs = logs.filter(person_id__in=person_ids)
    if after is not None:
        logs = logs.filter(created_at__gt=after)
    if before is not None:
        logs = logs.filter(created_at__lt=before)
    if cursor_id is not None:
        cursor = LoginLog.objects.filter(pk=cursor_id).values_list("created_at", flat=True).first()
        if cursor is None:
            raise WrongParameter(f"No login log found with id: {cursor_id}")
        logs = logs.filter(created_at__lt=cursor)
    rows = logs.order_by("-created_at", "-pk").values("pk", "created_at", "ip_address", "person_id", "origin")
    return [
        {
            "id": str(row["pk"]),
            "created_at": datetime_or_none(row["created_at"]),
            "ip_address": row["ip_address"],
            "person_id": text_or_none(row["person_id"]),
            "origin": row["origin"],
        }
        for row in rows[:limit]
    ]


def event_names():
    """The sorted names of the events in the log."""
    return list(ApiEvent.objects.order_by("name").values_list("name", flat=True).distinct())


def _any_of(conditions):
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined
