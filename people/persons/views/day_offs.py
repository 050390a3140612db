"""Day offs: the studio's of a year or a month (what the requester reads of them), a person's
(all, of a year, month or week, of a day)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.core.access import access_for
from people import queries
from people.lookups import human_or_404, parse_day
from people.serializers import DAY_OFF, DAY_OFF_OR_NONE

PERSONS = ["persons"]


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


class PersonDayOffViewSet(ViewSetMixin, KitsuView):
    """`GET /data/persons/{person_id}/day-offs[/year/{year}|/month/{year}/{month}|/week/{year}/{week}|
    /{date}]`: the person's day offs (all, of a period, covering a day). Their descriptions are read
    by admins, the person and the managers of a production the person is on; supervisors of such a
    production read the dates of the persons they supervise (403 for anyone else)."""

    def reader(self, request, person_id):
        """The person of the URL, and whether the requester reads their day offs' descriptions."""
        person = human_or_404(person_id)
        return person, access_for(request).day_off_read_level(person.pk) == "full"

    def of_period(self, request, person_id, interval, *period):
        person, full = self.reader(request, person_id)
        start, end = queries.last_day(queries.period(interval, *period, message="Invalid date format."))
        return Response(
            queries.render_day_offs(queries.day_offs_between(start, end, person_id=person.pk), full)
        )

    @extend_schema(tags=PERSONS, operation_id="list_person_day_offs", responses={200: DAY_OFF(many=True)})
    def list(self, request, person_id):
        person, full = self.reader(request, person_id)
        return Response(queries.render_day_offs(queries.day_offs_between(person_id=person.pk), full))

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF(many=True)})
    def year(self, request, person_id, year):
        return self.of_period(request, person_id, queries.year_interval, year)

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF(many=True)})
    def month(self, request, person_id, year, month):
        return self.of_period(request, person_id, queries.month_interval, year, month)

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF(many=True)})
    def week(self, request, person_id, year, week):
        """ISO weeks."""
        return self.of_period(request, person_id, queries.week_interval, year, week)

    @extend_schema(tags=PERSONS, responses={200: DAY_OFF_OR_NONE})
    def day(self, request, person_id, date):
        """The day off covering that day, or {}."""
        person, full = self.reader(request, person_id)
        day = parse_day(date, "Invalid date format.")
        return Response(queries.day_off_on(person, day, full))
