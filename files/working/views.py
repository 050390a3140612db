"""Routes of working files: a task's files and their last revisions, a new revision, the path the
production's file tree gives a task's file, an entity's working files, any file by id, a working
file's comment and modification date, and guessing what a path names."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from files.models import OutputFile, WorkingFile
from files.working import file_tree, queries, services
from files.working.guess import guess_from_path
from files.working.inputs import (
    GuessBody,
    NewWorkingFileBody,
    PathAnswer,
    WorkingFileCommentBody,
    WorkingFilePathBody,
)
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import uuid_or_none
from kitsu_server.api.requests import query_id, query_text, relations_asked, validated
from kitsu_server.api.schema import rows
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import found_or_404, project_or_404
from kitsu_server.core.rendering import render, render_rows
from kitsu_server.core.scoped import MEMBER, READER, EntityScopedView, TaskScopedView
from people.models import Person, Software

WORKING_FILE = output_serializer(REGISTRY["working-files"])
TAGS = ["data/working-files"]


def software_or_404(software_id):
    """The software the body names (404 when unknown), None when it names none."""
    if software_id:
        return found_or_404(Software, software_id, "Software not found.")
    return None


def working_file_or_404(working_file_id):
    return found_or_404(
        WorkingFile.objects.select_related("task"), working_file_id, "Working file not found."
    )


# --- a task's working files ----------------------------------------------------------------------


class TaskWorkingFilesView(TaskScopedView):
    """`GET /data/tasks/{task_id}/working-files`: the task's working files, highest revision
    first, for whoever reaches the task."""

    rules = {"GET": READER}

    @extend_schema(responses={200: WORKING_FILE(many=True)}, tags=TAGS)
    def get(self, request, task_id):
        return Response(render_rows(queries.task_working_files(self.task)))


class LastWorkingFilesView(TaskScopedView):
    """`GET /data/tasks/{task_id}/working-files/last-revisions`: {file name: its last revision}."""

    rules = {"GET": READER}

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, task_id):
        return Response({row["name"]: row for row in render_rows(queries.last_working_files(self.task))})


class NewWorkingFileView(TaskScopedView):
    """`POST /data/tasks/{task_id}/working-files/new`: a new revision of a working file of the
    task (the next one unless `revision` is set), its path from the file tree; the caller becomes
    an assignee of the task. 201 and the file."""

    rules = {"POST": READER}

    @extend_schema(request=NewWorkingFileBody, responses={201: WORKING_FILE}, tags=TAGS)
    def post(self, request, task_id):
        body = validated(NewWorkingFileBody, request.data)
        software = software_or_404(body.get("software_id"))
        person = request.user
        if body.get("person_id"):
            person = found_or_404(Person, body["person_id"], "Person not found.")
        working_file = services.new_working_file(
            self.task,
            request.user,
            person,
            software,
            name=body["name"],
            mode=body["mode"],
            comment=body["comment"],
            revision=body["revision"],
            sep=body["sep"],
        )
        return Response(render(working_file, relations=False), status=201)


class WorkingFilePathView(TaskScopedView):
    """`POST /data/tasks/{task_id}/working-file-path`: the folder and file name the file tree
    gives a working file of the task (nothing is written)."""

    rules = {"POST": READER}

    @extend_schema(request=WorkingFilePathBody, responses={200: PathAnswer}, tags=TAGS)
    def post(self, request, task_id):
        body = validated(WorkingFilePathBody, request.data)
        software = software_or_404(body.get("software_id"))
        folder, name = services.working_file_path(
            self.task, software, body["name"], body["mode"], body["revision"], body["sep"]
        )
        return Response({"path": folder, "name": name})


# --- an entity's working files, any file ---------------------------------------------------------


class EntityWorkingFilesView(EntityScopedView):
    """`GET /data/entities/{entity_id}/working-files[?task_id=&name=&relations=true]`: the
    working files of the entity, highest revision first, for its production's team."""

    rules = {"GET": MEMBER}

    @extend_schema(
        parameters=[
            OpenApiParameter("task_id", OpenApiTypes.UUID),
            OpenApiParameter("name", str),
            OpenApiParameter("relations", bool),
        ],
        responses={200: WORKING_FILE(many=True)},
        tags=TAGS,
    )
    def get(self, request, entity_id):
        task_id = query_id(request, "task_id")
        files = queries.entity_working_files(self.entity, task_id, query_text(request, "name"))
        return Response(render_rows(files, relations=relations_asked(request)))


class FileView(KitsuView):
    """`GET /data/files/{file_id}`: a working file (with its outputs) or an output file, for the
    team of its production."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["data/files"])
    def get(self, request, file_id):
        access = access_for(request)
        pk = uuid_or_none(file_id)
        working_file = WorkingFile.objects.select_related("task").filter(pk=pk).first() if pk else None
        if working_file is not None:
            if working_file.task is None:
                raise NotFound("Task not found.")
            access.check_project_access(working_file.task.project_id)
            return Response(render(working_file, relations=True))
        output_file = OutputFile.objects.select_related("entity").filter(pk=pk).first() if pk else None
        if output_file is None:
            raise NotFound("File not found.")
        if output_file.entity is None:
            raise NotFound("Entity not found.")
        access.check_project_access(output_file.entity.project_id)
        return Response(render(output_file, relations=False))


# --- actions on a working file -------------------------------------------------------------------


class WorkingFileCommentView(KitsuView):
    """`PUT /actions/working-files/{working_file_id}/comment` {comment}: who may act on the task
    sets the file's comment; the file."""

    @extend_schema(
        request=WorkingFileCommentBody, responses={200: WORKING_FILE}, tags=["actions/working-files"]
    )
    def put(self, request, working_file_id):
        access = access_for(request)
        working_file = working_file_or_404(working_file_id)
        access.check_working_file_task(working_file, Access.check_task_action_access)
        body = validated(WorkingFileCommentBody, request.data)
        working_file = services.update_working_file(working_file, request.user, comment=body["comment"])
        return Response(render(working_file, relations=False))


class WorkingFileModifiedView(KitsuView):
    """`PUT /actions/working-files/{working_file_id}/modified`: marks the file modified now."""

    @extend_schema(request=None, responses={200: WORKING_FILE}, tags=["actions/working-files"])
    def put(self, request, working_file_id):
        access = access_for(request)
        working_file = working_file_or_404(working_file_id)
        access.check_working_file_task(working_file, Access.check_task_action_access)
        working_file = services.update_working_file(working_file, request.user)
        return Response(render(working_file, relations=False))


# --- guessing what a path names ------------------------------------------------------------------


class GuessFromPathView(KitsuView):
    """`POST /data/entities/guess-from-path` {project_id, file_path, sep}: the templates of the
    production's file tree the path matches, each with the ids of what its tokens name."""

    @extend_schema(request=GuessBody, responses={200: rows()}, tags=["data/entities"])
    def post(self, request):
        project_id = request.data.get("project_id") if isinstance(request.data, dict) else None
        access = access_for(request)
        if project_id:  # the permission before the rest of the body
            project = project_or_404(project_id)
            access.check_project_access(project.pk)
        body = validated(GuessBody, request.data)
        project = project_or_404(body["project_id"])
        access.check_project_access(project.pk)
        try:
            return Response(guess_from_path(project, body["file_path"], body["sep"]))
        except file_tree.MalformedFileTree as error:
            raise services.FileTreeError(str(error)) from None


class LegacyGuessFromPathView(GuessFromPathView):
    """`POST /data/entities/guess_from_path`: the snake_case spelling gazu still posts."""

    @extend_schema(
        request=GuessBody,
        responses={200: rows()},
        tags=["data/entities"],
        operation_id="data_entities_guess_from_path_legacy",
    )
    def post(self, request):
        return super().post(request)
