"""The columns every entity import reads the same way: metadata columns (named after a descriptor
of the production), task columns (a task type's name holds its status, `<task type> comment` a
comment, `<task type> assignations` its assignees) and person cells (full name, email or id).
Each loads what it resolves against once, in `prepare`, and writes through the domain services."""

from django.db.models import OuterRef, Subquery

from exchange.rows import RowError, parse_yes_no
from people.models import Person, full_name
from productions.models import MetadataDescriptor, ProjectTaskTypeLink
from tasks.assignations.services import assign_tasks
from tasks.comments.services import post_comment
from tasks.models import Comment, Task, TaskPersonLink, TaskStatus, TaskType
from tasks.services import create_tasks


class PersonCells:
    """Person cells: a full name, an email or an id, case-insensitive (the exports write names)."""

    def __init__(self):
        self._lookup = None

    def person_id(self, value, column):
        if self._lookup is None:
            self._lookup = {}
            for row in Person.objects.filter(is_bot=False).values("pk", "first_name", "last_name", "email"):
                self._lookup[str(row["pk"])] = row["pk"]
                self._lookup[full_name(row["first_name"], row["last_name"]).lower()] = row["pk"]
                if row["email"]:
                    self._lookup[row["email"].lower()] = row["pk"]
        person_id = self._lookup.get(value.strip().lower())
        if person_id is None:
            raise RowError(f"Person not found for {value}", column)
        return person_id


class MetadataColumns:
    """The production's metadata descriptors of a kind, read from the columns named after them."""

    def __init__(self, project, kind, persons):
        self.descriptors = {
            descriptor.name: descriptor
            for descriptor in MetadataDescriptor.objects.filter(project=project, entity_type=kind)
        }
        self.persons = persons

    def data(self, row, data):
        """`data` with the row's metadata cells: an empty cell stored empty, booleans as
        "true"/"false", persons as their id."""
        new_data = dict(data or {})
        for name, descriptor in self.descriptors.items():
            if name not in row:
                continue
            value = row[name]
            if value not in (None, ""):
                if descriptor.data_type == "boolean":
                    value = "true" if parse_yes_no(value, name) else "false"
                elif descriptor.data_type == "person":
                    value = str(self.persons.person_id(value, name))
            new_data[descriptor.field_name] = value
        return new_data


def project_task_types(project, for_entity):
    """The task types of the production for a kind of entity, by priority and name."""
    links = ProjectTaskTypeLink.objects.filter(project=project, task_type__for_entity=for_entity)
    return list(TaskType.objects.filter(pk__in=links.values("task_type_id")).order_by("priority", "name"))


class TaskColumns:
    """The task columns of the production's task types for a kind of entity."""

    def __init__(self, project, for_entity, header, persons):
        links = ProjectTaskTypeLink.objects.filter(project=project, task_type__for_entity=for_entity)
        self.task_types = list(
            TaskType.objects.filter(pk__in=links.values("task_type_id")).order_by("priority", "name")
        )
        self.statuses = {}
        for status in TaskStatus.objects.all():
            for name in (status.name, status.short_name):
                self.statuses.setdefault((name or "").lower(), status)
        self.header = set(header)
        self.persons = persons
        self.with_comments = any(f"{task_type.name} comment" in self.header for task_type in self.task_types)

    def updates(self, row):
        """[{task_type, status, comment, assignee_ids}] the row asks for (cells left empty ask nothing)."""
        updates = []
        for task_type in self.task_types:
            status = None
            cell = row.get(task_type.name)
            if cell not in (None, ""):
                status = self.statuses.get(cell.strip().lower())
                if status is None:
                    raise RowError(f"Task status not found for {cell}", task_type.name)
            comment = row.get(f"{task_type.name} comment")
            column = f"{task_type.name} assignations"
            assignees = [
                self.persons.person_id(name, column)
                for name in (row.get(column) or "").split(",")
                if name.strip()
            ]
            if status is not None or comment not in (None, "") or assignees:
                updates.append(
                    {"task_type": task_type, "status": status, "comment": comment, "assignee_ids": assignees}
                )
        return updates

    def existing(self, entity_ids):
        """{(entity id, task type id): {"task", "status_id", "assignee_ids", "last_comment"}} of the
        entities of `entity_ids` (a list, or a values() queryset for a whole production)."""
        tasks = Task.objects.filter(entity_id__in=entity_ids)
        if self.with_comments:
            last = Comment.objects.filter(object_id=OuterRef("pk")).order_by("-created_at").values("text")[:1]
            tasks = tasks.annotate(last_comment=Subquery(last))
        found = {}
        for task in tasks:
            found[(task.entity_id, task.task_type_id)] = {
                "task": task,
                "status_id": task.task_status_id,
                "assignee_ids": set(),
                "last_comment": getattr(task, "last_comment", None),
            }
        by_task = {entry["task"].pk: entry for entry in found.values()}
        links = TaskPersonLink.objects.filter(task__entity_id__in=entity_ids).values("task_id", "person_id")
        for link in links:
            if link["task_id"] in by_task:  # else made since the tasks were read
                by_task[link["task_id"]]["assignee_ids"].add(link["person_id"])
        return found

    def changes(self, updates, entity_id, existing):
        """{column: [before, after]} the updates would make on the entity's tasks."""
        changes = {}
        for update in updates:
            task_type = update["task_type"]
            current = existing.get((entity_id, task_type.pk))
            status = update["status"]
            if status is not None and (current is None or current["status_id"] != status.pk):
                changes[task_type.name] = [
                    None if current is None else str(current["status_id"]),
                    status.short_name,
                ]
            new_assignees = set(update["assignee_ids"]) - (current["assignee_ids"] if current else set())
            if new_assignees:
                changes[f"{task_type.name} assignations"] = [None, sorted(str(pk) for pk in new_assignees)]
            comment = update["comment"]
            if comment not in (None, "") and (current is None or current["last_comment"] != comment):
                changes[f"{task_type.name} comment"] = [None, comment]
        return changes

    def apply(self, updates, entity, existing, user):
        """Create the tasks the updates name and the entity lacks, assign, and comment where the
        status changes or a new comment is given (the same file again posts nothing)."""
        for update in updates:
            task_type = update["task_type"]
            current = existing.get((entity.pk, task_type.pk))
            if current is None:
                create_tasks(task_type, [entity], user)
                task = Task.objects.get(entity=entity, task_type=task_type, name="main")
                current = {
                    "task": task,
                    "status_id": task.task_status_id,
                    "assignee_ids": set(),
                    "last_comment": None,
                }
                existing[(entity.pk, task_type.pk)] = current
            task = current["task"]
            for person_id in update["assignee_ids"]:
                if person_id not in current["assignee_ids"]:
                    assign_tasks([task], Person.objects.get(pk=person_id), user)
                    current["assignee_ids"].add(person_id)
            status, comment = update["status"], update["comment"]
            status_changes = status is not None and status.pk != current["status_id"]
            new_comment = comment not in (None, "") and comment != current["last_comment"]
            if status_changes or new_comment:
                post_comment(task, status or task.task_status, user, user, text=comment or "")
                current["status_id"] = (status or task.task_status).pk
                current["last_comment"] = comment or ""
