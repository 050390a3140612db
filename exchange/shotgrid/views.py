"""`/import/shotgun/...`: the push import of ShotGrid records (admins), their removals and the
list of import errors.

A push answers the rows it imported, as the reference does; it runs as a job (`shotgrid.import`,
read at `/api/data/jobs`) whose row also counts what was created, updated and left out. A body
that is not a list of well-formed ShotGrid records is a 400 naming the record and the field,
before anything is written.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from exchange.import_runs import failure_message, rows_in_order, run_job_here
from exchange.shotgrid import payloads, services
from exchange.shotgrid.jobs import import_shotgrid_records
from exchange.shotgrid.removals import remove_record
from files.models import DataImportError
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import NUL_MESSAGE, contains_nul
from kitsu_server.api.schema import OBJECT, ROWS
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import found_or_404
from kitsu_server.core.models import SUCCEEDED
from kitsu_server.core.rendering import render, render_rows

TAGS = ["Import"]
REMOVAL_RESULT = {
    "type": "object",
    "properties": {
        "removed_instance_id": {"type": "string", "format": "uuid"},
        "success": {"type": "boolean"},
    },
}


class ShotgunImportView(KitsuView):
    """`POST /import/shotgun/<kind>`: import ShotGrid records of one kind (admins)."""

    kind = None

    @extend_schema(tags=TAGS, request={"application/json": ROWS}, responses={200: ROWS})
    def post(self, request):
        access_for(request).check_admin()
        entries = payloads.checked_entries(self.kind, request.data)
        job = run_job_here(
            import_shotgrid_records,
            created_by=request.user,
            kind=self.kind,
            entries=entries,
            person_id=request.user.pk,
        )
        if job.state != SUCCEEDED:
            raise WrongParameter(failure_message(job))
        model = services.IMPORTERS[self.kind].model
        return Response(rows_in_order(model, job.result["ids"]))


class ShotgunRemoveView(KitsuView):
    """`POST /import/shotgun/remove/<kind>` with `{"id": <ShotGrid id>}`: remove the row of that
    ShotGrid id (admins)."""

    kind = None

    @extend_schema(tags=TAGS, request={"application/json": OBJECT}, responses={200: REMOVAL_RESULT})
    def post(self, request):
        access_for(request).check_admin()
        shotgun_id = payloads.checked_removal(request.data)
        return Response(remove_record(self.kind, shotgun_id, request.user))


class ShotgunImportErrorsView(KitsuView):
    """`GET|POST /import/shotgun/errors`: the ShotGrid import errors, or one more (any JSON, as
    the sync daemon reports it) (admins)."""

    @extend_schema(tags=TAGS, responses={200: ROWS})
    def get(self, request):
        access_for(request).check_admin()
        return Response(render_rows(services.import_errors()))

    @extend_schema(tags=TAGS, request=OpenApiTypes.ANY, responses={201: OBJECT})
    def post(self, request):
        access_for(request).check_admin()
        if contains_nul(request.data):  # a JSON column cannot keep it (PostgreSQL refuses \u0000)
            raise WrongParameter(NUL_MESSAGE)
        return Response(render(services.add_import_error(request.data), relations=False), status=201)


class ShotgunImportErrorView(KitsuView):
    """`DELETE /import/shotgun/errors/{error_id}`: forget an import error (admins; 404 for an
    unknown or malformed id)."""

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, error_id):
        access_for(request).check_admin()
        error = found_or_404(
            DataImportError.objects.filter(source=services.SOURCE), error_id, "Import error not found."
        )
        error.delete()
        return Response(status=204)
