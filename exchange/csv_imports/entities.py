"""The assets and edits imports (/import/csv/projects/{id}/assets|edits): the reference's columns
(Type, Name, Episode in a TV show, Description, Resolution, Ready for, metadata and task columns),
episodes made on the fly, an asset keyed by its type and name, an edit by its episode and name
(updated only with the `update` flag, never duplicated). A new asset gets the tasks of its type's
workflow in the production; an existing one missing some gets them, as on the reference."""

from django.db import transaction

from assets.models import NON_ASSET_TYPE_NAMES, Entity, EntityType, TaskTypeAssetTypeLink
from assets.services import create_asset, create_tasks_for_entity
from exchange.csv_imports.columns import MetadataColumns, PersonCells, TaskColumns
from exchange.rows import Importer, RowError, RowPlan, changed_values, in_batches, rendered_in_order
from kitsu_server.core.events import record_event
from productions.models import ProjectAssetTypeLink, ProjectTaskTypeLink
from shots.edits.services import create_edit
from shots.models import Episode
from shots.services import create_episode
from tasks.models import TaskType

NO_EPISODE = (None, "", "MP")  # the main pack


def update_entity(entity, values, kind, user):
    """Set the given columns of an asset or an edit (`<kind>:update`)."""
    with transaction.atomic():
        for name, value in values.items():
            setattr(entity, name, value)
        entity.save()
        record_event(
            f"{kind}:update", {f"{kind}_id": str(entity.pk)}, project_id=entity.project_id, user=user
        )


class EntityImporter(Importer):
    """What assets and edits share: episodes, metadata and task columns, the plan's diff, and
    applying a batch (find or create, update, tasks)."""

    kind = None  # "Asset" or "Edit"

    def prepare(self, header):
        super().prepare(header)
        self.is_tv_show = self.project.production_type == "tvshow"
        persons = PersonCells()
        self.metadata = MetadataColumns(self.project, self.kind, persons)
        self.task_columns = TaskColumns(self.project, self.kind, header, persons)
        self.episodes = {episode.name: episode for episode in Episode.objects.filter(project=self.project)}
        self.planned = set()

    def episode_name(self, row):
        name = (row.get("Episode") or "").strip() or None
        if name is not None and not self.is_tv_show and name != "MP":
            raise RowError("An episode column is present for a production that isn't a TV Show", "Episode")
        return name if self.is_tv_show else None

    def episode(self, name):
        if name in NO_EPISODE:
            return None
        if name not in self.episodes:
            self.episodes[name] = create_episode(
                self.project, name=name, status="running", description=None, data={}, user=self.user
            )[0]
        return self.episodes[name]

    def finish_plan(self, plan, existing, key, values, updates):
        plan.values.update(values=values, tasks=updates)
        if existing is None and key not in self.planned:
            self.planned.add(key)
            plan.changes = {name: [None, value] for name, value in values.items()}
            return plan
        if existing is None:
            plan.action = "update" if self.update else "unchanged"
            return plan
        if self.update:
            plan.changes = changed_values(existing, values)
            plan.changes.update(self.task_columns.changes(updates, existing["pk"], self.tasks))
        missing = self.missing_tasks(existing)
        if missing:
            plan.changes["tasks"] = [None, missing]
        plan.action = "update" if plan.changes else "unchanged"
        if not self.update and plan.action == "unchanged":
            plan.reason = f"The {self.kind.lower()} exists: send update=true to change it."
        return plan

    def missing_tasks(self, existing):
        return []

    def apply(self, plans, report):
        imported = []
        for batch in in_batches(plans, report):
            for plan in batch:
                entity, created = self.find_or_create(plan)
                if not created and self.update and plan.action == "update":
                    values = plan.values["values"]
                    changed = {
                        name: value for name, value in values.items() if getattr(entity, name) != value
                    }
                    if changed:
                        update_entity(entity, changed, self.kind.lower(), self.user)
                if created or plan.action == "update":
                    self.create_workflow_tasks(entity, created)
                    self.tasks.update(self.task_columns.existing([entity.pk]))
                if plan.values["tasks"] and (created or self.update):
                    self.task_columns.apply(plan.values["tasks"], entity, self.tasks, self.user)
                imported.append(entity.pk)
        return rendered_in_order(Entity, imported, "Entity")

    def create_workflow_tasks(self, entity, created):
        pass


class AssetsImporter(EntityImporter):
    name = "csv-import.assets"
    kind = "Asset"
    required_columns = ("Name", "Type")

    def prepare(self, header):
        super().prepare(header)
        linked = ProjectAssetTypeLink.objects.filter(project=self.project).values("asset_type_id")
        self.project_types = {kind.name.lower(): kind for kind in EntityType.objects.filter(pk__in=linked)}
        self.all_types = {
            kind.name.lower(): kind for kind in EntityType.objects.exclude(name__in=NON_ASSET_TYPE_NAMES)
        }
        shot_types = ProjectTaskTypeLink.objects.filter(project=self.project, task_type__for_entity="Shot")
        self.ready_for = {
            kind.name: kind for kind in TaskType.objects.filter(pk__in=shot_types.values("task_type_id"))
        }
        self.assets = {}
        rows = (
            Entity.objects.filter(project=self.project)
            .exclude(entity_type__name__in=NON_ASSET_TYPE_NAMES)
            .values("pk", "name", "description", "data", "entity_type_id", "source_id", "ready_for_id")
        )
        for row in rows:
            self.assets[(row["entity_type_id"], row["name"])] = row
        self.tasks = self.task_columns.existing(rows.values("pk"))
        enabled = {task_type.pk: task_type for task_type in self.task_columns.task_types}
        self.workflows = {}
        for link in TaskTypeAssetTypeLink.objects.values("asset_type_id", "task_type_id"):
            self.workflows.setdefault(link["asset_type_id"], set()).add(link["task_type_id"])
        self.enabled = enabled

    def asset_type(self, name):
        """The asset type of the cell: the production's (case-insensitive); else an existing type,
        added to the production; a new type only when the production lists none."""
        folded = name.strip().lower()
        if self.project_types:
            kind = self.project_types.get(folded) or self.all_types.get(folded)
            if kind is None:
                raise RowError(f"Asset type {name} is not configured for this project", "Type")
            return kind, kind.pk is not None and folded not in self.project_types
        kind = self.all_types.get(folded)
        if kind is None:
            kind = EntityType(name=name.strip())  # made when the plan is applied
            self.all_types[folded] = kind
        return kind, False

    def workflow(self, asset_type_id):
        types = set(self.enabled)
        workflow = self.workflows.get(asset_type_id)
        return types & workflow if workflow else types

    def missing_tasks(self, existing):
        have = {task_type_id for entity_id, task_type_id in self.tasks if entity_id == existing["pk"]}
        missing = self.workflow(existing["entity_type_id"]) - have
        return sorted(self.enabled[pk].name for pk in missing)

    def plan(self, line, row):
        type_name = row["Type"]
        if not (type_name or "").strip():
            raise RowError("An asset type is required in the Type column", "Type")
        if not (row["Name"] or "").strip():
            raise RowError("Name cannot be empty", "Name")
        kind, add_to_project = self.asset_type(type_name)
        episode_name = self.episode_name(row)
        existing = self.assets.get((kind.pk, row["Name"])) if kind.pk else None
        values = {}
        if "Description" in row:
            values["description"] = row["Description"]
        data = dict((existing or {}).get("data") or {})
        if "Resolution" in row:
            data["resolution"] = row["Resolution"]
        values["data"] = self.metadata.data(row, data)
        if "Ready for" in row:
            ready_for = row["Ready for"]
            if ready_for and ready_for not in self.ready_for:
                raise RowError(f"Task type not found for {ready_for}", "Ready for")
            values["ready_for_id"] = self.ready_for[ready_for].pk if ready_for else None
        if self.is_tv_show:
            episode = self.episodes.get(episode_name)
            values["source_id"] = episode.pk if episode is not None else None
        key = (kind.name.lower(), row["Name"])
        plan = RowPlan(line, f"{kind.name} / {row['Name']}", "create")
        plan.values.update(type=kind, add_to_project=add_to_project, episode=episode_name, name=row["Name"])
        updates = self.task_columns.updates(row)
        return self.finish_plan(plan, existing, key, values, updates)

    def find_or_create(self, plan):
        kind = plan.values["type"]
        with transaction.atomic():
            if kind.pk is None:
                kind, made = EntityType.objects.get_or_create(name=kind.name)
                if made:
                    record_event("asset-type:new", {"asset_type_id": str(kind.pk)}, user=self.user)
                plan.values["type"] = kind
            if plan.values["add_to_project"]:
                ProjectAssetTypeLink.objects.get_or_create(project=self.project, asset_type=kind)
                self.project_types[kind.name.lower()] = kind
        episode = self.episode(plan.values["episode"]) if self.is_tv_show else None
        values = dict(plan.values["values"])
        if self.is_tv_show:
            values["source_id"] = episode.pk if episode is not None else None
            plan.values["values"] = values
        existing = Entity.objects.filter(
            project=self.project, entity_type=kind, name=plan.values["name"]
        ).first()
        if existing is not None:
            return existing, False
        asset, created = create_asset(
            self.project,
            kind,
            name=plan.values["name"],
            description=values.get("description"),
            data=values["data"],
            is_shared=False,
            episode_id=values.get("source_id"),
            user=self.user,
        )
        if created and values.get("ready_for_id"):
            asset.ready_for_id = values["ready_for_id"]
            asset.save(update_fields=["ready_for"])
        return asset, created

    def create_workflow_tasks(self, entity, created):
        """The tasks of the asset type's workflow the asset lacks (all of them when new)."""
        create_tasks_for_entity(entity, [], self.user)


class EditsImporter(EntityImporter):
    name = "csv-import.edits"
    kind = "Edit"
    required_columns = ("Name",)

    def prepare(self, header):
        super().prepare(header)
        rows = Entity.objects.filter(project=self.project, entity_type__name="Edit").values(
            "pk", "name", "description", "data", "parent__name"
        )
        self.edits = {(row["parent__name"], row["name"]): row for row in rows}
        self.tasks = self.task_columns.existing(rows.values("pk"))

    def plan(self, line, row):
        if not (row["Name"] or "").strip():
            raise RowError("Name cannot be empty", "Name")
        episode_name = self.episode_name(row)
        key = (episode_name, row["Name"])
        existing = self.edits.get(key)
        values = {}
        if "Description" in row:
            values["description"] = row["Description"]
        values["data"] = self.metadata.data(row, (existing or {}).get("data"))
        plan = RowPlan(line, " / ".join(part for part in key if part), "create")
        plan.values.update(episode=episode_name, name=row["Name"])
        return self.finish_plan(plan, existing, key, values, self.task_columns.updates(row))

    def find_or_create(self, plan):
        values = plan.values["values"]
        return create_edit(
            self.project.pk,
            plan.values["name"],
            data=values["data"],
            description=values.get("description", ""),
            episode=self.episode(plan.values["episode"]),
            user=self.user,
        )

    def create_workflow_tasks(self, entity, created):
        """A new edit gets a task of each of the production's edit task types."""
        if created:
            create_tasks_for_entity(entity, [], self.user)
