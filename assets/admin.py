"""Back-office of the entity table: every entity, then typed views of it (assets,
asset types, concepts here; shot-side kinds in shots/admin.py), casting links and
asset instances."""

from django.contrib import admin

from assets.breakdown.services import (
    CastEntry,
    add_asset_instance_to_shot,
    casting_targets,
    remove_asset_instance_from_shot,
    update_castings,
)
from assets.jobs import refresh_project_casting_stats
from assets.models import (
    NON_ASSET_TYPE_NAMES,
    Asset,
    AssetInstance,
    AssetInstanceLink,
    AssetType,
    Concept,
    Entity,
    EntityConceptLink,
    EntityLink,
    EntityType,
    TaskTypeAssetTypeLink,
)
from kitsu_server.admin_base import KitsuInline, KitsuModelAdmin, LargeTableAdmin, link_changes
from kitsu_server.core.admin import project_job_action
from tasks.admin import EntityTasksInline

# On the projects' changelist (productions.admin): the casting stats of whole projects recounted.
refresh_casting_stats = project_job_action(refresh_project_casting_stats, "Refresh casting stats")

# --- Entity types -------------------------------------------------------------


class TaskTypeAssetTypeLinkInline(KitsuInline):
    model = TaskTypeAssetTypeLink
    extra = 0
    autocomplete_fields = ("task_type",)
    verbose_name = "task type"
    verbose_name_plural = "task types"


@admin.register(EntityType)
class EntityTypeAdmin(KitsuModelAdmin):
    list_display = ("name", "short_name", "archived")
    list_filter = ("archived",)
    search_fields = ("name", "short_name")
    ordering = ("name",)
    inlines = (TaskTypeAssetTypeLinkInline,)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_asset_type_autocomplete(request):
            queryset = queryset.exclude(name__in=NON_ASSET_TYPE_NAMES)
        return queryset, may_have_duplicates


def is_asset_type_autocomplete(request):
    """An autocomplete for a field that takes an asset type (not Shot, Sequence, Concept...)."""
    match = request.resolver_match
    if match is None or match.url_name != "autocomplete":
        return False
    field_name = request.GET.get("field_name")
    return field_name == "asset_type" or (
        request.GET.get("model_name") == "asset" and field_name == "entity_type"
    )


@admin.register(AssetType)
class AssetTypeAdmin(EntityTypeAdmin):
    pass


@admin.register(TaskTypeAssetTypeLink)
class TaskTypeAssetTypeLinkAdmin(KitsuModelAdmin):
    list_display = ("asset_type", "task_type")
    list_select_related = ("asset_type", "task_type")
    autocomplete_fields = ("asset_type", "task_type")


# --- Entities -----------------------------------------------------------------


class EntityLinkInline(KitsuInline):
    """Casting: what this entity uses (a shot's assets, an asset's sub-assets)."""

    model = EntityLink
    fk_name = "entity_in"
    extra = 0
    autocomplete_fields = ("entity_out",)
    fields = ("entity_out", "nb_occurences", "label")
    verbose_name = "casting link"
    verbose_name_plural = "casting (links out)"


class AssetInstanceLinkInline(KitsuInline):
    """The asset instances cast in this entity (a shot's instances of props...)."""

    model = AssetInstanceLink
    extra = 0
    autocomplete_fields = ("asset_instance",)
    verbose_name = "asset instance cast"
    verbose_name_plural = "asset instances cast"

    def save_links(self, request, entity, formset):
        """`POST /data/shots/{id}/asset-instances` and `DELETE
        /data/shots/{id}/asset-instances/{instance_id}` (the production's team): the shot's
        event."""
        removed, added = link_changes(formset, ("asset_instance",))
        if not (removed or added):
            return
        self.access(request).check_project_access(entity.project_id)
        instances = AssetInstance.objects.in_bulk([row["asset_instance"] for row in removed + added])
        for row in removed:
            remove_asset_instance_from_shot(entity, instances[row["asset_instance"]], user=request.user)
        for row in added:
            add_asset_instance_to_shot(entity, instances[row["asset_instance"]], user=request.user)


class EntityConceptLinkInline(KitsuInline):
    """The assets a concept is linked to."""

    model = EntityConceptLink
    fk_name = "entity_in"
    extra = 0
    autocomplete_fields = ("entity_out",)
    verbose_name = "linked asset"
    verbose_name_plural = "linked assets"


ENTITY_AUTOCOMPLETE_FIELDS = ("project", "parent", "source", "preview_file", "ready_for", "created_by")


def save_casting(modeladmin, request, entity, formset):
    """The casting inline of `entity` as it was submitted, written as the API's
    `PUT /data/projects/{id}/entities/{id}/casting` writes it (the episode's casting, the
    counts and casting stats follow; events); nothing when the inline did not change."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []  # the change message's
    if not formset.has_changed():
        return
    modeladmin.access(request).check_manager(entity.project_id)
    entries = []
    for form in formset.forms:
        if formset._should_delete_form(form) or not form.cleaned_data.get("entity_out"):
            continue
        data = form.cleaned_data
        nb_occurences = data.get("nb_occurences") or 1
        entries.append(
            CastEntry(data["entity_out"].pk, nb_occurences, data.get("label") or "", complete=True)
        )
    target = casting_targets([entity.pk])[entity.pk]
    update_castings([(target, entries)], user=request.user)


@admin.register(Entity)
class EntityAdmin(LargeTableAdmin):
    list_display = ("name", "entity_type", "project", "parent", "status", "canceled", "updated_at")
    list_select_related = ("entity_type", "project", "parent")
    list_filter = ("entity_type", "status", "canceled", "project")
    search_fields = ("name", "code")
    autocomplete_fields = ("entity_type", *ENTITY_AUTOCOMPLETE_FIELDS)
    inlines = (EntityLinkInline, AssetInstanceLinkInline)

    def save_formset(self, request, form, formset, change):
        if formset.model is EntityLink:
            return save_casting(self, request, form.instance, formset)
        return super().save_formset(request, form, formset, change)


class TypedEntityAdmin(EntityAdmin):
    """Admin of one kind of entity (a proxy whose manager filters the type):
    the type is fixed, so the form does not ask it."""

    list_display = ("name", "project", "parent", "status", "canceled", "updated_at")
    list_select_related = ("project", "parent")
    list_filter = ("status", "canceled", "project")
    search_fields = ("name", "code", "parent__name")
    exclude = ("entity_type",)
    autocomplete_fields = ENTITY_AUTOCOMPLETE_FIELDS


class AssetTypeListFilter(admin.SimpleListFilter):
    title = "asset type"
    parameter_name = "asset_type"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in AssetType.objects.order_by("name").values_list("pk", "name")]

    def queryset(self, request, queryset):
        return queryset.filter(entity_type_id=self.value()) if self.value() else queryset


@admin.register(Asset)
class AssetAdmin(EntityAdmin):
    list_display = ("name", "entity_type", "project", "status", "is_shared", "canceled", "updated_at")
    list_select_related = ("entity_type", "project")
    list_filter = (AssetTypeListFilter, "status", "is_shared", "canceled", "project")
    inlines = (*EntityAdmin.inlines, EntityTasksInline)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entity_type":
            kwargs["queryset"] = AssetType.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Concept)
class ConceptAdmin(TypedEntityAdmin):
    list_display = ("name", "project", "status", "created_by", "updated_at")
    list_select_related = ("project", "created_by")
    inlines = (*TypedEntityAdmin.inlines, EntityConceptLinkInline)


# --- Casting and instances --------------------------------------------------------


@admin.register(EntityLink)
class EntityLinkAdmin(LargeTableAdmin):
    list_display = ("entity_in", "entity_out", "nb_occurences", "label")
    list_select_related = ("entity_in", "entity_out")
    search_fields = ("entity_in__name", "entity_out__name")
    autocomplete_fields = ("entity_in", "entity_out")


@admin.register(EntityConceptLink)
class EntityConceptLinkAdmin(LargeTableAdmin):
    list_display = ("entity_in", "entity_out")
    list_select_related = ("entity_in", "entity_out")
    search_fields = ("entity_in__name", "entity_out__name")
    autocomplete_fields = ("entity_in", "entity_out")


@admin.register(AssetInstance)
class AssetInstanceAdmin(LargeTableAdmin):
    list_display = ("asset", "number", "name", "scene", "target_asset", "active")
    list_select_related = ("asset", "scene", "target_asset")
    list_filter = ("active",)
    search_fields = ("name", "asset__name")
    autocomplete_fields = ("asset", "scene", "target_asset", "entity", "entity_type")


@admin.register(AssetInstanceLink)
class AssetInstanceLinkAdmin(LargeTableAdmin):
    list_display = ("entity", "asset_instance")
    list_select_related = ("entity", "asset_instance__asset")
    search_fields = ("entity__name", "asset_instance__asset__name")
    autocomplete_fields = ("entity", "asset_instance")
