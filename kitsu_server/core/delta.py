"""Delta reads: `?updated_since=` on the big lists and boards.

A list asked with `updated_since` answers only the rows created, changed or trashed since then,
in an envelope `{server_time, updated_since, rows, deleted_ids}`; the client sends `server_time`
as its next `updated_since`. Without the parameter nothing changes.

- Changed rows: `updated_at >= since` (every write moves `updated_at`: `KitsuModel.save()`, and
  `touch()` for set-based updates).
- Deleted rows: the trash's `delete` rows (`TrashRow`, the tombstones) trashed since, of the
  production scope the reader may list, minus the ids that exist again (restored).
- `server_time` is a moment before which every write is committed and visible, so that nothing
  committed later can carry an earlier `updated_at`: on PostgreSQL the oldest start of the other
  open transactions of this database (`pg_stat_activity.xact_start`) when older than now; on
  SQLite (writers serialized by IMMEDIATE transactions) the moment the reader got the write lock,
  i.e. once the writer in progress committed. Both less `DELTA_READ_MARGIN_SECONDS`, which covers
  a timestamp computed just before its transaction began (a row may come twice; none is missed).
- A cursor older than `TRASH_TOMBSTONE_DAYS` may have lost its tombstones: 410, reload in full.
"""

import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException

from assets.models import Entity
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import uuid_or_none
from kitsu_server.core.access.scopes import team_project_ids
from kitsu_server.core.trash_models import DELETE, TrashRow
from tasks.models import Task

PARAMETER = "updated_since"


class DeltaExpired(APIException):
    """A cursor older than the tombstones kept: the client must reload the list in full."""

    status_code = status.HTTP_410_GONE
    default_detail = "updated_since is older than the deletions kept: reload the list in full."


class DeltaWindow:
    """What a delta read answers: the changes since `since`, the next cursor `server_time`."""

    def __init__(self, since, server_time):
        self.since = since
        self.server_time = server_time

    def changed(self, queryset, related=(), via_tasks=False):
        """`queryset` narrowed to the rows created or changed in the window, or whose `related`
        rows (lookups, e.g. "parent" for the sequence name a shot's row shows) changed in it;
        `via_tasks` (entities read by a vendor, whose assignments decide what they list): or one of
        whose tasks changed in it."""
        changed = Q(updated_at__gte=self.since)
        for lookup in related:
            changed |= Q(**{f"{lookup}__updated_at__gte": self.since})
        if via_tasks:  # per entity, through the task's entity index
            changed |= Exists(Task.objects.filter(entity_id=OuterRef("pk"), updated_at__gte=self.since))
        return queryset.filter(changed)

    def envelope(self, rows=None, deleted_ids=(), **extra):
        """The answer's keys: the cursors, the deleted ids, `extra` and (when given) the rows."""
        body = {
            "server_time": format_cursor(self.server_time),
            "updated_since": format_cursor(self.since),
            "deleted_ids": sorted(deleted_ids),
            **extra,
        }
        if rows is not None:
            body["rows"] = rows
        return body


def format_cursor(moment):
    """A cursor as the API writes it: UTC without zone, to the microsecond."""
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def parse_cursor(raw):
    """An ISO 8601 moment (a naive one is UTC), or a 400."""
    try:
        moment = datetime.datetime.fromisoformat(raw.strip().replace(" ", "+") if raw else "")
    except ValueError:
        raise WrongParameter(
            f"Invalid value for {PARAMETER}: {raw!r} (expected YYYY-MM-DDTHH:MM:SS[.ffffff])."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def delta_window(request, using=DEFAULT_DB_ALIAS):
    """The delta window `?updated_since=` asks for, None without it (the full read); a 400 when
    malformed, a 410 when older than the tombstones kept."""
    raw = request.query_params.get(PARAMETER)
    if raw is None:
        return None
    if "page" in request.query_params:
        raise WrongParameter(f"{PARAMETER} and page cannot be combined: a delta is one answer.")
    since = parse_cursor(raw)
    if since < timezone.now() - datetime.timedelta(days=settings.TRASH_TOMBSTONE_DAYS):
        raise DeltaExpired(
            f"updated_since is older than {settings.TRASH_TOMBSTONE_DAYS} days, the deletions kept: "
            "reload the list in full (without updated_since)."
        )
    return DeltaWindow(since, server_time(using))


def delta_list(window, queryset, render, model, projects):
    """The answer of a list read in a delta `window`: the rows of `queryset` changed in it
    (rendered by `render`, as the full list renders its rows) and the ids of the rows of `model`
    trashed in it in `projects`."""
    return window.envelope(render(window.changed(queryset)), deleted_ids(window, model, projects))


def entity_list(window, rows, projects):
    """The answer of an entity list read in a delta `window` (`rows`: the entities changed in
    it): with the ids of the entities trashed in it in `projects`."""
    return window.envelope(rows, deleted_ids(window, Entity, projects))


def margin():
    return datetime.timedelta(seconds=settings.DELTA_READ_MARGIN_SECONDS)


def server_time(using=DEFAULT_DB_ALIAS):
    """The next cursor: a moment before which every write is committed (see the module doc).
    Computed before the delta is read, so what commits meanwhile comes in the next delta."""
    connection = connections[using]
    now = timezone.now()
    if connection.vendor == "postgresql":
        # The other open transactions of this database (a client's, not autovacuum's): one of
        # them may commit rows stamped since it began. Needs the same database role for every
        # server process (or pg_read_all_stats): pg_stat_activity hides others' xact_start.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT MIN(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_type = 'client backend'"
            )
            oldest = cursor.fetchone()[0]
        if oldest is not None:
            now = min(now, oldest)
    elif connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Writers hold the write lock from BEGIN IMMEDIATE to COMMIT: once we hold it, none is
        # open, and every later one stamps its rows after this moment.
        with transaction.atomic(using=using):  # BEGIN IMMEDIATE: waits for the open writer
            now = timezone.now()
    return now - margin()


def project_scope(access, project_id=None):
    """The productions whose deletions a reader may learn of: the one named (when they reach
    it: none else), else every one for an admin (None), else those of their team (a subquery)."""
    if project_id is not None:
        return [project_id] if access.has_project_access(project_id) else []
    if access.is_admin:
        return None
    return team_project_ids(access.person)


def deleted_ids(window, model, projects=None, studio_wide=False, existing=None, using=DEFAULT_DB_ALIAS):
    """Ids (strings) of the rows of `model` trashed in the window, within `projects` (ids or a
    subquery; None: any), with the rows of no production too when `studio_wide`; the ids that
    exist again (restored) left out. One query (two with rows restored)."""
    rows = TrashRow.objects.using(using).filter(
        action=DELETE, model=model._meta.concrete_model._meta.label_lower, trashed_at__gte=window.since
    )
    if projects is not None:
        scope = Q(project_id__in=projects)
        if studio_wide:
            scope |= Q(project_id__isnull=True)
        rows = rows.filter(scope)
    ids = {str(object_id) for object_id in rows.values_list("object_id", flat=True)}
    if ids:
        manager = existing if existing is not None else model._default_manager
        ids -= {str(pk) for pk in manager.using(using).filter(pk__in=ids).values_list("pk", flat=True)}
    return ids


def trashed_rows_column(window, model, column, projects=None, using=DEFAULT_DB_ALIAS):
    """The ids in `column` (e.g. a task's `entity_id`) of the rows of `model` trashed in the
    window, where the trash kept their values (a purged tombstone keeps none). One query."""
    rows = TrashRow.objects.using(using).filter(
        action=DELETE, model=model._meta.concrete_model._meta.label_lower, trashed_at__gte=window.since
    )
    if projects is not None:
        rows = rows.filter(project_id__in=projects)
    values = set()
    for data in rows.values_list("data", flat=True):
        value = uuid_or_none((data or {}).get(column)) if isinstance(data, dict) else None
        if value is not None:
            values.add(value)
    return values
