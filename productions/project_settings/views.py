"""Project lists, team, settings, metadata descriptors and preview account routes.

The views of a production (`/data/projects/{project_id}/...`) are project-scoped: the project of
the URL is resolved once (404 when it names none, a malformed id included), then the rule of the
method or action is checked (403), then the body is validated (400) and one service or query of
`productions.project_settings` is called. Permission is checked before the body is read, so that
who may not act learns nothing about it (the reference validates first: only that order differs).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import or_null
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.rendering import render, render_rows
from kitsu_server.core.scoped import ANYONE, MANAGER, MEMBER, SUPERVISOR, ProjectScopedView
from productions.models import METADATA_DESCRIPTOR_TYPES, MetadataDescriptor
from productions.project_settings import descriptors, queries, services
from productions.project_settings.serializers import (
    AllProjectsDescriptorInput,
    AllProjectsDescriptorOrderInput,
    AllProjectsDescriptorUpdateInput,
    AssetTypeSettingInput,
    DescriptorOrderInput,
    DescriptorOutput,
    ListedProjectOutput,
    MetadataDescriptorInput,
    MetadataDescriptorUpdateInput,
    OpenProjectOutput,
    PreviewAccountCreatedOutput,
    PreviewAccountOpenInput,
    PreviewAccountOutput,
    PreviewBackgroundSettingInput,
    ProjectOutput,
    SettingsBatchInput,
    SoftwareInput,
    SoftwareLinkOutput,
    StatusAutomationSettingInput,
    TaskStatusClientAllowedInput,
    TaskStatusSettingInput,
    TaskTypeSettingInput,
    TeamMemberInput,
    TeamMemberOutput,
    TeamRoleInput,
    TeamRoleOutput,
)
from tasks.models import TaskType

DATA_TYPES = [name for name, _ in METADATA_DESCRIPTOR_TYPES]
WRONG_ENTITY_TYPE = "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, Project, or Task."
WRONG_SHARED_ENTITY_TYPE = (
    "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, or Project."
)
NAME_PARAMETER = OpenApiParameter("name", str, description="Only the project of this name")
TAGS = ["data/projects"]


def project_payload(project):
    """A project as the settings routes answer it: its columns, no relations."""
    return render(project, relations=False)


# --- project lists ---------------------------------------------------------------------------------


class OpenProjectsView(KitsuView):
    """`GET /data/projects/open`: the open projects the person reaches, with their settings."""

    @extend_schema(tags=TAGS, parameters=[NAME_PARAMETER], responses=OpenProjectOutput(many=True))
    def get(self, request):
        name = request.query_params.get("name")
        return Response(queries.open_project_rows(access_for(request), name))


class AllProjectsView(KitsuView):
    """`GET /data/projects/all`: every project (admins), else those of the person's team."""

    @extend_schema(tags=TAGS, parameters=[NAME_PARAMETER], responses=ListedProjectOutput(many=True))
    def get(self, request):
        name = request.query_params.get("name")
        return Response(queries.all_project_rows(access_for(request), name))


# --- the team ------------------------------------------------------------------------------------


class ProjectTeamViewSet(ViewSetMixin, ProjectScopedView):
    """A production's team: `/data/projects/{project_id}/team` (list, add) and
    `/data/projects/{project_id}/team/{person_id}` (change the role, remove)."""

    rules = {"list": MEMBER, "create": MANAGER, "update": MANAGER, "destroy": MANAGER}

    @extend_schema(tags=TAGS, responses=TeamMemberOutput(many=True))
    def list(self, request, project_id):
        return Response(queries.team_rows(self.project, self.role))

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


class SettingLinksViewSet(ViewSetMixin, ProjectScopedView):
    """The rows of one kind linked to a production: `/data/projects/{project_id}/settings/<kind>`
    (list: the team; link one: managers, 201 and the project) and `.../settings/<kind>/{id}`
    (unlink: managers, 204). The urls module maps on each path the verbs the kind has."""

    kind = None
    input_serializer = None
    id_field = None
    rules = {"list": MEMBER, "create": MANAGER, "update": MANAGER, "destroy": MANAGER}

    def list(self, request, project_id):
        return Response(queries.linked_rows(self.project, self.kind))

    def create(self, request, project_id):
        body = validated(self.input_serializer, request.data)
        services.add_setting(self.project, self.kind, body[self.id_field], user=request.user)
        return Response(project_payload(self.project), status=201)

    def destroy(self, request, project_id, **linked):
        (linked_id,) = linked.values()
        linked_id = parse_uuid(linked_id, f"Malformed ID: {linked_id}.")
        services.remove_setting(self.project, self.kind, linked_id, user=request.user)
        return Response(status=204)


def _list_schema(kind_path):
    return extend_schema(tags=TAGS, responses=output_serializer(REGISTRY[kind_path])(many=True))


def _link_schema(input_serializer):
    return extend_schema(tags=TAGS, request=input_serializer, responses={201: ProjectOutput})


UNLINK_SCHEMA = extend_schema(tags=TAGS, responses={204: None})


@extend_schema_view(create=_link_schema(AssetTypeSettingInput), destroy=UNLINK_SCHEMA)
class ProjectAssetTypeSettingsViewSet(SettingLinksViewSet):
    kind, input_serializer, id_field = "asset_types", AssetTypeSettingInput, "asset_type_id"


@extend_schema_view(destroy=UNLINK_SCHEMA)
class ProjectTaskTypeSettingsViewSet(SettingLinksViewSet):
    """Linking a task type (managers): a linked one takes the bitrates and the client visibility
    given."""

    kind = "task_types"

    @_link_schema(TaskTypeSettingInput)
    def create(self, request, project_id):
        body = validated(TaskTypeSettingInput, request.data)
        keys = ("hd_bitrate_compression", "ld_bitrate_compression")
        bitrates = {key: body.get(key) for key in keys} if any(key in request.data for key in keys) else None
        services.add_task_type_setting(
            self.project,
            body["task_type_id"],
            body.get("priority"),
            bitrates=bitrates,
            is_client_visible=body.get("is_client_visible"),
            user=request.user,
        )
        return Response(project_payload(self.project), status=201)


@extend_schema_view(
    list=_list_schema("task-status"), create=_link_schema(TaskStatusSettingInput), destroy=UNLINK_SCHEMA
)
class ProjectTaskStatusSettingsViewSet(SettingLinksViewSet):
    kind, input_serializer, id_field = "task_statuses", TaskStatusSettingInput, "task_status_id"

    @extend_schema(
        tags=TAGS,
        request=TaskStatusClientAllowedInput,
        responses=output_serializer(REGISTRY["task-status-links"]),
    )
    def update(self, request, project_id, task_status_id):
        """Whether the project's clients may set this status (null: the studio's value)."""
        task_status_id = parse_uuid(task_status_id, f"Malformed ID: {task_status_id}.")
        body = validated(TaskStatusClientAllowedInput, request.data)
        link = services.set_task_status_client_allowed(
            self.project, task_status_id, body["is_client_allowed"], user=request.user
        )
        return Response(render(link, relations=False))


@extend_schema_view(
    list=_list_schema("status-automations"),
    create=_link_schema(StatusAutomationSettingInput),
    destroy=UNLINK_SCHEMA,
)
class ProjectStatusAutomationSettingsViewSet(SettingLinksViewSet):
    kind, input_serializer, id_field = (
        "status_automations",
        StatusAutomationSettingInput,
        "status_automation_id",
    )
    rules = {**SettingLinksViewSet.rules, "list": MANAGER}


@extend_schema_view(
    list=_list_schema("preview-background-files"),
    create=_link_schema(PreviewBackgroundSettingInput),
    destroy=UNLINK_SCHEMA,
)
class ProjectPreviewBackgroundSettingsViewSet(SettingLinksViewSet):
    kind, input_serializer, id_field = (
        "preview_background_files",
        PreviewBackgroundSettingInput,
        "preview_background_file_id",
    )


class ProjectSettingsBatchView(ProjectScopedView):
    """`POST /data/projects/{project_id}/settings/batch`: task types, statuses and asset types in
    one call (managers); answers 200 and the project."""

    rules = {"POST": MANAGER}

    @extend_schema(tags=TAGS, request=SettingsBatchInput, responses=ProjectOutput)
    def post(self, request, project_id):
        body = validated(SettingsBatchInput, request.data)
        services.update_project_settings(
            self.project,
            task_types=body.get("task_types", []),
            task_status_ids=body.get("task_status_ids", []),
            asset_type_ids=body.get("asset_type_ids", []),
            replace_task_types=body.get("replace_task_types", False),
            user=request.user,
        )
        return Response(project_payload(self.project))


class ProjectTaskTypesView(ProjectScopedView):
    """The task types of the production's settings (its team)."""

    rules = {"GET": MEMBER}

    @_list_schema("task-types")
    def get(self, request, project_id):
        return Response(queries.linked_rows(self.project, "task_types"))


# --- softwares of the project's task types --------------------------------------------------------


class ProjectTaskTypeSoftwaresView(ProjectScopedView):
    """The softwares of the production's task types (its team)."""

    rules = {"GET": MEMBER}

    @extend_schema(tags=TAGS, responses=SoftwareLinkOutput(many=True))
    def get(self, request, project_id):
        return Response(queries.task_type_software_rows(self.project))


class TaskTypeSoftwareView(ProjectScopedView):
    """A software of a task type of the production: its managers, or its supervisors of the task
    type's department, give one or take it away."""

    # The rule needs the task type of the URL, read (400 when malformed) before it is checked:
    # the handler checks it.

    rules = {"POST": ANYONE, "DELETE": ANYONE}

    def supervised_task_type(self, task_type_id):
        task_type_id = parse_uuid(task_type_id, "task_type_id and software_id must be valid UUIDs.")
        self.access.check_supervisor_project_task_type_access(self.project.pk, task_type_id)
        return task_type_id


class ProjectTaskTypeSoftwareLinksView(TaskTypeSoftwareView):
    @extend_schema(tags=TAGS, request=SoftwareInput, responses={201: SoftwareLinkOutput})
    def post(self, request, project_id, task_type_id):
        task_type_id = self.supervised_task_type(task_type_id)
        body = validated(SoftwareInput, request.data)
        link = services.add_task_type_software(
            self.project, task_type_id, body["software_id"], user=request.user
        )
        return Response(link, status=201)


class ProjectTaskTypeSoftwareView(TaskTypeSoftwareView):
    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, project_id, task_type_id, software_id):
        task_type_id = self.supervised_task_type(task_type_id)
        software_id = parse_uuid(software_id, "task_type_id and software_id must be valid UUIDs.")
        services.remove_task_type_software(self.project, task_type_id, software_id, user=request.user)
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


class ProjectMetadataDescriptorViewSet(ViewSetMixin, ProjectScopedView):
    """A production's metadata descriptors: `/data/projects/{project_id}/metadata-descriptors`
    (list, add) and `.../metadata-descriptors/{metadata_descriptor_id}` (read, change, remove).
    A change or a removal is checked on the descriptor's departments: its rule runs in the
    handler, once the descriptor is found (404 before 403)."""

    rules = {"list": MEMBER, "create": SUPERVISOR, "retrieve": MEMBER, "update": ANYONE, "destroy": ANYONE}

    @extend_schema(tags=TAGS, responses=DescriptorOutput(many=True))
    def list(self, request, project_id):
        """The project's descriptors its members read: clients those published to clients,
        vendors those of their departments or of none."""
        visible = queries.project_descriptors_read_by(self.project, self.access, self.role)
        return Response(render_rows(visible, relations=True))

    @extend_schema(tags=TAGS, request=MetadataDescriptorInput, responses={201: DescriptorOutput})
    def create(self, request, project_id):
        # Only managers and supervisors write descriptors (the rule): the others are refused
        # before the body; a supervisor, on the departments the body names.
        body = validated(MetadataDescriptorInput, request.data)
        self.access.check_all_departments_access(self.project.pk, body["departments"])
        entity_type, task_type_id = body["entity_type"], body.get("task_type_id")
        if entity_type not in descriptors.DESCRIPTOR_ENTITY_TYPES:
            raise WrongParameter(WRONG_ENTITY_TYPE)
        if entity_type == "Task":
            if task_type_id is None:
                raise WrongParameter("Task metadata descriptors require a task_type_id.")
            if not TaskType.objects.filter(pk=task_type_id).exists():
                raise WrongParameter("Task type not found.")
        elif task_type_id is not None:
            raise WrongParameter("task_type_id only applies to Task metadata descriptors.")
        check_data_type(body["data_type"])
        descriptor = descriptors.add_metadata_descriptor(
            self.project.pk,
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

    @extend_schema(tags=TAGS, responses=DescriptorOutput)
    def retrieve(self, request, project_id, metadata_descriptor_id):
        descriptor = project_descriptor(self.project, metadata_descriptor_id)
        visible = queries.project_descriptors_read_by(self.project, self.access, self.role)
        if not visible.filter(pk=descriptor.pk).exists():
            raise PermissionDenied
        return Response(render(descriptor))

    @extend_schema(tags=TAGS, request=MetadataDescriptorUpdateInput, responses=DescriptorOutput)
    def update(self, request, project_id, metadata_descriptor_id):
        """Every field is set (absent ones take their defaults, as on the reference); a new name
        moves the values stored under the old field name."""
        descriptor = project_descriptor(self.project, metadata_descriptor_id)
        self.access.check_project_access(self.project.pk)
        body = validated(MetadataDescriptorUpdateInput, request.data)
        self.access.check_all_departments_access(
            self.project.pk, descriptor_department_ids(descriptor) + body["departments"]
        )
        if body.get("name") is not None and len(body["name"]) == 0:
            raise WrongParameter("Name cannot be empty.")
        check_data_type(body["data_type"])
        descriptor = descriptors.update_metadata_descriptor(descriptor, dict(body), user=request.user)
        return Response(render(descriptor))

    @extend_schema(tags=TAGS, responses={204: None})
    def destroy(self, request, project_id, metadata_descriptor_id):
        """The descriptor and the values stored for it in the project's rows."""
        descriptor = project_descriptor(self.project, metadata_descriptor_id)
        self.access.check_all_departments_access(self.project.pk, descriptor_department_ids(descriptor))
        descriptors.remove_metadata_descriptor(descriptor, user=request.user)
        return Response(status=204)


class ProjectMetadataDescriptorsReorderView(ProjectScopedView):
    rules = {"POST": MANAGER}

    @extend_schema(tags=TAGS, request=DescriptorOrderInput, responses=DescriptorOutput(many=True))
    def post(self, request, project_id):
        """Positions in the given order, the others after them by name (managers)."""
        body = validated(DescriptorOrderInput, request.data)
        if body["entity_type"] not in descriptors.DESCRIPTOR_ENTITY_TYPES:
            raise WrongParameter(WRONG_ENTITY_TYPE)
        ordered = descriptors.reorder_metadata_descriptors(
            self.project.pk, body["entity_type"], body["descriptor_ids"]
        )
        return Response(render_rows(ordered, relations=True))


# --- metadata descriptors of every project a manager runs ---------------------------------------
# Studio-wide routes: the global role decides (admins and managers: access.check_manager()).


def check_shared_entity_type(entity_type):
    if entity_type not in descriptors.ALL_PROJECTS_ENTITY_TYPES:
        raise WrongParameter(WRONG_SHARED_ENTITY_TYPE)


class AllProjectsMetadataDescriptorsView(KitsuView):
    @extend_schema(
        tags=TAGS, request=AllProjectsDescriptorInput, responses={201: DescriptorOutput(many=True)}
    )
    def post(self, request):
        """The descriptor in each open project the person manages that has no such field."""
        access = access_for(request)
        access.check_manager()
        body = validated(AllProjectsDescriptorInput, request.data)
        check_shared_entity_type(body["entity_type"])
        check_data_type(body["data_type"])
        created = descriptors.add_metadata_descriptor_to_projects(
            queries.managed_open_project_ids(access),
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
        access.check_manager()
        body = validated(AllProjectsDescriptorUpdateInput, request.data)
        check_shared_entity_type(body["entity_type"])
        check_data_type(body["data_type"])
        changes = {key: body[key] for key in ("for_client", "data_type", "choices", "departments")}
        if body.get("name"):
            changes["name"] = body["name"]
        updated = descriptors.update_metadata_descriptor_on_projects(
            queries.managed_open_project_ids(access),
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
        access.check_manager()
        entity_type = request.query_params.get("entity_type")
        check_shared_entity_type(entity_type)
        removed = descriptors.remove_metadata_descriptor_from_projects(
            queries.managed_open_project_ids(access), entity_type, field_name, user=request.user
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
        access.check_manager()
        body = validated(AllProjectsDescriptorOrderInput, request.data)
        check_shared_entity_type(body["entity_type"])
        return Response(
            descriptors.reorder_metadata_descriptors_on_projects(
                queries.managed_open_project_ids(access), body["entity_type"], body["field_order"]
            )
        )


# --- the preview account ------------------------------------------------------------------------


PREVIEW_ACCOUNT_OR_NULL = or_null(PreviewAccountOutput)


class ProjectPreviewAccountView(ProjectScopedView):
    """The project's preview account: a client login the managers hand out, usable while its
    access window is open."""

    rules = {"GET": MANAGER, "POST": MANAGER, "PUT": MANAGER, "DELETE": MANAGER}

    @extend_schema(tags=TAGS, responses={200: PREVIEW_ACCOUNT_OR_NULL})
    def get(self, request, project_id):
        person = queries.preview_account(self.project)
        return Response(None if person is None else queries.preview_account_dict(person))

    @extend_schema(tags=TAGS, request=None, responses={201: PreviewAccountCreatedOutput})
    def post(self, request, project_id):
        """Create the account, or give it a new password; the clear password is in the answer."""
        person, password = services.create_or_reset_preview_account(self.project, user=request.user)
        return Response({**queries.preview_account_dict(person), "password": password}, status=201)

    @extend_schema(tags=TAGS, request=PreviewAccountOpenInput, responses=PreviewAccountOutput)
    def put(self, request, project_id):
        """Open the access window for an hour (extending an open one), or close it."""
        body = validated(PreviewAccountOpenInput, request.data)
        person = services.set_preview_account_open(self.project, body["is_open"])
        return Response(queries.preview_account_dict(person))

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, project_id):
        services.delete_preview_account(self.project, user=request.user)
        return Response(status=204)
