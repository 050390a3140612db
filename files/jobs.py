"""Background jobs of the files app (Celery tasks, found by kitsu_server.celery): thin
declarations around services; kitsu_server.core.jobs gives them their row, retries and progress."""

from botocore.exceptions import ConnectionError as StorageConnectionError
from botocore.exceptions import HTTPClientError

from files.media import processing
from kitsu_server.core.jobs import TRANSIENT_ERRORS, job

# A storage that does not answer (S3 down or slow, a network share gone) is worth retrying with
# backoff, as the database; a tool's refusal is not (the preview turns broken at once).
MEDIA_TRANSIENT_ERRORS = (
    *TRANSIENT_ERRORS,
    ConnectionError,
    TimeoutError,
    StorageConnectionError,
    HTTPClientError,
)


@job(
    "preview.process",
    key=lambda preview_file_id, normalize=True: f"preview:{preview_file_id}",
    transient=MEDIA_TRANSIENT_ERRORS,
    stale_after=6 * 3600,  # a long movie may take hours to normalise
    on_failure=processing.give_up,
)
def process_preview(report, preview_file_id, normalize=True):
    """Build the variants of an uploaded preview (thumbnails; for a movie the normalised and
    low-definition movies and the tile strip): the preview turns ready, or broken with the
    tool's error."""
    return processing.process_preview(preview_file_id, normalize=normalize, report=report)


# The playlist build job, declared with its area (imported here so that the worker finds it).
from files.playlists import jobs as playlist_jobs  # noqa: E402, F401
