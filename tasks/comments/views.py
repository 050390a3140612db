"""Routes of comments: commenting on tasks (one or many, with attachments), replies,
acknowledgements, moving a comment, copying client comments, the attachment files, a task's
thread and a project's comments.

Views stay thin: they validate the body, load and check what the URL names (the rules of
kitsu_server.core.access), then call one service (tasks.comments.services, .replies,
.attachments), which owns the transaction, the events and the stored files.
"""

import datetime

import orjson
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from files.models import AttachmentFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance, serialize_rows
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import query_int, validated
from kitsu_server.api.schema import ROWS, UPDATED_SINCE, component, or_delta, rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.delta import delta_window
from kitsu_server.core.lookups import found_or_404, object_or_404
from kitsu_server.core.scoped import READER, ProjectScopedView, TaskScopedView
from people.models import Person
from productions.models import Project
from tasks.comments.attachments import (
    INLINE_SAFE_MIMETYPES,
    add_attachments,
    attachment_path,
    delete_attachment,
)
from tasks.comments.queries import last_client_comments, project_comments, task_comments
from tasks.comments.replies import delete_reply, find_reply, reply_to_comment, toggle_acknowledgement
from tasks.comments.services import (
    comment_shape,
    copy_client_comments,
    delete_comment,
    move_comment,
    post_comment,
    post_comments,
)
from tasks.inputs import INT_MESSAGE, uploaded_files
from tasks.models import (
    Comment,
    Task,
    TaskStatus,
)
from tasks.queries import shape_of
from tasks.schemas import ATTACHMENT_SCHEMA, PAGE_PARAMETERS, AttachmentShortSchema

CLIENT_CACHE_MAX_AGE = 604800  # a week, as the reference lets clients keep attachments

# --- request bodies -----------------------------------------------------------------------------


@extend_schema_field({"type": "array", "items": {}})
class JSONListField(serializers.Field):
    """A list, sent as JSON or (in a multipart form) as its JSON text; null or "" is []."""

    default_error_messages = {"invalid": "Must be a list (or its JSON text): {error}"}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            if not data:
                return []
            try:
                data = orjson.loads(data)
            except orjson.JSONDecodeError as error:
                self.fail("invalid", error=str(error))
        if data is None:
            return []
        if not isinstance(data, list):
            self.fail("invalid", error="not a list")
        return data

    def to_representation(self, value):
        return value


class CommentBody(serializers.Serializer):
    task_status_id = serializers.CharField(help_text="The task's status after the comment")
    comment = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    person_id = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", help_text="Author (managers only)"
    )
    created_at = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
        help_text="Date of the comment, `YYYY-MM-DD HH:MM:SS` (managers only)",
    )
    checklist = JSONListField(default=list)
    links = JSONListField(default=list)
    for_client = serializers.BooleanField(required=False, default=False, help_text="Managers only")

    def validate_created_at(self, value):
        # The reference silently dates a comment now when this is no date; a typo then goes
        # unnoticed in an import, so it is refused.
        if value and comment_date(value) is None:
            raise serializers.ValidationError(
                "Wrong date format. Expected YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS."
            )
        return value


class BatchCommentItem(serializers.Serializer):
    """An entry missing its task, status or text is skipped rather than refused, as the reference
    does: nothing is required here."""

    object_id = serializers.UUIDField(required=False, allow_null=True)
    task_status_id = serializers.UUIDField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)
    links = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list)


class CopyClientCommentsBody(serializers.Serializer):
    task_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    prefix = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class ReplyBody(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", trim_whitespace=False
    )


class MoveCommentBody(serializers.Serializer):
    target_task_id = serializers.CharField(help_text="A task of the same entity")


class UploadBody(serializers.Serializer):
    file = serializers.FileField(help_text="One or more files, under any field names")


class CommentUploadBody(CommentBody):
    file = serializers.FileField(required=False, help_text="Attachments, under any field names")


class ReplyUploadBody(ReplyBody):
    file = serializers.FileField(required=False, help_text="Attachments, under any field names")


def comment_date(value):
    """The date a manager gives a comment (`YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, UTC);
    None for anything else (`CommentBody` refuses it)."""
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(value or "", layout).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
    return None


# --- what the URL and the body name ----------------------------------------------------------


def batch_comment_items(access, project, entries):
    """The (task, status, text, links) a batch posts: entries on the project's tasks, complete (task,
    status, text), that the person may comment (Access.batch_commentable_task_ids). An unknown
    task or status is a 404; a status the person may not use refuses the whole batch."""
    tasks = Task.objects.select_related("task_type").in_bulk({entry["object_id"] for entry in entries})
    if any(entry["object_id"] not in tasks for entry in entries):
        raise NotFound("Task not found.")
    candidates = [
        (tasks[entry["object_id"]], entry)
        for entry in entries
        # this route comments the project's tasks only, and complete entries
        if tasks[entry["object_id"]].project_id == project.pk
        and entry.get("task_status_id") is not None
        and entry.get("comment") is not None
    ]
    commentable = access.batch_commentable_task_ids(project.pk, [task for task, _ in candidates])
    kept = [(task, entry) for task, entry in candidates if task.pk in commentable]
    statuses = TaskStatus.objects.in_bulk({entry["task_status_id"] for _, entry in kept})
    items = []
    for task, entry in kept:
        task_status = statuses.get(entry["task_status_id"])
        if task_status is None:
            raise NotFound("TaskStatus not found.")
        access.check_task_status_access(task_status.pk, task.project_id)
        items.append((task, task_status, entry["comment"], entry.get("links") or []))
    return items


def task_comment_or_403(task_id, comment_id):
    """The comment, which must be one of the task's (the reference answers 403 otherwise)."""
    task_id = parse_uuid(task_id, f"Malformed ID: {task_id}.")
    comment = object_or_404(Comment.objects.select_related("person"), comment_id)
    if comment.object_id != task_id:
        raise PermissionDenied
    return task_id, comment


# --- schemas ------------------------------------------------------------------------------------

COMMENT_SCHEMA = output_serializer(REGISTRY["comments"])


class ReplySchema(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.CharField()
    person_id = serializers.UUIDField()
    text = serializers.CharField()
    mentions = serializers.ListField(child=serializers.UUIDField())
    department_mentions = serializers.ListField(child=serializers.UUIDField())
    created_at = serializers.CharField()
    attachment_files = AttachmentShortSchema(many=True, required=False)
    person = serializers.DictField()


# --- commenting ---------------------------------------------------------------------------------


class TaskCommentPostView(KitsuView):
    """`POST /actions/tasks/{task_id}/comment`: comment on a task and move it to a status, with
    attachments when sent as a multipart form. Whoever may act on the task; someone mentioned in
    its conversation may answer without changing the status. Artists and clients use the statuses
    open to them; managers may also set the author, the date and `for_client`. 201 and the
    comment with its status, author and attachments."""

    @extend_schema(
        request={"application/json": CommentBody, "multipart/form-data": CommentUploadBody},
        responses={201: OpenApiTypes.OBJECT},
        tags=["actions/tasks"],
    )
    def post(self, request, task_id):
        access = access_for(request)
        task = object_or_404(Task.objects.select_related("project", "entity"), task_id)
        may_change_status = access.check_comment_post_access(task)  # before the body is read
        body = validated(CommentBody, request.data)
        if not may_change_status and str(body["task_status_id"]).lower() != str(task.task_status_id):
            raise PermissionDenied
        task_status = object_or_404(TaskStatus, body["task_status_id"])
        access.check_task_status_access(task_status.pk, task.project_id)
        author, created_at, for_client = request.user, None, False
        if access.may_comment_for_others(task.project_id):
            if body.get("person_id"):
                author = object_or_404(Person, body["person_id"])
            created_at = comment_date(body.get("created_at"))
            for_client = body["for_client"]
        comment = post_comment(
            task,
            task_status,
            author,
            request.user,
            text=body["comment"],
            checklist=body.get("checklist") or [],
            links=body.get("links") or [],
            files=uploaded_files(request),
            created_at=created_at,
            for_client=for_client,
        )
        return Response(comment, status=201)


class ProjectTasksCommentManyView(KitsuView):
    """`POST /actions/projects/{project_id}/tasks/comment-many` [{object_id, task_status_id, comment,
    links}]: one comment per entry, in one transaction. The project's managers comment any of its
    tasks; others only those they supervise or are assigned to (the rest is skipped). Entries
    without task, status or text are skipped. 201 and the comments."""

    @extend_schema(
        request=BatchCommentItem(many=True),
        responses={201: ROWS},
        tags=["actions/projects"],
    )
    def post(self, request, project_id):
        project = object_or_404(Project, project_id)
        access = access_for(request)
        access.check_project_access(project.pk)  # outside the production: refused before the body
        if not isinstance(request.data, list):
            raise WrongParameter("Request body must be a JSON array.")
        serializer = BatchCommentItem(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        entries = [entry for entry in serializer.validated_data if entry.get("object_id")]
        items = batch_comment_items(access, project, entries)
        comments = post_comments(items, request.user, request.user) if items else []
        return Response(comments, status=201)


class CopyClientCommentsView(KitsuView):
    """`POST /actions/projects/{project_id}/tasks/copy-client-comments` {task_ids, prefix}: the
    project's managers post again, as themselves, the last comment a client wrote on each task
    (prefixed), the task keeping its status, so that artists read it. 201 and the new comments."""

    @extend_schema(request=CopyClientCommentsBody, responses={201: ROWS}, tags=["actions/projects"])
    def post(self, request, project_id):
        access = access_for(request)
        project_id = parse_uuid(project_id, f"Malformed ID: {project_id}.")
        if not access.is_admin:
            object_or_404(Project, project_id)
        access.check_manager(project_id)
        body = validated(CopyClientCommentsBody, request.data)
        pairs = last_client_comments(project_id, body["task_ids"])
        created = copy_client_comments(pairs, request.user, request.user, prefix=body["prefix"])
        return Response(created, status=201)


class CommentMoveView(KitsuView):
    """`POST /actions/tasks/{task_id}/comments/{comment_id}/move` {target_task_id}: managers move a
    comment (without preview) to another task of the same entity; both tasks are recomputed and
    the target's followers are notified as for a new comment. 200 and the comment."""

    @extend_schema(request=MoveCommentBody, responses={200: COMMENT_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, comment_id):
        access = access_for(request)
        access.check_manager()  # read on the global role, before any project is known
        source = object_or_404(Task.objects.select_related("entity"), task_id)
        access.check_task_access(source)
        body = validated(MoveCommentBody, request.data)
        target = object_or_404(Task.objects.select_related("entity"), body["target_task_id"])
        access.check_task_access(target)
        comment = object_or_404(Comment, comment_id)
        if comment.object_id != source.pk:
            raise WrongParameter("Comment does not belong to the given task.")
        return Response(move_comment(comment, source, target, request.user))


# --- replies and acknowledgements ---------------------------------------------------------------


class CommentReplyView(KitsuView):
    """`POST /data/tasks/{task_id}/comments/{comment_id}/reply` {text} (JSON, or a form with files):
    a reply in the comment's thread (see check_reply_access for who may); its mentions are
    notified, as are the task's followers. 200 and the reply with its author."""

    @extend_schema(
        request={"application/json": ReplyBody, "multipart/form-data": ReplyUploadBody},
        responses={200: ReplySchema},
        tags=["data/tasks"],
    )
    def post(self, request, task_id, comment_id):
        task_id, comment = task_comment_or_403(task_id, comment_id)
        task = object_or_404(Task.objects.select_related("project", "entity"), task_id)
        access = access_for(request)
        access.check_reply_access(comment, task)
        body = validated(ReplyBody, request.data)
        reply = reply_to_comment(
            comment,
            task,
            request.user,
            body.get("text") or "",
            files=uploaded_files(request),
            user=request.user,
        )
        return Response(reply)


class CommentReplyDeleteView(KitsuView):
    """`DELETE /data/tasks/{task_id}/comments/{comment_id}/reply/{reply_id}`: its author, or an admin,
    removes a reply with its attachments and notifications. 200 and the comment."""

    @extend_schema(request=None, responses={200: COMMENT_SCHEMA}, tags=["data/tasks"])
    def delete(self, request, task_id, comment_id, reply_id):
        comment = object_or_404(Comment, comment_id)
        reply = find_reply(comment, reply_id)
        if reply is None:
            raise NotFound("Reply not found.")
        access = access_for(request)
        if reply.get("person_id") != str(access.person.pk):
            access.check_admin()
        task = Task.objects.filter(pk=comment.object_id).first()
        return Response(delete_reply(comment, reply["id"], task, user=request.user))


class CommentAckView(KitsuView):
    """`POST /data/tasks/{task_id}/comments/{comment_id}/ack`: whoever reaches the task acknowledges
    a comment of it, or takes the acknowledgement back. 200 and the comment."""

    @extend_schema(request=None, responses={200: COMMENT_SCHEMA}, tags=["data/tasks"])
    def post(self, request, task_id, comment_id):
        task = object_or_404(Task.objects.select_related("project"), task_id)
        access_for(request).check_task_access(task)
        comment = object_or_404(Comment, comment_id)
        if comment.object_id != task.pk:
            raise NotFound("Comment not found.")
        return Response(toggle_acknowledgement(comment, task, request.user))


# --- attachments --------------------------------------------------------------------------------


class CommentAttachmentAddView(KitsuView):
    """`POST /actions/tasks/{task_id}/comments/{comment_id}/add-attachment` (multipart files): the
    comment's author, or a manager of the project, attaches files. 201 and the new attachments."""

    @extend_schema(
        request={"multipart/form-data": UploadBody},
        responses={201: AttachmentShortSchema(many=True)},
        tags=["actions/tasks"],
    )
    def post(self, request, task_id, comment_id):
        task_id, comment = task_comment_or_403(task_id, comment_id)
        access_for(request).check_attachment_write(task_id, comment)
        return Response(add_attachments(comment, uploaded_files(request)), status=201)


class CommentAttachmentDeleteView(KitsuView):
    """`DELETE /data/tasks/{task_id}/comments/{comment_id}/attachments/{attachment_file_id}`: the
    comment's author, or a manager of the project, removes one of its attachments. 204."""

    @extend_schema(request=None, responses={204: None}, tags=["data/tasks"])
    def delete(self, request, task_id, comment_id, attachment_file_id):
        task_id, comment = task_comment_or_403(task_id, comment_id)
        attachment = object_or_404(AttachmentFile, attachment_file_id)
        if attachment.comment_id != comment.pk:
            raise PermissionDenied
        access_for(request).check_attachment_write(task_id, comment)
        delete_attachment(attachment)
        return Response(status=204)


class AttachmentFileDownloadView(KitsuView):
    """`GET /data/attachment-files/{attachment_file_id}/file/{file_name}`: the file, for whoever
    reaches its comment's task (or its chat's entity). Raster images are shown inline, anything
    else is downloaded under the attachment's name."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        tags=["data/attachment-files"],
    )
    def get(self, request, attachment_file_id, file_name):
        attachment = object_or_404(AttachmentFile, attachment_file_id)
        access_for(request).check_attachment_read(attachment)
        last_modified = attachment.updated_at or attachment.created_at
        timestamp = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(request, last_modified=timestamp)
        if not_modified is not None:
            return not_modified
        try:
            handle = default_storage.open(attachment_path(attachment.pk), "rb")
        except (FileNotFoundError, OSError):
            raise NotFound("Attachment file not found.") from None
        mimetype = attachment.mimetype or "application/octet-stream"
        response = FileResponse(
            handle,
            content_type=mimetype,
            as_attachment=mimetype.split(";")[0].strip().lower() not in INLINE_SAFE_MIMETYPES,
            filename=attachment.name or file_name,
        )
        response["Cache-Control"] = f"public, max-age={CLIENT_CACHE_MAX_AGE}"
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        return response


def render_attachment_files(queryset):
    """Attachment rows as the reference's list writes them: each with its comment embedded."""
    rows = serialize_rows(queryset.order_by("created_at", "pk"), shape=REGISTRY["attachment-files"].shape)
    comment_ids = {row["comment_id"] for row in rows if row["comment_id"]}
    comments = {}
    if comment_ids:
        comments = {
            row["id"]: row
            for row in serialize_rows(Comment.objects.filter(pk__in=comment_ids), shape=comment_shape())
        }
    for row in rows:
        row["comment"] = comments.get(row["comment_id"])
        row["chat_message"] = None
    return rows


class ProjectAttachmentFilesView(KitsuView):
    """`GET /data/projects/{project_id}/attachment-files`: admins list the attachments of the
    comments of a project's tasks (for synchronisation)."""

    @extend_schema(responses={200: ATTACHMENT_SCHEMA(many=True)}, tags=["data/projects"])
    def get(self, request, project_id):
        access_for(request).check_admin()
        project_id = parse_uuid(project_id, f"Malformed ID: {project_id}.")
        task_ids = Task.objects.filter(project_id=project_id).values("pk")
        comment_ids = Comment.objects.filter(object_id__in=task_ids).values("pk")
        return Response(render_attachment_files(AttachmentFile.objects.filter(comment_id__in=comment_ids)))


class TaskAttachmentFilesView(KitsuView):
    """`GET /data/tasks/{task_id}/attachment-files`: admins list the attachments of a task's comments."""

    @extend_schema(responses={200: ATTACHMENT_SCHEMA(many=True)}, tags=["data/tasks"])
    def get(self, request, task_id):
        access_for(request).check_admin()
        task_id = parse_uuid(task_id, f"Malformed ID: {task_id}.")
        comment_ids = Comment.objects.filter(object_id=task_id).values("pk")
        return Response(render_attachment_files(AttachmentFile.objects.filter(comment_id__in=comment_ids)))


# --- comments of a task -------------------------------------------------------------------------


class TaskCommentsView(TaskScopedView):
    """`GET /data/tasks/{task_id}/comments`: the task's thread for whoever reaches the task
    (see tasks.comments.queries.task_comments for what clients and artists read)."""

    rules = {"GET": READER}

    def lookup(self, object_id):
        return found_or_404(Task.objects.select_related("project"), object_id, "Task not found.")

    @extend_schema(responses={200: ROWS}, tags=["data/tasks"])
    def get(self, request, task_id):
        comments = task_comments(
            self.task,
            as_client=self.role == "client",
            as_supervisor=self.role in ("admin", "manager", "supervisor"),
            reader=self.access.person,
        )
        return Response(comments)


class TaskCommentView(KitsuView):
    """`GET /data/tasks/{task_id}/comments/{comment_id}`: one comment, for who may read it.
    `DELETE`: its author, or a manager of the project, removes it; the task is recomputed. 204."""

    @extend_schema(
        responses={200: COMMENT_SCHEMA}, tags=["data/tasks"], operation_id="data_tasks_comment_retrieve"
    )
    def get(self, request, task_id, comment_id):
        comment = object_or_404(Comment, comment_id)
        if str(comment.object_id) != str(task_id):
            raise NotFound("Comment not found.")
        task = Task.objects.select_related("project").filter(pk=comment.object_id).first()
        access_for(request).check_comment_access(comment, task)
        return Response(serialize_instance(comment, shape=shape_of("comments")))

    @extend_schema(request=None, responses={204: None}, tags=["data/tasks"])
    def delete(self, request, task_id, comment_id):
        comment = object_or_404(Comment, comment_id)
        task = (
            Task.objects.select_related("project", "entity__entity_type").filter(pk=comment.object_id).first()
        )
        if task is None or str(task.pk) != str(task_id):
            raise NotFound("Comment not found.")
        access_for(request).check_comment_delete(comment, task)
        delete_comment(comment, task, request.user)
        return Response(status=204)


class ProjectCommentsView(ProjectScopedView):
    """`GET /data/projects/{project_id}/comments`: the project's comments for its members, vendors
    and clients aside."""

    rules = {"GET": lambda access, project: access.check_studio_team(project.pk)}

    @extend_schema(
        parameters=[*PAGE_PARAMETERS, UPDATED_SINCE],
        responses={200: or_delta(rows_or_page(component(COMMENT_SCHEMA)), component(COMMENT_SCHEMA))},
        tags=["data/projects"],
    )
    def get(self, request, project_id):
        page, limit = (
            query_int(request, "page", -1, message=INT_MESSAGE),
            query_int(request, "limit", 0, message=INT_MESSAGE),
        )
        return Response(project_comments(self.project, self.access, page, limit, delta_window(request)))
