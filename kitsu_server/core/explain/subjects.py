"""The row a route's id names, for the explainer's answer ({type, id, name})."""

from django.apps import apps

from kitsu_server.api.params import uuid_or_none
from kitsu_server.core.access.trace import describe_object

# URL parameters named after something else than their model.
PARAMETER_MODELS = {
    "asset_id": "assets.Entity",
    "shot_id": "assets.Entity",
    "sequence_id": "assets.Entity",
    "episode_id": "assets.Entity",
    "scene_id": "assets.Entity",
    "edit_id": "assets.Entity",
    "concept_id": "assets.Entity",
    "concept_folder_id": "assets.Entity",
    "temporal_entity_id": "assets.Entity",
    "entity_id": "assets.Entity",
    "asset_type_id": "assets.EntityType",
    "filter_id": "people.SearchFilter",
    "filter_group_id": "people.SearchFilterGroup",
    "entry_id": "budgets.BudgetEntry",
    "file_id": "files.WorkingFile",
    "webhook_id": "core.WebhookSubscription",
    "delivery_id": "core.WebhookDelivery",
    "error_id": "files.DataImportError",
    "item_id": "core.TrashItem",
}


def model_of(parameter, match):
    if parameter == "instance_id":
        policy = getattr(getattr(match.func, "cls", None), "policy", None)
        return policy.model if policy is not None else None
    label = PARAMETER_MODELS.get(parameter)
    if label is not None:
        return apps.get_model(label)
    camel = parameter.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        if model.__name__.lower() == camel:
            return model
    return None


def describe_row(parameter, value, match):
    """{type, id, name} of the row `value` names (an entity by its kind: Shot, Asset...), or
    {type: None, id} when it is no row."""
    model = model_of(parameter, match)
    pk = uuid_or_none(value)
    row = model._base_manager.filter(pk=pk).first() if model is not None and pk is not None else None
    if row is None:
        return {"type": None, "id": str(value)}
    described = describe_object(row)
    if model.__name__ == "Entity":
        kind = row.entity_type.name if row.entity_type_id else None
        described["type"] = kind if kind in ENTITY_KINDS else "Asset"
    return described


ENTITY_KINDS = ("Shot", "Sequence", "Episode", "Scene", "Edit", "Concept")


def project_name(project_id):
    Project = apps.get_model("productions.Project")  # noqa: N806
    pk = uuid_or_none(project_id)
    name = Project.objects.filter(pk=pk).values_list("name", flat=True).first() if pk else None
    return f'"{name}"' if name else str(project_id)
