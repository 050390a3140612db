"""The CSV and OTIO imports (/import/csv/..., /import/otio/...): each view checks who may import,
reads the uploaded `file`, the `update` flag and `dry_run`, and runs its importer
(exchange.rows.run_import): 201 with the imported rows, 200 with the plan of a dry run, 400 naming
the line and column of a bad file, nothing written."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from exchange.csv_imports.entities import AssetsImporter, EditsImporter
from exchange.csv_imports.shots import ShotsImporter
from exchange.rows import error_body, run_import
from kitsu_server.api.params import parse_bool
from kitsu_server.core.scoped import MANAGER, ProjectScopedView

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


class ImportView(ProjectScopedView):
    """An import into the production of the URL: its managers."""

    parser_classes = [MultiPartParser, FormParser]
    rules = {"POST": MANAGER}
    importer = None

    def make_importer(self, request, **kwargs):
        return self.importer(request.user, self.project, update=flag(request, "update"))

    def run(self, request, **kwargs):
        uploaded = request.FILES.get("file")
        if uploaded is None:
            return Response(error_body("No file given: send it as the `file` field.", None), status=400)
        importer = self.make_importer(request, **kwargs)
        status, body = run_import(importer, uploaded, dry_run=flag(request, "dry_run"))
        return Response(body, status=status)


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
