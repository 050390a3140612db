"""The playlist jobs (Celery tasks, found by kitsu_server.celery through files.jobs): thin
declarations around services; kitsu_server.core.jobs gives them their row, retries and progress."""

from files.playlists import builds
from kitsu_server.core.jobs import job


@job(builds.JOB_NAME, key=lambda build_job_id, full=False: f"build:{build_job_id}", stale_after=6 * 3600)
def build_playlist_movie(report, build_job_id, full=False):
    """Concatenate a playlist's movies into one MP4 (see files.playlists.builds)."""
    return builds.build_movie(build_job_id, report=report, full=full)
