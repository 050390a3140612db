"""The doctor's checks of the shared machinery: jobs and the trash."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from kitsu_server.core.doctor.registry import WARNING, Check, register
from kitsu_server.core.jobs import KINDS
from kitsu_server.core.models import ACTIVE_STATES, FAILED, Job
from kitsu_server.core.trash_models import TRASHED, TrashItem

DEFAULT_STALE_AFTER = 3600  # seconds, the job runner's default


def silent_jobs(now):
    """Active jobs silent for longer than their kind allows: their worker died and no broker
    brought the message back."""
    silent = Q()
    for name, kind in KINDS.items():
        silent |= Q(name=name, updated_at__lt=now - timedelta(seconds=kind.stale_after))
    known = Q(name__in=list(KINDS))
    silent |= ~known & Q(updated_at__lt=now - timedelta(seconds=DEFAULT_STALE_AFTER))
    return Job.objects.filter(state__in=ACTIVE_STATES).filter(silent)


@register
class StaleJobs(Check):
    """A job still queued or running with no news for longer than its kind allows: its worker
    died and nothing will run it; it holds its key, so the same work cannot be asked again until
    the next enqueue abandons it. Fix: mark it failed ("Abandoned"), as that enqueue would."""

    name = "stale-jobs"
    title = "Jobs queued or running with no news for too long"
    severity = WARNING

    def problems(self, project):
        jobs = silent_jobs(timezone.now())
        if project is not None:
            jobs = jobs.filter(project=project)
        return jobs.select_related("project").order_by("pk")

    def example(self, job):
        where = f" on {job.project.name}" if job.project_id else ""
        return f"job {job.pk} {job.name}{where}: {job.state} since {job.updated_at:%Y-%m-%d %H:%M}"

    def fix(self, project):
        now = timezone.now()
        count = Job.objects.filter(
            pk__in=self.problems(project).values("pk"), state__in=ACTIVE_STATES
        ).update(
            state=FAILED,
            finished_at=now,
            updated_at=now,
            error="Abandoned: no news for too long (manage.py doctor).",
        )
        return f"{count} jobs marked failed (abandoned)"


@register
class ExpiredTrash(Check):
    """Deletions still in the trash after their restore window (`TRASH_RETENTION_DAYS`): the
    purge has not run. Report-only: the trash's purge removes them."""

    name = "expired-trash"
    title = "Trash items past their retention, not purged"
    severity = WARNING

    def problems(self, project):
        items = TrashItem.objects.filter(state=TRASHED, expires_at__lt=timezone.now())
        if project is not None:
            items = items.filter(project_id=project.pk)
        return items.order_by("expires_at", "pk")

    def example(self, item):
        where = f" in {item.project_name}" if item.project_name else ""
        return f"{item.model} {item.name or item.object_id}{where}: expired {item.expires_at:%Y-%m-%d %H:%M}"
