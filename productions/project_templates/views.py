"""Project template routes: the links of a template (task types, task statuses, asset types, status
automations, preview backgrounds), its default background and descriptor snapshot, the reorder
actions, a template made from a project and a template applied to a project.

Who may call them, as on the reference: managers and admins (by global role) read a template's
links; only admins write. Checks come first, then the body, then the rows it names (a 400 naming
the id), then the template (404 "Project template not found"). A body that fails validation is the
reference's 400 with `data.errors`, the fields refused (the shared error handler writes it).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets.models import EntityType
from files.models import PreviewBackgroundFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY, CrudPolicy
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import project_or_404
from kitsu_server.core.rendering import render
from people.models import ROLE_TYPES
from productions.models import (
    ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
    StatusAutomation,
)
from productions.project_templates import queries, services
from tasks.models import TaskStatus, TaskType

DATA_TAG = "data/project-templates"
ACTIONS_TAG = "actions/project-templates"


class TemplateLinkShape(CrudPolicy):
    """The JSON shape of a template link row (no /data route of its own: never registered)."""


class TemplateTaskTypeLinkShape(TemplateLinkShape):
    model = ProjectTemplateTaskTypeLink


class TemplateTaskStatusLinkShape(TemplateLinkShape):
    model = ProjectTemplateTaskStatusLink


TASK_TYPE_LINK = TemplateTaskTypeLinkShape()
TASK_STATUS_LINK = TemplateTaskStatusLinkShape()


# --- request bodies ------------------------------------------------------------------------------


class AddTaskTypeBody(serializers.Serializer):
    task_type_id = serializers.CharField()
    priority = serializers.IntegerField(required=False, allow_null=True)
    hd_bitrate_compression = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    ld_bitrate_compression = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    is_client_visible = serializers.BooleanField(required=False, allow_null=True)


class AddTaskStatusBody(serializers.Serializer):
    task_status_id = serializers.CharField()
    priority = serializers.IntegerField(required=False, allow_null=True)
    roles_for_board = serializers.ListField(
        child=serializers.ChoiceField(choices=[name for name, _ in ROLE_TYPES]), required=False
    )
    is_client_allowed = serializers.BooleanField(required=False, allow_null=True)


class AddAssetTypeBody(serializers.Serializer):
    asset_type_id = serializers.CharField()


class AddStatusAutomationBody(serializers.Serializer):
    status_automation_id = serializers.CharField()


class AddPreviewBackgroundBody(serializers.Serializer):
    preview_background_file_id = serializers.CharField()


class DefaultPreviewBackgroundBody(serializers.Serializer):
    default_preview_background_file_id = serializers.CharField(
        required=False, allow_null=True, allow_blank=True
    )


class MetadataDescriptorsBody(serializers.Serializer):
    """The descriptors snapshot (a bare JSON list of descriptors is accepted too)."""

    metadata_descriptors = serializers.ListField(
        child=serializers.JSONField(), required=False, allow_null=True
    )


class ReorderTaskTypesBody(serializers.Serializer):
    task_type_ids = serializers.ListField(child=serializers.CharField())


class ReorderTaskStatusesBody(serializers.Serializer):
    task_status_ids = serializers.ListField(child=serializers.CharField())


class TemplateFromProjectBody(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True)


# --- responses -----------------------------------------------------------------------------------


class TemplateTaskTypeRow(output_serializer(REGISTRY["task-types"])):
    """A task type of a template: `priority` is the link's, plus the link's bitrates and visibility."""

    hd_bitrate_compression = serializers.IntegerField(read_only=True, allow_null=True)
    ld_bitrate_compression = serializers.IntegerField(read_only=True, allow_null=True)
    is_client_visible = serializers.BooleanField(read_only=True, allow_null=True)


class TemplateTaskStatusRow(output_serializer(REGISTRY["task-status"])):
    """A task status of a template: `priority` is the link's, plus its board roles and client flag."""

    roles_for_board = serializers.ListField(child=serializers.CharField(), read_only=True)
    link_is_client_allowed = serializers.BooleanField(read_only=True, allow_null=True)


class TemplateAssetType(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class TemplatePreviewBackground(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    is_default = serializers.BooleanField(read_only=True)


TaskTypeLinkOut = output_serializer(TASK_TYPE_LINK)
TaskStatusLinkOut = output_serializer(TASK_STATUS_LINK)
TemplateOut = output_serializer(REGISTRY["project-templates"])
ProjectOut = output_serializer(REGISTRY["projects"])
StatusAutomationOut = output_serializer(REGISTRY["status-automations"])


# --- shared steps --------------------------------------------------------------------------------


class TemplateRouteView(KitsuView):
    """The reference's answers for a missing template and for a refused body."""

    def handle_exception(self, exc):
        if isinstance(exc, queries.TemplateNotFound):
            exc = NotFound("Project template not found")
        return super().handle_exception(exc)

    def check_reader(self, request):
        access_for(request).check_manager()  # the global role: no project here

    def check_writer(self, request):
        access_for(request).check_admin()


def malformed_id(value):
    return parse_uuid(value, f"Malformed ID: {value}.")


class TemplateLinksView(TemplateRouteView):
    """`GET` a template's links of one kind (managers and admins), `POST` one more (admins): the
    row the body names (`key`, a 400 naming it as `label` when unknown) is linked by `link`."""

    listing = None  # services function: the template's rows of this kind
    body = None  # the POST body's serializer
    model = None  # the model of the rows linked
    key = None
    label = None

    def get(self, request, project_template_id):
        self.check_reader(request)
        template = queries.get_template(project_template_id)
        return Response(type(self).listing(template))

    def post(self, request, project_template_id):
        self.check_writer(request)
        body = validated(self.body, request.data)
        row = queries.linked_row(self.model, body[self.key], self.key, self.label)
        template = queries.get_template(project_template_id)
        return Response(self.link(template, row, body, request.user), status=201)

    def link(self, template, row, body, user):
        """The JSON answer of linking `row` to `template`."""
        raise NotImplementedError


class TemplateUnlinkView(TemplateRouteView):
    """`DELETE` one link of a template (admins): `unlink(template, row id, user=)`; with
    `by_template_id`, it takes the template's id (no 404 for a missing template)."""

    unlink = None
    by_template_id = False

    def delete(self, request, project_template_id, **row_ids):
        self.check_writer(request)
        if self.by_template_id:
            template = queries.parse_template_id(project_template_id)
        else:
            template = queries.get_template(project_template_id)
        (row_id,) = row_ids.values()
        type(self).unlink(template, malformed_id(row_id), user=request.user)
        return Response(status=204)


def unlink_schema(operation_id, description):
    return extend_schema_view(
        delete=extend_schema(
            tags=[DATA_TAG], responses={204: None}, operation_id=operation_id, description=description
        )
    )


# --- task types ----------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[DATA_TAG],
        responses=TemplateTaskTypeRow(many=True),
        operation_id="project_template_task_types",
        description="The template's task types by priority then name, each with its link's priority (as\n"
        "`priority`), bitrates and client visibility.",
    ),
    post=extend_schema(
        tags=[DATA_TAG],
        request=AddTaskTypeBody,
        responses={201: TaskTypeLinkOut},
        operation_id="project_template_add_task_type",
        description="Link a task type to the template, or update its link: priority and client visibility "
        "when\ngiven, both bitrates when either is sent (the other one is reset).",
    ),
)
class TemplateTaskTypesView(TemplateLinksView):
    listing = staticmethod(queries.template_task_types)
    body, model, key, label = AddTaskTypeBody, TaskType, "task_type_id", "Task type"

    def link(self, template, task_type, body, user):
        bitrate_keys = ("hd_bitrate_compression", "ld_bitrate_compression")
        bitrates = {key: body.get(key) for key in bitrate_keys} if set(bitrate_keys) & set(body) else None
        link = services.add_task_type(
            template,
            task_type,
            priority=body.get("priority"),
            bitrates=bitrates,
            is_client_visible=body.get("is_client_visible"),
            user=user,
        )
        return TASK_TYPE_LINK.render(link, relations=False)


@unlink_schema(
    "project_template_remove_task_type",
    "Unlink a task type from the template (204 even when it was not linked).",
)
class TemplateTaskTypeView(TemplateUnlinkView):
    unlink = staticmethod(services.remove_task_type)
    by_template_id = True


class TemplateTaskTypesReorderView(TemplateRouteView):
    @extend_schema(
        tags=[ACTIONS_TAG],
        request=ReorderTaskTypesBody,
        responses=TaskTypeLinkOut(many=True),
        operation_id="project_template_reorder_task_types",
    )
    def post(self, request, project_template_id):
        """Priorities 1, 2, 3... of the template's task types in the given order (unlinked ones are
        linked); answers the links."""
        self.check_writer(request)
        body = validated(ReorderTaskTypesBody, request.data)
        task_types = queries.linked_rows(TaskType, body["task_type_ids"], "task_type_id", "Task type")
        template = queries.get_template(project_template_id)
        links = services.reorder_task_types(template, task_types, user=request.user)
        return Response([TASK_TYPE_LINK.render(link, relations=False) for link in links])


# --- task statuses -------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[DATA_TAG],
        responses=TemplateTaskStatusRow(many=True),
        operation_id="project_template_task_statuses",
        description="The template's task statuses by priority then name, each with its link's priority (as\n"
        "`priority`), board roles and client flag (`link_is_client_allowed`).",
    ),
    post=extend_schema(
        tags=[DATA_TAG],
        request=AddTaskStatusBody,
        responses={201: TaskStatusLinkOut},
        operation_id="project_template_add_task_status",
        description="Link a task status to the template, or update the fields sent on its link (an empty "
        "role\nlist changes nothing; `is_client_allowed: null` resets the flag to the status's own).",
    ),
)
class TemplateTaskStatusesView(TemplateLinksView):
    listing = staticmethod(queries.template_task_statuses)
    body, model, key, label = AddTaskStatusBody, TaskStatus, "task_status_id", "Task status"

    def link(self, template, task_status, body, user):
        link = services.add_task_status(
            template,
            task_status,
            priority=body.get("priority"),
            roles_for_board=body.get("roles_for_board") or None,
            is_client_allowed=body["is_client_allowed"] if "is_client_allowed" in body else services.UNSET,
            user=user,
        )
        return TASK_STATUS_LINK.render(link, relations=False)


@unlink_schema(
    "project_template_remove_task_status",
    "Unlink a task status from the template (204 even when it was not linked).",
)
class TemplateTaskStatusView(TemplateUnlinkView):
    unlink = staticmethod(services.remove_task_status)
    by_template_id = True


class TemplateTaskStatusesReorderView(TemplateRouteView):
    @extend_schema(
        tags=[ACTIONS_TAG],
        request=ReorderTaskStatusesBody,
        responses=TaskStatusLinkOut(many=True),
        operation_id="project_template_reorder_task_statuses",
    )
    def post(self, request, project_template_id):
        """Priorities 1, 2, 3... of the template's task statuses in the given order (board roles kept);
        answers the links."""
        self.check_writer(request)
        body = validated(ReorderTaskStatusesBody, request.data)
        task_statuses = queries.linked_rows(
            TaskStatus, body["task_status_ids"], "task_status_id", "Task status"
        )
        template = queries.get_template(project_template_id)
        links = services.reorder_task_statuses(template, task_statuses, user=request.user)
        return Response([TASK_STATUS_LINK.render(link, relations=False) for link in links])


# --- asset types ---------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[DATA_TAG],
        responses=TemplateAssetType(many=True),
        operation_id="project_template_asset_types",
        description="The template's asset types, `{id, name}`.",
    ),
    post=extend_schema(
        tags=[DATA_TAG],
        request=AddAssetTypeBody,
        responses={201: TemplateAssetType},
        operation_id="project_template_add_asset_type",
        description="Link an asset type to the template (no change when it is linked already).",
    ),
)
class TemplateAssetTypesView(TemplateLinksView):
    listing = staticmethod(queries.template_asset_types)
    body, model, key, label = AddAssetTypeBody, EntityType, "asset_type_id", "Asset type"

    def link(self, template, asset_type, body, user):
        return services.add_asset_type(template, asset_type, user=user)


@unlink_schema("project_template_remove_asset_type", "Unlink an asset type from the template.")
class TemplateAssetTypeView(TemplateUnlinkView):
    unlink = staticmethod(services.remove_asset_type)


# --- status automations --------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[DATA_TAG],
        responses=StatusAutomationOut(many=True),
        operation_id="project_template_status_automations",
        description="The template's status automations, as /data/status-automations writes them.",
    ),
    post=extend_schema(
        tags=[DATA_TAG],
        request=AddStatusAutomationBody,
        responses={201: StatusAutomationOut},
        operation_id="project_template_add_status_automation",
        description="Link a status automation to the template (no change when it is linked already).",
    ),
)
class TemplateStatusAutomationsView(TemplateLinksView):
    listing = staticmethod(queries.template_status_automations)
    body, model = AddStatusAutomationBody, StatusAutomation
    key, label = "status_automation_id", "Status automation"

    def link(self, template, automation, body, user):
        return render(services.add_status_automation(template, automation, user=user), relations=False)


@unlink_schema("project_template_remove_status_automation", "Unlink a status automation from the template.")
class TemplateStatusAutomationView(TemplateUnlinkView):
    unlink = staticmethod(services.remove_status_automation)


# --- preview backgrounds -------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[DATA_TAG],
        responses=TemplatePreviewBackground(many=True),
        operation_id="project_template_preview_background_files",
        description="The template's preview backgrounds, `{id, name, is_default}`.",
    ),
    post=extend_schema(
        tags=[DATA_TAG],
        request=AddPreviewBackgroundBody,
        responses={201: TemplatePreviewBackground},
        operation_id="project_template_add_preview_background_file",
        description="Link a preview background to the template (no change when it is linked already).",
    ),
)
class TemplatePreviewBackgroundsView(TemplateLinksView):
    listing = staticmethod(queries.template_preview_background_files)
    body, model = AddPreviewBackgroundBody, PreviewBackgroundFile
    key, label = "preview_background_file_id", "Preview background file"

    def link(self, template, background, body, user):
        return services.add_preview_background_file(template, background, user=user)


@unlink_schema(
    "project_template_remove_preview_background_file",
    "Unlink a preview background from the template, clearing the default when it was that one.",
)
class TemplatePreviewBackgroundView(TemplateUnlinkView):
    unlink = staticmethod(services.remove_preview_background_file)


class TemplateDefaultPreviewBackgroundView(TemplateRouteView):
    @extend_schema(
        tags=[DATA_TAG],
        request=DefaultPreviewBackgroundBody,
        responses=TemplateOut,
        operation_id="project_template_set_default_preview_background_file",
    )
    def put(self, request, project_template_id):
        """Make one of the template's preview backgrounds its default (null or absent: none)."""
        self.check_writer(request)
        body = validated(DefaultPreviewBackgroundBody, request.data)
        template = queries.get_template(project_template_id)
        template = services.set_default_preview_background_file(
            template, body.get("default_preview_background_file_id"), user=request.user
        )
        return Response(render(template, relations=False))


# --- metadata descriptors ------------------------------------------------------------------------


class TemplateMetadataDescriptorsView(TemplateRouteView):
    @extend_schema(
        tags=[DATA_TAG],
        request=MetadataDescriptorsBody,
        responses=TemplateOut,
        operation_id="project_template_set_metadata_descriptors",
    )
    def put(self, request, project_template_id):
        """Replace the template's descriptor snapshot; each entry is kept in a stable shape (name,
        field_name, entity_type, task_type_id, data_type, choices, for_client, departments, position)."""
        self.check_writer(request)
        if isinstance(request.data, list):  # the legacy shape: the descriptors as a bare list
            descriptors = request.data
        else:
            descriptors = validated(MetadataDescriptorsBody, request.data).get("metadata_descriptors")
        template = queries.get_template(project_template_id)
        template = services.set_metadata_descriptors(template, descriptors, user=request.user)
        return Response(render(template, relations=False))


# --- snapshot and apply --------------------------------------------------------------------------


class TemplateFromProjectView(TemplateRouteView):
    @extend_schema(
        tags=[DATA_TAG],
        request=TemplateFromProjectBody,
        responses={201: TemplateOut},
        operation_id="project_template_from_project",
    )
    def post(self, request, project_id):
        """A new template holding the project's configuration (settings, links with their priorities,
        descriptors); no team, dates or production data."""
        self.check_writer(request)
        body = validated(TemplateFromProjectBody, request.data)
        project = project_or_404(project_id, "Project not found")
        template = services.create_template_from_project(
            project, body["name"], description=body.get("description"), user=request.user
        )
        return Response(render(template, relations=False), status=201)


class ApplyTemplateView(TemplateRouteView):
    @extend_schema(
        tags=["data/projects"], request=None, responses=ProjectOut, operation_id="project_apply_template"
    )
    def post(self, request, project_id, project_template_id):
        """Apply a template to a project, additively: its settings, the links the project lacks, its
        default background when the project has none, the descriptors it lacks. Answers the project."""
        self.check_writer(request)
        project = project_or_404(project_id, "Project not found")
        template = queries.get_template(project_template_id)
        project = services.apply_template_to_project(project, template, user=request.user)
        return Response(render(project, relations=False))


__all__ = [
    "ApplyTemplateView",
    "TemplateAssetTypeView",
    "TemplateAssetTypesView",
    "TemplateDefaultPreviewBackgroundView",
    "TemplateFromProjectView",
    "TemplateMetadataDescriptorsView",
    "TemplatePreviewBackgroundView",
    "TemplatePreviewBackgroundsView",
    "TemplateStatusAutomationView",
    "TemplateStatusAutomationsView",
    "TemplateTaskStatusView",
    "TemplateTaskStatusesReorderView",
    "TemplateTaskStatusesView",
    "TemplateTaskTypeView",
    "TemplateTaskTypesReorderView",
    "TemplateTaskTypesView",
]
