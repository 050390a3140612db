"""Routes of the to-do lists: a person's tasks (unfinished, done, related), people's task dates,
and the open tasks of the productions with their stats and burndown."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import query_id, query_int, query_moment, query_text
from kitsu_server.api.schema import ROWS
from kitsu_server.core.access import access_for
from kitsu_server.core.access.scopes import open_team_project_ids
from kitsu_server.core.access.tasks import (
    check_not_bot,
)
from kitsu_server.core.lookups import object_or_404
from people.models import Person
from productions.models import Project
from tasks.inputs import INT_MESSAGE
from tasks.queries import open_project_ids
from tasks.schemas import PAGE_PARAMETERS, TASK_SCHEMA
from tasks.todos.queries import (
    OpenTaskFilters,
    open_tasks,
    open_tasks_burndown,
    open_tasks_stats,
    person_related_tasks,
    person_tasks,
    persons_task_dates,
)

# --- people's tasks -----------------------------------------------------------------------------


def person_to_read(request, person_id):
    """The person whose tasks are read: bots have none; vendors read only their own."""
    person = object_or_404(Person, person_id)
    check_not_bot(person)
    access = access_for(request)
    access.check_person_tasks_read(person)
    return access, person


def reachable_project_ids(access):
    """Open projects: all of them for admins, else those of the requester's team (a subquery)."""
    return open_project_ids() if access.is_admin else open_team_project_ids(access.person)


class PersonTasksView(KitsuView):
    """`GET /data/persons/{person_id}/tasks`: a person's unfinished tasks in the requester's open
    projects, with the names around them, assignees and last comment (clients and vendors: [])."""

    done = False

    @extend_schema(responses={200: ROWS}, tags=["data/persons"])
    def get(self, request, person_id):
        access, person = person_to_read(request, person_id)
        if access.role in ("vendor", "client"):
            return Response([])
        return Response(person_tasks(person, reachable_project_ids(access), done=self.done))


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
        return Response(person_related_tasks(person, task_type_id, reachable_project_ids(access)))


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
            project_ids = [project_id] if project_id is not None else open_project_ids()
            return Response(persons_task_dates(project_ids))
        access.check_supervisor()
        if project_id is not None:
            object_or_404(Project, project_id)
            if not access.is_member(project_id):
                raise PermissionDenied
            return Response(persons_task_dates([project_id]))
        mine = open_team_project_ids(access.person)
        busy = open_project_ids().exclude(pk__in=mine)
        return Response(persons_task_dates(mine, busy_project_ids=busy))


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
    filters = OpenTaskFilters(
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
        return Response(open_tasks(access, filters, page=page, limit=limit))


class OpenTasksStatsView(KitsuView):
    """`GET /data/tasks/open-tasks/stats`: per open project reached, task counts and times, with the
    detail per task type and status."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["data/tasks"])
    def get(self, request):
        return Response(open_tasks_stats(access_for(request)))


class OpenTasksBurndownView(KitsuView):
    """`GET /data/tasks/open-tasks/burndown`: the figures of a burndown chart of the open tasks
    selected by the same filters as the open tasks page."""

    @extend_schema(
        parameters=OPEN_TASKS_PARAMETERS, responses={200: OpenApiTypes.OBJECT}, tags=["data/tasks"]
    )
    def get(self, request):
        access, filters = open_task_filters(request)
        return Response(open_tasks_burndown(access, filters))
