"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from kitsu_server.api.crud import CrudPolicy, register
from productions.models import (
    CustomAction,
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    Project,
    ProjectStatus,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTemplate,
    ScheduleItem,
    StatusAutomation,
)


@register
class ProjectsPolicy(CrudPolicy):
    model = Project
    path = "projects"

    def visible(self, access, queryset):
        # Everyone lists projects; non-admins only those whose team they are in.
        if access.is_admin:
            return queryset
        return queryset.filter(pk__in=access.member_project_ids())

    def check_read(self, access, instance):
        access.check_project_access(instance.pk)

    def check_update(self, access, instance, data):
        access.check_manager(instance.pk)


@register
class ProjectStatusPolicy(CrudPolicy):
    model = ProjectStatus
    path = "project-status"

    def visible(self, access, queryset):
        return queryset  # everyone reads them; admins write

    def check_read(self, access, instance):
        pass


@register
class ProjectTemplatesPolicy(CrudPolicy):
    model = ProjectTemplate
    path = "project-templates"


@register
class MetadataDescriptorsPolicy(CrudPolicy):
    model = MetadataDescriptor
    path = "metadata-descriptors"


@register
class MilestonesPolicy(CrudPolicy):
    model = Milestone
    path = "milestones"


@register
class ScheduleItemsPolicy(CrudPolicy):
    model = ScheduleItem
    path = "schedule-items"


@register
class ProductionScheduleVersionsPolicy(CrudPolicy):
    model = ProductionScheduleVersion
    path = "production-schedule-versions"


@register
class ProductionScheduleVersionTaskLinksPolicy(CrudPolicy):
    model = ProductionScheduleVersionTaskLink
    path = "production-schedule-version-task-links"


@register
class StatusAutomationsPolicy(CrudPolicy):
    model = StatusAutomation
    path = "status-automations"


@register
class CustomActionsPolicy(CrudPolicy):
    model = CustomAction
    path = "custom-actions"


@register
class TaskTypeLinksPolicy(CrudPolicy):
    model = ProjectTaskTypeLink
    path = "task-type-links"
    list_methods = ("post",)  # the reference lists them through their project only


@register
class TaskStatusLinksPolicy(CrudPolicy):
    model = ProjectTaskStatusLink
    path = "task-status-links"
    list_methods = ("post",)  # the reference lists them through their project only
