"""Routes of the previews of tasks: the main preview of their entities, the preview slots of a
comment, a task's and a project's preview files."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from files.models import PreviewFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import query_int, validated
from kitsu_server.api.schema import component, rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import found_or_404, object_or_404
from kitsu_server.core.scoped import ACTOR, READER, TaskScopedView
from productions.models import Project
from tasks.inputs import INT_MESSAGE, TaskIdsBody
from tasks.models import Comment, Task
from tasks.previews.queries import project_preview_files, task_previews
from tasks.previews.services import (
    add_preview_to_comment,
    remove_comment_preview,
    set_main_preview,
    set_main_previews,
)
from tasks.schemas import ENTITY_SCHEMA, PAGE_PARAMETERS


class CommentPreviewBody(serializers.Serializer):
    revision = serializers.IntegerField(min_value=0, required=False, allow_null=True)


PREVIEW_SCHEMA = output_serializer(REGISTRY["preview-files"])


# --- main previews ------------------------------------------------------------------------------


class TaskMainPreviewView(TaskScopedView):
    """`PUT /actions/tasks/{task_id}/set-main-preview`: the entity shows the task's latest preview;
    200 and the entity (400 when the task has none). Clients may not."""

    rules = {"PUT": lambda access, task: access.check_main_preview_access(task)}

    @extend_schema(request=None, responses={200: ENTITY_SCHEMA}, tags=["actions/tasks"])
    def put(self, request, task_id):
        return Response(set_main_preview(self.task, request.user))


class TasksMainPreviewView(KitsuView):
    """`PUT /actions/tasks/set-main-preview` {task_ids}: the same for several tasks (those without
    preview are skipped); 200 and the entities updated. One unknown or refused task refuses all."""

    @extend_schema(
        request=TaskIdsBody,
        responses={200: ENTITY_SCHEMA(many=True)},
        tags=["actions/tasks"],
        operation_id="actions_tasks_set_main_previews",
    )
    def put(self, request):
        body = validated(TaskIdsBody, request.data)
        access = access_for(request)
        tasks = [object_or_404(Task, task_id) for task_id in body["task_ids"]]
        for task in tasks:
            access.check_main_preview_access(task)
        return Response(set_main_previews(tasks, request.user))


# --- comment previews ---------------------------------------------------------------------------


def task_comment_or_404(task, comment_id):
    comment = object_or_404(Comment, comment_id)
    if comment.object_id != task.pk:
        raise NotFound("Comment not found.")
    return comment


class CommentPreviewAddView(TaskScopedView):
    """`POST /actions/tasks/{task_id}/comments/{comment_id}/add-preview` {revision?}: whoever may act
    on the task adds a preview slot (next revision, or the comment's revision) to upload to;
    201 and the preview file."""

    rules = {"POST": ACTOR}

    def lookup(self, object_id):
        return found_or_404(Task.objects.select_related("project", "entity"), object_id, "Task not found.")

    @extend_schema(request=CommentPreviewBody, responses={201: PREVIEW_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, comment_id):
        body = validated(CommentPreviewBody, request.data)
        comment = task_comment_or_404(self.task, comment_id)
        preview = add_preview_to_comment(self.task, comment, request.user, body.get("revision"))
        return Response(preview, status=201)


class CommentExtraPreviewView(TaskScopedView):
    """`POST /actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}`: one more
    preview in the revision of an existing one; 201 and the new preview file.
    `DELETE`: removes a preview of the comment (its reader who may act on the task; `force=true`,
    the project's managers, purges its files at once); 204."""

    rules = {"POST": ACTOR, "DELETE": ACTOR}

    def lookup(self, object_id):
        return found_or_404(Task.objects.select_related("project", "entity"), object_id, "Task not found.")

    @extend_schema(request=None, responses={201: PREVIEW_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, comment_id, preview_file_id):
        comment = task_comment_or_404(self.task, comment_id)
        related = object_or_404(PreviewFile, preview_file_id)
        preview = add_preview_to_comment(self.task, comment, request.user, related.revision)
        return Response(preview, status=201)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("force", bool, description="Purge the stored files at once")],
        tags=["actions/tasks"],
    )
    def delete(self, request, task_id, comment_id, preview_file_id):
        for value in (comment_id, preview_file_id):
            parse_uuid(value, "Wrong UUID format.")
        access, task = self.access, self.task
        comment = task_comment_or_404(task, comment_id)
        preview = object_or_404(PreviewFile, preview_file_id)
        if preview.task_id != task.pk or not comment.previews.filter(pk=preview.pk).exists():
            raise NotFound("PreviewFile not found.")
        access.check_comment_access(comment, task)
        force = request.query_params.get("force", "").lower() in ("true", "1")
        if force:
            access.check_manager(task.project_id)
        remove_comment_preview(preview, force=force)
        return Response(status=204)


class TaskPreviewsView(TaskScopedView):
    """`GET /data/tasks/{task_id}/previews`: the task's preview files, latest revision first
    (clients do not see rejected ones)."""

    rules = {"GET": READER}

    @extend_schema(responses={200: PREVIEW_SCHEMA(many=True)}, tags=["data/tasks"])
    def get(self, request, task_id):
        return Response(task_previews(self.task, as_client=self.role == "client"))


class ProjectPreviewFilesView(KitsuView):
    """`GET /data/projects/{project_id}/preview-files`: admins only."""

    @extend_schema(
        parameters=PAGE_PARAMETERS[:1],
        responses={200: rows_or_page(component(PREVIEW_SCHEMA))},
        tags=["data/projects"],
    )
    def get(self, request, project_id):
        access_for(request).check_admin()
        project = object_or_404(Project, project_id)
        return Response(project_preview_files(project, query_int(request, "page", -1, message=INT_MESSAGE)))
