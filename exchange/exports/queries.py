"""The rows of the studio-wide CSV exports (projects, persons, task types, tasks, time spents), in
the reference's columns and order. Each is a generator: a header row, then the rows read a batch
at a time (`BATCH` rows, a query or two per batch), so that a 100k-task export is never whole in
memory and its queries stay bounded by its size divided by the batch."""

from itertools import islice

from django.db.models import F
from django.db.models.functions import Lower

from exchange.exports.writer import by_codepoint
from people.models import DepartmentLink, Person, full_name
from productions.models import Project
from tasks.models import Task, TaskPersonLink, TaskType, TimeSpent

BATCH = 2000
OPEN_STATUS_NAMES = ("Active", "open", "Open")  # the time spent export's "open" projects


def batches(rows, size=None):
    """Lists of at most `size` rows (BATCH by default) from an iterable (a queryset read through
    `.iterator()`)."""
    size = size or BATCH
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def ascending(*names):
    """Ordering by these text columns as the reference's database does: code points, nulls last
    (a name prefixed with `=` is no text: compared as it is)."""
    columns = (F(name[1:]) if name.startswith("=") else by_codepoint(F(name)) for name in names)
    return [column.asc(nulls_last=True) for column in columns]


def day(value):
    return value.strftime("%Y-%m-%d") if value is not None else ""


def projects_rows():
    yield ["Name", "Status"]
    rows = Project.objects.values("name", "project_status__name").order_by(*ascending("name"))
    for row in rows.iterator(chunk_size=BATCH):
        yield [row["name"], row["project_status__name"]]


def task_types_rows():
    yield ["Department", "Name"]
    rows = (
        TaskType.objects.filter(department__isnull=False)
        .values("name", "department__name")
        .order_by(*ascending("department__name", "name"))
    )
    for row in rows.iterator(chunk_size=BATCH):
        yield [row["department__name"], row["name"]]


PERSON_HEADERS = [
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Role",
    "Departments",
    "Studio",
    "Country",
    "Contract Type",
    "Position",
    "Seniority",
    "Daily Salary",
    "Active",
]


def persons_rows():
    """The studio's people (no bots, guests or preview accounts), by first then last name."""
    yield PERSON_HEADERS
    persons = (
        Person.objects.exclude(is_bot=True)
        .exclude(is_guest=True)
        .filter(preview_project__isnull=True)
        .values(
            "pk",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "studio__name",
            "country",
            "contract_type",
            "position",
            "seniority",
            "daily_salary",
            "active",
        )
        .order_by(by_codepoint(Lower("first_name")), by_codepoint(Lower("last_name")))
    )
    for batch in batches(persons.iterator(chunk_size=BATCH)):
        departments = {}
        for link in DepartmentLink.objects.filter(person_id__in=[row["pk"] for row in batch]).values(
            "person_id", "department__name"
        ):
            departments.setdefault(link["person_id"], []).append(link["department__name"])
        for row in batch:
            yield [
                row["first_name"],
                row["last_name"],
                row["email"],
                row["phone"],
                row["role"],
                ",".join(sorted(departments.get(row["pk"], ()))),
                row["studio__name"] or "",
                row["country"] or "",
                row["contract_type"],
                row["position"] or "",
                row["seniority"] or "",
                row["daily_salary"] if row["daily_salary"] is not None else "",
                "yes" if row["active"] else "no",
            ]


TASK_HEADERS = [
    "Project",
    "Task Type",
    "Episode",
    "Sequence",
    "Entity Type",
    "Entity",
    "Assigner",
    "Assignees",
    "Duration",
    "Estimation",
    "Start date",
    "Due date",
    "WIP date",
    "Validation date",
    "Task Status",
]


def assignee_names(task_ids, separator):
    """{task id: its assignees' full names joined by `separator`}, in one query."""
    names = {}
    links = (
        TaskPersonLink.objects.filter(task_id__in=task_ids)
        .values("task_id", "person__first_name", "person__last_name")
        .order_by("person__first_name", "person__last_name")
    )
    for link in links:
        names.setdefault(link["task_id"], []).append(
            full_name(link["person__first_name"], link["person__last_name"])
        )
    return {task_id: separator.join(people) for task_id, people in names.items()}


def tasks_rows():
    """The tasks of the open productions, by production, task type, task name and entity."""
    yield TASK_HEADERS
    tasks = (
        Task.objects.filter(project__project_status__name="Open")
        .values(
            "pk",
            "project__name",
            "task_type__name",
            "task_status__name",
            "entity__parent__parent__name",
            "entity__parent__name",
            "entity__entity_type__name",
            "entity__name",
            "assigner__first_name",
            "assigner__last_name",
            "duration",
            "estimation",
            "start_date",
            "due_date",
            "real_start_date",
            "end_date",
        )
        .order_by(
            *ascending(
                "project__name",
                "task_type__name",
                "name",
                "entity__parent__parent__name",
                "entity__parent__name",
                "entity__entity_type__name",
                "entity__name",
            )
        )
    )
    for batch in batches(tasks.iterator(chunk_size=BATCH)):
        assignees = assignee_names([row["pk"] for row in batch], ", ")
        for row in batch:
            yield [
                row["project__name"],
                row["task_type__name"],
                row["entity__parent__parent__name"],
                row["entity__parent__name"],
                row["entity__entity_type__name"],
                row["entity__name"],
                full_name(row["assigner__first_name"], row["assigner__last_name"]),
                assignees.get(row["pk"], ""),
                row["duration"],
                row["estimation"],
                day(row["start_date"]),
                day(row["due_date"]),
                day(row["real_start_date"]),
                day(row["end_date"]),
                row["task_status__name"],
            ]


def time_spents_rows():
    """Time spent on the tasks of the open productions, by day, person and entity; a shot named
    with its sequence (and episode)."""
    yield ["Project", "Person", "Entity Type Name", "Entity", "Task Type", "Date", "Time spent"]
    time_spents = (
        TimeSpent.objects.filter(task__project__project_status__name__in=OPEN_STATUS_NAMES)
        .values(
            "date",
            "duration",
            "person__first_name",
            "person__last_name",
            "task__project__name",
            "task__task_type__name",
            "task__entity__entity_type__name",
            "task__entity__name",
            "task__entity__parent__name",
            "task__entity__parent__parent__name",
        )
        .order_by(
            *ascending(
                "=date",
                "person__last_name",
                "task__project__name",
                "task__entity__entity_type__name",
                "task__entity__name",
            )
        )
    )
    for row in time_spents.iterator(chunk_size=BATCH):
        entity_type = row["task__entity__entity_type__name"]
        entity_name = row["task__entity__name"]
        if entity_type == "Shot":
            entity_name = " / ".join(
                name
                for name in (
                    row["task__entity__parent__parent__name"],
                    row["task__entity__parent__name"],
                    entity_name,
                )
                if name is not None
            )
        yield [
            row["task__project__name"],
            f"{row['person__first_name']} {row['person__last_name']}".strip(),
            entity_type,
            entity_name,
            row["task__task_type__name"],
            day(row["date"]),
            row["duration"],
        ]
