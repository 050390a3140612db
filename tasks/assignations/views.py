"""Routes of assignations: assigning a task, assigning tasks to a person, clearing assignees."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import found_or_404
from kitsu_server.core.scoped import TaskScopedView
from people.models import Person
from tasks.assignations.services import assign_tasks, clear_assignations
from tasks.inputs import ID_LIST, TaskIdsBody, known_ids
from tasks.models import Task
from tasks.queries import tasks_in_order
from tasks.schemas import TASK_SCHEMA


class ClearAssignationBody(TaskIdsBody):
    person_id = serializers.CharField(required=False, allow_null=True)


class AssignPersonBody(serializers.Serializer):
    person_id = serializers.CharField()


ASSIGNEE_MISSING = {"error": "Assignee doesn't exist in database."}


class TaskAssignView(TaskScopedView):
    """`PUT /actions/tasks/{task_id}/assign` {person_id}: managers, department supervisors and
    department members (themselves) assign someone; 200 and the task with its assignees
    (400 `{"error": ...}` for an unknown assignee, as the reference writes it)."""

    # Who may not even assign themselves here assigns nobody: refused before the body is read.
    rules = {"PUT": lambda access, task: access.check_assign_access(task)}

    def lookup(self, object_id):
        return found_or_404(Task.objects.select_related("project", "task_type"), object_id, "Task not found.")

    @extend_schema(request=AssignPersonBody, responses={200: TASK_SCHEMA}, tags=["actions/tasks"])
    def put(self, request, task_id):
        body = validated(AssignPersonBody, request.data)
        person = Person.objects.filter(pk__in=known_ids([body["person_id"]])).first()
        if person is None:
            return Response(ASSIGNEE_MISSING, status=400)
        self.access.check_assignment(self.task, person)
        rows = assign_tasks([self.task], person, request.user)
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
        rows = assign_tasks(access.assignable_tasks(tasks, person), person, request.user)
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
        cleared = access.unassignable_tasks(tasks_in_order(known_ids(body["task_ids"])), person_id)
        clear_assignations(cleared, person_id, request.user)
        return Response([str(task.pk) for task in cleared])
