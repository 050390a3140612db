"""Heavy reads of the persons routes (and of the `user` routes about the same rows): time spents
and timesheets, time tables, day offs, desktop logins and presence, quotas.

Every function here runs a fixed number of queries whatever the number of
rows: sums and groupings are done by the database (`values().annotate()`),
lists are rendered by the shared fast path (`render_rows`), and what a row
needs from elsewhere comes from one more query for the whole list.

Whose time and leave the requester reads are Access rules
(`access.person_time_scope`, `access.day_off_readers`, in
kitsu_server.core.access.people); `time_table_scope` turns them and the
query string into the filters of the studio time tables.
"""

import calendar
import datetime
from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Sum
from django.db.models.functions import (
    ExtractDay,
    ExtractMonth,
    ExtractWeek,
    ExtractYear,
    NullIf,
    Round,
)
from rest_framework.exceptions import PermissionDenied

from assets.models import Entity
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import ModelShape, serialize_rows
from kitsu_server.api.params import parse_uuid
from kitsu_server.core.access.people import own_department_ids, time_reader_project_ids
from kitsu_server.core.calendar import business_days, local_to_utc, naive_utc
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.rendering import render_rows
from people.models import (
    DayOff,
    DesktopLoginLog,
    Person,
    full_name,
)
from tasks.models import Task, TaskPersonLink, TimeSpent

SHOT_TYPE_NAME = "Shot"
ENTITY_SHAPE = ModelShape(Entity)  # quota shots are plain entity rows: "type": "Entity"


# --- periods ------------------------------------------------------------------------------


def year_interval(year):
    """[1st of January, 1st of January of the next year[ as naive datetimes; ValueError when invalid."""
    start = datetime.datetime(int(year), 1, 1)
    return start, start.replace(year=start.year + 1)


def month_interval(year, month):
    start = datetime.datetime(int(year), int(month), 1)
    days = calendar.monthrange(start.year, start.month)[1]
    return start, start + datetime.timedelta(days=days)


def week_interval(year, week):
    """The ISO week `week` of ISO year `year`, Monday to the next Monday."""
    monday = datetime.date.fromisocalendar(int(year), int(week), 1)
    start = datetime.datetime.combine(monday, datetime.time.min)
    return start, start + datetime.timedelta(days=7)


def day_interval(year, month, day):
    start = datetime.datetime(int(year), int(month), int(day))
    return start, start + datetime.timedelta(days=1)


def period(interval, *args, message):
    """`interval(*args)`, or a 400 with the route's `message` when the values make no date."""
    try:
        return interval(*args)
    except (ValueError, TypeError, OverflowError):
        raise WrongParameter(message) from None


def last_day(interval):
    """A [start, end[ interval as its first and last days, the way day offs are matched."""
    start, end = interval
    return start.date(), (end - datetime.timedelta(days=1)).date()


# --- who reads whose time -----------------------------------------------------------------


def scoped_project(project_ids, requested):
    """The project filter of a person's timesheet: the requested one when in scope (403 otherwise),
    every project of the scope when none is requested."""
    if requested is not None:
        requested = str(parse_uuid(requested, f"Malformed ID for project_id: {requested!r}."))
    if project_ids is None:
        return requested
    if requested is None:
        return project_ids
    if requested not in project_ids:
        raise PermissionDenied
    return requested


def time_table_scope(access, params):
    """The filters of the studio time tables for this requester, from the query string.

    Admins see every person; managers and supervisors the time logged on the productions
    of their team (supervisors: of their departments, and only those may be asked for);
    anyone else their own time only.
    """
    project_id = optional_id(params, "project_id")
    department_id = optional_id(params, "department_id")
    studio_id = optional_id(params, "studio_id")
    department_ids = [department_id] if department_id is not None else None
    person_id = None
    if not access.is_admin:
        if access.role in ("manager", "supervisor"):
            project_ids = time_reader_project_ids(access)
            if project_id is None:
                project_id = project_ids
            elif project_id not in project_ids:
                raise PermissionDenied
            if access.role == "supervisor":
                departments = own_department_ids(access.person)
                if department_id is not None:
                    if department_id not in departments:
                        raise WrongParameter("Supervisor not allowed to access this department")
                else:
                    department_ids = departments
        else:
            person_id = access.person.pk
    return {
        "person_id": person_id,
        "project_ids": project_id,
        "department_ids": department_ids,
        "studio_id": studio_id,
    }


def optional_id(params, name):
    value = params.get(name)
    if value in (None, ""):
        return None
    return str(parse_uuid(value, f"Malformed ID for {name}: {value!r}."))


# --- time spents ----------------------------------------------------------------------------


def scoped_time_spents(person_id=None, project_ids=None, department_ids=None, studio_id=None):
    """Time spents narrowed to a person, a project (or a list of them), departments (an empty
    list: no restriction) and a studio."""
    queryset = TimeSpent.objects.all()
    if person_id is not None:
        queryset = queryset.filter(person_id=person_id)
    if isinstance(project_ids, list):
        queryset = queryset.filter(task__project_id__in=project_ids)
    elif project_ids is not None:
        queryset = queryset.filter(task__project_id=project_ids)
    if department_ids:
        queryset = queryset.filter(task__task_type__department_id__in=department_ids)
    if studio_id is not None:
        queryset = queryset.filter(person__studio_id=studio_id)
    return queryset


def time_spents_of_day(person, day, project_ids=None, department_ids=None):
    queryset = scoped_time_spents(person.pk, project_ids, department_ids).filter(date=day)
    return render_rows(queryset.order_by("created_at", "pk"))


def time_spents_between(person, start, end, project_ids=None, department_ids=None):
    """The person's time spents from `start` to `end` (both included), each with the project and
    the task type of its task."""
    queryset = scoped_time_spents(person.pk, project_ids, department_ids).filter(
        date__range=(start, end), task__isnull=False
    )
    queryset = queryset.order_by("date", "created_at", "pk")
    rows = render_rows(queryset)
    tasks = {
        str(task["pk"]): task for task in queryset.values("pk", "task__project_id", "task__task_type_id")
    }
    for row in rows:
        task = tasks.get(row["id"], {})
        row["project_id"] = str(task.get("task__project_id"))
        row["task_type_id"] = str(task.get("task__task_type_id"))
    return rows


def time_spents_of_month(person, start, end):
    queryset = TimeSpent.objects.filter(person_id=person.pk, date__gte=start.date(), date__lt=end.date())
    return render_rows(queryset.order_by("date", "created_at", "pk"))


def timesheet(person, start, end, project_ids=None, department_ids=None):
    """The person's time over [start, end[ summed per task, with the names a timesheet shows."""
    queryset = scoped_time_spents(person.pk, project_ids, department_ids).filter(
        date__gte=start.date(),
        date__lt=end.date(),
        task__entity__isnull=False,
        task__project__isnull=False,
    )
    rows = (
        queryset.values(
            "task_id",
            "task__task_type_id",
            "task__project_id",
            "task__project__name",
            "task__entity__name",
            "task__entity__entity_type__name",
            "task__entity__parent__name",
            "task__entity__parent__parent__name",
        )
        .annotate(total=Sum("duration"))
        .order_by("task__project__name", "task__entity__name", "task_id")
    )
    return [
        {
            "task_id": str(row["task_id"]),
            "task_type_id": str(row["task__task_type_id"]),
            "project_id": str(row["task__project_id"]),
            "project_name": row["task__project__name"],
            "entity_name": row["task__entity__name"],
            "entity_type_name": row["task__entity__entity_type__name"],
            "sequence_name": row["task__entity__parent__name"],
            "episode_name": row["task__entity__parent__parent__name"],
            "duration": row["total"],
        }
        for row in rows
    ]


TABLE_UNITS = {"day": ExtractDay, "week": ExtractWeek, "month": ExtractMonth, "year": ExtractYear}


def time_table(
    unit, year=None, month=None, person_id=None, project_ids=None, department_ids=None, studio_id=None
):
    """{unit: {person id: total duration}} over a year (or a month, or all time), summed by the
    database. Units are day numbers, ISO week numbers, month numbers or years, as strings."""
    queryset = scoped_time_spents(person_id, project_ids, department_ids, studio_id)
    if month is not None:
        start, end = month_interval(year, month)
        queryset = queryset.filter(date__gte=start.date(), date__lt=end.date())
    elif year is not None:
        queryset = queryset.filter(date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    totals = (
        queryset.annotate(unit=TABLE_UNITS[unit]("date"))
        .values("unit", "person_id")
        .annotate(total=Sum("duration"))
        .order_by("unit", "person_id")
    )
    table = {}
    for row in totals:
        table.setdefault(str(row["unit"]), {})[str(row["person_id"])] = row["total"]
    return table


# --- day offs -----------------------------------------------------------------------------


def day_offs_between(start=None, end=None, person_id=None, person_ids=None):
    """Day offs overlapping [start, end] (days, both included)."""
    queryset = DayOff.objects.all()
    if person_id is not None:
        queryset = queryset.filter(person_id=person_id)
    if person_ids is not None:
        queryset = queryset.filter(person_id__in=person_ids)
    if start is not None:
        queryset = queryset.filter(end_date__gte=start)
    if end is not None:
        queryset = queryset.filter(date__lte=end)
    return queryset.order_by("date", "person_id", "pk")


def render_day_offs(queryset, with_description=True):
    policy = REGISTRY["day-offs"]
    return render_rows(queryset, shape=policy.shape if with_description else policy.dates_shape)


def day_off_on(person, day, with_description=True):
    """The person's day off covering `day`, or {}."""
    rows = render_day_offs(day_offs_between(day, day, person_id=person.pk)[:1], with_description)
    return rows[0] if rows else {}


def readable_day_offs(access, start, end):
    """The day offs of [start, end] the requester reads, with descriptions where allowed."""
    readers = access.day_off_readers()
    if readers is None:
        return render_day_offs(day_offs_between(start, end))
    queryset = day_offs_between(start, end, person_ids=list(readers))
    full = render_day_offs(queryset.filter(person_id__in=[pk for pk, full in readers.items() if full]))
    dates_only = render_day_offs(
        queryset.filter(person_id__in=[pk for pk, full in readers.items() if not full]),
        with_description=False,
    )
    return sorted(full + dates_only, key=lambda row: (row["date"], row["person_id"], row["id"]))


# --- desktop logins and presence ----------------------------------------------------------


def desktop_login_logs(person):
    return render_rows(DesktopLoginLog.objects.filter(person_id=person.pk).order_by("-date", "-created_at"))


def presence_sheet(year, month):
    """The month's presence as CSV rows: a header of day numbers, then per active person
    (by name) an "X" on each day they logged in from the desktop app."""
    start, end = month_interval(year, month)
    utc = datetime.UTC
    nb_days = (end - start).days
    logged = defaultdict(set)
    days = (
        DesktopLoginLog.objects.filter(date__gte=start.replace(tzinfo=utc), date__lt=end.replace(tzinfo=utc))
        .annotate(day=ExtractDay("date", tzinfo=utc))
        .values_list("person_id", "day")
        .distinct()
    )
    for person_id, day in days:
        logged[person_id].add(day)
    persons = (
        Person.objects.filter(active=True, is_guest=False, preview_project__isnull=True)
        .order_by("first_name", "last_name")
        .values("pk", "first_name", "last_name")
    )
    rows = [[str(year), *(str(day) for day in range(1, nb_days + 1))]]
    for person in persons:
        row = [full_name(person["first_name"], person["last_name"])]
        row += ["X" if day in logged[person["pk"]] else "" for day in range(1, nb_days + 1)]
        rows.append(row)
    return rows


def last_presence(person):
    """The day of the person's latest desktop login or time spent, whichever is later."""
    login = (
        DesktopLoginLog.objects.filter(person_id=person.pk).order_by("-date").values_list("date", flat=True)
    ).first()
    logged = (
        TimeSpent.objects.filter(person_id=person.pk).order_by("-date").values_list("date", flat=True).first()
    )
    days = []
    if login is not None:
        days.append(login.astimezone(datetime.UTC).date())
    if logged is not None:
        days.append(logged)
    return max(days, default=None)


# --- quotas ---------------------------------------------------------------------------------


def quota_shots(person, start, end, tz, project_id=None, task_type_id=None, weighted=True, feedback=True):
    """The shots that count in the person's quota over [start, end[ (naive local datetimes), each
    with its `full_name` and its `weight`, by full name.

    A shot counts when its task got its first feedback request (`feedback`) or its approval.
    Weighted, a shot weighs the share of its task's time the person logged in the period; a
    task nobody logged time on weighs the share of its working days (from WIP to feedback)
    that falls in the period. Unweighted, each shot whose task ended in the period weighs 1.
    """
    end_column = "end_date" if feedback else "done_date"
    utc_start, utc_end = local_to_utc(start, tz), local_to_utc(end, tz)
    scope = {"entity__entity_type__name": SHOT_TYPE_NAME, f"{end_column}__isnull": False}
    if project_id is not None:
        scope["project_id"] = project_id
    if task_type_id is not None:
        scope["task_type_id"] = task_type_id
    assigned = TaskPersonLink.objects.filter(task_id=OuterRef("pk"), person_id=person.pk)
    weights = {}
    if weighted:
        task_scope = {f"task__{key}": value for key, value in scope.items()}
        shares = (
            TimeSpent.objects.filter(
                person_id=person.pk, date__gte=start.date(), date__lt=end.date(), **task_scope
            )
            .values("task__entity_id")
            .annotate(weight=Sum(Round(F("duration") / NullIf(F("task__duration"), 0.0), 2)))
            .order_by("task__entity_id")
        )
        for row in shares:
            weights[row["task__entity_id"]] = float(row["weight"] or 0)
        untimed = (
            Task.objects.filter(
                Exists(assigned),
                real_start_date__isnull=False,
                real_start_date__lte=utc_end,
                **{f"{end_column}__gte": utc_start},
                **scope,
            )
            .exclude(Exists(TimeSpent.objects.filter(task_id=OuterRef("pk"))))
            .order_by("created_at", "pk")
            .values("entity_id", "real_start_date", end_column)
        )
        for task in untimed:
            if task["entity_id"] not in weights:
                weights[task["entity_id"]] = spread_weight(
                    naive_utc(task["real_start_date"]), naive_utc(task[end_column]), start, end
                )
    else:
        ended = Task.objects.filter(
            Exists(assigned), **{f"{end_column}__range": (utc_start, utc_end)}, **scope
        ).values_list("entity_id", flat=True)
        weights = dict.fromkeys(ended.order_by().distinct(), 1)
    return render_quota_shots(weights)


def spread_weight(task_start, task_end, start, end):
    """The share of a task's working days that falls in [start, end]."""
    task_days = business_days(task_start, task_end) + 1
    if task_start >= start and task_end <= end:
        days = task_days
    elif task_start >= start:
        days = business_days(task_start, end) + 1
    elif task_end <= end:
        days = business_days(start, task_end) + 1
    else:
        days = 1
    return round(days / task_days, 2)


def render_quota_shots(weights):
    if not weights:
        return []
    ids = list(weights)
    shots = serialize_rows(Entity.objects.filter(pk__in=ids), shape=ENTITY_SHAPE)
    names = {
        str(row["pk"]): shot_full_name(
            row["name"], row["parent__name"], row["parent__parent_id"], row["parent__parent__name"]
        )
        for row in Entity.objects.filter(pk__in=ids).values(
            "pk", "name", "parent__name", "parent__parent_id", "parent__parent__name"
        )
    }
    by_id = {str(pk): weight for pk, weight in weights.items()}
    for shot in shots:
        shot["full_name"] = names.get(shot["id"], shot["name"])
        shot["weight"] = by_id[shot["id"]]
    return sorted(shots, key=lambda shot: shot["full_name"])


def shot_full_name(shot_name, sequence_name, episode_id, episode_name):
    """ "Episode / Sequence / Shot", or "Sequence / Shot" outside episodes."""
    if sequence_name is None:
        return shot_name
    if episode_id is None:
        return f"{sequence_name} / {shot_name}"
    return f"{episode_name} / {sequence_name} / {shot_name}"
