"""The binary of a working file: uploaded (multipart, field `file`) and downloaded by whoever
reaches its task."""

from django.http import FileResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, UnsupportedMediaType
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from files.models import WorkingFile
from files.working.storage import LimitedDiskUploadHandler, open_working_file, size_limit, store_working_file
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter, error_response
from kitsu_server.api.http import error_message
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import found_or_404
from kitsu_server.core.rendering import render

CLIENT_CACHE_MAX_AGE = 604800  # a week, the reference's cache age of downloads
# What a multipart body carries beyond its file (boundaries, headers): a body longer than the
# limit by more than this cannot hold a file within it.
MULTIPART_OVERHEAD = 64 * 1024


class WorkingFileUploadBody(serializers.Serializer):
    file = serializers.FileField()


class WorkingFileBinaryView(KitsuView):
    """`GET /data/working-files/{working_file_id}/file`: the stored binary (404 when none was
    uploaded), with Last-Modified and conditional answers. `POST` (multipart, `file`): stores it
    in place of the previous one (a 413 beyond WORKING_FILE_MAX_SIZE); 201 and the working file."""

    parser_classes = [MultiPartParser]

    def working_file(self, request, working_file_id):
        working_file = found_or_404(
            WorkingFile.objects.select_related("task"), working_file_id, "Working file not found."
        )
        access_for(request).check_working_file_task(working_file, Access.check_task_access)
        return working_file

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, tags=["data/working-files"]
    )
    def get(self, request, working_file_id):
        working_file = self.working_file(request, working_file_id)
        last_modified = working_file.updated_at or working_file.created_at
        timestamp = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(request, last_modified=timestamp)
        if not_modified is not None:
            return not_modified
        try:
            handle = open_working_file(working_file)
        except (FileNotFoundError, OSError):
            raise NotFound(f"Working file not found for: {working_file.pk}") from None
        response = FileResponse(handle, content_type="application/octet-stream")
        response["Cache-Control"] = f"public, max-age={CLIENT_CACHE_MAX_AGE}"
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        return response

    @extend_schema(
        request={"multipart/form-data": WorkingFileUploadBody},
        responses={201: output_serializer(REGISTRY["working-files"])},
        tags=["data/working-files"],
    )
    def post(self, request, working_file_id):
        working_file = self.working_file(request, working_file_id)
        limit = size_limit()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit + MULTIPART_OVERHEAD:
            return error_response(error_message(413), 413)
        request._request.upload_handlers = [LimitedDiskUploadHandler(request._request)]
        try:
            uploaded = request.FILES.get("file")
        except UnsupportedMediaType:  # no multipart body: no file either, as the reference reads it
            uploaded = None
        if uploaded is None:
            raise WrongParameter("No file given: send it in the multipart field `file`.")
        store_working_file(working_file, uploaded)
        return Response(render(working_file, relations=True), status=201)
