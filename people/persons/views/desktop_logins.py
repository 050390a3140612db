"""A person's logins from the desktop app, and the month's presence sheet built from them."""

import csv
import datetime
import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.rendering import render
from people import queries, services
from people.lookups import person_or_404
from people.serializers import (
    DESKTOP_LOGIN_LOG,
    DESKTOP_LOGIN_LOGS,
    DesktopLoginSerializer,
)

PERSONS = ["persons"]


class PersonDesktopLoginLogViewSet(ViewSetMixin, KitsuView):
    """`GET|POST /data/persons/{person_id}/desktop-login-logs`: the person and managers read the
    logins of the desktop app, latest first; the person (or an admin) records one. Who may ask is
    checked before the person is looked up, as on the reference."""

    @extend_schema(tags=PERSONS, responses={200: DESKTOP_LOGIN_LOGS})
    def list(self, request, person_id):
        access_for(request).check_desktop_login_read(person_id)
        return Response(queries.desktop_login_logs(person_or_404(person_id)))

    @extend_schema(tags=PERSONS, request=DesktopLoginSerializer, responses={201: DESKTOP_LOGIN_LOG})
    def create(self, request, person_id):
        date = validated(DesktopLoginSerializer, request.data).get("date")
        access_for(request).check_self_or_admin(person_id)
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
