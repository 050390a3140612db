"""Routes of the time spents of a task: reading them (all days or one), setting, adding to and
removing a person's minutes of a day."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.access.tasks import (
    check_not_bot,
)
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import object_or_404
from kitsu_server.core.scoped import READER, TaskScopedView
from people.models import Person
from tasks.inputs import url_date
from tasks.models import Task, TimeSpent
from tasks.time_spents.queries import task_time_spents
from tasks.time_spents.services import delete_time_spent, set_time_spent


class TimeSpentBody(serializers.Serializer):
    duration = serializers.FloatField(help_text="Minutes, more than 0")

    def validate_duration(self, value):
        if value <= 0:
            raise serializers.ValidationError("Must be greater than 0.")
        return value


TIME_SPENT_SCHEMA = output_serializer(REGISTRY["time-spents"])


# --- time spents --------------------------------------------------------------------------------


class TaskTimeSpentsViewSet(ViewSetMixin, TaskScopedView):
    """A task's time spents, for whoever reaches the task: over all days
    (`/actions/tasks/{task_id}/time-spents`) or one (`.../time-spents/{date}`)."""

    rules = {"list": READER, "day": READER}

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        tags=["actions/tasks"],
        operation_id="actions_tasks_time_spents_retrieve",
    )
    def list(self, request, task_id):
        """`GET /actions/tasks/{task_id}/time-spents`: the task's time spents per person, with their
        total."""
        return Response(task_time_spents(self.task, self.access))

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        tags=["actions/tasks"],
        operation_id="actions_tasks_day_time_spents",
    )
    def day(self, request, task_id, date):
        """`GET /actions/tasks/{task_id}/time-spents/{date}`: the same for one day."""
        return Response(task_time_spents(self.task, self.access, url_date(date)))


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
        time_spent = set_time_spent(task, person, day, body["duration"], self.add, request.user)
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
        data = delete_time_spent(time_spent, request.user)
        return Response(data, status=201)


class PersonTimeSpentAddView(PersonTimeSpentView):
    """`POST .../persons/{person_id}/add` {duration}: adds minutes to the day's time spent."""

    add = True
    http_method_names = ["post", "options"]

    @extend_schema(request=TimeSpentBody, responses={201: TIME_SPENT_SCHEMA}, tags=["actions/tasks"])
    def post(self, request, task_id, date, person_id):
        return self.write(request, task_id, date, person_id)
