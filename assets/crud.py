"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud).

Entity links keep the base rules (admins only), as on the reference.
"""

import copy
import re
from collections import defaultdict

from assets.models import AssetInstance, Entity, EntityLink, EntityType
from assets.permissions import check_entity_delete, check_metadata_department_access, visible_entities
from kitsu_server.api.crud import CrudPolicy, ReadableByAllPolicy, register
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import ModelShape
from shots.versions import record_shot_version
from tasks.events import record_event
from tasks.models import Subscription
from tasks.permissions import check_manager_project_access, check_project_and_entity_access

# Entity types the API names after themselves; every other one classifies assets.
KIND_NAMES = ("Shot", "Sequence", "Edit", "Episode", "Scene", "Concept", "ConceptFolder")


class EntityKinds:
    """{entity type id: "Asset", "Shot", "Sequence"...}, what the JSON `type` of an entity says.

    Kept per process and reloaded when an unknown type shows up: a list of 100k
    entities reads the (small) entity type table at most once.
    """

    def __init__(self):
        self._by_type_id = {}

    def __call__(self, entity_type_id):
        key = str(entity_type_id)
        if key not in self._by_type_id:
            self.forget()
        return self._by_type_id.get(key, "Asset")

    def forget(self):
        self._by_type_id = {
            str(pk): name if name in KIND_NAMES else "Asset"
            for pk, name in EntityType.objects.values_list("pk", "name")
        }


entity_kind = EntityKinds()


class EntityShape(ModelShape):
    """Entity rows typed by kind, with `entities_in` (who casts them) among their relations."""

    def format_tuple(self, values, as_text):
        data = super().format_tuple(values, as_text)
        data["type"] = entity_kind(data["entity_type_id"])
        return data

    def relation_ids(self, objects):
        result = super().relation_ids(objects)
        if not isinstance(objects, list):
            objects = objects.values("pk")
        casting_of = defaultdict(list)
        pairs = EntityLink.objects.filter(entity_out__in=objects).values_list("entity_out_id", "entity_in_id")
        for entity_id, casting_entity_id in pairs:
            casting_of[str(entity_id)].append(str(casting_entity_id))
        result["entities_in"] = casting_of
        return result


def event_words(kind):
    """ "ConceptFolder" -> ["concept", "folder"]: `concept-folder:new`, `concept_folder_id`."""
    return [word.lower() for word in re.findall("[A-Z][a-z]*", kind)]


@register
class EntitiesPolicy(CrudPolicy):
    """Lists: the open projects of the person's team (vendors: projects where they hold a task).
    Read: project access (vendors: entities they work on). Create: project managers. Update:
    managers and the creator, supervisors the custom fields of their departments. Delete: the
    creator or a project manager; casting links go with the entity, tasks block it."""

    model = Entity
    path = "entities"
    # Set by their own routes (casting, breakdown...), never through a plain update.
    fixed_relations = ("entities_out", "instance_casting")
    fixed_columns = ("shotgun_id", "created_by")

    def __init__(self):
        super().__init__()
        self.shape = EntityShape(Entity)

    def visible(self, access, queryset):
        return visible_entities(access, queryset)

    def check_read(self, access, instance):
        check_project_and_entity_access(access, instance.project_id, instance.pk)

    def check_create(self, access, data):
        check_manager_project_access(access, data["project_id"].pk)

    def prepare_create(self, access, data):
        data["created_by"] = access.person
        return data

    def precheck_update(self, access, instance):
        # Which columns a supervisor may fill depends on the body: only project access here.
        check_project_and_entity_access(access, instance.project_id, instance.pk)

    def check_update(self, access, instance, data):
        fixed = [name for name in self.fixed_relations if name in data]
        if fixed:
            raise WrongParameter(f"{', '.join(fixed)} can't be changed by an update of the entity.")
        kind = entity_kind(instance.entity_type_id)
        check_metadata_department_access(access, instance, kind, data)

    def prepare_update(self, access, instance, data):
        instance.previous_version = (instance.name, copy.deepcopy(instance.data))
        for column in self.fixed_columns:
            data.pop(column, None)
        if "data" in data and isinstance(data["data"] or {}, dict):  # custom fields pile up: merge them
            # (a row may hold a JSON value of another kind: it is then replaced)
            existing = instance.data if isinstance(instance.data, dict) else {}
            data["data"] = {**existing, **(data["data"] or {})}
        self.check_unique_name(instance, data)
        return data

    def check_unique_name(self, instance, data):
        name = data.get("name", instance.name)
        entity_type_id = getattr(data.get("entity_type_id"), "pk", instance.entity_type_id)
        parent_id = getattr(data.get("parent_id"), "pk", None) if "parent_id" in data else instance.parent_id
        if (name, entity_type_id, parent_id) == (instance.name, instance.entity_type_id, instance.parent_id):
            return
        twins = Entity.objects.filter(
            name=name, project_id=instance.project_id, entity_type_id=entity_type_id, parent_id=parent_id
        ).exclude(pk=instance.pk)
        if twins.exists():
            raise WrongParameter(
                f"An entity with name '{name}', project_id '{instance.project_id}', "
                f"entity_type_id '{entity_type_id}', and parent_id '{parent_id}' "
                "already exists. The combination of these fields must be unique."
            )

    def after_write(self, access, instance, created):
        previous = getattr(instance, "previous_version", None)
        if previous is not None and entity_kind(instance.entity_type_id) == "Shot":
            record_shot_version(instance, *previous, person=access.person)

    def check_delete(self, access, instance):
        check_entity_delete(access, instance)

    def render(self, instance, relations=True, access=None):
        data = super().render(instance, relations, access)
        data["type"] = entity_kind(instance.entity_type_id)
        return data

    def delete(self, access, instance, params):
        if entity_kind(instance.entity_type_id) == "Sequence":
            Subscription.objects.filter(entity=instance).delete()
        instance.delete()  # its entity links and concept links cascade

    def emit(self, action, data, user):
        words = event_words(data["type"])
        record_event(
            f"{'-'.join(words)}:{action}",
            {f"{'_'.join(words)}_id": data["id"]},
            project_id=data["project_id"],
            user=user,
        )


@register
class EntityTypesPolicy(ReadableByAllPolicy):
    """Everyone reads; admins write; names are unique regardless of case. Events speak of
    asset types (`asset-type:new`)."""

    model = EntityType
    path = "entity-types"

    def check_create(self, access, data):
        access.check_admin()
        if EntityType.objects.filter(name__iexact=data.get("name", "")).exists():
            raise WrongParameter("Entity type with this name already exists")

    def after_write(self, access, instance, created):
        entity_kind.forget()

    def delete(self, access, instance, params):
        instance.delete()
        entity_kind.forget()

    def emit(self, action, data, user):
        record_event(f"asset-type:{action}", {"asset_type_id": data["id"]}, user=user)


@register
class EntityLinksPolicy(CrudPolicy):
    model = EntityLink
    path = "entity-links"


@register
class AssetInstancesPolicy(CrudPolicy):
    """Admins list, create and delete; whoever reaches the asset reads and updates its instances
    (their number stays)."""

    model = AssetInstance
    path = "asset-instances"

    def check_read(self, access, instance):
        if not access.is_admin:
            check_project_and_entity_access(access, instance.asset.project_id, instance.asset_id)

    def check_update(self, access, instance, data):
        self.check_read(access, instance)

    def prepare_update(self, access, instance, data):
        data.pop("number", None)
        return data
