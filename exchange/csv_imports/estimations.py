"""The estimations import of a task type (/import/csv/projects/{id}[/episodes/{id}]/task-types/{id}
/estimations): per row (Parent: the asset type or the sequence, Entity) the task of that type gets
its Estimation (in days, or hours when the studio shows durations in hours), Drawings, Start date,
Due date (else from the start and the estimation, in business days), Difficulty and its metadata
columns. Rows naming no entity of the production are errors (the reference's 400)."""

import datetime

from django.db import transaction
from slugify import slugify

from assets.models import NON_ASSET_TYPE_NAMES, Entity
from exchange.csv_imports.columns import MetadataColumns, PersonCells
from exchange.rows import Importer, RowError, RowPlan, in_batches, parse_int
from kitsu_server.core.events import record_event
from people.models import Organisation
from tasks.models import Task

FIELDS = ("estimation", "nb_drawings", "start_date", "due_date", "difficulty", "data")


def snap_to_whole(value):
    """The whole number a float lands a hair off (2.05 hours are 122.99999999999999 minutes)."""
    whole = round(value)
    return whole if abs(value - whole) < 1e-6 else value


def add_business_days(day, count):
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def parse_day(value, column):
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m-%d").replace(tzinfo=datetime.UTC)
    except ValueError:
        raise RowError(f"{column}: {value} is no YYYY-MM-DD date", column) from None


class EstimationsImporter(Importer):
    name = "csv-import.estimations"
    required_columns = ("Parent", "Entity")

    def __init__(self, user, project, task_type, episode_id=None, update=False):
        super().__init__(user, project, update)
        self.task_type, self.episode_id = task_type, episode_id

    def prepare(self, header):
        super().prepare(header)
        organisation = Organisation.objects.first()
        self.hours_by_day = organisation.hours_by_day if organisation else 8
        self.in_hours = bool(organisation and organisation.format_duration_in_hours)
        self.metadata = MetadataColumns(self.project, "Task", PersonCells())
        self.metadata.descriptors = {
            name: descriptor
            for name, descriptor in self.metadata.descriptors.items()
            if descriptor.task_type_id == self.task_type.pk
        }
        entities = Entity.objects.filter(project=self.project)
        episode = self.episode_id if self.episode_id not in (None, "main", "all") else None
        if self.task_type.for_entity == "Shot":
            entities = entities.filter(entity_type__name="Shot")
            if episode:
                entities = entities.filter(parent__parent_id=episode)
            rows = entities.values_list("pk", "parent__name", "name")
        else:
            entities = entities.exclude(entity_type__name__in=NON_ASSET_TYPE_NAMES)
            if episode:
                entities = entities.filter(source_id=episode)
            rows = entities.values_list("pk", "entity_type__name", "name")
        self.entities = {slugify(f"{parent or ''}{name}"): pk for pk, parent, name in rows}
        self.tasks = {
            task.entity_id: task
            for task in Task.objects.filter(project=self.project, task_type=self.task_type)
        }

    def estimation_minutes(self, estimation):
        if self.in_hours:
            return snap_to_whole(estimation * 60)
        return round(estimation * self.hours_by_day * 60)

    def estimation_days(self, estimation):
        return snap_to_whole(estimation / self.hours_by_day) if self.in_hours else estimation

    def plan(self, line, row):
        entity_id = self.entities.get(slugify(f"{row['Parent']}{row['Entity']}"))
        task = self.tasks.get(entity_id)
        if task is None:
            raise RowError(f"Entity '{row['Entity']}' with parent '{row['Parent']}' not found", "Entity")
        values = {}
        estimation = None
        if row.get("Estimation"):
            try:
                estimation = float(row["Estimation"])
            except ValueError:
                raise RowError(
                    f"Estimation must be a number, got '{row['Estimation']}'", "Estimation"
                ) from None
            values["estimation"] = self.estimation_minutes(estimation)
        if row.get("Drawings"):
            values["nb_drawings"] = parse_int(row["Drawings"], "Drawings")
        if row.get("Start date"):
            values["start_date"] = parse_day(row["Start date"], "Start date")
        if row.get("Due date"):
            values["due_date"] = parse_day(row["Due date"], "Due date")
        elif values.get("start_date") and values.get("estimation"):
            values["due_date"] = add_business_days(values["start_date"], self.estimation_days(estimation) - 1)
        if row.get("Difficulty"):
            values["difficulty"] = parse_int(row["Difficulty"], "Difficulty")
            if not 0 < values["difficulty"] < 6:
                raise RowError("Difficulty must be between 1 and 5", "Difficulty")
        if any(name in row for name in self.metadata.descriptors):
            values["data"] = self.metadata.data(row, task.data)
        changes = {
            name: [str(getattr(task, name)), str(value)]
            for name, value in values.items()
            if getattr(task, name) != value
        }
        action = "update" if changes else "unchanged"
        return RowPlan(
            line,
            f"{row['Parent']} / {row['Entity']}",
            action,
            changes,
            values={"task": task, "task_values": values},
        )

    def apply(self, plans, report):
        for batch in in_batches(plans, report):
            for plan in batch:
                if plan.action != "update":
                    continue
                task = plan.values["task"]
                with transaction.atomic():
                    for name, value in plan.values["task_values"].items():
                        setattr(task, name, value)
                    task.save()
                    record_event(
                        "task:update", {"task_id": str(task.pk)}, project_id=task.project_id, user=self.user
                    )
        return [None for _ in plans]  # the reference answers a null per imported row
