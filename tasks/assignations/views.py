"""Routes of assignations: assigning a task, assigning tasks to a person, clearing assignees."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.access.scopes import department_ids
from kitsu_server.core.access.tasks import (
    allowed,
    check_not_bot,
)
from kitsu_server.core.lookups import object_or_404
from people.models import Person
from tasks.assignations.services import assign_tasks, clear_assignations
from tasks.inputs import ID_LIST, TaskIdsBody, known_ids
from tasks.models import Task, TaskPersonLink
from tasks.queries import tasks_in_order
from tasks.schemas import TASK_SCHEMA


class ClearAssignationBody(TaskIdsBody):
    person_id = serializers.CharField(required=False, allow_null=True)


class AssignPersonBody(serializers.Serializer):
    person_id = serializers.CharField()


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
        rows = assign_tasks([task], person, request.user)
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
        rows = assign_tasks(assignable, person, request.user)
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
        clear_assignations(cleared, person_id, request.user)
        return Response([str(task.pk) for task in cleared])
