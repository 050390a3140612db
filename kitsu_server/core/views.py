"""`GET /api/data/jobs` and `GET /api/data/jobs/{job_id}`: the background jobs and how far they got.

An extension of this server (the reference has no such route). Admins read every job; managers
the jobs of the productions they manage; anyone else is refused (403).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance, serialize_rows
from kitsu_server.api.requests import query_choice, query_id, query_int, query_text
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE, component, rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.data.pagination import NB_RECORDS_PER_PAGE
from kitsu_server.core.lookups import object_or_404
from kitsu_server.core.models import JOB_STATES, Job

TAGS = ["data/jobs"]
LIST_CAP = 1000  # most rows the list sends without `page` (the newest)
STATES = [state for state, _ in JOB_STATES]


class JobSerializer(serializers.Serializer):
    """A job row as the API answers it."""

    id = serializers.UUIDField()
    type = serializers.CharField(help_text='"Job"')
    name = serializers.CharField(help_text='The kind of job, e.g. "casting-stats.refresh"')
    key = serializers.CharField(help_text="Idempotency key: one active job per key")
    state = serializers.ChoiceField(choices=JOB_STATES)
    progress_done = serializers.IntegerField(min_value=0)
    progress_total = serializers.IntegerField(min_value=0, allow_null=True, help_text="null until known")
    params = serializers.DictField(help_text="What the job was asked to do")
    result = serializers.JSONField(allow_null=True, help_text="What the job answered, once succeeded")
    error = serializers.CharField(allow_blank=True, help_text="Why it failed (or is being retried)")
    attempts = serializers.IntegerField(min_value=0)
    project_id = serializers.UUIDField(allow_null=True)
    created_by = serializers.UUIDField(allow_null=True, help_text="The person who asked for it")
    created_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True, help_text="Of the current or last attempt")
    finished_at = serializers.DateTimeField(allow_null=True)


def managed_project_ids(access):
    """The productions whose jobs a non-admin reads: those of their team they manage (403 when
    none)."""
    managed = {pk for pk in access.member_project_ids() if access.project_role(pk) == "manager"}
    if not managed:
        raise PermissionDenied
    return managed


def visible_jobs(access):
    if access.is_admin:
        return Job.objects.all()
    return Job.objects.filter(project_id__in=managed_project_ids(access))


class JobListView(KitsuView):
    @extend_schema(
        operation_id="jobs_list",
        tags=TAGS,
        parameters=[
            OpenApiParameter("project_id", OpenApiTypes.UUID),
            OpenApiParameter("state", str, enum=STATES),
            OpenApiParameter("name", str, description="The kind of job"),
            OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
            OpenApiParameter("limit", PAGE_SIZE, description="Rows per page (default 100)"),
        ],
        responses={200: rows_or_page(component(JobSerializer))},
    )
    def get(self, request):
        """The jobs, newest first (the newest 1,000 without `page`)."""
        jobs = visible_jobs(access_for(request))
        project_id = query_id(request, "project_id", "Malformed ID for project_id: {value}.")
        if project_id is not None:
            jobs = jobs.filter(project_id=project_id)
        state = query_choice(request, "state", STATES)
        if state is not None:
            jobs = jobs.filter(state=state)
        name = query_text(request, "name")
        if name is not None:
            jobs = jobs.filter(name=name)
        jobs = jobs.order_by("-created_at", "-pk")
        page = query_int(request, "page", -1)
        if page < 1:  # as the /data lists: no page is the whole list
            return Response(serialize_rows(jobs[:LIST_CAP]))
        limit = query_int(request, "limit", 0) or NB_RECORDS_PER_PAGE  # 0 as none, as the /data lists
        if limit < 1:
            raise WrongParameter("limit must be a positive integer.")
        total = jobs.count()
        offset = (page - 1) * limit
        return Response(
            {
                "data": serialize_rows(jobs[offset : offset + limit]) if offset < total else [],
                "total": total,
                "nb_pages": -(-total // limit),
                "limit": limit,
                "offset": offset,
                "page": page,
            }
        )


class JobView(KitsuView):
    @extend_schema(operation_id="jobs_retrieve", tags=TAGS, responses=JobSerializer)
    def get(self, request, job_id):
        """One job: its state, progress, result or error."""
        access = access_for(request)
        managed = None if access.is_admin else managed_project_ids(access)
        job = object_or_404(Job, job_id)
        if managed is not None and job.project_id not in managed:
            raise PermissionDenied
        return Response(serialize_instance(job))
