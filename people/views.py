"""Routes of the persons and departments areas: account actions, timesheets, day offs, quotas,
desktop logins and presence, and the software and hardware of departments.

Each view resolves the objects of its URL, checks who may ask, and hands
over to `people.queries` (reads) or `people.services` (writes).
"""

import csv
import datetime
import io
import ipaddress
import uuid

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import or_empty
from kitsu_server.core.access import access_for
from kitsu_server.core.calendar import person_timezone
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import object_or_404
from kitsu_server.core.rendering import render
from people import queries, services
from people.auth_serializers import SuccessSerializer
from people.auth_services import person_data
from people.auth_views import reset_url_builder
from people.crud import day_off_read_level
from people.models import Department, HardwareItem, Person, Software
from productions.models import Project

PERSONS = ["persons"]
DEPARTMENTS = ["departments"]


# --- request and response bodies ---------------------------------------------------------------


class DepartmentRefSerializer(serializers.Serializer):
    department_id = serializers.UUIDField()


class NewPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False)
    password_2 = serializers.CharField(trim_whitespace=False)

    def validate(self, attrs):
        if attrs["password"] != attrs["password_2"]:
            raise serializers.ValidationError("Confirmation password doesn't match.")
        return attrs


class DesktopLoginSerializer(serializers.Serializer):
    date = serializers.DateTimeField(required=False, allow_null=True)


class SoftwareRefSerializer(serializers.Serializer):
    software_id = serializers.UUIDField()


class HardwareItemRefSerializer(serializers.Serializer):
    hardware_item_id = serializers.UUIDField()


class InvitationSentSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()


class ResetLinkSerializer(serializers.Serializer):
    reset_password_link = serializers.CharField()


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


class MinimalPersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField()
    has_avatar = serializers.BooleanField(allow_null=True)  # nullable columns, as the reference
    active = serializers.BooleanField(allow_null=True)
    departments = serializers.ListField(child=serializers.UUIDField())
    studio_id = serializers.UUIDField(allow_null=True)
    role = serializers.CharField()
    desktop_login = serializers.CharField(allow_null=True)
    is_bot = serializers.BooleanField()


def link_serializer(name, item_field):
    return inline_serializer(
        name,
        {
            "id": serializers.UUIDField(),
            "department_id": serializers.UUIDField(),
            item_field: serializers.UUIDField(),
            "created_at": serializers.DateTimeField(),
            "updated_at": serializers.DateTimeField(),
            "type": serializers.CharField(),
        },
    )


PERSON = output_serializer(REGISTRY["persons"])
TIME_SPENT = output_serializer(REGISTRY["time-spents"])
DAY_OFF = output_serializer(REGISTRY["day-offs"])
DAY_OFF_OR_NONE = or_empty(DAY_OFF)
SOFTWARE = output_serializer(REGISTRY["softwares"])
HARDWARE_ITEM = output_serializer(REGISTRY["hardware-items"])
DESKTOP_LOGIN_LOG_FIELDS = {
    "id": serializers.UUIDField(),
    "person_id": serializers.UUIDField(),
    "date": serializers.DateTimeField(),
    "created_at": serializers.DateTimeField(),
    "updated_at": serializers.DateTimeField(),
    "type": serializers.CharField(),
}
DESKTOP_LOGIN_LOG = inline_serializer("DesktopLoginLog", DESKTOP_LOGIN_LOG_FIELDS)
DESKTOP_LOGIN_LOGS = inline_serializer("DesktopLoginLogList", DESKTOP_LOGIN_LOG_FIELDS, many=True)
TIME_SPENTS_IN_RANGE = inline_serializer(
    "TimeSpentWithTask",
    {
        "id": serializers.UUIDField(),
        "person_id": serializers.UUIDField(),
        "task_id": serializers.UUIDField(),
        "date": serializers.DateField(),
        "duration": serializers.FloatField(),
        "project_id": serializers.UUIDField(),
        "task_type_id": serializers.UUIDField(),
        "type": serializers.CharField(),
    },
    many=True,
)
PROJECT_FILTER = OpenApiParameter("project_id", OpenApiTypes.UUID, description="Only this production")
TABLE_FILTERS = [
    PROJECT_FILTER,
    OpenApiParameter("department_id", OpenApiTypes.UUID, description="Only tasks of this department"),
    OpenApiParameter("studio_id", OpenApiTypes.UUID, description="Only persons of this studio"),
]
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


# --- lookups -------------------------------------------------------------------------------------


def person_or_404(person_id):
    """The person of the URL; an id that is no UUID names no person either (404, as the reference)."""
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        raise NotFound("Person not found.") from None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise NotFound("Person not found.")
    return person


def human_or_404(person_id):
    """The person of the URL, who must not be a bot (403)."""
    person = person_or_404(person_id)
    if person.is_bot:
        raise PermissionDenied
    return person


def client_address(request):
    """The first address of X-Forwarded-For when it is one, for the account notices."""
    forwarded = request.headers.get("X-Forwarded-For")
    if not forwarded:
        return None
    candidate = forwarded.split(",")[0].strip()
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return None
    return candidate


def parse_day(value, message):
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise WrongParameter(message) from None


# --- account actions ---------------------------------------------------------------------------


class PersonChangePasswordView(KitsuView):
    """`POST /actions/persons/{person_id}/change-password`: an admin sets a person's password
    (not another admin's once they have one); the person is told by mail."""

    @extend_schema(tags=PERSONS, request=NewPasswordSerializer, responses={200: SuccessSerializer})
    def post(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        data = validated(NewPasswordSerializer, request.data)
        services.set_password(
            person, data["password"], data["password_2"], request.user, address=client_address(request)
        )
        return Response({"success": True})


class PersonClearAvatarView(KitsuView):
    """`DELETE /actions/persons/{person_id}/clear-avatar`: admins drop a person's avatar."""

    @extend_schema(tags=PERSONS, request=None, responses={204: None})
    def delete(self, request, person_id):
        access_for(request).check_admin()
        services.clear_avatar(person_or_404(person_id), request.user)
        return Response(status=204)


class PersonAddDepartmentView(KitsuView):
    """`POST /actions/persons/{person_id}/departments/add`: admins put a person in a department."""

    @extend_schema(tags=PERSONS, request=DepartmentRefSerializer, responses={201: PERSON})
    def post(self, request, person_id):
        access_for(request).check_admin()
        department_id = validated(DepartmentRefSerializer, request.data)["department_id"]
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise WrongParameter("Department ID matches no department")
        person = services.add_to_department(person_or_404(person_id), department, request.user)
        return Response(person_data(person), status=201)


class PersonRemoveDepartmentView(KitsuView):
    """`DELETE /actions/persons/{person_id}/departments/{department_id}`: admins take a person out
    of a department."""

    @extend_schema(tags=PERSONS, request=None, responses={204: None})
    def delete(self, request, person_id, department_id):
        access_for(request).check_admin()
        try:
            department = Department.objects.filter(pk=uuid.UUID(str(department_id))).first()
        except ValueError:
            department = None
        if department is None:
            raise WrongParameter("Department ID matches no department")
        services.remove_from_department(person_or_404(person_id), department, request.user)
        return Response(status=204)


class PersonDisableTwoFactorView(KitsuView):
    """`DELETE /actions/persons/{person_id}/disable-two-factor-authentication`: an admin turns a
    person's second factors off (their own, or a non-admin's); the person is told by mail."""

    @extend_schema(tags=PERSONS, request=None, responses={200: SuccessSerializer})
    def delete(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        services.disable_two_factor_authentication(person, request.user, address=client_address(request))
        return Response({"success": True})


class PersonInviteView(KitsuView):
    """`GET /actions/persons/{person_id}/invite`: admins mail a person the link to join Kitsu."""

    @extend_schema(tags=PERSONS, responses={200: InvitationSentSerializer})
    def get(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        services.invite_person(person, reset_url_builder(request))
        return Response({"success": True, "message": "Email sent"})


class PersonResetPasswordLinkView(KitsuView):
    """`POST /actions/persons/{person_id}/reset-password-link`: admins get a link with which the
    person chooses a new password (valid two hours)."""

    @extend_schema(tags=PERSONS, request=None, responses={200: ResetLinkSerializer})
    def post(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        link = services.create_password_reset_link(person, request.user, reset_url_builder(request))
        return Response({"reset_password_link": link})


# --- desktop logins and presence -----------------------------------------------------------------


class PersonDesktopLoginLogsView(KitsuView):
    """`GET|POST /data/persons/{person_id}/desktop-login-logs`: the person and managers read the
    logins of the desktop app, latest first; the person (or an admin) records one."""

    @extend_schema(tags=PERSONS, responses={200: DESKTOP_LOGIN_LOGS})
    def get(self, request, person_id):
        access = access_for(request)
        if str(access.person.pk) != str(person_id) and access.role not in ("admin", "manager"):
            raise PermissionDenied
        return Response(queries.desktop_login_logs(person_or_404(person_id)))

    @extend_schema(tags=PERSONS, request=DesktopLoginSerializer, responses={201: DESKTOP_LOGIN_LOG})
    def post(self, request, person_id):
        date = validated(DesktopLoginSerializer, request.data).get("date")
        access = access_for(request)
        if str(access.person.pk) != str(person_id) and not access.is_admin:
            raise PermissionDenied
        log = services.create_desktop_login_log(person_or_404(person_id), date, request.user)
        return Response(render(log, relations=False), status=201)


class PresenceLogsView(KitsuView):
    """`GET /data/persons/presence-logs/{month_date}`: admins get the month's desktop logins as a
    CSV sheet, a row per active person and a column per day."""

    @extend_schema(tags=PERSONS, responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, month_date):
        access_for(request).check_admin()
        try:
            month = datetime.datetime.strptime(month_date, "%Y-%m")
        except ValueError:
            raise WrongParameter("Invalid month or year.") from None
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows(queries.presence_sheet(month.year, month.month))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = "attachment; filename=kitsu_export.csv"
        return response


# --- time spents of a person -------------------------------------------------------------------


class PersonTimeSpentsView(KitsuView):
    """`GET /data/persons/{person_id}/time-spents?start_date=&end_date=`: the person's time spents
    of a range of days (both included) with their task's project and type; admins and the person
    read all, managers those of their productions, supervisors of their departments too."""

    @extend_schema(
        tags=PERSONS,
        parameters=[
            OpenApiParameter("start_date", OpenApiTypes.DATE, description="First day (with end_date)"),
            OpenApiParameter("end_date", OpenApiTypes.DATE, description="Last day (with start_date)"),
        ],
        responses={200: TIME_SPENTS_IN_RANGE},
    )
    def get(self, request, person_id):
        person = human_or_404(person_id)
        project_ids, department_ids = queries.person_time_scope(access_for(request), person)
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


class PersonDateTimeSpentsView(KitsuView):
    """`GET /data/persons/{person_id}/time-spents/{date}`: the person's time spents of one day."""

    @extend_schema(
        tags=PERSONS, operation_id="list_person_time_spents_of_day", responses={200: TIME_SPENT(many=True)}
    )
    def get(self, request, person_id, date):
        person = human_or_404(person_id)
        project_ids, department_ids = queries.person_time_scope(access_for(request), person)
        day = parse_day(date, "Invalid month or year.")
        return Response(queries.time_spents_of_day(person, day, project_ids, department_ids))


class PersonMonthAllTimeSpentsView(KitsuView):
    """`GET /data/persons/{person_id}/time-spents/month/all/{year}/{month}`: every time spent of
    the month, for admins and the person only."""

    @extend_schema(tags=PERSONS, responses={200: TIME_SPENT(many=True)})
    def get(self, request, person_id, year, month):
        person = human_or_404(person_id)
        access = access_for(request)
        if not access.is_admin and access.person.pk != person.pk:
            raise PermissionDenied
        start, end = queries.period(queries.month_interval, year, month, message="Invalid month or year.")
        return Response(queries.time_spents_of_month(person, start, end))


class PersonTimesheetView(KitsuView):
    """The person's time of a period summed per task; `?project_id=` narrows it to a production
    (one of theirs for managers and supervisors)."""

    interval = None
    message = "Invalid month or year."

    def timesheet(self, request, person_id, *period):
        person = human_or_404(person_id)
        project_ids, department_ids = queries.person_time_scope(access_for(request), person)
        project = queries.scoped_project(project_ids, request.query_params.get("project_id") or None)
        start, end = queries.period(type(self).interval, *period, message=self.message)
        return Response(queries.timesheet(person, start, end, project, department_ids))


class PersonYearTimeSpentsView(PersonTimesheetView):
    """`GET /data/persons/{person_id}/time-spents/year/{year}`"""

    interval = staticmethod(queries.year_interval)
    message = "Invalid date format."

    @extend_schema(
        tags=PERSONS, parameters=[PROJECT_FILTER], responses={200: TimesheetEntrySerializer(many=True)}
    )
    def get(self, request, person_id, year):
        return self.timesheet(request, person_id, year)


class PersonMonthTimeSpentsView(PersonTimesheetView):
    """`GET /data/persons/{person_id}/time-spents/month/{year}/{month}`"""

    interval = staticmethod(queries.month_interval)
    message = "Invalid date format."

    @extend_schema(
        tags=PERSONS, parameters=[PROJECT_FILTER], responses={200: TimesheetEntrySerializer(many=True)}
    )
    def get(self, request, person_id, year, month):
        return self.timesheet(request, person_id, year, month)


class PersonWeekTimeSpentsView(PersonTimesheetView):
    """`GET /data/persons/{person_id}/time-spents/week/{year}/{week}` (ISO weeks)"""

    interval = staticmethod(queries.week_interval)

    @extend_schema(
        tags=PERSONS, parameters=[PROJECT_FILTER], responses={200: TimesheetEntrySerializer(many=True)}
    )
    def get(self, request, person_id, year, week):
        return self.timesheet(request, person_id, year, week)


class PersonDayTimeSpentsView(PersonTimesheetView):
    """`GET /data/persons/{person_id}/time-spents/day/{year}/{month}/{day}`"""

    interval = staticmethod(queries.day_interval)

    @extend_schema(
        tags=PERSONS, parameters=[PROJECT_FILTER], responses={200: TimesheetEntrySerializer(many=True)}
    )
    def get(self, request, person_id, year, month, day):
        return self.timesheet(request, person_id, year, month, day)


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


# --- quotas ----------------------------------------------------------------------------------------


COUNT_MODES = ("weighted", "weighteddone", "feedback", "done")


class PersonQuotaShotsView(KitsuView):
    """The shots counted in a person's quota over a period. With `?project_id=`, the production's
    managers and supervisors read anyone's; otherwise admins and the person only."""

    interval = None

    def quota(self, request, person_id, *period):
        person = human_or_404(person_id)
        params = request.query_params
        project_id = queries.optional_id(params, "project_id")
        task_type_id = queries.optional_id(params, "task_type_id")
        count_mode = params.get("count_mode") or "weighted"
        if count_mode not in COUNT_MODES:
            raise WrongParameter("count_mode must be equal to weighted, weighteddone, feedback, or done")
        self.check_quota_access(access_for(request), person, project_id)
        start, end = queries.period(type(self).interval, *period, message="Invalid month or year.")
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

    @staticmethod
    def check_quota_access(access, person, project_id):
        """With a production, its managers and supervisors (and admins) read anyone's quotas;
        otherwise, and for everyone else, admins and the person only."""
        if project_id is not None:
            if not Project.objects.filter(pk=project_id).exists():
                raise NotFound("Project not found.")
            if access.project_role(project_id) in ("admin", "manager", "supervisor"):
                if not access.is_admin and not access.is_member(project_id):
                    raise PermissionDenied
                return
        if not access.is_admin and access.person.pk != person.pk:
            raise PermissionDenied


QUOTA_RESPONSE = {200: OpenApiTypes.OBJECT}


class PersonMonthQuotaShotsView(PersonQuotaShotsView):
    """`GET /data/persons/{person_id}/quota-shots/month/{year}/{month}`"""

    interval = staticmethod(queries.month_interval)

    @extend_schema(tags=PERSONS, parameters=QUOTA_FILTERS, responses=QUOTA_RESPONSE)
    def get(self, request, person_id, year, month):
        return self.quota(request, person_id, year, month)


class PersonWeekQuotaShotsView(PersonQuotaShotsView):
    """`GET /data/persons/{person_id}/quota-shots/week/{year}/{week}` (ISO weeks)"""

    interval = staticmethod(queries.week_interval)

    @extend_schema(tags=PERSONS, parameters=QUOTA_FILTERS, responses=QUOTA_RESPONSE)
    def get(self, request, person_id, year, week):
        return self.quota(request, person_id, year, week)


class PersonDayQuotaShotsView(PersonQuotaShotsView):
    """`GET /data/persons/{person_id}/quota-shots/day/{year}/{month}/{day}`"""

    interval = staticmethod(queries.day_interval)

    @extend_schema(tags=PERSONS, parameters=QUOTA_FILTERS, responses=QUOTA_RESPONSE)
    def get(self, request, person_id, year, month, day):
        return self.quota(request, person_id, year, month, day)


# --- day offs --------------------------------------------------------------------------------------


class StudioDayOffsView(KitsuView):
    """The day offs of a period the requester reads: admins all; others their own, those of the
    teams they manage, and the dates of those they supervise."""

    def day_offs(self, request, interval, *period):
        start, end = queries.last_day(queries.period(interval, *period, message="Invalid date format."))
        return Response(queries.readable_day_offs(access_for(request), start, end))


class YearDayOffsView(StudioDayOffsView):
    """`GET /data/persons/day-offs/{year}`"""

    @extend_schema(tags=PERSONS, operation_id="list_day_offs_of_year", responses={200: DAY_OFF(many=True)})
    def get(self, request, year):
        return self.day_offs(request, queries.year_interval, year)


class MonthDayOffsView(StudioDayOffsView):
    """`GET /data/persons/day-offs/{year}/{month}`"""

    @extend_schema(tags=PERSONS, operation_id="list_day_offs_of_month", responses={200: DAY_OFF(many=True)})
    def get(self, request, year, month):
        return self.day_offs(request, queries.month_interval, year, month)


def day_off_reader(request, person_id):
    """The person of the URL and whether the requester reads their day offs' descriptions (403 when
    they read nothing of them)."""
    person = human_or_404(person_id)
    return person, day_off_read_level(access_for(request), person.pk) == "full"


class PersonDayOffsView(KitsuView):
    """`GET /data/persons/{person_id}/day-offs`: all the person's day offs."""

    @extend_schema(tags=PERSONS, operation_id="list_person_day_offs", responses={200: DAY_OFF(many=True)})
    def get(self, request, person_id):
        person, full = day_off_reader(request, person_id)
        return Response(queries.render_day_offs(queries.day_offs_between(person_id=person.pk), full))


class PersonPeriodDayOffsView(KitsuView):
    def day_offs(self, request, person_id, interval, *period):
        person, full = day_off_reader(request, person_id)
        start, end = queries.last_day(queries.period(interval, *period, message="Invalid date format."))
        return Response(
            queries.render_day_offs(queries.day_offs_between(start, end, person_id=person.pk), full)
        )


class PersonYearDayOffsView(PersonPeriodDayOffsView):
    """`GET /data/persons/{person_id}/day-offs/year/{year}`"""

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF(many=True)})
    def get(self, request, person_id, year):
        return self.day_offs(request, person_id, queries.year_interval, year)


class PersonMonthDayOffsView(PersonPeriodDayOffsView):
    """`GET /data/persons/{person_id}/day-offs/month/{year}/{month}`"""

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF(many=True)})
    def get(self, request, person_id, year, month):
        return self.day_offs(request, person_id, queries.month_interval, year, month)


class PersonWeekDayOffsView(PersonPeriodDayOffsView):
    """`GET /data/persons/{person_id}/day-offs/week/{year}/{week}` (ISO weeks)"""

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF(many=True)})
    def get(self, request, person_id, year, week):
        return self.day_offs(request, person_id, queries.week_interval, year, week)


class PersonDateDayOffView(KitsuView):
    """`GET /data/persons/{person_id}/day-offs/{date}`: the day off covering that day, or {}."""

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF_OR_NONE})
    def get(self, request, person_id, date):
        person, full = day_off_reader(request, person_id)
        day = parse_day(date, "Invalid date format.")
        return Response(queries.day_off_on(person, day, full))


# --- departments -----------------------------------------------------------------------------------


class DepartmentPersonsView(KitsuView):
    """`GET /data/departments/{department_id}/persons`: the department's members by name; admins
    get whole persons, others the minimal ones."""

    @extend_schema(tags=DEPARTMENTS, responses={200: MinimalPersonSerializer(many=True)})
    def get(self, request, department_id):
        department = object_or_404(Department, department_id)
        return Response(queries.department_persons(department, access_for(request)))


class DepartmentsSoftwareView(KitsuView):
    """`GET /data/departments/software-licenses`: admins get {department id: [software]}."""

    @extend_schema(tags=DEPARTMENTS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        access_for(request).check_admin()
        return Response(queries.software_by_department())


class DepartmentsHardwareItemsView(KitsuView):
    """`GET /data/departments/hardware-items`: admins get {department id: [hardware items]}."""

    @extend_schema(tags=DEPARTMENTS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        access_for(request).check_admin()
        return Response(queries.hardware_items_by_department())


class DepartmentSoftwareAddView(KitsuView):
    """`POST /data/departments/{department_id}/software-licenses`: admins give a department a
    software license (once)."""

    @extend_schema(
        tags=DEPARTMENTS,
        request=SoftwareRefSerializer,
        responses={201: link_serializer("SoftwareDepartmentLink", "software_id")},
    )
    def post(self, request, department_id):
        access_for(request).check_admin()
        software_id = validated(SoftwareRefSerializer, request.data)["software_id"]
        department = object_or_404(Department, department_id)
        software = object_or_404(Software, software_id)
        return Response(render(services.link_software(department, software), relations=False), status=201)


class DepartmentSoftwareView(KitsuView):
    """`GET|DELETE /data/departments/{department_id}/software-licenses/{software_id}`: admins read
    a software of the department, or take it away."""

    @extend_schema(
        tags=DEPARTMENTS, operation_id="get_department_software_license", responses={200: SOFTWARE}
    )
    def get(self, request, department_id, software_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        software = object_or_404(
            Software.objects.filter(software_department_links__department=department), software_id, "Software"
        )
        return Response(render(software, relations=False))

    @extend_schema(tags=DEPARTMENTS, responses={204: None})
    def delete(self, request, department_id, software_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        services.unlink_software(department, object_or_404(Software, software_id))
        return Response(status=204)


class DepartmentHardwareItemAddView(KitsuView):
    """`POST /data/departments/{department_id}/hardware-items`: admins give a department a
    hardware item (once)."""

    @extend_schema(
        tags=DEPARTMENTS,
        request=HardwareItemRefSerializer,
        responses={201: link_serializer("HardwareItemDepartmentLink", "hardware_item_id")},
    )
    def post(self, request, department_id):
        access_for(request).check_admin()
        hardware_item_id = validated(HardwareItemRefSerializer, request.data)["hardware_item_id"]
        department = object_or_404(Department, department_id)
        hardware_item = object_or_404(HardwareItem, hardware_item_id)
        link = services.link_hardware_item(department, hardware_item)
        return Response(render(link, relations=False), status=201)


class DepartmentHardwareItemView(KitsuView):
    """`GET|DELETE /data/departments/{department_id}/hardware-items/{hardware_item_id}`: admins
    read a hardware item of the department, or take it away."""

    @extend_schema(
        tags=DEPARTMENTS, operation_id="get_department_hardware_item", responses={200: HARDWARE_ITEM}
    )
    def get(self, request, department_id, hardware_item_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        hardware_item = object_or_404(
            HardwareItem.objects.filter(hardware_item_department_links__department=department),
            hardware_item_id,
            "HardwareItem",
        )
        return Response(render(hardware_item, relations=False))

    @extend_schema(tags=DEPARTMENTS, responses={204: None})
    def delete(self, request, department_id, hardware_item_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        services.unlink_hardware_item(department, object_or_404(HardwareItem, hardware_item_id))
        return Response(status=204)
