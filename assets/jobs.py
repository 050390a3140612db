"""Background jobs of the assets app (Celery tasks, found by kitsu_server.celery): thin
declarations around services; kitsu_server.core.jobs gives them their row, retries and progress."""

from assets import casting_jobs
from kitsu_server.core.jobs import job


@job("casting-stats.refresh", key=lambda project_id: f"project:{project_id}")
def refresh_project_casting_stats(report, project_id):
    """Recount the casting stats (shots' cast assets, tasks' assets ready) of a whole project."""
    return casting_jobs.refresh_project_casting_stats(project_id, report)
