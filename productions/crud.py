"""The `/data/...` routes of this app: one policy per model (see kitsu_server.core.data).

The rules follow the reference's crud blueprints. Where they read "the role on the project",
it is `Access.project_role` (the team role, else the global one); where no project is at
hand (a list without `project_id`), the global role decides, as on the reference.
"""

import re

from rest_framework import serializers

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_bool, parse_uuid
from kitsu_server.core import deletion
from kitsu_server.core.access.projects import NO_SCHEDULE_ROLES
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS
from kitsu_server.core.data.policies import CrudPolicy, register
from kitsu_server.core.events import record_event
from productions.models import (
    METADATA_DESCRIPTOR_TYPES,
    CustomAction,
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    Project,
    ProjectStatus,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTemplate,
    ScheduleItem,
    StatusAutomation,
)
from productions.project_settings.queries import with_project_extras
from productions.project_templates.services import apply_template_to_project
from productions.schedules.services import remove_schedule_version
from shots.models import Episode


def _pk(value):
    """A validated foreign key value (a model instance) or a raw id, as an id."""
    return getattr(value, "pk", value)


# --- projects and their settings ---------------------------------------------------------


RESOLUTION = re.compile(r"^\d*x\d+$")
NO_EMPTY = ("file_tree", "data")  # settings for which an empty value means "none given"


def check_resolution(resolution):
    """ "1920x1080" or "x1080" (the height alone), or nothing."""
    if resolution in (None, ""):
        return
    if not isinstance(resolution, str) or not RESOLUTION.match(resolution):
        raise WrongParameter(f"Invalid resolution {resolution}. Expected format: '1920x1080' or 'x1080'.")


@register
class ProjectsPolicy(CrudPolicy):
    model = Project
    path = "projects"
    read_only_on_update = ("team",)  # the team routes set it

    def visible(self, access, queryset):
        # Everyone lists projects; non-admins only those whose team they are in.
        if access.is_admin:
            return queryset
        return queryset.filter(pk__in=access.member_project_ids())

    def check_read(self, access, instance):
        access.check_project_access(instance.pk)

    def render(self, instance, relations=True, access=None):
        data = super().render(instance, relations, access)
        if relations and access is not None:
            # Read with its relations, a project is the one /data/projects/open lists (a closed
            # project, read by id, comes with its descriptors and links too), and names its
            # status as the reference's read by id does.
            data = with_project_extras(access, [data])[0]
            data["project_status_name"] = (
                ProjectStatus.objects.filter(pk=instance.project_status_id)
                .values_list("name", flat=True)
                .first()
            )
        return data

    def clean_body(self, body, creating):
        check_resolution(body.get("resolution"))
        if body.get("production_style", "2d3d") is None:
            body["production_style"] = "2d3d"
        return body

    def prepare_create(self, access, data):
        if data.get("project_status_id") is None:
            data["project_status_id"] = ProjectStatus.objects.get_or_create(
                name=OPEN_PROJECT_STATUS, defaults={"color": "#000000"}
            )[0]
        return data

    def extra_inputs(self, creating):
        if not creating:
            return {}
        template = serializers.PrimaryKeyRelatedField(
            queryset=ProjectTemplate.objects.all(),
            pk_field=serializers.UUIDField(),
            required=False,
            allow_null=True,
            help_text="A project template whose settings, links and descriptors the new project takes",
        )
        return {"project_template_id": template}

    def apply_inputs(self, access, instance, inputs, values, created):
        template = inputs.get("project_template_id")
        if template is not None:
            # What the creator sent explicitly wins over the template (an empty tree or data is none).
            explicit = {
                name
                for name, value in values.items()
                if value is not None and (value or name not in NO_EMPTY)
            }
            apply_template_to_project(instance, template, user=access.person, keep=explicit)

    def after_write(self, access, instance, created):
        if (
            instance.production_type == "tvshow"
            and not instance.entities.filter(entity_type__name="Episode").exists()
        ):
            # A TV show starts with its first episode, as on the reference.
            # Its columns as the episode route writes them (an empty description and data).
            Episode.objects.create(
                project=instance, name="E01", description="", data={}, created_by=access.person
            )

    def check_update(self, access, instance, data):
        access.check_manager(instance.pk)

    def check_delete(self, access, instance):
        # Who may not delete projects learns nothing of this one's state: 403 first (the
        # reference says "Only closed projects can be deleted" to anyone).
        access.check_admin()
        deletion.check_project_deletable(instance)

    def delete(self, access, instance, params):
        deletion.remove_project(instance, parse_bool(params.get("force", "false")), user=access.person)


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
    """Managers (by global role) and admins read; admins write. A name is required and unique
    (the reference's project_templates_service messages)."""

    model = ProjectTemplate
    path = "project-templates"
    DUPLICATE = "A project template with this name already exists"

    def visible(self, access, queryset):
        access.check_manager()
        return queryset

    def check_read(self, access, instance):
        access.check_manager()

    def clean_body(self, body, creating):
        if creating and not body.get("name"):
            raise WrongParameter("name is required")
        return body

    def check_create(self, access, data):
        access.check_admin()
        if ProjectTemplate.objects.filter(name=data["name"]).exists():
            raise WrongParameter(self.DUPLICATE)

    def check_update(self, access, instance, data):
        access.check_admin()
        name = data.get("name")
        if name and ProjectTemplate.objects.filter(name=name).exclude(pk=instance.pk).exists():
            raise WrongParameter(self.DUPLICATE)


class ProjectLinkPolicy(CrudPolicy):
    """`POST /data/<links>` links a task type or status to a project, or, when the link exists,
    updates it in place (same id): the reference's create-or-update, for the project's managers.
    Omitted settings take the reference route's defaults. The reference has no instance route:
    ours keep the base rules (admins). Clients refetch the project, so that is the event."""

    list_methods = ("post",)  # the reference lists them through their project only
    linked = None  # the column naming what is linked to the project
    defaults = {"priority": 1}

    def clean_body(self, body, creating):
        if creating:
            for name in ("project_id", self.linked):
                if not body.get(name):
                    raise WrongParameter(f"Missing required parameter: {name}")
            for name, value in self.defaults.items():
                body.setdefault(name, list(value) if isinstance(value, list) else value)
        return body

    def check_create(self, access, data):
        access.check_manager(_pk(data["project_id"]))

    def existing_for_create(self, access, data):
        return self.model.objects.filter(
            project_id=_pk(data["project_id"]), **{self.linked: _pk(data[self.linked])}
        ).first()

    def emit(self, action, data, user):
        record_event("project:update", {}, project_id=data["project_id"], user=user)


@register
class TaskTypeLinksPolicy(ProjectLinkPolicy):
    model = ProjectTaskTypeLink
    path = "task-type-links"
    linked = "task_type_id"


@register
class TaskStatusLinksPolicy(ProjectLinkPolicy):
    model = ProjectTaskStatusLink
    path = "task-status-links"
    linked = "task_status_id"
    defaults = {"priority": 1, "roles_for_board": []}


# --- metadata descriptors ------------------------------------------------------------------


@register
class MetadataDescriptorsPolicy(CrudPolicy):
    """Everyone lists the descriptors they may see; one descriptor is read and written by admins.
    `data_type` must be one of the known types."""

    model = MetadataDescriptor
    path = "metadata-descriptors"
    DATA_TYPES = [name for name, _ in METADATA_DESCRIPTOR_TYPES]

    def visible(self, access, queryset):
        return access.visible_descriptors(queryset)

    def clean_body(self, body, creating):
        if "data_type" in body and body["data_type"] not in self.DATA_TYPES:
            raise WrongParameter("Invalid data_type")
        return body


# --- schedules -------------------------------------------------------------------------------


@register
class MilestonesPolicy(CrudPolicy):
    """Lists: admins. Read: the project's members but its vendors. Writes: its managers."""

    model = Milestone
    path = "milestones"

    def check_read(self, access, instance):
        access.check_project_reader(instance.project_id, ("vendor",))

    def check_create(self, access, data):
        access.check_manager(_pk(data.get("project_id")))

    def check_update(self, access, instance, data):
        access.check_manager(instance.project_id)

    def check_delete(self, access, instance):
        access.check_manager(instance.project_id)


@register
class ScheduleItemsPolicy(CrudPolicy):
    """Lists and reads: admins. Create and delete: the project's managers, one item per project,
    task type and object. Update: managers, or supervisors of the task type's department; a
    text `man_days` is ignored, as on the reference."""

    model = ScheduleItem
    path = "schedule-items"

    def clean_body(self, body, creating):
        if not creating and isinstance(body.get("man_days"), str):
            body.pop("man_days")
        return body

    def check_create(self, access, data):
        access.check_manager(_pk(data.get("project_id")))
        twin = ScheduleItem.objects.filter(
            project_id=_pk(data.get("project_id")),
            task_type_id=_pk(data.get("task_type_id")),
            object_id=data.get("object_id"),
        )
        if twin.exists():
            raise WrongParameter("A similar schedule item already exists")

    def check_update(self, access, instance, data):
        access.check_supervisor_project_task_type_access(instance.project_id, instance.task_type_id)

    def check_delete(self, access, instance):
        access.check_manager(instance.project_id)


@register
class ProductionScheduleVersionsPolicy(CrudPolicy):
    """Lists: admins, or with a `project_id` filter that project's members; reads: the project's
    members; vendors and clients never. Writes: the project's managers. A deleted version is
    first detached from the versions copied from it and the projects it was applied to."""

    model = ProductionScheduleVersion
    path = "production-schedule-versions"

    def check_list(self, access, params):
        access.check_schedule_list(params.get("project_id"))

    def visible(self, access, queryset):
        return queryset  # check_list decided

    def check_read(self, access, instance):
        access.check_project_reader(instance.project_id, NO_SCHEDULE_ROLES)

    def check_create(self, access, data):
        access.check_manager(_pk(data["project_id"]))

    def check_update(self, access, instance, data):
        access.check_manager(instance.project_id)

    def check_delete(self, access, instance):
        access.check_manager(instance.project_id)

    def delete(self, access, instance, params):
        remove_schedule_version(instance, user=access.person)


@register
class ProductionScheduleVersionTaskLinksPolicy(CrudPolicy):
    """As the versions, the project being the task's; `project_id` filters a list through the
    versions' project. A link joins a task and a version of the same project; its task and
    version do not change afterwards."""

    model = ProductionScheduleVersionTaskLink
    path = "production-schedule-version-task-links"
    custom_filters = ("project_id",)
    read_only_on_update = ("task_id", "production_schedule_version_id")

    def check_list(self, access, params):
        access.check_schedule_list(params.get("project_id"))

    def visible(self, access, queryset):
        return queryset  # check_list decided

    def custom_filter(self, queryset, name, params):
        project_id = parse_uuid(params.get(name), "Invalid project_id.")
        return queryset.filter(production_schedule_version__project_id=project_id)

    def check_read(self, access, instance):
        access.check_project_reader(instance.task.project_id, NO_SCHEDULE_ROLES)

    def check_create(self, access, data):
        version, task = data["production_schedule_version_id"], data["task_id"]
        if version.project_id != task.project_id:
            raise WrongParameter("The task and the production schedule version must be in the same project.")
        access.check_manager(version.project_id)

    def check_update(self, access, instance, data):
        access.check_manager(instance.task.project_id)

    def check_delete(self, access, instance):
        access.check_manager(instance.task.project_id)


# --- studio settings -------------------------------------------------------------------------


@register
class StatusAutomationsPolicy(CrudPolicy):
    """Everyone but vendors lists them; admins read one and write. One linked to a project is
    not deleted."""

    model = StatusAutomation
    path = "status-automations"

    def visible(self, access, queryset):
        access.block_vendor()
        return queryset

    def delete(self, access, instance, params):
        if ProjectStatusAutomationLink.objects.filter(status_automation=instance).exists():
            raise WrongParameter("This automation is used in a project.")
        instance.delete()


@register
class CustomActionsPolicy(CrudPolicy):
    """Everyone but vendors lists them; admins read one and write. A name is always set."""

    model = CustomAction
    path = "custom-actions"

    def visible(self, access, queryset):
        access.block_vendor()
        return queryset

    def clean_body(self, body, creating):
        if creating and body.get("name") is None:
            raise WrongParameter("The 'name' field is required and cannot be None.")
        if not creating and "name" in body and body["name"] is None:
            raise WrongParameter("The 'name' field cannot be set to None.")
        return body
