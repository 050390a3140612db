"""The shots counted in a person's quota over a day, a week or a month."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.access import access_for
from kitsu_server.core.calendar import person_timezone
from people import queries
from people.lookups import human_or_404
from people.serializers import PROJECT_FILTER

PERSONS = ["persons"]
QUOTA_FILTERS = [
    PROJECT_FILTER,
    OpenApiParameter("task_type_id", OpenApiTypes.UUID, description="Only tasks of this type"),
    OpenApiParameter(
        "count_mode",
        OpenApiTypes.STR,
        enum=["weighted", "weighteddone", "feedback", "done"],
        description="Weighted or not, counted at the first feedback request or at approval",
    ),
]


COUNT_MODES = ("weighted", "weighteddone", "feedback", "done")


QUOTA_SCHEMA = extend_schema(tags=PERSONS, parameters=QUOTA_FILTERS, responses={200: OpenApiTypes.OBJECT})


class PersonQuotaShotViewSet(ViewSetMixin, KitsuView):
    """`GET /data/persons/{person_id}/quota-shots/{day|week|month}/...`: the shots counted in a
    person's quota over a period. With `?project_id=`, the production's managers and supervisors
    read anyone's; otherwise admins and the person only (`access.check_quota_access`)."""

    def quota(self, request, person_id, interval, *period):
        person = human_or_404(person_id)
        params = request.query_params
        project_id = queries.optional_id(params, "project_id")
        task_type_id = queries.optional_id(params, "task_type_id")
        count_mode = params.get("count_mode") or "weighted"
        if count_mode not in COUNT_MODES:
            raise WrongParameter("count_mode must be equal to weighted, weighteddone, feedback, or done")
        access_for(request).check_quota_access(person.pk, project_id)
        start, end = queries.period(interval, *period, message="Invalid month or year.")
        shots = queries.quota_shots(
            person,
            start,
            end,
            person_timezone(request.user),
            project_id=project_id,
            task_type_id=task_type_id,
            weighted="weighted" in count_mode,
            feedback="done" not in count_mode,
        )
        return Response(shots)

    @QUOTA_SCHEMA
    def month(self, request, person_id, year, month):
        return self.quota(request, person_id, queries.month_interval, year, month)

    @QUOTA_SCHEMA
    def week(self, request, person_id, year, week):
        """ISO weeks."""
        return self.quota(request, person_id, queries.week_interval, year, week)

    @QUOTA_SCHEMA
    def day(self, request, person_id, year, month, day):
        return self.quota(request, person_id, queries.day_interval, year, month, day)
