"""Copy productions of a live Kitsu (Zou) server here through its public API (`manage.py
import_kitsu`), as the `kitsu.copy` job.

What is copied, in this order: departments, people (matched by email), project statuses, task
types (by name and kind of entity), task statuses (by short name) and entity types (by name),
created when missing; then the productions (matched by name, else under their own id), their
metadata descriptors, entities, casting, tasks, preview files, comments, their attachments, time
spents and playlists, under their own ids; last the files (exchange.kitsu.media): the previews'
media (stored as uploads, their thumbnails built), the attachments' files, people's avatars and
productions' thumbnails. Every row is matched before it is written (by natural key or id), so a
copy run twice changes nothing the second time; a preview whose media are here already is neither
rewritten nor downloaded again, nor is any file stored here already.

Resuming: the job's row keeps a checkpoint (the steps done, and how far the current one went)
as it goes; a run after an interrupted one (killed, failed, the source gone) starts from that
checkpoint. A row refused here (or a file the source does not serve) is kept as a
`DataImportError` (source "kitsu") and the copy goes on. At the end the rows of each kind, and the
files copied, are counted on both sides.
"""

import contextvars

from django.db import DataError, IntegrityError, transaction
from django.db.models import F

from assets.models import Entity, EntityLink, EntityType
from exchange.import_runs import keep_row_error
from exchange.kitsu import media
from exchange.kitsu.records import KINDS, checked_rows, column_values
from exchange.kitsu.services import write_row
from files.models import AttachmentFile, Playlist, PreviewFile
from kitsu_server.api.errors import WrongParameter, integrity_message
from kitsu_server.core.models import SUCCEEDED, Job
from people.models import Department, Person
from productions.models import MetadataDescriptor, Project, ProjectStatus
from tasks.models import Comment, Task, TaskStatus, TaskType, TimeSpent

SOURCE = "kitsu"
BATCH = 200  # rows written per transaction (and per checkpoint)
LOOKUP_STEPS = ("departments", "persons", "project-statuses", "task-types", "task-statuses", "entity-types")
ROW_STEPS = (
    "projects",
    "metadata-descriptors",
    "entities",
    "casting",
    "tasks",
    "preview-files",
    "comments",
    "attachment-files",
    "time-spents",
    "playlists",
)
MEDIA_STEPS = ("preview-media", "attachment-media", "thumbnails")
# Entities written parents first: episodes hold sequences, sequences shots and scenes.
ENTITY_ORDER = {"Episode": 0, "Sequence": 1, "Scene": 2, "Shot": 4, "Edit": 5}
# References to rows a copy does not bring (yet): left out rather than refused.
NOT_COPIED = {
    "projects": (
        "default_preview_background_file_id",
        "from_schedule_version_id",
        "preview_background_files",
        "status_automations",
    ),
    "entities": ("preview_file_id", "entities_out"),
    "preview-files": ("source_file_id",),
    "comments": ("attachment_files",),
}


class CopyFailed(Exception):
    """The copy cannot go on (nothing to copy, no source): the job fails with the reason."""


class Session:
    """What a run needs that a job row must not keep: the logged-in source, the display."""

    def __init__(self, source, display=None):
        self.source = source
        self.display = display or (lambda step, done, total: None)


SESSION = contextvars.ContextVar("kitsu_copy_session", default=None)


def copy_server(report, url, email, project_name=None):
    """The `kitsu.copy` job: copy the productions of the source of the current session (all, or
    the one named `project_name`)."""
    session = SESSION.get()
    if session is None:
        raise CopyFailed("No source server logged in: run `manage.py import_kitsu`.")
    checkpoint = resumed_checkpoint(report.job_id, url, project_name)
    return Copy(session, project_name, report, checkpoint).run()


def resumed_checkpoint(job_id, url, project_name):
    """Where to start: this job's own checkpoint (a retried attempt), else the one of the last
    unfinished run of the same copy (which is then marked as interrupted)."""
    own = Job.objects.filter(pk=job_id).values_list("result", flat=True).first()
    if own and own.get("checkpoint"):
        return own["checkpoint"]
    previous = (
        Job.objects.filter(name="kitsu.copy", params__url=url, params__project_name=project_name)
        .exclude(pk=job_id)
        .order_by("-created_at")
        .first()
    )
    if previous is None or previous.state == SUCCEEDED:
        return {}
    if previous.state != "failed":
        Job.objects.filter(pk=previous.pk).update(
            state="failed", error=f"Interrupted; resumed by the job {job_id}."
        )
    return (previous.result or {}).get("checkpoint") or {}


class Copy:
    def __init__(self, session, project_name, report, checkpoint):
        self.source = session.source
        self.display = session.display
        self.project_name = project_name
        self.report = report
        self.checkpoint = {"done": list(checkpoint.get("done", [])), **checkpoint}
        self.ids = {}  # a source id -> the id here, for rows matched by natural key
        self.remote = {}
        self.errors = 0
        self.media_copied = 0

    # --- reading the source --------------------------------------------------------------------

    def fetch(self):
        source = self.source
        self.remote["departments"] = source.rows("/data/departments")
        persons = source.rows("/data/persons")
        self.remote["persons"] = [row for row in persons if not row.get("is_bot")]
        self.people = {row["id"] for row in persons}  # bots too: who may be named and not copied
        self.remote["project-statuses"] = source.rows("/data/project-status")
        self.remote["task-types"] = source.rows("/data/task-types")
        self.remote["task-statuses"] = source.rows("/data/task-status")
        self.remote["entity-types"] = source.rows("/data/entity-types")
        projects = source.rows("/data/projects", relations="true")
        if self.project_name is not None:
            projects = [row for row in projects if row["name"] == self.project_name]
            if not projects:
                raise CopyFailed(f"The source has no production named {self.project_name!r}.")
        self.remote["projects"] = projects
        type_names = {row["id"]: row["name"] for row in self.remote["entity-types"]}
        entities, tasks, playlists, descriptors, attachments = [], [], [], [], []
        for project in projects:
            descriptors += source.rows(
                "/data/metadata-descriptors", project_id=project["id"], relations="true"
            )
            entities += source.rows("/data/entities", project_id=project["id"], relations="true")
            tasks += source.rows("/data/tasks", project_id=project["id"], relations="true")
            playlists += source.rows("/data/playlists", project_id=project["id"])
            attachments += source.rows(f"/data/projects/{project['id']}/attachment-files")
        entities.sort(key=lambda row: (ENTITY_ORDER.get(type_names.get(row["entity_type_id"]), 3), row["id"]))
        self.remote["entities"] = entities
        self.remote["casting"] = [
            link
            for entity in entities
            if entity.get("entities_out")
            for link in source.rows("/data/entity-links", entity_in_id=entity["id"])
        ]
        self.remote["tasks"] = sorted(tasks, key=lambda row: row["id"])
        for step, path, key, query in (
            ("preview-files", "/data/preview-files", "task_id", {}),
            ("comments", "/data/comments", "object_id", {"relations": "true"}),
            ("time-spents", "/data/time-spents", "task_id", {}),
        ):
            self.remote[step] = [
                row
                for task in self.remote["tasks"]
                for row in source.rows(path, **{key: task["id"]}, **query)
            ]
        self.remote["preview-media"] = [row for row in self.remote["preview-files"] if media.has_media(row)]
        self.remote["attachment-files"] = sorted(
            (row for row in attachments if row.get("comment_id")), key=lambda row: row["id"]
        )
        self.remote["attachment-media"] = self.remote["attachment-files"]
        self.remote["thumbnails"] = media.thumbnail_entries(self.remote["persons"], projects)
        self.remote["playlists"] = sorted(playlists, key=lambda row: row["id"])
        self.remote["metadata-descriptors"] = sorted(descriptors, key=lambda row: row["id"])

    # --- the run -------------------------------------------------------------------------------

    def run(self):
        self.fetch()
        self.total = sum(len(self.remote[step]) for step in (*LOOKUP_STEPS, *ROW_STEPS, *MEDIA_STEPS))
        self.report(0, self.total)
        for step in LOOKUP_STEPS:  # matched again on every run: later steps need their ids
            getattr(self, f"match_{step.replace('-', '_')}")(self.remote[step])
            self.step_done(step)
        for row in self.remote["projects"]:  # a production here of the same name is the one
            local = Project.objects.filter(name=row["name"]).values_list("pk", flat=True).first()
            if local is not None:
                self.ids[row["id"]] = str(local)
        for step in ROW_STEPS:
            if step in self.checkpoint["done"]:
                continue
            kind = KINDS["entity-links" if step == "casting" else step]
            self.write_rows(step, kind, [self.remapped(step, row) for row in self.rows_to_write(step)])
            if step == "preview-files":
                self.restore_entity_previews()
            self.step_done(step)
        for step in MEDIA_STEPS:
            if step not in self.checkpoint["done"]:
                self.copy_media(step)
        return self.verify()

    def rows_to_write(self, step):
        rows = self.remote[step]
        if step != "preview-files":
            return rows
        copied = media.copied_ids([row["id"] for row in rows])  # theirs is the processed row here
        return [row for row in rows if row["id"] not in copied]

    def copy_media(self, step):
        """Each preview's media (or row's picture), one at a time (the checkpoint after each): one
        the source does not serve is kept as an import error; a source gone stops the copy
        (resumed later from that one)."""
        entries = self.remote[step]
        start = self.checkpoint.get("index", 0) if self.checkpoint.get("step") == step else 0
        for index in range(start, len(entries)):
            entry = entries[index]
            try:
                if step == "thumbnails":
                    copied = media.copy_thumbnail(self.source, entry, self.ids.get(entry["id"], entry["id"]))
                elif step == "attachment-media":
                    copied = media.copy_attachment_file(self.source, entry)
                else:
                    copied = media.copy_preview_media(self.source, entry)
                if copied:
                    self.media_copied += 1
            except media.REFUSALS as refusal:
                self.keep_error(step, entry, str(getattr(refusal, "detail", refusal)))
            self.advance(step, index + 1, len(entries))
        self.step_done(step)

    def remapped(self, step, row):
        """The row with the ids of rows matched by natural key replaced by theirs here, and the
        references to what is not copied left out."""
        dropped = NOT_COPIED.get(step, ())
        result = {}
        for key, value in row.items():
            if key in dropped:
                continue
            if isinstance(value, str):
                value = None if self.left_out(value) else self.ids.get(value, value)
            elif isinstance(value, list):
                value = [
                    self.ids.get(item, item) if isinstance(item, str) else item
                    for item in value
                    if not self.left_out(item)
                ]
            result[key] = value
        if step == "projects":
            result["id"] = self.ids.get(row["id"], row["id"])
        return result

    def left_out(self, value):
        """Whether `value` is the id of a person of the source not copied (a bot, a refusal)."""
        return isinstance(value, str) and value in self.people and value not in self.ids

    def write_rows(self, step, kind, entries):
        start = self.checkpoint.get("index", 0) if self.checkpoint.get("step") == step else 0
        for offset in range(start, len(entries), BATCH):
            chunk = entries[offset : offset + BATCH]
            try:
                with transaction.atomic():
                    for row in checked_rows(kind, chunk):
                        write_row(kind, row)
            except (WrongParameter, IntegrityError, DataError):
                for entry in chunk:  # one by one, keeping what is refused
                    self.write_one(step, kind, entry)
            self.advance(step, offset + len(chunk), len(entries))

    def write_one(self, step, kind, entry):
        try:
            with transaction.atomic():
                [row] = checked_rows(kind, [entry])
                write_row(kind, row)
        except WrongParameter as refusal:
            self.keep_error(step, entry, str(refusal.detail))
        except (IntegrityError, DataError) as error:
            self.keep_error(step, entry, integrity_message(error))

    def keep_error(self, step, entry, reason):
        self.errors += 1
        keep_row_error(SOURCE, step, reason, self.report.job_id, id=entry.get("id"))

    def written(self):
        """Rows done: those of the steps done, and of the current one so far."""
        done = sum(len(self.remote[step]) for step in self.checkpoint["done"] if step in self.remote)
        return done + (self.checkpoint.get("index", 0) if self.checkpoint.get("step") else 0)

    def advance(self, step, index, total):
        self.checkpoint.update(step=step, index=index)
        self.save_checkpoint()
        self.display(step, index, total)
        self.report(self.written(), self.total)

    def step_done(self, step):
        if step not in self.checkpoint["done"]:
            self.checkpoint["done"].append(step)
        if self.checkpoint.get("step") in (None, step):  # a resumed step keeps its place
            self.checkpoint.update(step=None, index=0)
        if step in LOOKUP_STEPS:
            self.display(step, len(self.remote[step]), len(self.remote[step]))
        self.save_checkpoint()
        self.report(self.written(), self.total)

    def save_checkpoint(self):
        Job.objects.filter(pk=self.report.job_id).update(result={"checkpoint": self.checkpoint})

    # --- rows matched by natural key -----------------------------------------------------------

    def adopt(self, model, remote, local):
        """`local` (the row here matching `remote`), else a new row from `remote` under its id
        (when free); the match is recorded for the remapping."""
        if local is None:
            try:
                values = column_values(model, self.remapped(None, remote))
            except WrongParameter as refusal:
                self.keep_error(model._meta.db_table, remote, str(refusal.detail))
                return None
            kept = self.kept_relations(model)
            values = {
                name: value
                for name, value in values.items()
                if not model._meta.get_field(name).is_relation or name in kept
            }
            local = model(**values)
            if not model.objects.filter(pk=remote["id"]).exists():
                local.pk = remote["id"]
            if model is Person:
                local.set_unusable_password()
            local.save(force_insert=True)
        self.ids[remote["id"]] = str(local.pk)
        return local

    @staticmethod
    def kept_relations(model):
        return {"department_id"} if model is TaskType else set()

    def match_departments(self, rows):
        for row in rows:
            self.adopt(Department, row, Department.objects.filter(name=row["name"]).first())

    def match_persons(self, rows):
        for row in rows:
            email = (row.get("email") or "").strip().lower()
            local = Person.objects.filter(email__iexact=email, is_bot=False).first() if email else None
            with transaction.atomic():
                person = self.adopt(Person, row, local)
                if person is not None and local is None and row.get("departments"):
                    person.departments.set(
                        [self.ids.get(pk, pk) for pk in row["departments"] if self.ids.get(pk)]
                    )

    def match_project_statuses(self, rows):
        for row in rows:
            self.adopt(ProjectStatus, row, ProjectStatus.objects.filter(name=row["name"]).first())

    def match_task_types(self, rows):
        for row in rows:
            local = TaskType.objects.filter(
                name__iexact=row["name"], for_entity=row.get("for_entity")
            ).first()
            self.adopt(TaskType, row, local)

    def match_task_statuses(self, rows):
        for row in rows:
            self.adopt(TaskStatus, row, TaskStatus.objects.filter(short_name=row["short_name"]).first())

    def match_entity_types(self, rows):
        for row in rows:
            self.adopt(EntityType, row, EntityType.objects.filter(name=row["name"]).first())

    # --- after the rows ------------------------------------------------------------------------

    def restore_entity_previews(self):
        """The preview each entity shows, once the previews are here."""
        remote_ids = [row["id"] for row in self.remote["preview-files"]]
        copied = {
            str(pk) for pk in PreviewFile.objects.filter(pk__in=remote_ids).values_list("pk", flat=True)
        }
        for row in self.remote["entities"]:
            if row.get("preview_file_id") in copied:
                # Its updated_at kept as copied (set-based updates move it otherwise).
                Entity.objects.filter(pk=row["id"]).update(
                    preview_file_id=row["preview_file_id"], updated_at=F("updated_at")
                )

    def verify(self):
        project_ids = [self.ids.get(row["id"], row["id"]) for row in self.remote["projects"]]
        task_ids = Task.objects.filter(project__in=project_ids).values("pk")
        here = {
            "persons": Person.objects.filter(
                pk__in=[self.ids.get(row["id"]) for row in self.remote["persons"]]
            ).count(),
            "projects": Project.objects.filter(pk__in=project_ids).count(),
            "metadata-descriptors": MetadataDescriptor.objects.filter(project__in=project_ids).count(),
            "entities": Entity.objects.filter(project__in=project_ids).count(),
            "casting": EntityLink.objects.filter(entity_in__project__in=project_ids).count(),
            "tasks": Task.objects.filter(project__in=project_ids).count(),
            "preview-files": PreviewFile.objects.filter(task__in=task_ids).count(),
            "comments": Comment.objects.filter(object_id__in=task_ids).count(),
            "attachment-files": AttachmentFile.objects.filter(comment__object_id__in=task_ids).count(),
            "time-spents": TimeSpent.objects.filter(task__in=task_ids).count(),
            "playlists": Playlist.objects.filter(project__in=project_ids).count(),
        }
        with_media = [row["id"] for row in self.remote["preview-media"]]
        here["preview-media"] = len(media.copied_ids(with_media))
        here["attachment-media"] = sum(
            media.attachment_stored(row["id"], row.get("size")) for row in self.remote["attachment-media"]
        )
        here["thumbnails"] = sum(
            media.has_thumbnail(self.ids.get(entry["id"], entry["id"])) for entry in self.remote["thumbnails"]
        )
        counts = {step: {"source": len(self.remote[step]), "here": count} for step, count in here.items()}
        return {
            "counts": counts,
            "verified": all(count["source"] == count["here"] for count in counts.values()),
            "errors": self.errors,
            "media": f"Preview media and pictures downloaded by this run: {self.media_copied}.",
        }
