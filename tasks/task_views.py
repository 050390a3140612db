"""Routes of the `tasks` area: creating tasks in bulk, assigning them, their time spents, previews
and comments, the to-do lists and the open tasks pages.

Views stay thin: they parse the URL ids, the body and the query string, check who may do it (the
reference's rules, named below when they are batch filters rather than refusals), then call one
query (tasks.task_queries) or one service (tasks.task_services) inside a transaction.
"""

import datetime
import json

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from assets.models import NON_ASSET_TYPE_NAMES, Entity, EntityLink, EntityType
from files.models import PreviewFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import query_id, query_int, query_moment, query_text, validated
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE, ROWS, component, rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.access.scopes import department_ids, open_team_project_ids
from kitsu_server.core.access.tasks import (
    blank_task_for_client,
    check_not_bot,
    check_supervisor_task_access,
)
from kitsu_server.core.data.filters import to_python
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import object_or_404
from people.models import Person
from productions.models import Project
from tasks import task_queries as queries
from tasks import task_services as services
from tasks.models import Comment, Task, TaskPersonLink, TaskType, TimeSpent

# --- request bodies -----------------------------------------------------------------------------


class TaskIdsBody(serializers.Serializer):
    task_ids = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class ClearAssignationBody(TaskIdsBody):
    person_id = serializers.CharField(required=False, allow_null=True)


class TaskPriorityBody(TaskIdsBody):
    priority = serializers.IntegerField(min_value=0)


class AssignPersonBody(serializers.Serializer):
    person_id = serializers.CharField()


class TimeSpentBody(serializers.Serializer):
    duration = serializers.FloatField(help_text="Minutes, more than 0")

    def validate_duration(self, value):
        if value <= 0:
            raise serializers.ValidationError("Must be greater than 0.")
        return value


class CommentPreviewBody(serializers.Serializer):
    revision = serializers.IntegerField(min_value=0, required=False, allow_null=True)


ID_LIST = {"type": "array", "items": {"type": "string", "format": "uuid"}}
ID_LIST_BODY = {"application/json": ID_LIST}


def id_list(request, required=True):
    """A bare JSON array of UUIDs as body; without `required`, no body (or `{}`) means None."""
    body = request.data
    if not isinstance(body, list):
        if not required and (body is None or (hasattr(body, "keys") and not body)):
            return None
        raise WrongParameter("Request body must be a JSON array.")
    ids = []
    for value in body:
        if not isinstance(value, str):
            raise WrongParameter("Request body must only contain valid UUIDs.")
        ids.append(parse_uuid(value, "Request body must only contain valid UUIDs."))
    return ids


def known_ids(values):
    """The values that are UUIDs (a malformed id names no task: it is skipped like an unknown one)."""
    ids = []
    for value in values:
        try:
            ids.append(parse_uuid(value, ""))
        except WrongParameter:
            continue
    return ids


# --- query strings ------------------------------------------------------------------------------

INT_MESSAGE = "{name} must be an integer."


def url_date(value):
    """A `YYYY-MM-DD` route segment (the reference's strptime: `2024-3-1` is fine)."""
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise WrongParameter("Invalid date format.") from None


# --- who may (the reference's rules, as filters for the batch routes) ---------------------------


def allowed(check, *args):
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def tasks_in_order(task_ids):
    """The tasks of `task_ids` that exist, in the given order, with their project and type."""
    found = Task.objects.select_related("project", "task_type", "entity").in_bulk(task_ids)
    seen, tasks = set(), []
    for task_id in task_ids:
        if task_id in found and task_id not in seen:
            seen.add(task_id)
            tasks.append(found[task_id])
    return tasks


TASK_SCHEMA = output_serializer(REGISTRY["tasks"])
ENTITY_SCHEMA = output_serializer(REGISTRY["entities"])
COMMENT_SCHEMA = output_serializer(REGISTRY["comments"])
PREVIEW_SCHEMA = output_serializer(REGISTRY["preview-files"])
TIME_SPENT_SCHEMA = output_serializer(REGISTRY["time-spents"])
SUBSCRIPTION_SCHEMA = output_serializer(REGISTRY["subscriptions"])
PAGE_PARAMETERS = [
    OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
    OpenApiParameter("limit", PAGE_SIZE, description="Rows per page (default 100)"),
]


# --- creating tasks -----------------------------------------------------------------------------


def entity_criteria(queryset, params, fixed=()):
    """Entities narrowed by the query string's entity columns (the reference's criterions): other
    keys are ignored, `name` is case-insensitive, `[...]` is a list."""
    columns = {field.column: field for field in Entity._meta.concrete_fields}
    for key, raw in params.items():
        field = columns.get(key)
        if field is None or key in fixed or key == "page":
            continue
        if isinstance(raw, str) and raw.startswith("["):
            try:
                values = json.loads(raw)
            except ValueError:
                raise WrongParameter(f"Malformed list filter for field {key}.") from None
            if not isinstance(values, list):
                raise WrongParameter(f"Malformed list filter for field {key}.")
            queryset = queryset.filter(**{f"{field.attname}__in": [to_python(field, v, key) for v in values]})
        elif key == "name":
            queryset = queryset.filter(name__iexact=raw)
        else:
            value = to_python(field, raw, key)
            queryset = queryset.filter(
                **({f"{field.attname}__isnull": True} if value is None else {field.attname: value})
            )
    return queryset


class CreateTasksView(KitsuView):
    """`POST /actions/projects/{project_id}/task-types/{task_type_id}/<kind>/create-tasks`: the
    project's managers give a task of the type to each listed entity of the kind (all of them
    when the body lists none, narrowed by the query string), skipping those that have one.
    201 and the new tasks, with their status and type names."""

    kind = None  # the entity kind the route serves: "Shot", "Asset", "Edit", "Concept"

    def check_access(self, access, project):
        access.check_manager(project.pk)

    def check_kind(self):
        """Before the entities are read: a 404 when the route names no known kind."""

    def kind_filter(self, queryset):
        if self.kind == "Asset":
            return queryset.exclude(entity_type__name__in=NON_ASSET_TYPE_NAMES)
        return queryset.filter(entity_type__name=self.kind)

    def listed_entities(self, project, entity_ids):
        found = self.kind_filter(Entity.objects.select_related("entity_type")).in_bulk(entity_ids)
        entities = []
        for entity_id in entity_ids:
            entity = found.get(entity_id)
            if entity is None:
                raise NotFound(f"{self.kind} not found.")
            if entity.project_id == project.pk:  # other projects' entities are skipped
                entities.append(entity)
        return entities

    def selected_entities(self, request, project):
        queryset = self.kind_filter(Entity.objects.select_related("entity_type").filter(project=project))
        params = request.query_params
        fixed = ("project_id",) if self.kind == "Asset" else ("project_id", "entity_type_id")
        if self.kind == "Asset" and query_text(request, "episode_id") is not None:
            episode_id = query_id(request, "episode_id", "Invalid UUID format for episode_id.")
            cast_in = EntityLink.objects.filter(entity_in_id=episode_id).values("entity_out_id")
            queryset = queryset.filter(Q(source_id=episode_id) | Q(pk__in=cast_in))
        queryset = entity_criteria(queryset, params, fixed=(*fixed, "episode_id"))
        return list(queryset.order_by(Lower("name"), "pk"))

    def post(self, request, project_id, task_type_id):
        access = access_for(request)
        project = object_or_404(Project, project_id)
        self.check_access(access, project)
        task_type = object_or_404(TaskType, task_type_id)
        self.check_kind()
        entity_ids = id_list(request, required=False)
        if entity_ids:
            entities = self.listed_entities(project, entity_ids)
        else:
            entities = self.selected_entities(request, project)
        with transaction.atomic():
            tasks = services.create_tasks(task_type, entities, request.user)
        return Response(tasks, status=201)


CREATE_TASKS_SCHEMA = extend_schema(
    request=ID_LIST_BODY, responses={201: TASK_SCHEMA(many=True)}, tags=["actions/projects"]
)


class ShotTasksCreateView(CreateTasksView):
    kind = "Shot"

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class AssetTasksCreateView(CreateTasksView):
    kind = "Asset"

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class EditTasksCreateView(CreateTasksView):
    kind = "Edit"

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class ConceptTasksCreateView(CreateTasksView):
    """Concepts: anyone of the project but its vendors and clients."""

    kind = "Concept"

    def check_access(self, access, project):
        role = access.check_project_access(project.pk)
        if role in ("vendor", "client"):
            raise PermissionDenied

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class EntityTypeTasksCreateView(CreateTasksView):
    """`.../create-tasks/{entity_type}`: any entity type by name ("sequence", "episode"...); the
    listed entities may be of any kind, the query string only narrows by `episode_id` (parent)."""

    def listed_entities(self, project, entity_ids):
        found = Entity.objects.select_related("entity_type").in_bulk(entity_ids)
        entities = []
        for entity_id in entity_ids:
            if entity_id not in found:
                raise NotFound("Entity not found.")
            if found[entity_id].project_id == project.pk:
                entities.append(found[entity_id])
        return entities

    def selected_entities(self, request, project):
        queryset = Entity.objects.select_related("entity_type").filter(
            project=project, entity_type=self.entity_type
        )
        episode_id = query_id(request, "episode_id", "Invalid UUID format for episode_id.")
        if episode_id is not None:
            queryset = queryset.filter(parent_id=episode_id)
        return list(queryset.order_by("name", "pk"))

    def check_kind(self):
        if self.entity_type is None:
            raise NotFound("Entity type not found.")

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id, entity_type):
        self.entity_type = EntityType.objects.filter(name=entity_type.capitalize()).first()
        return super().post(request, project_id, task_type_id)


# --- deleting tasks -----------------------------------------------------------------------------


class ProjectTasksDeleteView(KitsuView):
    """`POST /actions/projects/{project_id}/delete-tasks`: the project's managers remove the listed
    tasks of the project with what hangs off them; 200 and the ids asked."""

    @extend_schema(request=ID_LIST_BODY, responses={200: ID_LIST}, tags=["actions/projects"])
    def post(self, request, project_id):
        access = access_for(request)
        project = object_or_404(Project, project_id)
        access.check_manager(project.pk)
        task_ids = id_list(request)
        with transaction.atomic():
            services.delete_tasks(Task.objects.filter(project=project, pk__in=task_ids), request.user)
        return Response([str(task_id) for task_id in task_ids])


class TaskTypeTasksDeleteView(KitsuView):
    """`DELETE /actions/projects/{project_id}/task-types/{task_type_id}/delete-tasks`: admins remove
    every task of a type in a project; 204."""

    @extend_schema(request=None, responses={204: None}, tags=["actions/projects"])
    def delete(self, request, project_id, task_type_id):
        access_for(request).check_admin()
        project = object_or_404(Project, project_id)
        task_type_id = parse_uuid(task_type_id, f"Malformed ID: {task_type_id}.")
        with transaction.atomic():
            services.delete_tasks(
                Task.objects.filter(project=project, task_type_id=task_type_id), request.user
            )
        return Response(status=204)


# --- assignations and priorities ----------------------------------------------------------------


ASSIGNEE_MISSING = {"error": "Assignee doesn't exist in database."}


class TaskAssignView(KitsuView):
    """`PUT /actions/tasks/{task_id}/assign` {person_id}: managers, department supervisors and
    department members (themselves) assign someone; 200 and the task with its assignees
    (400 `{"error": ...}` for an unknown assignee, as the reference writes it)."""

    @extend_schema(request=AssignPersonBody, responses={200: TASK_SCHEMA}, tags=["actions/tasks"])
    def put(self, request, task_id):
        access = access_for(request)
        task = object_or_404(Task.objects.select_related("project", "task_type"), task_id)
        mine = department_ids(access.person)
        # Who may not even assign themselves here assigns nobody: refused before the body is read.
        if not access.may_assign(task, access.person, mine, mine):
            raise PermissionDenied
        body = validated(AssignPersonBody, request.data)
        person = Person.objects.filter(pk__in=known_ids([body["person_id"]])).first()
        if person is None:
            return Response(ASSIGNEE_MISSING, status=400)
        check_not_bot(person, task.project)
        if not access.may_assign(task, person, mine, department_ids(person)):
            raise PermissionDenied
        with transaction.atomic():
            rows = services.assign_tasks([task], person, request.user)
        return Response(rows[0])


class PersonTasksAssignView(KitsuView):
    """`PUT /actions/persons/{person_id}/assign` {task_ids}: the tasks the requester may assign
    (see `may_assign`) go to the person, the others are skipped; 200 and the tasks assigned."""

    @extend_schema(request=TaskIdsBody, responses={200: TASK_SCHEMA(many=True)}, tags=["actions/persons"])
    def put(self, request, person_id):
        body = validated(TaskIdsBody, request.data)
        access = access_for(request)
        tasks = tasks_in_order(known_ids(body["task_ids"]))
        if not tasks:
            return Response([])
        person = Person.objects.filter(pk__in=known_ids([person_id])).first()
        if person is None:
            return Response(ASSIGNEE_MISSING, status=400)
        mine, theirs = department_ids(access.person), department_ids(person)
        assignable = [
            task
            for task in tasks
            if allowed(check_not_bot, person, task.project) and access.may_assign(task, person, mine, theirs)
        ]
        with transaction.atomic():
            rows = services.assign_tasks(assignable, person, request.user)
        return Response(rows)


class ClearAssignationView(KitsuView):
    """`PUT /actions/tasks/clear-assignation` {task_ids, person_id?}: remove one assignee (everyone
    when no person) from the tasks the requester may (see `may_unassign`); 200 and their ids."""

    @extend_schema(request=ClearAssignationBody, responses={200: ID_LIST}, tags=["actions/tasks"])
    def put(self, request):
        body = validated(ClearAssignationBody, request.data)
        access = access_for(request)
        person_id = body.get("person_id")
        if person_id not in (None, ""):
            person_id = parse_uuid(person_id, f"Malformed ID for person_id: {person_id!r}.")
        else:
            person_id = None
        tasks = tasks_in_order(known_ids(body["task_ids"]))
        mine = department_ids(access.person)
        assignees = {}
        for task_id, assignee_id in TaskPersonLink.objects.filter(task__in=tasks).values_list(
            "task_id", "person_id"
        ):
            assignees.setdefault(task_id, set()).add(assignee_id)
        cleared = [
            task
            for task in tasks
            if access.may_unassign(task, person_id, mine, assignees.get(task.pk, set()))
        ]
        with transaction.atomic():
            services.clear_assignations(cleared, person_id, request.user)
        return Response([str(task.pk) for task in cleared])


class TasksPriorityView(KitsuView):
    """`PUT /actions/tasks/set-priority` {task_ids, priority}: managers, and supervisors of the
    task's department, set the priority; other tasks are skipped. 200 and the tasks updated."""

    @extend_schema(request=TaskPriorityBody, responses={200: TASK_SCHEMA(many=True)}, tags=["actions/tasks"])
    def put(self, request):
        body = validated(TaskPriorityBody, request.data)
        access = access_for(request)
        data = {"priority": body["priority"]}
        tasks = [
            task
            for task in tasks_in_order(known_ids(body["task_ids"]))
            if allowed(check_supervisor_task_access, access, task, data)
        ]
        with transaction.atomic():
            rows = services.set_tasks_priority(tasks, body["priority"], request.user)
        return Response(rows)


# --- main previews ------------------------------------------------------------------------------


class TaskMainPreviewView(KitsuView):
    """`PUT /actions/tasks/{task_id}/set-main-preview`: the entity shows the task's latest preview;
    200 and the entity (400 when the task has none). Clients may not."""

    @extend_schema(request=None, responses={200: ENTITY_SCHEMA}, tags=["actions/tasks"])
    def put(self, request, task_id):
        access = access_for(request)
        task = object_or_404(Task, task_id)
        access.check_main_preview_access(task)
        with transaction.atomic():
            entity = services.set_main_preview(task, request.user)
        return Response(entity)


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
        entities = []
        with transaction.atomic():
            for task in tasks:
                if PreviewFile.objects.filter(task=task).exists():
                    entities.append(services.set_main_preview(task, request.user))
        return Response(entities)


# --- time spents --------------------------------------------------------------------------------


class TaskTimeSpentsView(KitsuView):
    """`GET /actions/tasks/{task_id}/time-spents`: whoever reaches the task reads its time spents
    per person, with their total."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["actions/tasks"])
    def get(self, request, task_id):
        task = object_or_404(Task, task_id)
        access = access_for(request)
        access.check_task_access(task)
        return Response(queries.task_time_spents(task, access))


class TaskDayTimeSpentsView(KitsuView):
    """`GET /actions/tasks/{task_id}/time-spents/{date}`: the same for one day."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        tags=["actions/tasks"],
        operation_id="actions_tasks_day_time_spents",
    )
    def get(self, request, task_id, date):
        task = object_or_404(Task, task_id)
        access = access_for(request)
        access.check_task_access(task)
        return Response(queries.task_time_spents(task, access, url_date(date)))


class PersonTimeSpentView(KitsuView):
    """`POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}` {duration}: an assignee
    (or an admin or project manager for them) sets the minutes of a day; 201 and the time spent.
    `DELETE`: removes them; 201 and the time spent emptied, as the reference answers."""

    add = False

    def write(self, request, task_id, date, person_id):
        task = object_or_404(Task.objects.select_related("project"), task_id)
        person = object_or_404(Person, person_id)
        access_for(request).check_time_spent_access(task, person.pk)
        check_not_bot(person, task.project)
        body = validated(TimeSpentBody, request.data)
        day = url_date(date)
        with transaction.atomic():
            time_spent = services.set_time_spent(task, person, day, body["duration"], self.add, request.user)
        return Response(time_spent, status=201)

    @extend_schema(request=TimeSpentBody, responses={201: TIME_SPENT_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, date, person_id):
        return self.write(request, task_id, date, person_id)

    @extend_schema(request=None, responses={201: TIME_SPENT_SCHEMA}, tags=["actions/tasks"])
    def delete(self, request, task_id, date, person_id):
        person = object_or_404(Person, person_id)
        check_not_bot(person)
        task = object_or_404(Task, task_id)
        access_for(request).check_time_spent_access(task, person.pk)
        time_spent = TimeSpent.objects.filter(task=task, person=person, date=url_date(date)).first()
        if time_spent is None:
            raise NotFound("Time spent not found.")
        with transaction.atomic():
            data = services.delete_time_spent(time_spent, request.user)
        return Response(data, status=201)


class PersonTimeSpentAddView(PersonTimeSpentView):
    """`POST .../persons/{person_id}/add` {duration}: adds minutes to the day's time spent."""

    add = True
    http_method_names = ["post", "options"]

    @extend_schema(request=TimeSpentBody, responses={201: TIME_SPENT_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, date, person_id):
        return self.write(request, task_id, date, person_id)


# --- comment previews ---------------------------------------------------------------------------


def task_comment_or_404(task, comment_id):
    comment = object_or_404(Comment, comment_id)
    if comment.object_id != task.pk:
        raise NotFound("Comment not found.")
    return comment


class CommentPreviewAddView(KitsuView):
    """`POST /actions/tasks/{task_id}/comments/{comment_id}/add-preview` {revision?}: whoever may act
    on the task adds a preview slot (next revision, or the comment's revision) to upload to;
    201 and the preview file."""

    @extend_schema(request=CommentPreviewBody, responses={201: PREVIEW_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, comment_id):
        task = object_or_404(Task.objects.select_related("project", "entity"), task_id)
        access_for(request).check_task_action_access(task)
        body = validated(CommentPreviewBody, request.data)
        comment = task_comment_or_404(task, comment_id)
        with transaction.atomic():
            preview = services.add_preview_to_comment(task, comment, request.user, body.get("revision"))
        return Response(preview, status=201)


class CommentExtraPreviewView(KitsuView):
    """`POST /actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}`: one more
    preview in the revision of an existing one; 201 and the new preview file.
    `DELETE`: removes a preview of the comment (its reader who may act on the task; `force=true`,
    the project's managers, purges its files at once); 204."""

    @extend_schema(request=None, responses={201: PREVIEW_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, comment_id, preview_file_id):
        task = object_or_404(Task.objects.select_related("project", "entity"), task_id)
        access_for(request).check_task_action_access(task)
        comment = task_comment_or_404(task, comment_id)
        related = object_or_404(PreviewFile, preview_file_id)
        with transaction.atomic():
            preview = services.add_preview_to_comment(task, comment, request.user, related.revision)
        return Response(preview, status=201)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("force", bool, description="Purge the stored files at once")],
        tags=["actions/tasks"],
    )
    def delete(self, request, task_id, comment_id, preview_file_id):
        for value in (task_id, comment_id, preview_file_id):
            parse_uuid(value, "Wrong UUID format.")
        access = access_for(request)
        task = object_or_404(Task.objects.select_related("project", "entity"), task_id)
        access.check_task_action_access(task)
        comment = task_comment_or_404(task, comment_id)
        preview = object_or_404(PreviewFile, preview_file_id)
        if preview.task_id != task.pk or not comment.previews.filter(pk=preview.pk).exists():
            raise NotFound("PreviewFile not found.")
        access.check_comment_access(comment, task)
        force = request.query_params.get("force", "").lower() in ("true", "1")
        if force:
            access.check_manager(task.project_id)
        with transaction.atomic():
            services.remove_comment_preview(preview, force=force)
        return Response(status=204)


# --- comments of a task -------------------------------------------------------------------------


class TaskCommentsView(KitsuView):
    """`GET /data/tasks/{task_id}/comments`: the task's thread for whoever reaches the task
    (see task_queries.task_comments for what clients and artists read)."""

    @extend_schema(responses={200: ROWS}, tags=["data/tasks"])
    def get(self, request, task_id):
        access = access_for(request)
        task = object_or_404(Task.objects.select_related("project"), task_id)
        access.check_task_access(task)
        role = access.project_role(task.project_id)
        comments = queries.task_comments(
            task,
            as_client=role == "client",
            as_supervisor=role in ("admin", "manager", "supervisor"),
            reader=access.person,
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
        return Response(serialize_instance(comment, shape=queries.shape_of("comments")))

    @extend_schema(request=None, responses={204: None}, tags=["data/tasks"])
    def delete(self, request, task_id, comment_id):
        comment = object_or_404(Comment, comment_id)
        task = (
            Task.objects.select_related("project", "entity__entity_type").filter(pk=comment.object_id).first()
        )
        if task is None or str(task.pk) != str(task_id):
            raise NotFound("Comment not found.")
        access_for(request).check_comment_delete(comment, task)
        with transaction.atomic():
            services.delete_comment(comment, task, request.user)
        return Response(status=204)


class TaskPreviewsView(KitsuView):
    """`GET /data/tasks/{task_id}/previews`: the task's preview files, latest revision first
    (clients do not see rejected ones)."""

    @extend_schema(responses={200: PREVIEW_SCHEMA(many=True)}, tags=["data/tasks"])
    def get(self, request, task_id):
        access = access_for(request)
        task = object_or_404(Task, task_id)
        access.check_task_access(task)
        return Response(
            queries.task_previews(task, as_client=access.project_role(task.project_id) == "client")
        )


class TaskFullView(KitsuView):
    """`GET /data/tasks/{task_id}/full`: the task with its entity, types, status, project, assignees
    and assigner, for whoever reaches it (clients: studio fields blank, no assignee)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["data/tasks"])
    def get(self, request, task_id):
        access = access_for(request)
        task = object_or_404(Task, task_id)
        access.check_task_access(task)
        data = queries.full_task(task, access.person)
        if access.project_role(task.project_id) == "client":
            data = blank_task_for_client(data)
            data["persons"] = []
            data.pop("assigner", None)
        return Response(data)


class EntityTaskTypeTasksView(KitsuView):
    """`GET /data/entities/{entity_id}/task-types/{task_type_id}/tasks`: the entity's tasks of a type,
    for the project's members (vendors: entities they work on; clients: studio fields blank)."""

    @extend_schema(responses={200: TASK_SCHEMA(many=True)}, tags=["data/entities"])
    def get(self, request, entity_id, task_type_id):
        access = access_for(request)
        entity = object_or_404(Entity, entity_id)
        role = access.check_project_access(entity.project_id)
        access.check_entity_access(entity.pk, role)
        task_type_id = parse_uuid(task_type_id, f"Malformed ID: {task_type_id}.")
        return Response(queries.tasks_for_entity_and_task_type(entity, task_type_id, role == "client"))


# --- people's tasks -----------------------------------------------------------------------------


def person_to_read(request, person_id):
    """The person whose tasks are read: bots have none; vendors read only their own."""
    person = object_or_404(Person, person_id)
    check_not_bot(person)
    access = access_for(request)
    if access.role == "vendor" and person.pk != access.person.pk:
        raise PermissionDenied
    return access, person


def reachable_project_ids(access):
    """Open projects: all of them for admins, else those of the requester's team (a subquery)."""
    return queries.open_project_ids() if access.is_admin else open_team_project_ids(access.person)


class PersonTasksView(KitsuView):
    """`GET /data/persons/{person_id}/tasks`: a person's unfinished tasks in the requester's open
    projects, with the names around them, assignees and last comment (clients and vendors: [])."""

    done = False

    @extend_schema(responses={200: ROWS}, tags=["data/persons"])
    def get(self, request, person_id):
        access, person = person_to_read(request, person_id)
        if access.role in ("vendor", "client"):
            return Response([])
        return Response(queries.person_tasks(person, reachable_project_ids(access), done=self.done))


class PersonDoneTasksView(PersonTasksView):
    """`GET /data/persons/{person_id}/done-tasks`: the same for finished tasks, last ended first."""

    done = True

    @extend_schema(responses={200: ROWS}, tags=["data/persons"])
    def get(self, request, person_id):
        return super().get(request, person_id)


class PersonRelatedTasksView(KitsuView):
    """`GET /data/persons/{person_id}/related-tasks/{task_type_id}`: the tasks of a type on the
    entities where the person works, in the open projects the requester reaches."""

    @extend_schema(responses={200: TASK_SCHEMA(many=True)}, tags=["data/persons"])
    def get(self, request, person_id, task_type_id):
        access, person = person_to_read(request, person_id)
        task_type_id = parse_uuid(task_type_id, f"Malformed ID: {task_type_id}.")
        return Response(queries.person_related_tasks(person, task_type_id, reachable_project_ids(access)))


class PersonsTaskDatesView(KitsuView):
    """`GET /data/persons/task-dates?project_id=`: supervisors and up read, per assignee, the span of
    their tasks (in a project, or in their open projects) and when they are busy elsewhere."""

    @extend_schema(
        parameters=[OpenApiParameter("project_id", OpenApiTypes.UUID)],
        responses={200: ROWS},
        tags=["data/persons"],
    )
    def get(self, request):
        access = access_for(request)
        project_id = (request.query_params.get("project_id") or "").strip() or None
        if project_id is not None:
            project_id = parse_uuid(project_id, "Invalid project_id.")
        if access.is_admin:
            project_ids = [project_id] if project_id is not None else queries.open_project_ids()
            return Response(queries.persons_task_dates(project_ids))
        access.check_supervisor()
        if project_id is not None:
            object_or_404(Project, project_id)
            if not access.is_member(project_id):
                raise PermissionDenied
            return Response(queries.persons_task_dates([project_id]))
        mine = open_team_project_ids(access.person)
        busy = queries.open_project_ids().exclude(pk__in=mine)
        return Response(queries.persons_task_dates(mine, busy_project_ids=busy))


# --- open tasks ---------------------------------------------------------------------------------

OPEN_TASKS_PARAMETERS = [
    OpenApiParameter("project_id", OpenApiTypes.UUID),
    OpenApiParameter("task_type_id", OpenApiTypes.UUID),
    OpenApiParameter("task_status_id", OpenApiTypes.UUID),
    OpenApiParameter("person_id", str, description="Comma-separated ids, or `unassigned`"),
    OpenApiParameter("studio_id", OpenApiTypes.UUID),
    OpenApiParameter("department_id", OpenApiTypes.UUID),
    OpenApiParameter("start_date", str, description="Tasks starting from (YYYY-MM-DD[THH:MM:SS])"),
    OpenApiParameter("due_date", str, description="Tasks due until (YYYY-MM-DD[THH:MM:SS])"),
    OpenApiParameter("priority", int, description="Priority of the task type"),
]


def open_task_filters(request):
    """The open tasks filters of the query string; a project asked must be reachable. Vendors read
    the tasks they are assigned only."""
    person_ids = query_text(request, "person_id")
    if person_ids is not None and person_ids != "unassigned":
        person_ids = [parse_uuid(value, "Wrong UUID format.") for value in person_ids.split(",")]
    filters = queries.OpenTaskFilters(
        project_id=query_id(request, "project_id"),
        task_type_id=query_id(request, "task_type_id"),
        task_status_id=query_id(request, "task_status_id"),
        person_ids=person_ids,
        studio_id=query_id(request, "studio_id"),
        department_id=query_id(request, "department_id"),
        start_date=query_moment(request, "start_date"),
        due_date=query_moment(request, "due_date"),
        priority=query_int(request, "priority", message=INT_MESSAGE),
    )
    access = access_for(request)
    role = access.role
    if filters.project_id is not None and not access.is_admin:
        object_or_404(Project, filters.project_id)
        role = access.check_project_access(filters.project_id)
    if role == "vendor":
        filters.assigned_to = access.person
    return access, filters


class OpenTasksView(KitsuView):
    """`GET /data/tasks/open-tasks`: a page of the tasks of the open projects the requester reaches
    (concepts aside), with their names, assignees and the stats of the whole selection."""

    @extend_schema(
        parameters=[*OPEN_TASKS_PARAMETERS, *PAGE_PARAMETERS],
        responses={200: OpenApiTypes.OBJECT},
        tags=["data/tasks"],
    )
    def get(self, request):
        access, filters = open_task_filters(request)
        page = query_int(request, "page", message=INT_MESSAGE)
        limit = query_int(request, "limit", 100, message=INT_MESSAGE)
        return Response(queries.open_tasks(access, filters, page=page, limit=limit))


class OpenTasksStatsView(KitsuView):
    """`GET /data/tasks/open-tasks/stats`: per open project reached, task counts and times, with the
    detail per task type and status."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["data/tasks"])
    def get(self, request):
        return Response(queries.open_tasks_stats(access_for(request)))


class OpenTasksBurndownView(KitsuView):
    """`GET /data/tasks/open-tasks/burndown`: the figures of a burndown chart of the open tasks
    selected by the same filters as the open tasks page."""

    @extend_schema(
        parameters=OPEN_TASKS_PARAMETERS, responses={200: OpenApiTypes.OBJECT}, tags=["data/tasks"]
    )
    def get(self, request):
        access, filters = open_task_filters(request)
        return Response(queries.open_tasks_burndown(access, filters))


# --- project-wide lists -------------------------------------------------------------------------


class ProjectTasksView(KitsuView):
    """`GET /data/projects/{project_id}/tasks`: the project's tasks with their assignees, for its
    members (vendors: the tasks they are assigned; clients: studio fields blank)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
            OpenApiParameter("task_type_id", OpenApiTypes.UUID),
            OpenApiParameter("episode_id", OpenApiTypes.UUID),
        ],
        responses={200: rows_or_page(component(TASK_SCHEMA))},
        tags=["data/projects"],
    )
    def get(self, request, project_id):
        access = access_for(request)
        project = object_or_404(Project, project_id)
        role = access.check_project_access(project.pk)
        page = query_int(request, "page", -1, message=INT_MESSAGE)
        task_type_id = query_id(request, "task_type_id", "Invalid UUID format for task_type_id.")
        episode_id = query_id(request, "episode_id", "Invalid UUID format for episode_id.")
        return Response(
            queries.project_tasks(
                project,
                page,
                task_type_id=task_type_id,
                episode_id=episode_id,
                vendor=access.person if role == "vendor" else None,
                as_client=role == "client",
            )
        )


class ProjectCommentsView(KitsuView):
    """`GET /data/projects/{project_id}/comments`: the project's comments for its members, vendors
    and clients aside."""

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses={200: rows_or_page(component(COMMENT_SCHEMA))},
        tags=["data/projects"],
    )
    def get(self, request, project_id):
        access = access_for(request)
        project = object_or_404(Project, project_id)
        if access.check_project_access(project.pk) in ("vendor", "client"):
            raise PermissionDenied
        page, limit = (
            query_int(request, "page", -1, message=INT_MESSAGE),
            query_int(request, "limit", 0, message=INT_MESSAGE),
        )
        return Response(queries.project_comments(project, access, page, limit))


class ProjectNotificationsView(KitsuView):
    """`GET /data/projects/{project_id}/notifications`: admins only."""

    @extend_schema(parameters=PAGE_PARAMETERS[:1], responses={200: rows_or_page()}, tags=["data/projects"])
    def get(self, request, project_id):
        access_for(request).check_admin()
        project = object_or_404(Project, project_id)
        return Response(
            queries.project_notifications(project, query_int(request, "page", -1, message=INT_MESSAGE))
        )


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
        return Response(
            queries.project_preview_files(project, query_int(request, "page", -1, message=INT_MESSAGE))
        )


class ProjectSubscriptionsView(KitsuView):
    """`GET /data/projects/{project_id}/subscriptions`: admins only."""

    @extend_schema(responses={200: SUBSCRIPTION_SCHEMA(many=True)}, tags=["data/projects"])
    def get(self, request, project_id):
        access_for(request).check_admin()
        project = object_or_404(Project, project_id)
        return Response(queries.project_subscriptions(project))
