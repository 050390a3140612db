"""Back-office of productions: projects with their team and settings links, project
templates, statuses, metadata descriptors, schedules, milestones, automations."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from assets.admin import refresh_casting_stats
from kitsu_server.admin_base import KitsuInline, KitsuModelAdmin, LargeTableAdmin, link_changes
from productions.admin_dashboard import production_summary
from productions.models import (
    CustomAction,
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    ProductionScheduleVersionTaskLinkPersonLink,
    Project,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatus,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    ProjectTemplate,
    ProjectTemplateAssetTypeLink,
    ProjectTemplatePreviewBackgroundFileLink,
    ProjectTemplateStatusAutomationLink,
    ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
    ScheduleItem,
    StatusAutomation,
)
from productions.project_settings.services import (
    add_setting,
    add_task_type_software,
    add_team_member,
    remove_setting,
    remove_task_type_software,
    remove_team_member,
    update_team_member_role,
)

# What StatusAutomation.__str__ reads, for every list that shows one.
STATUS_AUTOMATION_RELATED = ("in_task_type", "in_task_status", "out_task_type")


# --- Projects -----------------------------------------------------------------


class ProjectPersonLinkInline(KitsuInline):
    model = ProjectPersonLink
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "role", "shotgun_id")
    verbose_name = "team member"
    verbose_name_plural = "team"
    staff_writes = True  # the team routes' rule (managers), checked by save_team


class ProjectTeamListInline(ProjectPersonLinkInline):
    """A big team, listed without a form per member (a page of 100 autocomplete rows renders in
    seconds): members are added and removed from the team list, linked from here."""

    fields = ("person", "role")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "team (edit it from the team list)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# From this size on, a project's page lists its team instead of editing it inline.
BIG_TEAM = 25


class ProjectTaskTypeLinkInline(KitsuInline):
    model = ProjectTaskTypeLink
    extra = 0
    autocomplete_fields = ("task_type",)
    fields = (
        "task_type",
        "priority",
        "is_client_visible",
        "hd_bitrate_compression",
        "ld_bitrate_compression",
    )
    verbose_name = "task type"
    verbose_name_plural = "task types"


class ProjectTaskStatusLinkInline(KitsuInline):
    model = ProjectTaskStatusLink
    extra = 0
    autocomplete_fields = ("task_status",)
    fields = ("task_status", "priority", "is_client_allowed", "roles_for_board")
    verbose_name = "task status"
    verbose_name_plural = "task statuses"


class ProjectSettingInline(KitsuInline):
    """Rows linked to the project's settings by the settings routes (`POST
    /data/projects/{id}/settings/<kind>` and its `DELETE`, managers): the project's event."""

    extra = 0
    setting_kind = None  # the settings route's kind
    setting_field = None

    def save_links(self, request, project, formset):
        removed, added = link_changes(formset, (self.setting_field,))
        if not (removed or added):
            return
        self.access(request).check_manager(project.pk)
        for row in removed:
            remove_setting(project, self.setting_kind, row[self.setting_field], user=request.user)
        for row in added:
            add_setting(project, self.setting_kind, row[self.setting_field], user=request.user)


class ProjectAssetTypeLinkInline(ProjectSettingInline):
    model = ProjectAssetTypeLink
    autocomplete_fields = ("asset_type",)
    setting_kind, setting_field = "asset_types", "asset_type"
    verbose_name = "asset type"
    verbose_name_plural = "asset types"


class ProjectStatusAutomationLinkInline(ProjectSettingInline):
    model = ProjectStatusAutomationLink
    autocomplete_fields = ("status_automation",)
    setting_kind, setting_field = "status_automations", "status_automation"
    verbose_name = "status automation"
    verbose_name_plural = "status automations"


class ProjectTaskTypeSoftwareLinkInline(KitsuInline):
    """`POST /data/projects/{id}/task-types/{task_type_id}/softwares` and its `DELETE`: the
    project's managers, or the supervisors of the task type's department."""

    model = ProjectTaskTypeSoftwareLink
    extra = 0
    autocomplete_fields = ("task_type", "software")
    verbose_name = "software of a task type"
    verbose_name_plural = "software per task type"

    def save_links(self, request, project, formset):
        removed, added = link_changes(formset, ("task_type", "software"))
        access = self.access(request)
        for row in removed + added:
            access.check_supervisor_project_task_type_access(project.pk, row["task_type"])
        for row in removed:
            remove_task_type_software(project, row["task_type"], row["software"], user=request.user)
        for row in added:
            add_task_type_software(project, row["task_type"], row["software"], user=request.user)


class ProjectPreviewBackgroundFileLinkInline(ProjectSettingInline):
    model = ProjectPreviewBackgroundFileLink
    autocomplete_fields = ("preview_background_file",)
    setting_kind, setting_field = "preview_background_files", "preview_background_file"
    verbose_name = "preview background"
    verbose_name_plural = "preview backgrounds"


def save_team(modeladmin, request, project, formset):
    """The team inline as submitted, written by the team routes' services (`POST` and `DELETE
    /data/projects/{id}/team`, the member role route): the project's event, the rules on preview
    accounts and on the admin role."""
    formset.save(commit=False)  # lists the new, changed and deleted members, writes nothing
    if not formset.has_changed():
        return
    modeladmin.access(request).check_manager(project.pk)
    user = request.user
    for link in formset.deleted_objects:
        remove_team_member(project, link.person_id, user=user)
    for form in formset.forms:
        if not form.has_changed() or formset._should_delete_form(form):
            continue
        person, role = form.cleaned_data["person"], form.cleaned_data.get("role") or None
        if not form.instance._state.adding and "person" in form.changed_data:
            remove_team_member(project, form.initial["person"], user=user)  # the row now names another
        if form.instance._state.adding or "person" in form.changed_data:
            add_team_member(project, person.pk, role, user=user)
        elif "role" in form.changed_data:
            update_team_member_role(project, person.pk, role, user=user)
        if "shotgun_id" in form.changed_data:
            ProjectPersonLink.objects.filter(project=project, person=person).update(
                shotgun_id=form.cleaned_data.get("shotgun_id")
            )


@admin.register(Project)
class ProjectAdmin(KitsuModelAdmin):
    list_display = (
        "name",
        "landing_page",
        "code",
        "project_status",
        "production_type",
        "production_style",
        "start_date",
        "end_date",
        "created_at",
    )
    list_select_related = ("project_status",)
    list_filter = ("project_status", "production_type", "production_style")
    search_fields = ("name", "code")
    ordering = ("name",)
    autocomplete_fields = ("project_status", "default_preview_background_file", "from_schedule_version")
    actions = (refresh_casting_stats,)
    change_form_template = "kitsu_admin/project_change_form.html"  # a link to the landing page
    inlines = (
        ProjectPersonLinkInline,
        ProjectTaskTypeLinkInline,
        ProjectTaskStatusLinkInline,
        ProjectAssetTypeLinkInline,
        ProjectStatusAutomationLinkInline,
        ProjectTaskTypeSoftwareLinkInline,
        ProjectPreviewBackgroundFileLinkInline,
    )

    def save_formset(self, request, form, formset, change):
        if formset.model is ProjectPersonLink:
            return save_team(self, request, form.instance, formset)
        return super().save_formset(request, form, formset, change)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is not None and ProjectPersonLink.objects.filter(project=obj).count() >= BIG_TEAM:
            inlines = [ProjectTeamListInline if i is ProjectPersonLinkInline else i for i in inlines]
        return inlines

    def get_urls(self):
        dashboard = path(
            "<uuid:project_id>/dashboard/",
            self.admin_site.admin_view(self.dashboard_view),
            name="productions_project_dashboard",
        )
        return [dashboard, *super().get_urls()]

    def dashboard_view(self, request, project_id):
        """The production's landing page (productions/admin_dashboard.py)."""
        project = get_object_or_404(Project, pk=project_id)
        if not self.has_view_permission(request, project):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            **production_summary(project),
            "title": f"{project.name}: landing page",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "kitsu_admin/production.html", context)

    @admin.display(description="landing page")
    def landing_page(self, project):
        url = reverse("admin:productions_project_dashboard", args=[project.pk])
        return format_html('<a href="{}">status, late, who has what</a>', url)


@admin.register(ProjectStatus)
class ProjectStatusAdmin(KitsuModelAdmin):
    list_display = ("name", "color")
    search_fields = ("name",)
    ordering = ("name",)


@admin.register(ProjectPersonLink)
class ProjectPersonLinkAdmin(KitsuModelAdmin):
    list_display = ("project", "person", "role")
    list_select_related = ("project", "person")
    list_filter = ("role", "project")
    search_fields = ("project__name", "person__email", "person__first_name", "person__last_name")
    autocomplete_fields = ("project", "person")


@admin.register(ProjectTaskTypeLink)
class ProjectTaskTypeLinkAdmin(KitsuModelAdmin):
    list_display = ("project", "task_type", "priority", "is_client_visible")
    list_select_related = ("project", "task_type")
    list_filter = ("project", "task_type")
    autocomplete_fields = ("project", "task_type")


@admin.register(ProjectTaskTypeSoftwareLink)
class ProjectTaskTypeSoftwareLinkAdmin(KitsuModelAdmin):
    list_display = ("project", "task_type", "software")
    list_select_related = ("project", "task_type", "software")
    list_filter = ("project",)
    autocomplete_fields = ("project", "task_type", "software")


@admin.register(ProjectTaskStatusLink)
class ProjectTaskStatusLinkAdmin(KitsuModelAdmin):
    list_display = ("project", "task_status", "priority", "is_client_allowed", "roles_for_board")
    list_select_related = ("project", "task_status")
    list_filter = ("project", "task_status")
    autocomplete_fields = ("project", "task_status")


@admin.register(ProjectAssetTypeLink)
class ProjectAssetTypeLinkAdmin(KitsuModelAdmin):
    list_display = ("project", "asset_type")
    list_select_related = ("project", "asset_type")
    list_filter = ("project",)
    autocomplete_fields = ("project", "asset_type")


@admin.register(ProjectStatusAutomationLink)
class ProjectStatusAutomationLinkAdmin(KitsuModelAdmin):
    list_display = ("project", "status_automation")
    list_select_related = (
        "project",
        *(f"status_automation__{name}" for name in STATUS_AUTOMATION_RELATED),
    )
    list_filter = ("project",)
    autocomplete_fields = ("project", "status_automation")


@admin.register(ProjectPreviewBackgroundFileLink)
class ProjectPreviewBackgroundFileLinkAdmin(KitsuModelAdmin):
    list_display = ("project", "preview_background_file")
    list_select_related = ("project", "preview_background_file")
    autocomplete_fields = ("project", "preview_background_file")


# --- Project templates ----------------------------------------------------------


class ProjectTemplateTaskTypeLinkInline(KitsuInline):
    model = ProjectTemplateTaskTypeLink
    extra = 0
    autocomplete_fields = ("task_type",)
    fields = (
        "task_type",
        "priority",
        "is_client_visible",
        "hd_bitrate_compression",
        "ld_bitrate_compression",
    )
    verbose_name = "task type"
    verbose_name_plural = "task types"


class ProjectTemplateTaskStatusLinkInline(KitsuInline):
    model = ProjectTemplateTaskStatusLink
    extra = 0
    autocomplete_fields = ("task_status",)
    fields = ("task_status", "priority", "is_client_allowed", "roles_for_board")
    verbose_name = "task status"
    verbose_name_plural = "task statuses"


class ProjectTemplateAssetTypeLinkInline(KitsuInline):
    model = ProjectTemplateAssetTypeLink
    extra = 0
    autocomplete_fields = ("asset_type",)
    verbose_name = "asset type"
    verbose_name_plural = "asset types"


class ProjectTemplateStatusAutomationLinkInline(KitsuInline):
    model = ProjectTemplateStatusAutomationLink
    extra = 0
    autocomplete_fields = ("status_automation",)
    verbose_name = "status automation"
    verbose_name_plural = "status automations"


class ProjectTemplatePreviewBackgroundFileLinkInline(KitsuInline):
    model = ProjectTemplatePreviewBackgroundFileLink
    extra = 0
    autocomplete_fields = ("preview_background_file",)
    verbose_name = "preview background"
    verbose_name_plural = "preview backgrounds"


@admin.register(ProjectTemplate)
class ProjectTemplateAdmin(KitsuModelAdmin):
    list_display = ("name", "production_type", "production_style", "fps", "ratio", "resolution")
    list_filter = ("production_type", "production_style")
    search_fields = ("name",)
    ordering = ("name",)
    autocomplete_fields = ("default_preview_background_file",)
    inlines = (
        ProjectTemplateTaskTypeLinkInline,
        ProjectTemplateTaskStatusLinkInline,
        ProjectTemplateAssetTypeLinkInline,
        ProjectTemplateStatusAutomationLinkInline,
        ProjectTemplatePreviewBackgroundFileLinkInline,
    )


@admin.register(ProjectTemplateTaskTypeLink)
class ProjectTemplateTaskTypeLinkAdmin(KitsuModelAdmin):
    list_display = ("project_template", "task_type", "priority", "is_client_visible")
    list_select_related = ("project_template", "task_type")
    autocomplete_fields = ("project_template", "task_type")


@admin.register(ProjectTemplateTaskStatusLink)
class ProjectTemplateTaskStatusLinkAdmin(KitsuModelAdmin):
    list_display = ("project_template", "task_status", "priority", "is_client_allowed")
    list_select_related = ("project_template", "task_status")
    autocomplete_fields = ("project_template", "task_status")


@admin.register(ProjectTemplateAssetTypeLink)
class ProjectTemplateAssetTypeLinkAdmin(KitsuModelAdmin):
    list_display = ("project_template", "asset_type")
    list_select_related = ("project_template", "asset_type")
    autocomplete_fields = ("project_template", "asset_type")


@admin.register(ProjectTemplateStatusAutomationLink)
class ProjectTemplateStatusAutomationLinkAdmin(KitsuModelAdmin):
    list_display = ("project_template", "status_automation")
    list_select_related = (
        "project_template",
        *(f"status_automation__{name}" for name in STATUS_AUTOMATION_RELATED),
    )
    autocomplete_fields = ("project_template", "status_automation")


@admin.register(ProjectTemplatePreviewBackgroundFileLink)
class ProjectTemplatePreviewBackgroundFileLinkAdmin(KitsuModelAdmin):
    list_display = ("project_template", "preview_background_file")
    list_select_related = ("project_template", "preview_background_file")
    autocomplete_fields = ("project_template", "preview_background_file")


# --- Metadata, automations, custom actions -------------------------------------------


class DepartmentMetadataDescriptorLinkInline(KitsuInline):
    model = DepartmentMetadataDescriptorLink
    extra = 0
    autocomplete_fields = ("department",)
    verbose_name = "department"
    verbose_name_plural = "departments"


@admin.register(MetadataDescriptor)
class MetadataDescriptorAdmin(KitsuModelAdmin):
    list_display = (
        "name",
        "field_name",
        "project",
        "entity_type",
        "task_type",
        "data_type",
        "for_client",
        "position",
    )
    list_select_related = ("project", "task_type")
    list_filter = ("entity_type", "data_type", "for_client", "project")
    search_fields = ("name", "field_name")
    autocomplete_fields = ("project", "task_type")
    inlines = (DepartmentMetadataDescriptorLinkInline,)


@admin.register(DepartmentMetadataDescriptorLink)
class DepartmentMetadataDescriptorLinkAdmin(KitsuModelAdmin):
    list_display = ("metadata_descriptor", "department")
    list_select_related = ("metadata_descriptor", "department")
    autocomplete_fields = ("metadata_descriptor", "department")


@admin.register(StatusAutomation)
class StatusAutomationAdmin(KitsuModelAdmin):
    list_display = (
        "entity_type",
        "in_task_type",
        "in_task_status",
        "out_field_type",
        "out_task_type",
        "out_task_status",
        "import_last_revision",
        "archived",
    )
    list_select_related = (*STATUS_AUTOMATION_RELATED, "out_task_status")
    list_filter = ("entity_type", "out_field_type", "archived")
    search_fields = ("entity_type", "in_task_type__name", "out_task_type__name")
    autocomplete_fields = ("in_task_type", "in_task_status", "out_task_type", "out_task_status")


@admin.register(CustomAction)
class CustomActionAdmin(KitsuModelAdmin):
    list_display = ("name", "url", "entity_type", "is_ajax")
    list_filter = ("entity_type", "is_ajax")
    search_fields = ("name", "url")
    ordering = ("name",)


# --- Schedules and milestones ------------------------------------------------------


@admin.register(ScheduleItem)
class ScheduleItemAdmin(LargeTableAdmin):
    list_display = ("project", "task_type", "object_id", "start_date", "end_date", "man_days")
    list_select_related = ("project", "task_type")
    list_filter = ("project", "task_type")
    autocomplete_fields = ("project", "task_type")
    uuid_search_fields = ("pk", "object_id")
    search_fields = ("project__name", "task_type__name")


@admin.register(Milestone)
class MilestoneAdmin(KitsuModelAdmin):
    list_display = ("name", "date", "project", "task_type")
    list_select_related = ("project", "task_type")
    list_filter = ("project",)
    search_fields = ("name",)
    autocomplete_fields = ("project", "task_type")
    ordering = ("-date",)


@admin.register(ProductionScheduleVersion)
class ProductionScheduleVersionAdmin(KitsuModelAdmin):
    list_display = ("name", "project", "production_schedule_from", "locked", "canceled", "created_at")
    list_select_related = ("project", "production_schedule_from")
    list_filter = ("locked", "canceled", "project")
    search_fields = ("name", "project__name")
    autocomplete_fields = ("project", "production_schedule_from")


class ProductionScheduleVersionTaskLinkPersonLinkInline(KitsuInline):
    model = ProductionScheduleVersionTaskLinkPersonLink
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "assignee"
    verbose_name_plural = "assignees"


# What ProductionScheduleVersionTaskLink.__str__ reads (the task's own __str__ included).
SCHEDULE_TASK_LINK_RELATED = ("production_schedule_version", "task__entity", "task__task_type")


@admin.register(ProductionScheduleVersionTaskLink)
class ProductionScheduleVersionTaskLinkAdmin(LargeTableAdmin):
    list_display = ("task", "production_schedule_version", "start_date", "due_date", "estimation")
    list_select_related = SCHEDULE_TASK_LINK_RELATED
    search_fields = ("task__name", "task__entity__name", "production_schedule_version__name")
    autocomplete_fields = ("production_schedule_version", "task")
    inlines = (ProductionScheduleVersionTaskLinkPersonLinkInline,)


@admin.register(ProductionScheduleVersionTaskLinkPersonLink)
class ProductionScheduleVersionTaskLinkPersonLinkAdmin(LargeTableAdmin):
    list_display = ("production_schedule_version_task_link", "person")
    list_select_related = (
        *(f"production_schedule_version_task_link__{name}" for name in SCHEDULE_TASK_LINK_RELATED),
        "person",
    )
    autocomplete_fields = ("production_schedule_version_task_link", "person")
