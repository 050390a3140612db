"""The shots import (/import/csv/projects/{id}/shots): the reference's columns (Episode in a TV
show, Sequence, Name, Description, Frames or Nb Frames, Frame In or In, Frame Out or Out, FPS,
Resolution, metadata and task columns), episodes and sequences created on the fly, a shot keyed
by its episode, sequence and name (updated only with the `update` flag, never duplicated)."""

from assets.models import Entity
from exchange.csv_imports.columns import MetadataColumns, PersonCells, TaskColumns
from exchange.rows import (
    Importer,
    RowError,
    RowPlan,
    changed_values,
    in_batches,
    parse_int,
    rendered_in_order,
)
from shots.models import Shot
from shots.services import create_episode, create_sequence, create_shot, update_shot
from tasks.services import create_tasks


class ShotsImporter(Importer):
    name = "csv-import.shots"

    def __init__(self, user, project, update=False):
        super().__init__(user, project, update)
        self.is_tv_show = project.production_type == "tvshow"
        self.required_columns = ("Episode", "Sequence", "Name") if self.is_tv_show else ("Sequence", "Name")

    def prepare(self, header):
        super().prepare(header)
        persons = PersonCells()
        self.metadata = MetadataColumns(self.project, "Shot", persons)
        self.task_columns = TaskColumns(self.project, "Shot", header, persons)
        self.shots = {}
        rows = Shot.objects.filter(project=self.project, parent__isnull=False).values(
            "pk", "name", "description", "nb_frames", "data", "parent__name", "parent__parent__name"
        )
        for row in rows:
            self.shots[(row["parent__parent__name"], row["parent__name"], row["name"])] = row
        self.tasks = self.task_columns.existing(rows.values("pk"))
        self.planned = set()

    def key_of(self, row):
        for column in self.required_columns:
            if not (row.get(column) or "").strip():
                raise RowError(f"{column} cannot be empty", column)
        episode = row["Episode"] if self.is_tv_show else None
        return episode, row["Sequence"], row["Name"]

    def plan(self, line, row):
        key = self.key_of(row)
        existing = self.shots.get(key)
        values = {}
        if "Description" in row:
            values["description"] = row["Description"]
        frames_column = "Nb Frames" if row.get("Nb Frames") else "Frames"
        nb_frames = parse_int(row.get(frames_column), frames_column, "nb_frames")
        if nb_frames is not None:
            values["nb_frames"] = nb_frames
        data = dict((existing or {}).get("data") or {})
        for name, columns in (("frame_in", ("Frame In", "In")), ("frame_out", ("Frame Out", "Out"))):
            column = columns[0] if row.get(columns[0]) else columns[1]
            value = parse_int(row.get(column), column, name)
            if value is not None:
                data[name] = value
        if "nb_frames" not in values:
            try:
                frame_in, frame_out = int(data["frame_in"]), int(data["frame_out"])
                if frame_out > frame_in:
                    values["nb_frames"] = frame_out - frame_in + 1
            except (KeyError, TypeError, ValueError):
                pass
        for column, name in (("FPS", "fps"), ("Resolution", "resolution")):
            if column in row:
                data[name] = row[column]
        values["data"] = self.metadata.data(row, data)
        updates = self.task_columns.updates(row)
        plan = RowPlan(
            line,
            " / ".join(part for part in key if part),
            "create",
            values={"key": key, "shot": values, "tasks": updates},
        )
        if existing is None and key not in self.planned:
            self.planned.add(key)
            plan.changes = {name: [None, value] for name, value in values.items()}
            return plan
        if not self.update:
            plan.action, plan.reason = "unchanged", "The shot exists: send update=true to change it."
            return plan
        if existing is None:  # named twice in the file: created by the first row, updated here
            plan.action = "update"
            return plan
        plan.changes = changed_values(existing, values)
        plan.changes.update(self.task_columns.changes(updates, existing["pk"], self.tasks))
        plan.action = "update" if plan.changes else "unchanged"
        return plan

    def apply(self, plans, report):
        episodes, sequences, created, imported = {}, {}, [], []
        for batch in in_batches(plans, report):
            for plan in batch:
                episode_name, sequence_name, name = plan.values["key"]
                episode = None
                if episode_name is not None:
                    if episode_name not in episodes:
                        episodes[episode_name] = create_episode(
                            self.project,
                            name=episode_name,
                            status="running",
                            description=None,
                            data={},
                            user=self.user,
                        )[0]
                    episode = episodes[episode_name]
                sequence_key = (episode_name, sequence_name)
                if sequence_key not in sequences:
                    sequences[sequence_key] = create_sequence(
                        self.project, episode, name=sequence_name, description=None, data={}, user=self.user
                    )[0]
                sequence = sequences[sequence_key]
                values = plan.values["shot"]
                shot, is_new = create_shot(
                    self.project,
                    sequence,
                    name=name,
                    data=values["data"],
                    nb_frames=values.get("nb_frames", 0),
                    description=values.get("description"),
                    user=self.user,
                )
                if is_new:
                    created.append(shot)
                elif plan.action == "update":
                    changed = {
                        field: value for field, value in values.items() if getattr(shot, field) != value
                    }
                    if changed:
                        update_shot(shot, changed, self.user)
                imported.append(shot.pk)
                plan.entity = shot
            self.create_workflow_tasks(created)
            created = []
            for plan in batch:
                if plan.values["tasks"] and plan.action != "unchanged":
                    self.task_columns.apply(plan.values["tasks"], plan.entity, self.tasks, self.user)
        return rendered_in_order(Entity, imported, "Entity")

    def create_workflow_tasks(self, shots):
        """A new shot gets a task of each of the production's shot task types, as on the
        reference; then its tasks are known to the task columns."""
        if not shots:
            return
        for task_type in self.task_columns.task_types:
            create_tasks(task_type, shots, self.user)
        self.tasks.update(self.task_columns.existing([shot.pk for shot in shots]))
