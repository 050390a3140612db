"""ShotGrid records of the breakdown: assets, episodes, sequences, scenes and shots.

Each is matched by its ShotGrid id among the entities of its kind, then by its natural key (the
production, the name and the parent), so that an entity made here before the first push is
adopted rather than duplicated. Assets name their production by ShotGrid id, the shot side by
name, as the sync daemon sends them.
"""

from collections import defaultdict

from assets.models import Asset, EntityType
from exchange.shotgrid.importing import (
    Importer,
    RowSkipped,
    by_shotgun_id,
    custom_fields,
    link_id,
    update_fields,
)
from productions.models import Project
from shots.models import Episode, Scene, Sequence, Shot


class EntityImporter(Importer):
    """Shared by the kinds of entity: the production by name, the find-or-create."""

    def prepare(self, entries):
        self.project_ids = dict(Project.objects.values_list("name", "pk"))

    def project_id_by_name(self, entry):
        project = entry.get("project")
        project_id = self.project_ids.get(project["name"]) if project else None
        if project_id is None:
            raise RowSkipped("The project of this record is not imported.")
        return project_id

    def upsert(self, entry, values, adopt_fields=None):
        """The entity of this ShotGrid id, else the one of the same production, name and parent
        (then only `adopt_fields` of `values` are written, when given), else a new one."""
        manager = self.model.objects
        entity = by_shotgun_id(manager, entry["id"])
        similar = (
            manager.filter(
                project_id=values["project_id"], name=values["name"], parent_id=values.get("parent_id")
            )
            .order_by("created_at")
            .first()
        )
        if entity is None and similar is None:
            return manager.create(created_by=self.user, **values), True
        if entity is None or (similar is not None and similar.pk != entity.pk):
            entity = entity or similar
            if adopt_fields is not None:
                values = {name: values[name] for name in adopt_fields if name in values}
            else:
                values = {name: value for name, value in values.items() if name not in ("name", "parent_id")}
        update_fields(entity, values)
        return entity, False


class EpisodeImporter(EntityImporter):
    """Episode: `code` (name), `description`, `project` (by name)."""

    kind = "episodes"
    model = Episode
    event = "episode"

    def save(self, entry):
        values = {
            "name": entry["code"],
            "shotgun_id": entry["id"],
            "description": entry["description"],
            "project_id": self.project_id_by_name(entry),
        }
        return self.upsert(entry, values)


class SequenceImporter(EntityImporter):
    """Sequence: `code`, `description`, `project` (by name), `episode` (by ShotGrid id). When
    another sequence of the episode has the name already, only the description and ShotGrid id
    are written."""

    kind = "sequences"
    model = Sequence
    event = "sequence"

    def save(self, entry):
        episode = by_shotgun_id(Episode.objects, link_id(entry, "episode"))
        values = {
            "name": entry["code"],
            "shotgun_id": entry["id"],
            "description": entry["description"],
            "project_id": self.project_id_by_name(entry),
            "parent_id": episode.pk if episode else None,
        }
        return self.upsert(entry, values, adopt_fields=("description", "shotgun_id"))


class SceneImporter(EntityImporter):
    """Scene: `code`, `project` (by name), the first of `sequence_sg_scenes_1_sequences` as
    its sequence (by ShotGrid id)."""

    kind = "scenes"
    model = Scene
    event = "scene"

    def save(self, entry):
        sequences = entry.get("sequence_sg_scenes_1_sequences") or []
        sequence = by_shotgun_id(Sequence.objects, sequences[0]["id"]) if sequences else None
        values = {
            "name": entry["code"],
            "shotgun_id": entry["id"],
            "project_id": self.project_id_by_name(entry),
            "parent_id": sequence.pk if sequence else None,
        }
        return self.upsert(entry, values)


class ShotImporter(EntityImporter):
    """Shot: `code`, `project` (by name), `sg_sequence` (its sequence), `sg_scene` (its source
    scene), `sg_cut_in` and `sg_cut_duration` (frame in, frame out = in + duration), `assets`
    (its casting, when sent) and the other `sg_` fields, merged into its `data`."""

    kind = "shots"
    model = Shot
    event = "shot"

    def save(self, entry):
        sequence = by_shotgun_id(Sequence.objects, link_id(entry, "sg_sequence"))
        scene = by_shotgun_id(Scene.objects, link_id(entry, "sg_scene"))
        frame_in = entry["sg_cut_in"]
        duration = entry["sg_cut_duration"]
        frame_out = frame_in + duration if frame_in is not None and duration is not None else frame_in
        data = {
            **custom_fields(entry, excluded=("sg_cut_in", "sg_cut_out", "sg_sequence")),
            "frame_in": frame_in,
            "frame_out": frame_out,
        }
        values = {
            "name": entry["code"],
            "shotgun_id": entry["id"],
            "project_id": self.project_id_by_name(entry),
            "parent_id": sequence.pk if sequence else None,
            "source_id": scene.pk if scene else None,
        }
        existing = by_shotgun_id(Shot.objects, entry["id"])
        values["data"] = {**((existing.data or {}) if existing else {}), **data}
        shot, created = self.upsert(entry, values)
        if entry.get("assets") is not None:
            asset_ids = list(
                Asset.objects.filter(shotgun_id__in=[asset["id"] for asset in entry["assets"]]).values_list(
                    "pk", flat=True
                )
            )
            if set(shot.entities_out.values_list("pk", flat=True)) != set(asset_ids):
                shot.entities_out.set(asset_ids)
        return shot, created


class AssetImporter(EntityImporter):
    """Asset: `code`, `description`, `sg_asset_type` (an asset type, created when new),
    `project` (by ShotGrid id), `parents` (the assets it is part of: each parent's casting
    becomes the children of this push). An asset without a type is left out."""

    kind = "assets"
    model = Asset
    event = "asset"

    def prepare(self, entries):
        for name in {entry["sg_asset_type"] for entry in entries if entry["sg_asset_type"]}:
            EntityType.objects.get_or_create(name=name)
        self.type_ids = dict(EntityType.objects.values_list("name", "pk"))
        self.project_ids = dict(Project.objects.exclude(shotgun_id=None).values_list("shotgun_id", "pk"))
        self.children = defaultdict(list)  # a parent's ShotGrid id -> its children here

    def save(self, entry):
        entity_type_id = self.type_ids.get(entry["sg_asset_type"])
        if entity_type_id is None:
            raise RowSkipped("This asset has no asset type.")
        project_id = self.project_ids.get(link_id(entry, "project"))
        if project_id is None:
            raise RowSkipped("The project of this asset is not imported.")
        values = {
            "name": entry["code"],
            "shotgun_id": entry["id"],
            "description": entry["description"],
            "entity_type_id": entity_type_id,
            "project_id": project_id,
        }
        asset = by_shotgun_id(Asset.objects, entry["id"])
        created = asset is None
        if asset is None:
            asset = Asset.objects.filter(
                project_id=project_id, entity_type_id=entity_type_id, name=entry["code"], parent=None
            ).first()
            created = asset is None
            if created:
                asset = Asset.objects.create(created_by=self.user, **values)
        if not created:
            update_fields(asset, values)
        for parent in entry.get("parents") or []:
            self.children[parent["id"]].append(asset.pk)
        return asset, created

    def finish(self):
        for parent_shotgun_id, child_ids in self.children.items():
            parent = by_shotgun_id(Asset.objects, parent_shotgun_id)
            if parent is not None:
                parent.entities_out.set(child_ids)
