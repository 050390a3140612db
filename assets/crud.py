"""The `/data/...` routes of this app: one policy per model (see kitsu_server.core.data).

Entity links keep the base rules (admins only), as on the reference.
"""

import copy
import re
from collections import defaultdict

from assets.entity_versions import record_shot_version
from assets.models import AssetInstance, Entity, EntityLink, EntityType, entity_kind
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import ModelShape
from kitsu_server.core import deletion
from kitsu_server.core.access.entities import (
    mask_custom_fields,
)
from kitsu_server.core.data.policies import CrudPolicy, ReadableByAllPolicy, register
from kitsu_server.core.events import record_event
from tasks.models import Subscription


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


class VendorEntityShape(EntityShape):
    """Entity rows as a vendor reads them: without the custom fields restricted to departments
    that are not theirs (`hidden`: Access.vendor_hidden_custom_fields)."""

    def __init__(self, hidden):
        super().__init__(Entity)
        self.hidden = hidden

    def format_tuple(self, values, as_text):
        data = super().format_tuple(values, as_text)
        return mask_custom_fields(data, data["type"], self.hidden)


def event_words(kind):
    """ "ConceptFolder" -> ["concept", "folder"]: `concept-folder:new`, `concept_folder_id`."""
    return [word.lower() for word in re.findall("[A-Z][a-z]*", kind)]


def custom_fields_changed(entity, data):
    """`data` with only the custom fields it changes: the stored ones are merged with it, so a
    field sent back as read is no change (a supervisor sends back those of other departments)."""
    if not isinstance(data.get("data"), dict):
        return data
    stored = entity.data if isinstance(entity.data, dict) else {}  # a row may hold another JSON kind
    changed = {key: value for key, value in data["data"].items() if key not in stored or stored[key] != value}
    narrowed = {key: value for key, value in data.items() if key != "data"}
    return {**narrowed, "data": changed} if changed else narrowed


# The columns that, with the name, make an entity's unique key.
RELATION_KEYS = ("project_id", "entity_type_id", "parent_id")


def check_free_name(name, project_id, entity_type_id, parent_id, entity_id=None):
    """A 400 when another entity holds that name in the production, type and parent (none
    included: the unique keys entity_uc and entity_uc_without_parent), with the reference's
    message. A concurrent write passing this check still meets the unique keys (a 400 too)."""
    twins = Entity.objects.filter(
        name=name, project_id=project_id, entity_type_id=entity_type_id, parent_id=parent_id
    ).exclude(pk=entity_id)
    if twins.exists():
        raise WrongParameter(
            f"An entity with name '{name}', project_id '{project_id}', "
            f"entity_type_id '{entity_type_id}', and parent_id '{parent_id}' "
            "already exists. The combination of these fields must be unique."
        )


@register
class EntitiesPolicy(CrudPolicy):
    """Lists: the open projects of the person's team (vendors: the entities they hold a task on,
    with only the custom fields of their departments). Read: project access (vendors: entities
    they work on). Create: project managers. Update: managers and the creator, supervisors the
    custom fields of their departments. Delete: the creator or a project manager; casting links
    go with the entity, tasks block it."""

    model = Entity
    path = "entities"
    # Set by their own routes (casting, breakdown...) or at creation: an update ignores them.
    read_only_on_update = ("entities_out", "instance_casting", "shotgun_id", "created_by")

    def __init__(self):
        super().__init__()
        self.shape = EntityShape(Entity)

    def visible(self, access, queryset):
        return access.visible_entities(queryset)

    def shape_for(self, access, instance=None):
        hidden = access.vendor_hidden_custom_fields()
        return self.shape if hidden is None else VendorEntityShape(hidden)

    def check_read(self, access, instance):
        access.check_project_and_entity_access(instance.project_id, instance.pk)

    def check_create(self, access, data):
        access.check_manager(data["project_id"].pk)

    def prepare_create(self, access, data):
        data["created_by"] = access.person
        project, entity_type, parent = (getattr(data.get(key), "pk", None) for key in RELATION_KEYS)
        check_free_name(data.get("name"), project, entity_type, parent)
        return data

    def precheck_update(self, access, instance):
        # Which columns a supervisor may fill depends on the body: only project access here.
        access.check_project_and_entity_access(instance.project_id, instance.pk)

    def check_update(self, access, instance, data):
        kind = entity_kind(instance.entity_type_id)
        access.check_metadata_department_access(instance, kind, custom_fields_changed(instance, data))

    def prepare_update(self, access, instance, data):
        instance.previous_version = (instance.name, copy.deepcopy(instance.data))
        if "data" in data and data["data"] is None:  # no custom field sent: those stored stay
            data.pop("data")
        if isinstance(data.get("data"), dict):  # custom fields pile up: merge them
            # (a row may hold a JSON value of another kind: it is then replaced)
            existing = instance.data if isinstance(instance.data, dict) else {}
            data["data"] = {**existing, **data["data"]}
        self.check_unique_name(instance, data)
        return data

    def check_unique_name(self, instance, data):
        name = data.get("name", instance.name)
        entity_type_id = getattr(data.get("entity_type_id"), "pk", instance.entity_type_id)
        parent_id = getattr(data.get("parent_id"), "pk", None) if "parent_id" in data else instance.parent_id
        if (name, entity_type_id, parent_id) == (instance.name, instance.entity_type_id, instance.parent_id):
            return
        check_free_name(name, instance.project_id, entity_type_id, parent_id, instance.pk)

    def after_write(self, access, instance, created):
        previous = getattr(instance, "previous_version", None)
        if previous is not None and entity_kind(instance.entity_type_id) == "Shot":
            record_shot_version(instance, *previous, person=access.person)

    def check_delete(self, access, instance):
        access.check_entity_delete(instance)

    def render(self, instance, relations=True, access=None):
        data = super().render(instance, relations, access)
        data["type"] = entity_kind(instance.entity_type_id)
        hidden = access.vendor_hidden_custom_fields() if access is not None else None
        return mask_custom_fields(data, data["type"], hidden)

    def delete(self, access, instance, params):
        if entity_kind(instance.entity_type_id) == "Sequence":
            deletion.purge(Subscription.objects.filter(entity=instance))
        deletion.purge(Entity.objects.filter(pk=instance.pk))  # its entity links and concept links cascade

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
    read_only_on_update = ("number",)

    def check_read(self, access, instance):
        if not access.is_admin:
            access.check_project_and_entity_access(instance.asset.project_id, instance.asset_id)

    def check_update(self, access, instance, data):
        self.check_read(access, instance)
