"""`GET /api/doctor` and `POST /api/doctor/run`: the doctor's checks for admins (an extension: the
reference has no such route). The run is a `doctor.run` job (done when answered without a worker;
else followed at `/api/data/jobs/{id}`), as the back-office's "Health checks" page starts it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.doctor.jobs import last_run, run_doctor
from kitsu_server.core.doctor.registry import SEVERITIES, load_checks
from kitsu_server.core.views import JobSerializer
from productions.models import Project

TAGS = ["doctor"]


class DoctorFindingSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.ChoiceField(choices=SEVERITIES)
    fixable = serializers.BooleanField()
    count = serializers.IntegerField(min_value=0)
    example = serializers.CharField(allow_blank=True, help_text="One problem, in words a person can look up")
    example_id = serializers.CharField(allow_blank=True, help_text="The id of the example's row")
    skipped = serializers.CharField(allow_blank=True, help_text='"studio-wide" when run for one production')
    error = serializers.CharField(allow_blank=True, help_text="Why the check failed (a problem too)")
    seconds = serializers.FloatField()


class DoctorCheckSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="What `check` takes")
    title = serializers.CharField()
    severity = serializers.ChoiceField(choices=SEVERITIES)
    fixable = serializers.BooleanField(help_text="Whether `fix` repairs it (else report-only)")
    studio_wide = serializers.BooleanField(help_text="Skipped when a production is given")
    description = serializers.CharField()
    finding = DoctorFindingSerializer(allow_null=True, help_text="What the last run found (null: not run)")


class DoctorSerializer(serializers.Serializer):
    checks = DoctorCheckSerializer(many=True)
    last_run = JobSerializer(allow_null=True, help_text="The last `doctor.run` job (its result: findings)")


class DoctorRunInput(serializers.Serializer):
    checks = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Names of the checks to run (all when absent)",
    )
    project_id = serializers.UUIDField(required=False, allow_null=True, help_text="Only this production")
    fix = serializers.BooleanField(default=False, help_text="Repair what the fixable checks find")


def check_admin(request):
    if not access_for(request).is_admin:
        raise PermissionDenied


class DoctorView(KitsuView):
    @extend_schema(operation_id="doctor_retrieve", tags=TAGS, responses=DoctorSerializer)
    def get(self, request):
        """The doctor's checks and what their last run found (admins)."""
        check_admin(request)
        run = last_run()
        found = {}
        if run is not None and run.result:
            found = {finding["name"]: finding for finding in run.result.get("checks", ())}
        checks = [{**check.describe(), "finding": found.get(name)} for name, check in load_checks().items()]
        return Response({"checks": checks, "last_run": serialize_instance(run) if run is not None else None})


class DoctorRunView(KitsuView):
    @extend_schema(
        operation_id="doctor_run", tags=TAGS, request=DoctorRunInput, responses={202: JobSerializer}
    )
    def post(self, request):
        """Run the checks (and repair what is safe with `fix`) as a job: 202 with the job's row, its
        `result` holding the findings once it succeeded (admins)."""
        check_admin(request)
        body = validated(DoctorRunInput, request.data)
        known = load_checks()
        unknown = [name for name in body.get("checks") or () if name not in known]
        if unknown:
            raise WrongParameter(f"Unknown check: {', '.join(unknown)}.")
        project = None
        if body.get("project_id") is not None:
            project = Project.objects.filter(pk=body["project_id"]).first()
            if project is None:
                raise WrongParameter(f"No project of id {body['project_id']}.")
        params = {"fix": body["fix"]}
        if body.get("checks"):
            params["checks"] = sorted(set(body["checks"]))
        if project is not None:
            params["project_id"] = str(project.pk)
        row = run_doctor.enqueue(project=project, created_by=request.user, **params)
        row.refresh_from_db()  # without a worker (no Redis), it ran when enqueued
        return Response(serialize_instance(row), status=202)
