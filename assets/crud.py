"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from assets.models import AssetInstance, Entity, EntityLink, EntityType
from kitsu_server.api.crud import CrudPolicy, register


@register
class EntitiesPolicy(CrudPolicy):
    model = Entity
    path = "entities"


@register
class EntityTypesPolicy(CrudPolicy):
    model = EntityType
    path = "entity-types"


@register
class EntityLinksPolicy(CrudPolicy):
    model = EntityLink
    path = "entity-links"


@register
class AssetInstancesPolicy(CrudPolicy):
    model = AssetInstance
    path = "asset-instances"
