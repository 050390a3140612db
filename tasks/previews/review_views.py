"""Review routes of a preview file: main preview, annotations, position, frame and tile
extraction, the running previews, and batch comments with previews and attachments."""

import shutil
import tempfile

import orjson
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from files.media.downloads import TemporaryFileResponse, not_found
from files.media.schemas import PNG
from files.models import PreviewFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import uuid_or_none
from kitsu_server.api.requests import query_int, validated
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import found_or_404, task_or_404
from tasks.previews import review
from tasks.previews.batch_comments import post_batch_comments
from tasks.schemas import ENTITY_SCHEMA

PREVIEW_SCHEMA = output_serializer(REGISTRY["preview-files"])
TAGS = ["actions/preview-files"]


def preview_or_404(preview_file_id):
    preview = found_or_404(
        PreviewFile.objects.select_related("task__project", "task__entity"),
        preview_file_id,
        "Preview file not found.",
    )
    if preview.task is None:
        raise not_found()
    return preview


class FrameNumberBody(serializers.Serializer):
    frame_number = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class PositionBody(serializers.Serializer):
    position = serializers.IntegerField(min_value=0, default=0)


class AnnotationTimeSerializer(serializers.DictField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if "time" not in value:
            raise serializers.ValidationError("Each annotation change needs its time.")
        return value


class AnnotationsBody(serializers.Serializer):
    additions = serializers.ListField(child=AnnotationTimeSerializer(), default=list)
    updates = serializers.ListField(child=AnnotationTimeSerializer(), default=list)
    deletions = serializers.ListField(child=AnnotationTimeSerializer(), default=list)


class SetMainPreviewView(KitsuView):
    """`PUT /actions/preview-files/{preview_file_id}/set-main-preview` {frame_number?}: the preview
    illustrates its entity (with a frame number, a movie's thumbnails are made from that frame);
    whoever reaches the task but clients. 200 and the entity."""

    @extend_schema(request=FrameNumberBody, responses={200: ENTITY_SCHEMA}, tags=TAGS)
    def put(self, request, preview_file_id):
        preview = preview_or_404(preview_file_id)
        access_for(request).check_main_preview_access(preview.task)
        body = validated(FrameNumberBody, request.data)
        return Response(review.set_main_preview(preview, request.user, body.get("frame_number")))


class UpdateAnnotationsView(KitsuView):
    """`PUT /actions/preview-files/{preview_file_id}/update-annotations` {additions, updates,
    deletions}: drawings added, replaced or removed per frame time, by the project's managers,
    its clients and the supervisors of the task's department. 200 and the preview file."""

    @extend_schema(request=AnnotationsBody, responses={200: PREVIEW_SCHEMA}, tags=TAGS)
    def put(self, request, preview_file_id):
        preview = preview_or_404(preview_file_id)
        access_for(request).check_annotation_access(preview.task)
        body = validated(AnnotationsBody, request.data)
        return Response(
            review.update_annotations(
                preview, request.user, body["additions"], body["updates"], body["deletions"]
            )
        )


class UpdatePositionView(KitsuView):
    """`PUT /actions/preview-files/{preview_file_id}/update-position` {position}: the preview
    moves among the previews of its revision; whoever may act on the task. 200 and the
    revision's previews in their new order."""

    @extend_schema(request=PositionBody, responses={200: PREVIEW_SCHEMA(many=True)}, tags=TAGS)
    def put(self, request, preview_file_id):
        preview = preview_or_404(preview_file_id)
        access_for(request).check_task_action_access(preview.task)
        body = validated(PositionBody, request.data)
        return Response(review.move_preview(preview, body["position"]))


def built_file(build, content_type, as_attachment=False):
    """Answer with the file `build(folder)` makes in a temporary folder ((path, name), or None
    when the preview's media is not stored: a 404), the folder removed once sent."""
    folder = tempfile.mkdtemp(prefix="kitsu-extract-")
    try:
        built = build(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if built is None:
        shutil.rmtree(folder, ignore_errors=True)
        return Response({"error": "preview file binary is not available"}, status=404)
    path, name = built
    return TemporaryFileResponse(
        folder, path, content_type=content_type, as_attachment=as_attachment, filename=name
    )


def named(path, name):
    return (path, name) if path is not None else None


class ExtractFrameView(KitsuView):
    """`GET /actions/preview-files/{preview_file_id}/extract-frame?frame_number=`: a frame of the
    movie as a PNG (a picture's original for a picture); the project's managers. 404 without a
    stored movie."""

    @extend_schema(
        parameters=[OpenApiParameter("frame_number", int, description="1 for the first frame")],
        responses=PNG,
        tags=TAGS,
    )
    def get(self, request, preview_file_id):
        preview = preview_or_404(preview_file_id)
        access_for(request).check_manager(preview.task.project_id)
        frame_number = query_int(request, "frame_number", 0, message="frame_number must be an integer.")
        return built_file(
            lambda folder: named(
                review.extract_frame(preview, frame_number, folder), f"{preview.pk}_{frame_number}.png"
            ),
            "image/png",
        )


class AnnotatedFrameQuery(serializers.Serializer):
    frame_number = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class ExtractAnnotatedFrameView(KitsuView):
    """`GET /actions/preview-files/{preview_file_id}/extract-annotated-frame?frame_number=`: a
    movie's frame (or the picture) with its annotation drawn on it, as a PNG; the project's
    managers. 400 when nothing is annotated there."""

    @extend_schema(
        parameters=[OpenApiParameter("frame_number", int, description="1 for the first frame (movies)")],
        responses=PNG,
        tags=TAGS,
    )
    def get(self, request, preview_file_id):
        preview = preview_or_404(preview_file_id)
        access_for(request).check_manager(preview.task.project_id)
        query = validated(AnnotatedFrameQuery, request.query_params)
        frame_number = query.get("frame_number")
        return built_file(
            lambda folder: named(
                review.annotated_frame(preview, frame_number, folder), f"{preview.pk}_annotated.png"
            ),
            "image/png",
        )


class ExtractAnnotatedFramesView(KitsuView):
    """`GET /actions/preview-files/{preview_file_id}/extract-annotated-frames`: every annotated
    frame, as a ZIP of PNGs (the `-pdf` route: one PDF page each); the project's managers."""

    kind, content_type = "zip", "application/zip"

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, preview_file_id):
        preview = preview_or_404(preview_file_id)
        access_for(request).check_manager(preview.task.project_id)
        return built_file(
            lambda folder: review.annotated_bundle(preview, folder, self.kind),
            self.content_type,
            as_attachment=True,
        )


class ExtractAnnotatedFramesPdfView(ExtractAnnotatedFramesView):
    kind, content_type = "pdf", "application/pdf"


class ExtractTileView(KitsuView):
    """`GET /actions/preview-files/{preview_file_id}/extract-tile`: the tile strip of the movie,
    made again and stored; whoever reaches the task."""

    @extend_schema(responses=PNG, tags=TAGS)
    def get(self, request, preview_file_id):
        preview = preview_or_404(preview_file_id)
        access_for(request).check_task_access(preview.task)
        return built_file(
            lambda folder: named(review.extract_tile(preview, folder), f"{preview.pk}.png"), "image/png"
        )


class RunningPreviewFilesView(KitsuView):
    """`GET /data/playlists/preview-files/running?cursor_preview_file_id=&limit=`: the previews
    of open productions still processing, missing or broken, newest first (admins)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor_preview_file_id", str, description="Previews older than this one"),
            OpenApiParameter("limit", int),
        ],
        responses={200: PREVIEW_SCHEMA(many=True)},
        tags=["data/playlists"],
    )
    def get(self, request):
        access_for(request).check_admin()
        cursor = request.query_params.get("cursor_preview_file_id")
        if cursor is not None and uuid_or_none(cursor) is None:
            raise WrongParameter("The cursor_preview_file_id parameter is not a valid id")
        limit = query_int(request, "limit", None, message="limit must be an integer.")
        return Response(review.running_previews(uuid_or_none(cursor) if cursor else None, limit))


def comments_argument(request):
    """The `comments` of a batch: a JSON list, in a JSON body or a form field."""
    comments = request.data.get("comments") if hasattr(request.data, "get") else None
    if isinstance(comments, str):
        try:
            comments = orjson.loads(comments)
        except orjson.JSONDecodeError:
            raise WrongParameter("comments must be a JSON list.") from None
    if not isinstance(comments, list) or not all(isinstance(item, dict) for item in comments):
        raise WrongParameter("comments must be a list of comments.")
    return comments


class TaskBatchCommentView(KitsuView):
    """`POST /actions/tasks/{task_id}/batch-comment` (JSON or multipart: `comments`, and files
    `attachment_file-<i>...`, `preview_file-<i>...` for the comment of index i): several comments
    on one task, each with its attachments and previews. 201 and the comments."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT}, tags=["actions/tasks"])
    def post(self, request, task_id):
        task = task_or_404(task_id)
        access_for(request).check_task_action_access(task)
        comments = comments_argument(request)
        return Response(post_batch_comments(access_for(request), request, comments, task=task), status=201)


class TasksBatchCommentView(KitsuView):
    """`POST /actions/tasks/batch-comment`: the same, each comment naming its `task_id`."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT},
        tags=["actions/tasks"],
        operation_id="actions_tasks_batch_comment_many",
    )
    def post(self, request):
        comments = comments_argument(request)
        if any(not uuid_or_none(item.get("task_id")) for item in comments):
            raise WrongParameter("Each comment needs a valid task_id.")
        return Response(post_batch_comments(access_for(request), request, comments), status=201)
