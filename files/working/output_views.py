"""Routes of output files, of an entity or of an asset instance in a shot or scene: their paths
from the production's file tree, new revisions, the next revision number, the last revision of
each, the output types in use, and the lists by entity, instance, output type and production."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets.models import AssetInstance
from files.models import FileStatus, OutputType, WorkingFile
from files.working import file_tree, queries, services
from files.working.inputs import (
    NewOutputFileBody,
    NextRevisionAnswer,
    NextRevisionBody,
    OutputFilePathBody,
    OutputPathAnswer,
)
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import uuid_or_none
from kitsu_server.api.requests import query_id, query_text, validated
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import entity_or_404, found_or_404
from kitsu_server.core.rendering import render, render_rows
from kitsu_server.core.scoped import MANAGER, MEMBER, READER, EntityScopedView, ProjectScopedView, ScopedView
from people.models import Person
from tasks.models import TaskType

OUTPUT_FILE = output_serializer(REGISTRY["output-files"])
OUTPUT_TYPE = output_serializer(REGISTRY["output-types"])
TAGS = ["data/output-files"]
FILTER_PARAMETERS = [
    OpenApiParameter("output_type_id", OpenApiTypes.UUID),
    OpenApiParameter("task_type_id", OpenApiTypes.UUID),
    OpenApiParameter("file_status_id", OpenApiTypes.UUID),
    OpenApiParameter("name", str),
    OpenApiParameter("representation", str),
]


def output_type_or_404(output_type_id):
    return found_or_404(OutputType, output_type_id, "Output type not found.")


def task_type_or_404(task_type_id):
    return found_or_404(TaskType, task_type_id, "Task type not found.")


def list_filters(request):
    """The optional filters of an output file list, from the query string."""
    filters = {name: query_id(request, name) for name in ("task_type_id", "output_type_id", "file_status_id")}
    filters.update(name=query_text(request, "name"), representation=query_text(request, "representation"))
    return filters


def new_output_values(request):
    """The body of a new output file with its ids checked: (values, output type, task type,
    person)."""
    body = validated(NewOutputFileBody, request.data)
    output_type = OutputType.objects.filter(pk=uuid_or_none(body["output_type_id"])).first()
    if output_type is None:
        raise WrongParameter("Cannot find given output type.")
    task_type = task_type_or_404(body["task_type_id"])
    person = request.user
    if body.get("person_id"):
        person = Person.objects.filter(pk=uuid_or_none(body["person_id"])).first()
        if person is None:
            raise WrongParameter("Cannot find given person.")
    if body.get("file_status_id"):
        file_status = FileStatus.objects.filter(pk=uuid_or_none(body["file_status_id"])).first()
        if file_status is None:
            raise WrongParameter("Cannot find given file status.")
        body["file_status_id"] = file_status.pk
    # An unknown source file is no source file, as the reference reads it.
    source_id = uuid_or_none(body.get("working_file_id"))
    body["working_file_id"] = WorkingFile.objects.filter(pk=source_id).values_list("pk", flat=True).first()
    return body, output_type, task_type, person


def output_file_answer(output_file, folder, name):
    return {**render(output_file, relations=False), "folder_path": folder, "file_name": name}


class AssetInstanceScopedView(ScopedView):
    """The asset instance of `<asset_instance_id>`: `self.asset_instance`, checked on the
    production of its asset (READER: the vendors who work on the asset)."""

    url_kwarg = "asset_instance_id"
    scope_name = "asset_instance"
    rule_table = {
        MEMBER: lambda access, instance: access.check_project_access(instance.asset.project_id),
        READER: lambda access, instance: access.check_project_and_entity_access(
            instance.asset.project_id, instance.asset_id
        ),
    }

    def lookup(self, object_id):
        instances = AssetInstance.objects.select_related("asset__project")
        return found_or_404(instances, object_id, "Asset instance not found.")

    def project_id_of(self, obj):
        return obj.asset.project_id

    def temporal_entity_id(self, value):
        """The shot or scene id of the URL, as a UUID (a malformed one names nothing: 404)."""
        pk = uuid_or_none(value)
        if pk is None:
            raise NotFound("Entity not found.")
        return pk


# --- paths ---------------------------------------------------------------------------------------


class EntityOutputFilePathView(EntityScopedView):
    """`POST /data/entities/{entity_id}/output-file-path`: the folder and file name the file tree
    gives an output of the entity (nothing is written)."""

    rules = {"POST": READER}

    @extend_schema(request=OutputFilePathBody, responses={200: OutputPathAnswer}, tags=TAGS)
    def post(self, request, entity_id):
        body = validated(OutputFilePathBody, request.data)
        output_type = output_type_or_404(body["output_type_id"])
        task_type = task_type_or_404(body["task_type_id"])
        name, representation, revision = body["name"], body["representation"], body["revision"]
        if revision == 0:
            revision = 1 + queries.last_output_revision(self.entity.pk, output_type.pk, task_type.pk, name)
        folder = file_tree.output_rendering(
            self.entity, output_type, task_type, name, representation, body["revision"]
        )
        file = file_tree.output_rendering(self.entity, output_type, task_type, name, representation, revision)
        return Response(services.output_file_path(folder, body["mode"], body["separator"], file))


class InstanceOutputFilePathView(AssetInstanceScopedView):
    """`POST /data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-file-path`:
    the same for an asset instance in a shot or scene."""

    rules = {"POST": READER}

    @extend_schema(request=OutputFilePathBody, responses={200: OutputPathAnswer}, tags=TAGS)
    def post(self, request, asset_instance_id, temporal_entity_id):
        body = validated(OutputFilePathBody, request.data)
        temporal_entity = entity_or_404(temporal_entity_id)
        output_type = output_type_or_404(body["output_type_id"])
        task_type = task_type_or_404(body["task_type_id"])
        rendering = file_tree.instance_rendering(
            self.asset_instance,
            temporal_entity,
            output_type,
            task_type,
            body["name"],
            body["representation"],
            body["revision"],
        )
        return Response(services.output_file_path(rendering, body["mode"], body["separator"]))


# --- new output files and revision numbers ---------------------------------------------------------


class NewEntityOutputFileView(EntityScopedView):
    """`POST /data/entities/{entity_id}/output-files/new`: a new output file of the entity (the
    next revision of its name, output type and task type unless `revision` is set), its path from
    the file tree. 201 and the file, with its folder path and file name."""

    rules = {"POST": MEMBER}

    @extend_schema(request=NewOutputFileBody, responses={201: OpenApiTypes.OBJECT}, tags=TAGS)
    def post(self, request, entity_id):
        values, output_type, task_type, person = new_output_values(request)
        output_file, folder, name = services.new_output_file(
            request.user, self.entity, output_type, task_type, person, values
        )
        return Response(output_file_answer(output_file, folder, name), status=201)


class NewInstanceOutputFileView(AssetInstanceScopedView):
    """`POST /data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-files/new`:
    the same for an asset instance in a shot or scene."""

    rules = {"POST": MEMBER}

    @extend_schema(request=NewOutputFileBody, responses={201: OpenApiTypes.OBJECT}, tags=TAGS)
    def post(self, request, asset_instance_id, temporal_entity_id):
        values, output_type, task_type, person = new_output_values(request)
        temporal_entity = entity_or_404(temporal_entity_id)
        output_file, folder, name = services.new_output_file(
            request.user,
            self.asset_instance.asset,
            output_type,
            task_type,
            person,
            values,
            asset_instance=self.asset_instance,
            temporal_entity=temporal_entity,
        )
        return Response(output_file_answer(output_file, folder, name), status=201)


class EntityNextRevisionView(EntityScopedView):
    """`POST /data/entities/{entity_id}/output-files/next-revision` {output_type_id,
    task_type_id, name}: {"next_revision": n}."""

    rules = {"POST": MEMBER}

    @extend_schema(request=NextRevisionBody, responses={200: NextRevisionAnswer}, tags=TAGS)
    def post(self, request, entity_id):
        body = validated(NextRevisionBody, request.data)
        output_type = output_type_or_404(body["output_type_id"])
        task_type = task_type_or_404(body["task_type_id"])
        last = queries.last_output_revision(self.entity.pk, output_type.pk, task_type.pk, body["name"])
        return Response({"next_revision": last + 1})


class InstanceNextRevisionView(AssetInstanceScopedView):
    """`POST /data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-files/
    next-revision`: the same for an asset instance in a shot or scene."""

    rules = {"POST": MEMBER}

    @extend_schema(request=NextRevisionBody, responses={200: NextRevisionAnswer}, tags=TAGS)
    def post(self, request, asset_instance_id, temporal_entity_id):
        body = validated(NextRevisionBody, request.data)
        temporal_id = self.temporal_entity_id(temporal_entity_id)
        output_type = output_type_or_404(body["output_type_id"])
        task_type = task_type_or_404(body["task_type_id"])
        instance = self.asset_instance
        last = queries.last_output_revision(
            instance.asset_id, output_type.pk, task_type.pk, body["name"], instance.pk, temporal_id
        )
        return Response({"next_revision": last + 1})


# --- lists -----------------------------------------------------------------------------------------


class EntityOutputFilesView(EntityScopedView):
    """`GET /data/entities/{entity_id}/output-files[?filters]` (output_type_id, task_type_id,
    name, representation, file_status_id): the entity's own output files (no instance's), highest
    revision first."""

    rules = {"GET": MEMBER}

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: OUTPUT_FILE(many=True)}, tags=TAGS)
    def get(self, request, entity_id):
        return Response(render_rows(queries.entity_output_files(self.entity, list_filters(request))))


class LastEntityOutputFilesView(EntityScopedView):
    """`GET /data/entities/{entity_id}/output-files/last-revisions[?filters]`: the last revision
    of each output of the entity (by task type, output type, name and representation)."""

    rules = {"GET": MEMBER}

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: OUTPUT_FILE(many=True)}, tags=TAGS)
    def get(self, request, entity_id):
        return Response(render_rows(queries.last_entity_output_files(self.entity, list_filters(request))))


class EntityOutputTypesView(EntityScopedView):
    """`GET /data/entities/{entity_id}/output-types`: the output types of its output files."""

    rules = {"GET": MEMBER}

    @extend_schema(responses={200: OUTPUT_TYPE(many=True)}, tags=TAGS)
    def get(self, request, entity_id):
        return Response(render_rows(queries.entity_output_types(self.entity)))


class EntityOutputTypeFilesView(EntityScopedView):
    """`GET /data/entities/{entity_id}/output-types/{output_type_id}/output-files[?representation=]`."""

    rules = {"GET": MEMBER}

    @extend_schema(
        parameters=[OpenApiParameter("representation", str)],
        responses={200: OUTPUT_FILE(many=True)},
        tags=TAGS,
    )
    def get(self, request, entity_id, output_type_id):
        output_type = output_type_or_404(output_type_id)
        representation = request.query_params.get("representation")
        return Response(
            render_rows(queries.entity_output_type_files(self.entity, output_type, representation))
        )


class InstanceOutputFilesView(AssetInstanceScopedView):
    """`GET /data/asset-instances/{asset_instance_id}/output-files[?temporal_entity_id=&filters]`."""

    rules = {"GET": MEMBER}

    @extend_schema(
        parameters=[OpenApiParameter("temporal_entity_id", OpenApiTypes.UUID), *FILTER_PARAMETERS],
        responses={200: OUTPUT_FILE(many=True)},
        tags=TAGS,
    )
    def get(self, request, asset_instance_id):
        temporal_id = query_id(request, "temporal_entity_id")
        files = queries.instance_output_files(self.asset_instance, temporal_id, list_filters(request))
        return Response(render_rows(files))


class LastInstanceOutputFilesView(AssetInstanceScopedView):
    """`GET /data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-files/
    last-revisions[?filters]`: the last revision of each output of the instance in the shot."""

    rules = {"GET": MEMBER}

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: OUTPUT_FILE(many=True)}, tags=TAGS)
    def get(self, request, asset_instance_id, temporal_entity_id):
        temporal_id = self.temporal_entity_id(temporal_entity_id)
        files = queries.last_instance_output_files(self.asset_instance, temporal_id, list_filters(request))
        return Response(render_rows(files))


class InstanceOutputTypesView(AssetInstanceScopedView):
    """`GET /data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-types`."""

    rules = {"GET": MEMBER}

    @extend_schema(responses={200: OUTPUT_TYPE(many=True)}, tags=TAGS)
    def get(self, request, asset_instance_id, temporal_entity_id):
        temporal_id = self.temporal_entity_id(temporal_entity_id)
        return Response(render_rows(queries.instance_output_types(self.asset_instance, temporal_id)))


class InstanceOutputTypeFilesView(AssetInstanceScopedView):
    """`GET /data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-types/
    {output_type_id}/output-files[?representation=]`."""

    rules = {"GET": MEMBER}

    @extend_schema(
        parameters=[OpenApiParameter("representation", str)],
        responses={200: OUTPUT_FILE(many=True)},
        tags=TAGS,
    )
    def get(self, request, asset_instance_id, temporal_entity_id, output_type_id):
        temporal_id = self.temporal_entity_id(temporal_entity_id)
        output_type = output_type_or_404(output_type_id)
        representation = request.query_params.get("representation")
        files = queries.instance_output_type_files(
            self.asset_instance, temporal_id, output_type, representation
        )
        return Response(render_rows(files))


class ProjectOutputFilesView(ProjectScopedView):
    """`GET /data/projects/{project_id}/output-files[?filters]`: the production's output files
    (of entities, not instances), newest first, for its managers."""

    rules = {"GET": MANAGER}

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: OUTPUT_FILE(many=True)}, tags=TAGS)
    def get(self, request, project_id):
        return Response(render_rows(queries.project_output_files(self.project, list_filters(request))))
