"""The processing of an uploaded preview, run as a job (files/jobs.py) or inside the request
(`no_job=true`): variants built from the stored upload, written to the storage, then the preview
turns "ready", or "broken" with the tool's error kept on the row.

Re-runnable by construction, as jobs must be (a worker killed mid-way has its job run again from
the start): every output is built in a fresh temporary folder and written under a fixed key
(replacing what a previous attempt left), and the status changes only once everything is stored.
A killed run therefore leaves the preview "processing", its variants incomplete but never served
as ready, and the next run (or a reprocess) writes them whole.
"""

import logging
import os

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from files.media import movies, pictures
from files.media.storage import copy_to_local, media_key, record_stored, store_path
from files.models import PreviewFile
from files.signals import preview_ready
from kitsu_server.core.events import record_event
from kitsu_server.core.jobs import workspace

logger = logging.getLogger(__name__)

# What a broken upload raises: the preview turns "broken" with the message (anything else is a
# bug or an outage: the job's retries and its own error handle it).
PROCESSING_ERRORS = (movies.ToolError, movies.NotAMovie, pictures.NotAPicture, FileNotFoundError)


def process_preview(preview_file_id, normalize=True, report=None):
    """Build and store the variants of an uploaded preview; returns its final status."""
    preview = (
        PreviewFile.objects.select_related("task__project", "task__entity").filter(pk=preview_file_id).first()
    )
    if preview is None:
        return {"status": "gone"}
    report = report or (lambda done, total=None: None)
    try:
        with workspace("preview") as folder:
            if preview.extension == "mp4":
                values = build_movie(preview, folder, normalize, report)
            else:
                values = build_picture(preview, folder, report)
    except PROCESSING_ERRORS as error:
        logger.warning("Preview %s is broken: %s", preview.pk, error)
        finish(preview, "broken", processing_error=str(error) or type(error).__name__)
        return {"status": "broken", "error": str(error)}
    finish(preview, "ready", processing_error="", **values)
    return {"status": "ready"}


def give_up(error, preview_file_id, normalize=True):
    """The processing job failed for good (an unexpected error, or an outage past its retries):
    a preview still processing turns broken with that error, so that it is seen and can be
    reprocessed, rather than spinning forever."""
    preview = (
        PreviewFile.objects.select_related("task").filter(pk=preview_file_id, status="processing").first()
    )
    if preview is not None:
        finish(preview, "broken", processing_error=f"The processing failed: {error}")


def finish(preview, status, **values):
    with transaction.atomic():
        PreviewFile.objects.filter(pk=preview.pk).update(status=status, updated_at=timezone.now(), **values)
        if preview.task_id is not None:
            data = {
                "preview_file_id": str(preview.pk),
                "task_id": str(preview.task_id),
                "revision": preview.revision,
                "extension": preview.extension,
                "status": status,
            }
            record_event("preview-file:update", data, project_id=preview.task.project_id)
            if status == "ready":
                preview_ready.send(sender=PreviewFile, preview=preview)


def store_variants(image, preview_id, folder, original=True):
    """The thumbnail variants of a picture (and the picture itself as the original), written to
    the storage."""
    outputs = {"original": image, **pictures.variants(image)} if original else pictures.variants(image)
    for prefix, picture in outputs.items():
        path = pictures.save_png(picture, os.path.join(folder, f"{prefix}.png"))
        key = media_key("pictures", prefix, preview_id)
        store_path(key, path)
        record_stored("pictures", prefix, preview_id, os.path.getsize(path))


def build_picture(preview, folder, report):
    """Thumbnails of a picture whose original (a PNG, written at upload) is stored."""
    report(0, 3)
    source = copy_to_local(media_key("pictures", "original", preview.pk), os.path.join(folder, "upload.png"))
    image = pictures.open_picture(source)
    report(1, 3)
    store_variants(image, preview.pk, folder, original=False)
    report(3, 3)
    width, height = image.size
    return {"width": width, "height": height}


def movie_settings(preview):
    """(fps, resolution) the movie is normalised to: the entity's data, else the project's."""
    task = preview.task
    project = task.project if task is not None else None
    entity_data = (task.entity.data if task is not None and task.entity is not None else None) or {}
    fps = entity_data.get("fps") or (project.fps if project is not None else None)
    resolution = entity_data.get("resolution") or (project.resolution if project is not None else None)
    return movies.parse_fps(fps), resolution


def build_movie(preview, folder, normalize, report):
    """The normalised movie (H.264 MP4 at the project's fps and resolution), its low-definition
    copy, the first frame with its picture variants, and the tile strip."""
    steps = 5
    report(0, steps)
    source = copy_to_local(media_key("movies", "source", preview.pk), os.path.join(folder, "source"))
    info = movies.probe(source)
    fps, resolution = movie_settings(preview)
    width, height = movies.target_size(info, resolution)
    if normalize:
        high = movies.encode(
            source, os.path.join(folder, "high.mp4"), info, fps, width, height, settings.MOVIE_HIGHDEF_BITRATE
        )
        report(1, steps)
        low_width, low_height = movies.lowdef_size(width, height)
        low = movies.encode(
            source,
            os.path.join(folder, "low.mp4"),
            info,
            fps,
            low_width,
            low_height,
            settings.MOVIE_LOWDEF_BITRATE,
        )
        report(2, steps)
        normalised = movies.probe(high)
    else:  # kept as uploaded: the source is served for both definitions
        high, low, normalised = source, None, info
    frame = movies.first_frame(high, os.path.join(folder, "frame.png"))
    store_variants(pictures.open_picture(frame), preview.pk, folder)
    report(3, steps)
    tile = movies.tile_strip(high, os.path.join(folder, "tile.png"), normalised)
    store_path(media_key("pictures", "tiles", preview.pk), tile)
    report(4, steps)
    # The movies last: once "previews" is stored, the movie is complete (each is written whole).
    if low is not None:
        store_path(media_key("movies", "lowdef", preview.pk), low)
        record_stored("movies", "lowdef", preview.pk, os.path.getsize(low))
    if normalize:
        store_path(media_key("movies", "previews", preview.pk), high)
        record_stored("movies", "previews", preview.pk, os.path.getsize(high))
    report(steps, steps)
    return {
        "width": normalised.width,
        "height": normalised.height,
        "duration": round(normalised.duration, 3),
        "file_size": os.path.getsize(high),
    }
