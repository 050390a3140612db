"""Routes of a preview file's media: the upload (`POST /pictures/preview-files/{id}`) and the
downloads of every variant (movies, pictures, the original, the tile strip), with the reference's
permission checks, ranges and caching headers (files.media.downloads)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from files.media.downloads import not_found, send_stored
from files.media.naming import preview_download_name
from files.media.schemas import BINARY, MP4, PNG, MediaUploadBody
from files.media.services import FILE_EXTENSIONS, receive_preview_upload
from files.media.storage import is_stored, media_key
from files.models import PreviewFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.http import error_message
from kitsu_server.api.json import serialize_instance
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import found_or_404

PREVIEW_SCHEMA = output_serializer(REGISTRY["preview-files"])
PICTURE_EXTENSIONS = {"png", "jpg", "jpeg", "jpe"}
TAGS = ["previews"]
PROCESSING_RETRY_AFTER = 5  # seconds
PROCESSING = OpenApiTypes.OBJECT  # {status: "processing", preview_file_id}, to a JSON client


def preview_or_404(instance_id):
    return found_or_404(
        PreviewFile.objects.select_related("task__entity"), instance_id, "Preview file not found."
    )


def truthy(request, name, default):
    value = request.query_params.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes")


class PreviewFileUploadView(KitsuView):
    """`POST /pictures/preview-files/{instance_id}` (multipart, `file`): the upload of a preview
    slot (`add-preview`), by whoever may act on its task; once only. Its kind is read from its
    content: a picture (its thumbnails built by a job), a movie (probed now, normalised by a job;
    `normalize=false` keeps it as uploaded) or a file kept as is (PDF, ZIP...). `no_job=true`
    processes it inside the request. 201 and the preview file."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": MediaUploadBody},
        parameters=[
            OpenApiParameter("normalize", bool, description="Normalise a movie (default true)"),
            OpenApiParameter("no_job", bool, description="Process inside the request"),
        ],
        responses={201: PREVIEW_SCHEMA},
        tags=TAGS,
    )
    def post(self, request, instance_id):
        preview = preview_or_404(instance_id)
        if preview.task is None:
            access_for(request).check_admin()
        else:
            access_for(request).check_task_action_access(preview.task)
        if preview.original_name:
            raise WrongParameter(error_message(400))  # the reference's bare 400 (no re-upload)
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise WrongParameter("File not provided.")
        preview = receive_preview_upload(
            preview,
            uploaded,
            request.user,
            normalize=truthy(request, "normalize", True),
            no_job=truthy(request, "no_job", False),
        )
        return Response(serialize_instance(preview, shape=REGISTRY["preview-files"].shape), status=201)


# --- downloads ------------------------------------------------------------------------------


class EarlyAnswer(Exception):
    def __init__(self, response):
        self.response = response


def processing_answer(request, preview):
    """A preview whose variants are being built: a client asking for JSON (and not for a picture)
    is told to come back (202, Retry-After), anyone else gets the 404 it handles; never cached."""
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "image/" not in accept:
        response = Response({"status": "processing", "preview_file_id": str(preview.pk)}, status=202)
        response["Retry-After"] = str(PROCESSING_RETRY_AFTER)
    else:
        response = Response({"error": True, "message": error_message(404)}, status=404)
    response["Cache-Control"] = "no-store"
    return response


class PreviewMediaView(KitsuView):
    """A variant of a preview file, for whoever may read it (see Access.check_preview_media_read);
    while the preview is processing, the answer of `processing_answer`."""

    thumbnail = False  # the variants an entity shows (its shared main preview's are public)
    while_processing = True  # answer "processing" rather than what is stored so far

    def readable_preview(self, request, instance_id):
        preview = preview_or_404(instance_id)
        access_for(request).check_preview_media_read(preview, thumbnail=self.thumbnail)
        if self.while_processing and preview.status == "processing":
            raise EarlyAnswer(processing_answer(request, preview))
        return preview

    def handle_exception(self, exc):
        if isinstance(exc, EarlyAnswer):
            return exc.response
        return super().handle_exception(exc)

    def send(self, request, preview, key, content_type, as_attachment=False, download_name=None):
        return send_stored(
            request,
            key,
            content_type,
            last_modified=preview.updated_at,
            as_attachment=as_attachment,
            download_name=download_name,
        )


class PreviewPictureView(PreviewMediaView):
    """`GET /pictures/{prefix}/preview-files/{instance_id}.png`: a picture variant (PNG)."""

    prefix = None

    @extend_schema(responses={**PNG, 202: PROCESSING}, tags=TAGS)
    def get(self, request, instance_id):
        preview = self.readable_preview(request, instance_id)
        return self.send(request, preview, media_key("pictures", self.prefix, preview.pk), "image/png")


class PreviewThumbnailView(PreviewPictureView):
    prefix, thumbnail = "thumbnails", True


class PreviewSquareThumbnailView(PreviewPictureView):
    prefix, thumbnail = "thumbnails-square", True


class PreviewOriginalPictureView(PreviewPictureView):
    prefix, thumbnail = "original", True


class PreviewPreviewPictureView(PreviewPictureView):
    prefix = "previews"


class PreviewTileView(PreviewPictureView):
    """`GET /movies/tiles/preview-files/{instance_id}.png`: the tile strip of a movie."""

    prefix = "tiles"


def movie_key(preview, lowdef=False):
    """The stored movie to send: the asked definition, else the other, else the upload."""
    prefixes = ("lowdef", "previews", "source") if lowdef else ("previews", "lowdef", "source")
    for prefix in prefixes:
        key = media_key("movies", prefix, preview.pk)
        if is_stored(key):
            return key
    raise not_found()


class PreviewMovieView(PreviewMediaView):
    """`GET /movies/originals/preview-files/{instance_id}.mp4`: the normalised movie (ranges)."""

    lowdef = False
    as_attachment = False

    @extend_schema(responses={**MP4, 202: PROCESSING}, tags=TAGS)
    def get(self, request, instance_id):
        preview = self.readable_preview(request, instance_id)
        name = preview_download_name(preview) if self.as_attachment else None
        return self.send(
            request, preview, movie_key(preview, self.lowdef), "video/mp4", self.as_attachment, name
        )


class PreviewLowMovieView(PreviewMovieView):
    """`GET /movies/low/preview-files/{instance_id}.mp4`: the low-definition movie."""

    lowdef = True


class PreviewMovieDownloadView(PreviewMovieView):
    """`GET /movies/originals/preview-files/{instance_id}/download`: the movie as an attachment."""

    as_attachment = True


class PreviewSourceMovieView(PreviewMediaView):
    """`GET /movies/source/preview-files/{instance_id}.mp4`: the movie as uploaded (also while
    it is processed)."""

    while_processing = False

    @extend_schema(responses=MP4, tags=TAGS)
    def get(self, request, instance_id):
        preview = self.readable_preview(request, instance_id)
        return self.send(request, preview, media_key("movies", "source", preview.pk), "video/mp4")


CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf", "mp4": "video/mp4"}


def original_key(preview, extension):
    if extension == "png":
        return media_key("pictures", "original", preview.pk)
    if extension == "mp4":
        return movie_key(preview)
    return media_key("files", "previews", preview.pk)


class PreviewFileOriginalView(PreviewMediaView):
    """`GET /pictures/originals/preview-files/{instance_id}.{extension}`: the original of a
    picture (png) or the file kept as uploaded (pdf, zip...); another extension is a 400."""

    thumbnail = True

    @extend_schema(responses={**BINARY, 202: PROCESSING}, tags=TAGS)
    def get(self, request, instance_id, extension):
        preview = self.readable_preview(request, instance_id)
        extension = extension.lower()
        if extension not in PICTURE_EXTENSIONS | FILE_EXTENSIONS:
            raise WrongParameter(f"Extension not allowed: {extension}")
        if extension != "png" and extension != preview.extension:
            raise not_found()
        content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
        return self.send(request, preview, original_key(preview, extension), content_type)


class PreviewFileDownloadView(PreviewMediaView):
    """`GET /pictures/originals/preview-files/{instance_id}/download`: the preview's file (the
    original picture, the movie, the kept file) as an attachment named after the upload."""

    @extend_schema(responses={**BINARY, 202: PROCESSING}, tags=TAGS)
    def get(self, request, instance_id):
        preview = self.readable_preview(request, instance_id)
        extension = preview.extension or ""
        if not extension:
            raise not_found()
        content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
        key = original_key(preview, extension)
        return self.send(request, preview, key, content_type, True, preview_download_name(preview))
