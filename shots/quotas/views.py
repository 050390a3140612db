"""Routes of the `quotas` area: the done shot work of a production per day, week, month and year,
per person (of one task type) or per task type (of one person).

Access, as on the reference: the production's team, clients aside; a person's quotas are read by
the production's supervisors and managers, else by that person only.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.access import Access
from kitsu_server.core.scoped import ANYONE, ProjectScopedView
from shots.queries import is_valid_id
from shots.quotas.queries import QUOTA_COUNT_MODES, project_quotas
from shots.serializers import SHOT_TAGS

COUNT_MODE_PARAMETER = OpenApiParameter(
    "count_mode", str, enum=list(QUOTA_COUNT_MODES), description="How done work counts"
)
STUDIO_PARAMETER = OpenApiParameter(
    "studio_id", OpenApiTypes.UUID, description="Only the tasks of this studio's people"
)


def quota_options(request):
    """(count mode, studio id) from the query string, or a 400."""
    count_mode = request.query_params.get("count_mode", "weighted")
    if count_mode not in QUOTA_COUNT_MODES:
        raise WrongParameter("count_mode must be equal to weighted, weigtheddone, feedback, or done")
    studio_id = request.query_params.get("studio_id") or None
    if studio_id is not None and not is_valid_id(studio_id):
        raise WrongParameter(f"Invalid UUID format for studio_id: {studio_id}")
    return count_mode, studio_id


class ProjectQuotasView(ProjectScopedView):
    """`GET /data/projects/{project_id}/quotas/{task_type_id}`: the production's shot quotas of a
    task type, per person and in total. Clients are refused."""

    rules = {"GET": Access.check_team_but_clients}

    @extend_schema(
        tags=SHOT_TAGS, parameters=[COUNT_MODE_PARAMETER, STUDIO_PARAMETER], responses=OpenApiTypes.OBJECT
    )
    def get(self, request, project_id, task_type_id):
        count_mode, studio_id = quota_options(request)
        if not is_valid_id(task_type_id):
            raise WrongParameter(f"Invalid UUID format for task_type_id: {task_type_id}")
        quotas = project_quotas(
            self.project, self.access.person, count_mode, task_type_id=task_type_id, studio_id=studio_id
        )
        return Response(quotas)


class ProjectPersonQuotasView(ProjectScopedView):
    """`GET /data/projects/{project_id}/quotas/persons/{person_id}`: a person's shot quotas in the
    production, per task type and in total. Supervisors and managers of the production read
    anyone's; others their own. Clients are refused."""

    rules = {"GET": ANYONE}  # the rule names the person of the URL: checked by the handler

    @extend_schema(
        tags=SHOT_TAGS, parameters=[COUNT_MODE_PARAMETER, STUDIO_PARAMETER], responses=OpenApiTypes.OBJECT
    )
    def get(self, request, project_id, person_id):
        self.access.check_person_quotas_read(self.project.pk, person_id)
        if not is_valid_id(person_id):
            raise WrongParameter(f"Invalid UUID format for person_id: {person_id}")
        count_mode, studio_id = quota_options(request)
        quotas = project_quotas(
            self.project, self.access.person, count_mode, person_id=person_id, studio_id=studio_id
        )
        return Response(quotas)
