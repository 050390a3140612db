"""Project lists, team, settings, metadata descriptors and preview account routes.

Each view resolves the project of the URL (400 malformed, 404 absent), checks who may act with
the reference's rule, validates the body with a serializer and calls one service of
`productions.settings_services`. Permission is checked before the body is read, so that who may
not act learns nothing about it (the reference validates first: only that order differs).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import or_null
from kitsu_server.core.access import access_for
from kitsu_server.core.access.roles import MANAGER_ROLES
from kitsu_server.core.access.scopes import department_ids
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import managed_project, object_or_404, team_project
from kitsu_server.core.rendering import render, render_rows
from kitsu_server.core.scoped import MANAGER, MEMBER, ProjectScopedView
from people.models import ROLE_TYPES
from productions import settings_services as services
from productions.crud import check_supervisor_project_task_type_access
from productions.models import METADATA_DESCRIPTOR_TYPES, MetadataDescriptor, Project
from tasks.models import TaskType

DATA_TYPES = [name for name, _ in METADATA_DESCRIPTOR_TYPES]
WRONG_ENTITY_TYPE = "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, Project, or Task."
WRONG_SHARED_ENTITY_TYPE = (
    "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, or Project."
)


# --- who may ------------------------------------------------------------------------------------


def check_all_departments_access(access, project_id, departments):
    """Descriptor writes: admins, the project's managers, and its supervisors when the
    descriptor is limited to departments that include all of theirs (or they have none)."""
    if access.is_admin:
        return
    if not access.is_member(project_id):
        raise PermissionDenied
    role = access.project_role(project_id)
    if role in MANAGER_ROLES:
        return
    if role == "supervisor" and departments:
        mine = department_ids(access.person)
        wanted = {str(department_id) for department_id in departments}
        if not mine or all(str(department_id) in wanted for department_id in mine):
            return
    raise PermissionDenied


def check_global_manager(access):
    """Studio-wide routes read the global role: admins and managers."""
    access.check_role(MANAGER_ROLES)


def project_payload(project):
    """A project as the settings routes answer it: its columns, no relations."""
    return render(project, relations=False)


# --- request and response bodies ----------------------------------------------------------


class TeamRoleInput(serializers.Serializer):
    # The person roles' choices (one enum in the schema); admin is refused: it is global only.
    role = serializers.ChoiceField(choices=ROLE_TYPES, required=False, allow_null=True)

    def validate_role(self, value):
        if value == "admin":
            raise serializers.ValidationError("admin is a global role and cannot be set per project")
        return value


class TeamMemberInput(TeamRoleInput):
    person_id = serializers.UUIDField()


class TeamRoleOutput(serializers.Serializer):
    project_id = serializers.UUIDField()
    person_id = serializers.UUIDField()
    role = serializers.CharField(allow_null=True)


class AssetTypeSettingInput(serializers.Serializer):
    asset_type_id = serializers.UUIDField()


class TaskTypeSettingInput(serializers.Serializer):
    task_type_id = serializers.UUIDField()
    priority = serializers.IntegerField(required=False, allow_null=True)
    hd_bitrate_compression = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    ld_bitrate_compression = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    is_client_visible = serializers.BooleanField(required=False, allow_null=True)


class TaskStatusSettingInput(serializers.Serializer):
    task_status_id = serializers.UUIDField()


class TaskStatusClientAllowedInput(serializers.Serializer):
    is_client_allowed = serializers.BooleanField(allow_null=True)


class StatusAutomationSettingInput(serializers.Serializer):
    status_automation_id = serializers.UUIDField()


class PreviewBackgroundSettingInput(serializers.Serializer):
    preview_background_file_id = serializers.UUIDField()


class SettingsBatchInput(serializers.Serializer):
    task_types = TaskTypeSettingInput(many=True, required=False)
    task_status_ids = serializers.ListField(child=serializers.UUIDField(), required=False)
    asset_type_ids = serializers.ListField(child=serializers.UUIDField(), required=False)
    replace_task_types = serializers.BooleanField(required=False, default=False)


class SoftwareInput(serializers.Serializer):
    software_id = serializers.UUIDField()


class SoftwareLinkOutput(serializers.Serializer):
    project_id = serializers.UUIDField()
    task_type_id = serializers.UUIDField()
    software_id = serializers.UUIDField()


class DescriptorFields(serializers.Serializer):
    for_client = serializers.BooleanField(required=False, allow_null=True, default=False)
    data_type = serializers.CharField(required=False, default="string")
    choices = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, allow_null=True, default=list
    )
    departments = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)

    def validate_choices(self, value):
        return value or []  # a descriptor read with no choices sends back null


class MetadataDescriptorInput(DescriptorFields):
    entity_type = serializers.CharField(required=False, default="Asset")
    task_type_id = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField()


class MetadataDescriptorUpdateInput(DescriptorFields):
    name = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class AllProjectsDescriptorInput(DescriptorFields):
    entity_type = serializers.CharField(required=False, default="Asset")
    name = serializers.CharField()


class AllProjectsDescriptorUpdateInput(MetadataDescriptorUpdateInput):
    entity_type = serializers.CharField()


class DescriptorOrderInput(serializers.Serializer):
    entity_type = serializers.CharField()
    descriptor_ids = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class AllProjectsDescriptorOrderInput(serializers.Serializer):
    entity_type = serializers.CharField()
    field_order = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class PreviewAccountOpenInput(serializers.Serializer):
    is_open = serializers.BooleanField()


class PreviewAccountOutput(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.CharField()
    full_name = serializers.CharField()
    preview_open_until = serializers.CharField(allow_null=True)


class PreviewAccountCreatedOutput(PreviewAccountOutput):
    password = serializers.CharField()


ProjectOutput = output_serializer(REGISTRY["projects"])
DescriptorOutput = output_serializer(REGISTRY["metadata-descriptors"])


class EmbeddedDescriptor(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    field_name = serializers.CharField()
    data_type = serializers.CharField(allow_null=True)
    choices = serializers.JSONField()
    for_client = serializers.BooleanField()
    entity_type = serializers.CharField()
    task_type_id = serializers.UUIDField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    departments = serializers.ListField(child=serializers.UUIDField())


class OpenProjectOutput(ProjectOutput):
    descriptors = EmbeddedDescriptor(many=True)
    task_type_links = serializers.DictField(child=serializers.DictField())
    task_types_priority = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    task_statuses_link = serializers.DictField(child=serializers.DictField())
    first_episode_id = serializers.UUIDField(required=False)


class ListedProjectOutput(ProjectOutput):
    project_status_name = serializers.CharField(required=False)
    descriptors = EmbeddedDescriptor(many=True, required=False)


class TeamMemberOutput(output_serializer(REGISTRY["persons"])):
    full_name = serializers.CharField()
    project_role = serializers.CharField(allow_null=True)


NAME_PARAMETER = OpenApiParameter("name", str, description="Only the project of this name")
TAGS = ["data/projects"]


# --- project lists ---------------------------------------------------------------------------------


class OpenProjectsView(KitsuView):
    """`GET /data/projects/open`: the open projects the person reaches, with their settings."""

    @extend_schema(tags=TAGS, parameters=[NAME_PARAMETER], responses=OpenProjectOutput(many=True))
    def get(self, request):
        name = request.query_params.get("name")
        return Response(services.open_project_rows(access_for(request), name))


class AllProjectsView(KitsuView):
    """`GET /data/projects/all`: every project (admins), else those of the person's team."""

    @extend_schema(tags=TAGS, parameters=[NAME_PARAMETER], responses=ListedProjectOutput(many=True))
    def get(self, request):
        name = request.query_params.get("name")
        return Response(services.all_project_rows(access_for(request), name))


# --- the team ------------------------------------------------------------------------------------


class ProjectTeamViewSet(ViewSetMixin, ProjectScopedView):
    """A production's team: `/data/projects/{project_id}/team` (list, add) and
    `/data/projects/{project_id}/team/{person_id}` (change the role, remove)."""

    rules = {"list": MEMBER, "create": MANAGER, "update": MANAGER, "destroy": MANAGER}

    @extend_schema(tags=TAGS, responses=TeamMemberOutput(many=True))
    def list(self, request, project_id):
        return Response(services.team_rows(self.project, self.role))

    @extend_schema(tags=TAGS, request=TeamMemberInput, responses={201: ProjectOutput})
    def create(self, request, project_id):
        body = validated(TeamMemberInput, request.data)
        services.add_team_member(self.project, body["person_id"], body.get("role"), user=request.user)
        return Response(project_payload(self.project), status=201)

    @extend_schema(tags=TAGS, request=TeamRoleInput, responses=TeamRoleOutput)
    def update(self, request, project_id, person_id):
        person_id = parse_uuid(person_id, f"Malformed ID: {person_id}.")
        body = validated(TeamRoleInput, request.data)
        member = services.update_team_member_role(
            self.project, person_id, body.get("role"), user=request.user
        )
        return Response(member)

    @extend_schema(tags=TAGS, responses={204: None})
    def destroy(self, request, project_id, person_id):
        person_id = parse_uuid(person_id, f"Malformed ID: {person_id}.")
        services.remove_team_member(self.project, person_id, user=request.user)
        return Response(status=204)


# --- linked settings -------------------------------------------------------------------------------


class SettingLinksView(KitsuView):
    """`GET|POST /data/projects/{project_id}/settings/<kind>`: list (team members or managers,
    per `list_for_managers`) or link one row (managers, 201 and the project)."""

    kind = None
    input_serializer = None
    id_field = None
    list_for_managers = False

    def get(self, request, project_id):
        if self.list_for_managers:
            project = managed_project(request, project_id)
        else:
            project, _ = team_project(request, project_id)
        return Response(services.linked_rows(project, self.kind))

    def post(self, request, project_id):
        project = managed_project(request, project_id)
        body = validated(self.input_serializer, request.data)
        services.add_setting(project, self.kind, body[self.id_field], user=request.user)
        return Response(project_payload(project), status=201)


class SettingLinkView(KitsuView):
    """`DELETE /data/projects/{project_id}/settings/<kind>/{id}`: unlink (managers, 204)."""

    kind = None

    def unlink(self, request, project_id, linked_id):
        project = managed_project(request, project_id)
        linked_id = parse_uuid(linked_id, f"Malformed ID: {linked_id}.")
        services.remove_setting(project, self.kind, linked_id, user=request.user)
        return Response(status=204)


def _list_schema(kind_path):
    return extend_schema(tags=TAGS, responses=output_serializer(REGISTRY[kind_path])(many=True))


def _link_schema(input_serializer):
    return extend_schema(tags=TAGS, request=input_serializer, responses={201: ProjectOutput})


UNLINK_SCHEMA = extend_schema(tags=TAGS, responses={204: None})


class ProjectAssetTypeSettingsView(SettingLinksView):
    kind, input_serializer, id_field = "asset_types", AssetTypeSettingInput, "asset_type_id"
    http_method_names = ["post", "options"]

    @_link_schema(AssetTypeSettingInput)
    def post(self, request, project_id):
        return super().post(request, project_id)


class ProjectAssetTypeSettingView(SettingLinkView):
    kind = "asset_types"

    @UNLINK_SCHEMA
    def delete(self, request, project_id, asset_type_id):
        return self.unlink(request, project_id, asset_type_id)


class ProjectTaskTypeSettingsView(KitsuView):
    """`POST /data/projects/{project_id}/settings/task-types`: link a task type (managers); a
    linked one takes the bitrates and the client visibility given."""

    @_link_schema(TaskTypeSettingInput)
    def post(self, request, project_id):
        project = managed_project(request, project_id)
        body = validated(TaskTypeSettingInput, request.data)
        keys = ("hd_bitrate_compression", "ld_bitrate_compression")
        bitrates = {key: body.get(key) for key in keys} if any(key in request.data for key in keys) else None
        services.add_task_type_setting(
            project,
            body["task_type_id"],
            body.get("priority"),
            bitrates=bitrates,
            is_client_visible=body.get("is_client_visible"),
            user=request.user,
        )
        return Response(project_payload(project), status=201)


class ProjectTaskTypeSettingView(SettingLinkView):
    kind = "task_types"

    @UNLINK_SCHEMA
    def delete(self, request, project_id, task_type_id):
        return self.unlink(request, project_id, task_type_id)


class ProjectTaskStatusSettingsView(SettingLinksView):
    kind, input_serializer, id_field = "task_statuses", TaskStatusSettingInput, "task_status_id"

    @_list_schema("task-status")
    def get(self, request, project_id):
        return super().get(request, project_id)

    @_link_schema(TaskStatusSettingInput)
    def post(self, request, project_id):
        return super().post(request, project_id)


class ProjectTaskStatusSettingView(SettingLinkView):
    kind = "task_statuses"

    @extend_schema(
        tags=TAGS,
        request=TaskStatusClientAllowedInput,
        responses=output_serializer(REGISTRY["task-status-links"]),
    )
    def put(self, request, project_id, task_status_id):
        """Whether the project's clients may set this status (null: the studio's value)."""
        project = managed_project(request, project_id)
        task_status_id = parse_uuid(task_status_id, f"Malformed ID: {task_status_id}.")
        body = validated(TaskStatusClientAllowedInput, request.data)
        link = services.set_task_status_client_allowed(
            project, task_status_id, body["is_client_allowed"], user=request.user
        )
        return Response(render(link, relations=False))

    @UNLINK_SCHEMA
    def delete(self, request, project_id, task_status_id):
        return self.unlink(request, project_id, task_status_id)


class ProjectStatusAutomationSettingsView(SettingLinksView):
    kind, input_serializer, id_field = (
        "status_automations",
        StatusAutomationSettingInput,
        "status_automation_id",
    )
    list_for_managers = True

    @_list_schema("status-automations")
    def get(self, request, project_id):
        return super().get(request, project_id)

    @_link_schema(StatusAutomationSettingInput)
    def post(self, request, project_id):
        return super().post(request, project_id)


class ProjectStatusAutomationSettingView(SettingLinkView):
    kind = "status_automations"

    @UNLINK_SCHEMA
    def delete(self, request, project_id, status_automation_id):
        return self.unlink(request, project_id, status_automation_id)


class ProjectPreviewBackgroundSettingsView(SettingLinksView):
    kind, input_serializer, id_field = (
        "preview_background_files",
        PreviewBackgroundSettingInput,
        "preview_background_file_id",
    )

    @_list_schema("preview-background-files")
    def get(self, request, project_id):
        return super().get(request, project_id)

    @_link_schema(PreviewBackgroundSettingInput)
    def post(self, request, project_id):
        return super().post(request, project_id)


class ProjectPreviewBackgroundSettingView(SettingLinkView):
    kind = "preview_background_files"

    @UNLINK_SCHEMA
    def delete(self, request, project_id, preview_background_file_id):
        return self.unlink(request, project_id, preview_background_file_id)


class ProjectSettingsBatchView(KitsuView):
    """`POST /data/projects/{project_id}/settings/batch`: task types, statuses and asset types in
    one call (managers); answers 200 and the project."""

    @extend_schema(tags=TAGS, request=SettingsBatchInput, responses=ProjectOutput)
    def post(self, request, project_id):
        project = managed_project(request, project_id)
        body = validated(SettingsBatchInput, request.data)
        services.update_project_settings(
            project,
            task_types=body.get("task_types", []),
            task_status_ids=body.get("task_status_ids", []),
            asset_type_ids=body.get("asset_type_ids", []),
            replace_task_types=body.get("replace_task_types", False),
            user=request.user,
        )
        return Response(project_payload(project))


class ProjectTaskTypesView(KitsuView):
    @_list_schema("task-types")
    def get(self, request, project_id):
        project, _ = team_project(request, project_id)
        return Response(services.linked_rows(project, "task_types"))


# --- softwares of the project's task types --------------------------------------------------------


class ProjectTaskTypeSoftwaresView(KitsuView):
    @extend_schema(tags=TAGS, responses=SoftwareLinkOutput(many=True))
    def get(self, request, project_id):
        project, _ = team_project(request, project_id)
        return Response(services.task_type_software_rows(project))


def software_project(request, project_id, task_type_id):
    """The project and task type of a software route: the project's managers, or its supervisors
    of the task type's department."""
    project = object_or_404(Project, project_id)
    task_type_id = parse_uuid(task_type_id, "task_type_id and software_id must be valid UUIDs.")
    check_supervisor_project_task_type_access(access_for(request), project.pk, task_type_id)
    return project, task_type_id


class ProjectTaskTypeSoftwareLinksView(KitsuView):
    @extend_schema(tags=TAGS, request=SoftwareInput, responses={201: SoftwareLinkOutput})
    def post(self, request, project_id, task_type_id):
        project, task_type_id = software_project(request, project_id, task_type_id)
        body = validated(SoftwareInput, request.data)
        link = services.add_task_type_software(project, task_type_id, body["software_id"], user=request.user)
        return Response(link, status=201)


class ProjectTaskTypeSoftwareView(KitsuView):
    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, project_id, task_type_id, software_id):
        project, task_type_id = software_project(request, project_id, task_type_id)
        software_id = parse_uuid(software_id, "task_type_id and software_id must be valid UUIDs.")
        services.remove_task_type_software(project, task_type_id, software_id, user=request.user)
        return Response(status=204)


# --- metadata descriptors of a project ----------------------------------------------------------


def check_data_type(data_type):
    if data_type not in DATA_TYPES:
        raise WrongParameter("Invalid data_type")


def project_descriptor(project, descriptor_id):
    """A descriptor of this project (one of another project is not found through it)."""
    descriptor_id = parse_uuid(descriptor_id, f"Malformed ID: {descriptor_id}.")
    descriptor = MetadataDescriptor.objects.filter(pk=descriptor_id, project=project).first()
    if descriptor is None:
        raise NotFound("MetadataDescriptor not found.")
    return descriptor


def descriptor_department_ids(descriptor):
    return list(descriptor.departments.values_list("pk", flat=True))


class ProjectMetadataDescriptorsView(KitsuView):
    @extend_schema(tags=TAGS, responses=DescriptorOutput(many=True))
    def get(self, request, project_id):
        """The project's descriptors its members read: clients those published to clients,
        vendors those of their departments or of none."""
        project, role = team_project(request, project_id)
        descriptors = services.visible_descriptors(project, role, request.user)
        return Response(render_rows(descriptors, relations=True))

    @extend_schema(tags=TAGS, request=MetadataDescriptorInput, responses={201: DescriptorOutput})
    def post(self, request, project_id):
        project = object_or_404(Project, project_id)
        access = access_for(request)
        if not access.has_project_access(project.pk):
            raise PermissionDenied
        # Only managers and supervisors write descriptors: the others are refused before the body.
        if not access.is_admin and access.project_role(project.pk) not in (*MANAGER_ROLES, "supervisor"):
            raise PermissionDenied
        body = validated(MetadataDescriptorInput, request.data)
        check_all_departments_access(access, project.pk, body["departments"])
        entity_type, task_type_id = body["entity_type"], body.get("task_type_id")
        if entity_type not in services.DESCRIPTOR_ENTITY_TYPES:
            raise WrongParameter(WRONG_ENTITY_TYPE)
        if entity_type == "Task":
            if task_type_id is None:
                raise WrongParameter("Task metadata descriptors require a task_type_id.")
            if not TaskType.objects.filter(pk=task_type_id).exists():
                raise WrongParameter("Task type not found.")
        elif task_type_id is not None:
            raise WrongParameter("task_type_id only applies to Task metadata descriptors.")
        check_data_type(body["data_type"])
        descriptor = services.add_metadata_descriptor(
            project.pk,
            entity_type,
            body["name"],
            body["data_type"],
            body["choices"],
            body["for_client"],
            body["departments"],
            task_type_id=task_type_id,
            user=request.user,
        )
        return Response(render(descriptor), status=201)


class ProjectMetadataDescriptorsReorderView(KitsuView):
    @extend_schema(tags=TAGS, request=DescriptorOrderInput, responses=DescriptorOutput(many=True))
    def post(self, request, project_id):
        """Positions in the given order, the others after them by name (managers)."""
        project = managed_project(request, project_id)
        body = validated(DescriptorOrderInput, request.data)
        if body["entity_type"] not in services.DESCRIPTOR_ENTITY_TYPES:
            raise WrongParameter(WRONG_ENTITY_TYPE)
        descriptors = services.reorder_metadata_descriptors(
            project.pk, body["entity_type"], body["descriptor_ids"]
        )
        return Response(render_rows(descriptors, relations=True))


class ProjectMetadataDescriptorView(KitsuView):
    @extend_schema(tags=TAGS, responses=DescriptorOutput)
    def get(self, request, project_id, metadata_descriptor_id):
        project, role = team_project(request, project_id)
        descriptor = project_descriptor(project, metadata_descriptor_id)
        if not services.visible_descriptors(project, role, request.user).filter(pk=descriptor.pk).exists():
            raise PermissionDenied
        return Response(render(descriptor))

    @extend_schema(tags=TAGS, request=MetadataDescriptorUpdateInput, responses=DescriptorOutput)
    def put(self, request, project_id, metadata_descriptor_id):
        """Every field is set (absent ones take their defaults, as on the reference); a new name
        moves the values stored under the old field name."""
        project = object_or_404(Project, project_id)
        descriptor = project_descriptor(project, metadata_descriptor_id)
        access = access_for(request)
        if not access.has_project_access(project.pk):
            raise PermissionDenied
        body = validated(MetadataDescriptorUpdateInput, request.data)
        check_all_departments_access(
            access, project.pk, descriptor_department_ids(descriptor) + body["departments"]
        )
        if body.get("name") is not None and len(body["name"]) == 0:
            raise WrongParameter("Name cannot be empty.")
        check_data_type(body["data_type"])
        descriptor = services.update_metadata_descriptor(descriptor, dict(body), user=request.user)
        return Response(render(descriptor))

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, project_id, metadata_descriptor_id):
        """The descriptor and the values stored for it in the project's rows."""
        project = object_or_404(Project, project_id)
        descriptor = project_descriptor(project, metadata_descriptor_id)
        check_all_departments_access(access_for(request), project.pk, descriptor_department_ids(descriptor))
        services.remove_metadata_descriptor(descriptor, user=request.user)
        return Response(status=204)


# --- metadata descriptors of every project a manager runs ---------------------------------------


def check_shared_entity_type(entity_type):
    if entity_type not in services.ALL_PROJECTS_ENTITY_TYPES:
        raise WrongParameter(WRONG_SHARED_ENTITY_TYPE)


class AllProjectsMetadataDescriptorsView(KitsuView):
    @extend_schema(
        tags=TAGS, request=AllProjectsDescriptorInput, responses={201: DescriptorOutput(many=True)}
    )
    def post(self, request):
        """The descriptor in each open project the person manages that has no such field."""
        access = access_for(request)
        check_global_manager(access)
        body = validated(AllProjectsDescriptorInput, request.data)
        check_shared_entity_type(body["entity_type"])
        check_data_type(body["data_type"])
        created = services.add_metadata_descriptor_to_projects(
            services.managed_open_project_ids(access),
            body["entity_type"],
            body["name"],
            body["data_type"],
            body["choices"],
            body["for_client"],
            body["departments"],
            user=request.user,
        )
        return Response([render(descriptor) for descriptor in created], status=201)


class AllProjectsMetadataDescriptorView(KitsuView):
    @extend_schema(tags=TAGS, request=AllProjectsDescriptorUpdateInput, responses=DescriptorOutput(many=True))
    def put(self, request, field_name):
        """That field in each open project the person manages (its name only when one is given)."""
        access = access_for(request)
        check_global_manager(access)
        body = validated(AllProjectsDescriptorUpdateInput, request.data)
        check_shared_entity_type(body["entity_type"])
        check_data_type(body["data_type"])
        changes = {key: body[key] for key in ("for_client", "data_type", "choices", "departments")}
        if body.get("name"):
            changes["name"] = body["name"]
        updated = services.update_metadata_descriptor_on_projects(
            services.managed_open_project_ids(access),
            body["entity_type"],
            field_name,
            changes,
            user=request.user,
        )
        return Response([render(descriptor) for descriptor in updated])

    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("entity_type", str, required=True)],
        responses={200: {"type": "array", "items": {"type": "string", "format": "uuid"}}},
    )
    def delete(self, request, field_name):
        """That field, and its values, from each open project the person manages: the ids removed."""
        access = access_for(request)
        check_global_manager(access)
        entity_type = request.query_params.get("entity_type")
        check_shared_entity_type(entity_type)
        removed = services.remove_metadata_descriptor_from_projects(
            services.managed_open_project_ids(access), entity_type, field_name, user=request.user
        )
        return Response(removed)


class AllProjectsMetadataDescriptorsReorderView(KitsuView):
    @extend_schema(
        tags=["actions/metadata-descriptors"],
        request=AllProjectsDescriptorOrderInput,
        responses=DescriptorOutput(many=True),
    )
    def post(self, request):
        """The same column order, by field name, in each open project the person manages."""
        access = access_for(request)
        check_global_manager(access)
        body = validated(AllProjectsDescriptorOrderInput, request.data)
        check_shared_entity_type(body["entity_type"])
        return Response(
            services.reorder_metadata_descriptors_on_projects(
                services.managed_open_project_ids(access), body["entity_type"], body["field_order"]
            )
        )


# --- the preview account ------------------------------------------------------------------------


PREVIEW_ACCOUNT_OR_NULL = or_null(PreviewAccountOutput)


class ProjectPreviewAccountView(KitsuView):
    """The project's preview account: a client login the managers hand out, usable while its
    access window is open."""

    @extend_schema(tags=TAGS, responses={200: PREVIEW_ACCOUNT_OR_NULL})
    def get(self, request, project_id):
        project = managed_project(request, project_id)
        person = services.preview_account(project)
        return Response(None if person is None else services.preview_account_dict(person))

    @extend_schema(tags=TAGS, request=None, responses={201: PreviewAccountCreatedOutput})
    def post(self, request, project_id):
        """Create the account, or give it a new password; the clear password is in the answer."""
        project = managed_project(request, project_id)
        person, password = services.create_or_reset_preview_account(project, user=request.user)
        return Response({**services.preview_account_dict(person), "password": password}, status=201)

    @extend_schema(tags=TAGS, request=PreviewAccountOpenInput, responses=PreviewAccountOutput)
    def put(self, request, project_id):
        """Open the access window for an hour (extending an open one), or close it."""
        project = managed_project(request, project_id)
        body = validated(PreviewAccountOpenInput, request.data)
        person = services.set_preview_account_open(project, body["is_open"])
        return Response(services.preview_account_dict(person))

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, project_id):
        project = managed_project(request, project_id)
        services.delete_preview_account(project, user=request.user)
        return Response(status=204)
