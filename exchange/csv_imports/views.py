"""The CSV and OTIO imports (/import/csv/..., /import/otio/...): each view checks who may import,
reads the uploaded `file`, the `update` flag and `dry_run`, and runs its importer
(exchange.rows.run_import): 201 with the imported rows, 200 with the plan of a dry run, 400 naming
the line and column of a bad file, nothing written."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from exchange.csv_imports.casting import CastingImporter
from exchange.csv_imports.entities import AssetsImporter, EditsImporter
from exchange.csv_imports.estimations import EstimationsImporter
from exchange.csv_imports.otio import OtioImporter
from exchange.csv_imports.persons import PersonsImporter
from exchange.csv_imports.shots import ShotsImporter
from exchange.rows import error_body, run_import
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_bool
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import entity_or_404, found_or_404
from kitsu_server.core.scoped import MANAGER, MEMBER, ProjectScopedView
from tasks.models import TaskType

UPLOAD = inline_serializer("CsvUpload", {"file": serializers.FileField()})
PARAMETERS = [
    OpenApiParameter(
        "update", bool, description="Update the rows that exist (else they are left as they are)."
    ),
    OpenApiParameter(
        "dry_run",
        bool,
        description="Answer the plan of each row (create, update, unchanged, error); write nothing.",
    ),
]
ANSWERS = {
    201: OpenApiResponse(description="The imported rows."),
    200: OpenApiResponse(description="A dry run: the summary and the plan of each row."),
    400: OpenApiResponse(description="A bad file: the line and column at fault; nothing written."),
}


def flag(request, name):
    return parse_bool(request.query_params.get(name) or request.data.get(name) or "false")


def run(request, importer):
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return Response(error_body("No file given: send it as the `file` field.", None), status=400)
    status, body = run_import(importer, uploaded, dry_run=flag(request, "dry_run"))
    return Response(body, status=status)


class ImportView(ProjectScopedView):
    """An import into the production of the URL: its managers."""

    parser_classes = [MultiPartParser, FormParser]
    rules = {"POST": MANAGER}
    importer = None

    def run(self, request):
        return run(request, self.importer(request.user, self.project, update=flag(request, "update")))


class ShotsCsvImport(ImportView):
    importer = ShotsImporter

    @extend_schema(request={"multipart/form-data": UPLOAD}, parameters=PARAMETERS, responses=ANSWERS)
    def post(self, request, project_id):
        return self.run(request)


class AssetsCsvImport(ImportView):
    importer = AssetsImporter

    @extend_schema(request={"multipart/form-data": UPLOAD}, parameters=PARAMETERS, responses=ANSWERS)
    def post(self, request, project_id):
        return self.run(request)


class EditsCsvImport(ImportView):
    importer = EditsImporter

    @extend_schema(request={"multipart/form-data": UPLOAD}, parameters=PARAMETERS, responses=ANSWERS)
    def post(self, request, project_id):
        return self.run(request)


class CastingCsvImport(ImportView):
    importer = CastingImporter

    @extend_schema(request={"multipart/form-data": UPLOAD}, parameters=PARAMETERS, responses=ANSWERS)
    def post(self, request, project_id):
        return self.run(request)


class PersonsCsvImport(KitsuView):
    """The studio's people: admins."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UPLOAD}, parameters=PARAMETERS, responses=ANSWERS)
    def post(self, request):
        access_for(request).check_admin()
        return run(request, PersonsImporter(request.user, update=flag(request, "update")))


class EstimationsCsvImport(ProjectScopedView):
    """A task type's estimations in a production: its managers, and the supervisors of the task
    type's department."""

    parser_classes = [MultiPartParser, FormParser]
    rules = {"POST": MEMBER}

    def estimations(self, request, task_type_id, episode_id=None):
        task_type = found_or_404(TaskType, task_type_id, "Task type not found.")
        self.access.check_supervisor_project_task_type_access(self.project.pk, task_type.pk)
        if episode_id is not None:
            episode_id = entity_or_404(episode_id, "Episode").pk
        importer = EstimationsImporter(request.user, self.project, task_type, episode_id)
        return run(request, importer)

    @extend_schema(request={"multipart/form-data": UPLOAD}, parameters=PARAMETERS[1:], responses=ANSWERS)
    def post(self, request, project_id, task_type_id):
        return self.estimations(request, task_type_id)


class EpisodeEstimationsCsvImport(EstimationsCsvImport):
    @extend_schema(request={"multipart/form-data": UPLOAD}, parameters=PARAMETERS[1:], responses=ANSWERS)
    def post(self, request, project_id, episode_id, task_type_id):
        return self.estimations(request, task_type_id, episode_id)


OTIO_UPLOAD = inline_serializer(
    "OtioUpload",
    {
        "file": serializers.FileField(),
        "naming_convention": serializers.CharField(required=False),
        "match_case": serializers.BooleanField(required=False),
    },
)


class OtioImport(ImportView):
    """An edit (an OTIO file) into the production's shots: its managers."""

    def otio(self, request, episode_id=None):
        episode = entity_or_404(episode_id, "Episode") if episode_id is not None else None
        if episode is not None and episode.project_id != self.project.pk:
            raise NotFound("Episode not found.")
        if episode is None and self.project.production_type == "tvshow":
            return Response(
                error_body("A TV show's edit is imported into one of its episodes.", None), status=400
            )
        match_case = request.query_params.get("match_case") or request.data.get("match_case") or "true"
        importer = OtioImporter(
            request.user,
            self.project,
            episode,
            naming_convention=request.query_params.get("naming_convention")
            or request.data.get("naming_convention"),
            match_case=parse_bool(match_case),
        )
        return run(request, importer)

    @extend_schema(request={"multipart/form-data": OTIO_UPLOAD}, parameters=PARAMETERS[1:], responses=ANSWERS)
    def post(self, request, project_id):
        return self.otio(request)


class EpisodeOtioImport(OtioImport):
    @extend_schema(request={"multipart/form-data": OTIO_UPLOAD}, parameters=PARAMETERS[1:], responses=ANSWERS)
    def post(self, request, project_id, episode_id):
        return self.otio(request, episode_id)
