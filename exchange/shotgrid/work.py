"""ShotGrid records of the work done: tasks, versions (preview files) and notes (comments)."""

import datetime

from django.utils import timezone

from assets.models import Asset
from exchange.shotgrid.importing import Importer, RowSkipped, by_shotgun_id, link_id, update_fields
from files.models import PreviewFile
from kitsu_server.core.events import record_event
from people.models import Person
from productions.models import Project
from shots.models import Episode, Scene, Sequence, Shot
from tasks.models import Comment, Task, TaskStatus, TaskType

ENTITY_MANAGERS = {
    "Asset": Asset.objects,
    "Shot": Shot.objects,
    "Scene": Scene.objects,
    "Sequence": Sequence.objects,
    "Episode": Episode.objects,
}


def moment(text):
    """A ShotGrid date or date-time ("2024-03-01", "2024-03-01T10:00:00Z") as an aware UTC
    date-time; None for None."""
    if text is None:
        return None
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def shotgun_ids(model):
    """{ShotGrid id: id here} of the rows of `model` that came from ShotGrid."""
    return dict(model.objects.exclude(shotgun_id=None).values_list("shotgun_id", "pk"))


class TaskImporter(Importer):
    """Task: `cached_display_name` (name), `step` (its task type, by ShotGrid id), `entity` (an
    Asset, Shot, Scene, Sequence or Episode, by ShotGrid id), `project`, `sg_status_list` (a
    status by short name; the default status otherwise), `created_by` (assigner),
    `task_assignees`, `start_date`, `due_date`, `sg_sort_order`, `duration`. Tasks without a step
    or a project are passed over. Matched by ShotGrid id, then by name, task type and entity."""

    kind = "tasks"
    model = Task
    event = "task"

    def prepare(self, entries):
        self.project_ids = shotgun_ids(Project)
        self.person_ids = shotgun_ids(Person)
        self.task_type_ids = shotgun_ids(TaskType)
        self.status_ids = dict(TaskStatus.objects.values_list("short_name", "pk"))
        default = TaskStatus.objects.filter(is_default=True).order_by("created_at").first()
        self.default_status_id = default.pk if default else None

    def accepts(self, entry):
        return entry["step"] is not None and entry["project"] is not None

    def entity_id(self, entry):
        link = entry["entity"]
        manager = ENTITY_MANAGERS.get(link["type"]) if link else None
        entity = by_shotgun_id(manager, link["id"]) if manager is not None else None
        return entity.pk if entity else None

    def save(self, entry):
        assignee_ids = []
        for person in entry["task_assignees"] or []:
            if person["id"] not in self.person_ids:
                raise RowSkipped(f"The assignee {person['id']} is not imported.")
            assignee_ids.append(self.person_ids[person["id"]])
        values = {
            "name": entry["cached_display_name"],
            "shotgun_id": entry["id"],
            "start_date": moment(entry["start_date"]),
            "due_date": moment(entry["due_date"]),
            "sort_order": entry["sg_sort_order"],
            "duration": entry["duration"],
            "task_type_id": self.task_type_ids.get(link_id(entry, "step")),
            "task_status_id": self.status_ids.get(entry["sg_status_list"], self.default_status_id),
            "project_id": self.project_ids.get(link_id(entry, "project")),
            "entity_id": self.entity_id(entry),
            "assigner_id": self.person_ids.get(link_id(entry, "created_by")),
        }
        for name, what in (
            ("project_id", "project"),
            ("task_type_id", "step"),
            ("entity_id", "entity"),
            ("task_status_id", "status"),
        ):
            if values[name] is None:
                raise RowSkipped(f"The {what} of this task is not imported.")
        natural_key = {name: values[name] for name in ("name", "project_id", "task_type_id", "entity_id")}
        twin = Task.objects.filter(**natural_key).first()
        task = by_shotgun_id(Task.objects, entry["id"]) or twin
        created = task is None
        if created:
            task = Task.objects.create(**values)
        else:
            if twin is not None:  # the name is taken there (by this task or another): keep the key
                values = {name: value for name, value in values.items() if name not in natural_key}
            update_fields(task, values)
        if set(task.assignees.values_list("pk", flat=True)) != set(assignee_ids):
            task.assignees.set(assignee_ids)
        return task, created


class VersionImporter(Importer):
    """Version: a preview file named `code`, with `description`, `user` (its author), `sg_task`
    (its task) and `sg_uploaded_movie` (the movie's URL and name, kept as they are: no media is
    fetched). Versions of no task are passed over. Matched by ShotGrid id, then by name and task."""

    kind = "versions"
    model = PreviewFile
    event = "preview-file"

    def prepare(self, entries):
        self.person_ids = shotgun_ids(Person)

    def accepts(self, entry):
        return entry["sg_task"] is not None

    def save(self, entry):
        task = by_shotgun_id(Task.objects, link_id(entry, "sg_task"))
        values = {
            "name": entry["code"],
            "shotgun_id": entry["id"],
            "description": entry["description"],
            "source": "Shotgun",
            "task_id": task.pk if task else None,
        }
        if entry.get("user") is not None:
            values["person_id"] = self.person_ids.get(entry["user"]["id"])
        if entry["sg_uploaded_movie"] is not None:
            values["uploaded_movie_url"] = entry["sg_uploaded_movie"]["url"]
            values["uploaded_movie_name"] = entry["sg_uploaded_movie"]["name"]
        preview = by_shotgun_id(PreviewFile.objects, entry["id"])
        if preview is None:
            preview = PreviewFile.objects.filter(name=entry["code"], task_id=values["task_id"]).first()
        if preview is None:
            return PreviewFile.objects.create(**values), True
        update_fields(preview, values)
        return preview, False


class NoteImporter(Importer):
    """Note: a comment on its first task (`tasks`, by ShotGrid id) with `content` as text,
    `user` as author and `created_at` as date. Notes on no task imported here are passed over."""

    kind = "notes"
    model = Comment
    event = "comment"

    def prepare(self, entries):
        self.person_ids = shotgun_ids(Person)
        task_shotgun_ids = {entry["tasks"][0]["id"] for entry in entries if entry["tasks"]}
        self.tasks = {
            task.shotgun_id: task
            for task in Task.objects.filter(shotgun_id__in=task_shotgun_ids).order_by("-created_at")
        }
        self.project_ids_of_tasks = {task.pk: task.project_id for task in self.tasks.values()}

    def accepts(self, entry):
        return bool(entry["tasks"]) and entry["tasks"][0]["id"] in self.tasks

    def save(self, entry):
        task = self.tasks[entry["tasks"][0]["id"]]
        person_id = self.person_ids.get(link_id(entry, "user"))
        if person_id is None:
            raise RowSkipped("The author of this note is not imported.")
        values = {
            "text": entry["content"],
            "shotgun_id": entry["id"],
            "object_id": task.pk,
            "object_type": "Task",
            "person_id": person_id,
            "created_at": moment(entry["created_at"][:19]),
        }
        comment = by_shotgun_id(Comment.objects, entry["id"])
        if comment is None:
            return Comment.objects.create(**values), True
        update_fields(comment, values)
        return comment, False

    def announce(self, row, created):
        record_event(
            f"comment:{'new' if created else 'update'}",
            {"comment_id": str(row.pk), "task_id": str(row.object_id), "person_id": str(row.person_id)},
            project_id=self.project_ids_of_tasks.get(row.object_id),
            user=self.user,
        )
