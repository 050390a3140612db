"""`/import/kitsu/<rows>`: rows of another Kitsu, written here under their own ids.

Admins only, as on the reference, which answers the others an empty list (their entries are
passed over) rather than a refusal: so do we, before reading the body. A push runs as a job
(`kitsu.import`, read at `/api/data/jobs`) in the request, all of it or none: a body that is not a
list of rows, a value of the wrong kind or a row pointing at nothing is a 400 naming the entry.
`?silent=true` writes without announcing each row (bulk syncs).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from exchange.import_runs import failure_message, rows_in_order, run_job_here
from exchange.kitsu.jobs import import_kitsu_rows
from exchange.kitsu.records import KINDS, checked_rows
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_bool
from kitsu_server.api.schema import ROWS
from kitsu_server.core.access import access_for
from kitsu_server.core.models import SUCCEEDED

SILENT = OpenApiParameter("silent", bool, description="Write without announcing each row.")


class KitsuImportView(KitsuView):
    """`POST /import/kitsu/<route>`: import rows of one kind (admins)."""

    route = None

    @extend_schema(
        tags=["Import"], request={"application/json": ROWS}, parameters=[SILENT], responses={200: ROWS}
    )
    def post(self, request):
        if not access_for(request).is_admin:
            return Response([])
        kind = KINDS[self.route]
        checked_rows(kind, request.data)
        silent = parse_bool(request.query_params.get("silent", "false"))
        job = run_job_here(
            import_kitsu_rows,
            created_by=request.user,
            route=self.route,
            entries=request.data,
            person_id=request.user.pk,
            silent=silent,
        )
        if job.state != SUCCEEDED:
            raise WrongParameter(failure_message(job))
        return Response(rows_in_order(kind.model, job.result["ids"]))
