"""The entity table (assets, shots, sequences... are rows of it), entity types, casting
links and asset instances. Typed proxies for asset-side kinds live here too."""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuManager, KitsuModel, LinkModel

ENTITY_STATUSES = [
    ("standby", "Stand By"),
    ("running", "Running"),
    ("complete", "Complete"),
    ("canceled", "Canceled"),
]


class AssetInstance(KitsuModel):
    asset = models.ForeignKey("Entity", on_delete=models.PROTECT, related_name="asset_instances")
    name = models.CharField(max_length=80, null=True, blank=True)
    number = models.IntegerField(null=True, blank=True)
    description = models.CharField(max_length=200, null=True, blank=True)
    active = models.BooleanField(null=True, blank=True, default=True)
    data = models.JSONField(null=True, blank=True)
    scene = models.ForeignKey(
        "Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="scene_asset_instances"
    )
    target_asset = models.ForeignKey(
        "Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entity = models.ForeignKey("Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    entity_type = models.ForeignKey(
        "EntityType", on_delete=models.PROTECT, null=True, blank=True, related_name="asset_instances"
    )

    class Meta:
        db_table = "asset_instance"
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "target_asset", "scene", "number"], name="asset_instance_uc"
            ),
        ]

    def __str__(self):
        return f"{self.asset} #{self.number}"


class AssetInstanceLink(LinkModel):
    entity = models.ForeignKey("Entity", on_delete=models.CASCADE, related_name="+")
    asset_instance = models.ForeignKey("AssetInstance", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "asset_instance_link"
        constraints = [
            models.UniqueConstraint(fields=["entity", "asset_instance"], name="asset_instance_link_uc"),
        ]

    def __str__(self):
        return f"{self.entity} - {self.asset_instance}"


class EntityLink(KitsuModel):
    entity_in = models.ForeignKey("Entity", on_delete=models.CASCADE, related_name="links_out")
    entity_out = models.ForeignKey("Entity", on_delete=models.CASCADE, related_name="links_in")
    data = models.JSONField(null=True, blank=True)
    nb_occurences = models.IntegerField(null=True, blank=True, default=1)
    label = models.CharField(max_length=80, null=True, blank=True, default="")

    class Meta:
        db_table = "entity_link"
        constraints = [
            models.UniqueConstraint(fields=["entity_in", "entity_out"], name="entity_link_uc"),
        ]

    def __str__(self):
        return f"{self.entity_in} -> {self.entity_out} x{self.nb_occurences}"


class EntityConceptLink(KitsuModel):
    entity_in = models.ForeignKey("Entity", on_delete=models.CASCADE, related_name="concept_links_out")
    entity_out = models.ForeignKey("Entity", on_delete=models.CASCADE, related_name="concept_links_in")

    class Meta:
        db_table = "entity_concept_link"
        constraints = [
            models.UniqueConstraint(fields=["entity_in", "entity_out"], name="entity_concept_link_uc"),
        ]

    def __str__(self):
        return f"{self.entity_in} -> {self.entity_out}"


class Entity(KitsuModel):
    name = models.CharField(max_length=160)
    code = models.CharField(max_length=160, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True)
    canceled = models.BooleanField(null=True, blank=True, default=False)
    nb_frames = models.IntegerField(null=True, blank=True)
    nb_entities_out = models.IntegerField(null=True, blank=True, default=0)
    is_casting_standby = models.BooleanField(null=True, blank=True, default=False)
    is_shared = models.BooleanField(default=False)
    status = models.CharField(max_length=255, choices=ENTITY_STATUSES, default="running", db_index=True)
    project = models.ForeignKey("productions.Project", on_delete=models.PROTECT, related_name="entities")
    entity_type = models.ForeignKey("EntityType", on_delete=models.PROTECT, related_name="entities")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    source = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="sourced_entities"
    )
    preview_file = models.ForeignKey(
        "files.PreviewFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(null=True, blank=True)
    ready_for = models.ForeignKey(
        "tasks.TaskType",
        on_delete=models.PROTECT,
        db_column="ready_for",
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_column="created_by",
        null=True,
        blank=True,
        related_name="created_entities",
    )
    entities_out = models.ManyToManyField(
        "Entity",
        through="EntityLink",
        through_fields=("entity_in", "entity_out"),
        symmetrical=False,
        related_name="entities_in",
        blank=True,
    )
    entity_concept_links = models.ManyToManyField(
        "Entity",
        through="EntityConceptLink",
        through_fields=("entity_in", "entity_out"),
        symmetrical=False,
        related_name="concepts_in",
        blank=True,
    )
    instance_casting = models.ManyToManyField(
        "AssetInstance", through="AssetInstanceLink", related_name="casted_in", blank=True
    )

    class Meta:
        db_table = "entity"
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(fields=["name", "project", "entity_type", "parent"], name="entity_uc"),
            # NULLs are distinct in a unique constraint, so entity_uc alone lets assets, episodes and
            # sequences outside episodes (all parentless) share a name: the same key, parent NULL.
            models.UniqueConstraint(
                fields=["name", "project", "entity_type"],
                condition=models.Q(parent__isnull=True),
                name="entity_uc_without_parent",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "entity_type", "status"], name="ix_entity_project_type_status"),
            models.Index(fields=["entity_type", "parent"], name="ix_entity_entity_type_parent"),
            models.Index(fields=["entity_type", "project"], name="ix_entity_entity_type_project"),
            # The back-office lists the newest first: no sort of the whole table.
            models.Index(fields=["created_at"], name="ix_entity_created_at"),
            # Delta reads (`?updated_since=`): a production's rows changed since a moment.
            models.Index(fields=["project", "updated_at"], name="ix_entity_project_updated_at"),
        ]

    def __str__(self):
        return self.name


class TaskTypeAssetTypeLink(LinkModel):
    asset_type = models.ForeignKey("EntityType", on_delete=models.CASCADE, related_name="+")
    task_type = models.ForeignKey("tasks.TaskType", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "task_type_asset_type_link"
        constraints = [
            models.UniqueConstraint(fields=["asset_type", "task_type"], name="task_type_asset_type_link_uc"),
        ]

    def __str__(self):
        return f"{self.asset_type} - {self.task_type}"


class EntityType(KitsuModel):
    name = models.CharField(max_length=30, unique=True)
    short_name = models.CharField(max_length=20, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    task_types = models.ManyToManyField(
        "tasks.TaskType", through="TaskTypeAssetTypeLink", related_name="asset_types", blank=True
    )
    archived = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "entity_type"

    def __str__(self):
        return self.name


# --- Typed views of the one entity table -------------------------------------
# Shot-side kinds and concepts have fixed entity type names; every other
# entity type is an asset type (Character, Prop, Environment...).
TEMPORAL_TYPE_NAMES = ("Episode", "Sequence", "Shot", "Scene", "Edit")
NON_ASSET_TYPE_NAMES = (*TEMPORAL_TYPE_NAMES, "Concept", "ConceptFolder")


class TypedEntityManager(KitsuManager):
    """Rows of the entity table whose type is the proxy's `entity_type_name`."""

    def get_queryset(self):
        return super().get_queryset().filter(entity_type__name=self.model.entity_type_name)


class TypedEntity(Entity):
    """Base of the proxies for one fixed kind: saving one sets its entity type."""

    entity_type_name = None
    objects = TypedEntityManager()

    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        if self.entity_type_id is None:
            self.entity_type, _ = EntityType.objects.get_or_create(name=self.entity_type_name)
        super().save(*args, **kwargs)


class AssetManager(KitsuManager):
    def get_queryset(self):
        return super().get_queryset().exclude(entity_type__name__in=NON_ASSET_TYPE_NAMES)


class AssetTypeManager(KitsuManager):
    def get_queryset(self):
        return super().get_queryset().exclude(name__in=NON_ASSET_TYPE_NAMES)


class AssetType(EntityType):
    """Entity types that classify assets (every type but the shot-side ones and Concept)."""

    objects = AssetTypeManager()

    class Meta:
        proxy = True


class Asset(Entity):
    objects = AssetManager()

    class Meta:
        proxy = True


class Concept(TypedEntity):
    entity_type_name = "Concept"

    class Meta:
        proxy = True


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
