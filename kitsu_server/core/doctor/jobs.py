"""The doctor as a background job (`doctor.run`): what the back-office's "Health checks" page
starts, its findings and repairs kept on the job's row. Declared when the core app is ready
(CoreConfig.ready), so that workers know it."""

from kitsu_server.core.doctor.registry import fix_checks, run_checks
from kitsu_server.core.jobs import job
from kitsu_server.core.models import Job
from productions.models import Project

JOB_NAME = "doctor.run"


@job(JOB_NAME, stale_after=3 * 3600)
def run_doctor(report, checks=None, project_id=None, fix=False):
    """The checks' findings (after the repairs, with `fix`): {"checks": [...], "fixed": [...]}."""
    project = Project.objects.get(pk=project_id) if project_id else None
    findings = run_checks(checks, project, report=report)
    repairs = []
    if fix:
        repairs = fix_checks(checks, project, findings)
        if repairs:
            findings = run_checks(checks, project)
    return {
        "checks": [finding.as_dict() for finding in findings],
        "fixed": [repair.as_dict() for repair in repairs],
        "problems": sum(finding.count for finding in findings),
    }


def last_run():
    """The newest `doctor.run` job (None when the doctor never ran from the back-office or API)."""
    return Job.objects.filter(name=JOB_NAME).order_by("-created_at", "-pk").first()
