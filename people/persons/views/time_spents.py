"""A person's time spents (of a range, a day, a month; summed per task over a period) and the
studio's time tables (totals per person and year, month, week or day)."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.access import access_for
from people import queries
from people.lookups import human_or_404, parse_day
from people.serializers import PROJECT_FILTER, TIME_SPENT, TIME_SPENTS_IN_RANGE

PERSONS = ["persons"]
TABLE_FILTERS = [
    PROJECT_FILTER,
    OpenApiParameter("department_id", OpenApiTypes.UUID, description="Only tasks of this department"),
    OpenApiParameter("studio_id", OpenApiTypes.UUID, description="Only persons of this studio"),
]


class TimesheetEntrySerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    task_type_id = serializers.UUIDField()
    project_id = serializers.UUIDField()
    project_name = serializers.CharField()
    entity_name = serializers.CharField()
    entity_type_name = serializers.CharField()
    sequence_name = serializers.CharField(allow_null=True)
    episode_name = serializers.CharField(allow_null=True)
    duration = serializers.FloatField()


TIMESHEET_SCHEMA = extend_schema(
    tags=PERSONS, parameters=[PROJECT_FILTER], responses={200: TimesheetEntrySerializer(many=True)}
)


class PersonTimeSpentViewSet(ViewSetMixin, KitsuView):
    """`GET /data/persons/{person_id}/time-spents[...]`: a person's time. Admins and the person read
    all of it, managers the time of their productions, supervisors of their departments too
    (`access.person_time_scope`); the whole month is for admins and the person only."""

    @extend_schema(
        tags=PERSONS,
        parameters=[
            OpenApiParameter("start_date", OpenApiTypes.DATE, description="First day (with end_date)"),
            OpenApiParameter("end_date", OpenApiTypes.DATE, description="Last day (with start_date)"),
        ],
        responses={200: TIME_SPENTS_IN_RANGE},
    )
    def list(self, request, person_id):
        """`?start_date=&end_date=`: the time spents of a range of days (both included) with their
        task's project and type."""
        person = human_or_404(person_id)
        project_ids, department_ids = access_for(request).person_time_scope(person)
        start, end = request.query_params.get("start_date"), request.query_params.get("end_date")
        if not start and not end:
            # The reference matches the time spents of a null day here, that is none.
            return Response([])
        if not start or not end:
            raise WrongParameter(
                "If querying for a range of dates, both a `start_date` and an `end_date` must be given."
            )
        message = f"Wrong date format for {start} and/or {end}"
        start, end = parse_day(start, message), parse_day(end, message)
        return Response(queries.time_spents_between(person, start, end, project_ids, department_ids))

    @extend_schema(
        tags=PERSONS, operation_id="list_person_time_spents_of_day", responses={200: TIME_SPENT(many=True)}
    )
    def of_date(self, request, person_id, date):
        """The time spents of one day."""
        person = human_or_404(person_id)
        project_ids, department_ids = access_for(request).person_time_scope(person)
        day = parse_day(date, "Invalid month or year.")
        return Response(queries.time_spents_of_day(person, day, project_ids, department_ids))

    @extend_schema(tags=PERSONS, responses={200: TIME_SPENT(many=True)})
    def month_all(self, request, person_id, year, month):
        """Every time spent of the month, for admins and the person only."""
        person = human_or_404(person_id)
        access_for(request).check_self_or_admin(person.pk)
        start, end = queries.period(queries.month_interval, year, month, message="Invalid month or year.")
        return Response(queries.time_spents_of_month(person, start, end))

    def timesheet(self, request, person_id, interval, message, *period):
        """The time of a period summed per task; `?project_id=` narrows it to a production (one of
        theirs for managers and supervisors)."""
        person = human_or_404(person_id)
        project_ids, department_ids = access_for(request).person_time_scope(person)
        project = queries.scoped_project(project_ids, request.query_params.get("project_id") or None)
        start, end = queries.period(interval, *period, message=message)
        return Response(queries.timesheet(person, start, end, project, department_ids))

    @TIMESHEET_SCHEMA
    def year(self, request, person_id, year):
        return self.timesheet(request, person_id, queries.year_interval, "Invalid date format.", year)

    @TIMESHEET_SCHEMA
    def month(self, request, person_id, year, month):
        return self.timesheet(request, person_id, queries.month_interval, "Invalid date format.", year, month)

    @TIMESHEET_SCHEMA
    def week(self, request, person_id, year, week):
        """ISO weeks."""
        return self.timesheet(request, person_id, queries.week_interval, "Invalid month or year.", year, week)

    @TIMESHEET_SCHEMA
    def day(self, request, person_id, year, month, day):
        return self.timesheet(
            request, person_id, queries.day_interval, "Invalid month or year.", year, month, day
        )


# --- studio time tables ------------------------------------------------------------------------


class TimeTableView(KitsuView):
    """{unit: {person id: total}}: admins see everyone, managers and supervisors the time of their
    productions (supervisors: of their departments), others their own."""

    unit = None

    def table(self, request, year=None, month=None):
        scope = queries.time_table_scope(access_for(request), request.query_params)
        return Response(queries.time_table(self.unit, year=year, month=month, **scope))


def table_year(year):
    try:
        value = int(year)
        datetime.date(value, 1, 1)
    except (TypeError, ValueError):
        raise WrongParameter("Invalid month or year.") from None
    return value


TABLE_RESPONSE = {200: OpenApiTypes.OBJECT}


class YearTableView(TimeTableView):
    """`GET /data/persons/time-spents/year-table`: totals per year."""

    unit = "year"

    @extend_schema(tags=PERSONS, parameters=TABLE_FILTERS, responses=TABLE_RESPONSE)
    def get(self, request):
        return self.table(request)


class MonthTableView(TimeTableView):
    """`GET /data/persons/time-spents/month-table/{year}`: totals per month of the year."""

    unit = "month"

    @extend_schema(tags=PERSONS, parameters=TABLE_FILTERS, responses=TABLE_RESPONSE)
    def get(self, request, year):
        return self.table(request, table_year(year))


class WeekTableView(TimeTableView):
    """`GET /data/persons/time-spents/week-table/{year}`: totals per ISO week number of the days
    of the year (the last days of December may fall in week 1)."""

    unit = "week"

    @extend_schema(tags=PERSONS, parameters=TABLE_FILTERS, responses=TABLE_RESPONSE)
    def get(self, request, year):
        return self.table(request, table_year(year))


class DayTableView(TimeTableView):
    """`GET /data/persons/time-spents/day-table/{year}/{month}`: totals per day of the month."""

    unit = "day"

    @extend_schema(tags=PERSONS, parameters=TABLE_FILTERS, responses=TABLE_RESPONSE)
    def get(self, request, year, month):
        year = table_year(year)
        queries.period(queries.month_interval, year, month, message="Invalid month or year.")
        return self.table(request, year, int(month))
