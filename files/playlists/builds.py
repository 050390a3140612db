"""Playlist movies: the chosen previews of a playlist concatenated into one MP4, built by a job,
and the zip of its previews, streamed.

A build is a `BuildJob` row (the reference's, what Kitsu reads: running, failed, succeeded) and
the `Job` row of the Celery job doing it (progress, attempts, error). The movie is made in a
local temporary folder; a clip whose size or frame rate differs from the playlist's is
re-encoded to them (the media layer's ffmpeg and encoder), the others are copied as they are
(ffmpeg's concat demuxer). The result is written under a temporary key and moved into place,
then the row turns succeeded: a worker killed on the way leaves the row running (the job runs
again from its start) or failed, and no half-written movie is ever served as done. A cancelled
build (its row deleted) stops at the next clip and leaves nothing behind."""

import os
import uuid
import zipfile

import av
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from files.media import movies
from files.media.storage import (
    copy_to_local,
    delete_quietly,
    is_stored,
    local_path,
    media_key,
    open_stored,
    store_path,
)
from files.models import BuildJob, PreviewFile
from kitsu_server.api.json import serialize_instance
from kitsu_server.core.events import record_event
from kitsu_server.core.jobs import workspace
from kitsu_server.core.models import FAILED, Job

JOB_NAME = "playlist.build"


class BuildCancelled(Exception):
    pass


def movie_key(build_job_id, temporary=False):
    """Where a built movie is stored (the reference's `playlists` movies), beside the previews'."""
    text = str(uuid.UUID(str(build_job_id)))
    folder = "playlists-building" if temporary else "playlists"
    return f"movies/{folder}/{text[:3]}/{text[3:6]}/{text}"


def stored_movie_key(preview_id):
    for prefix in ("previews", "lowdef"):
        key = media_key("movies", prefix, preview_id)
        if is_stored(key):
            return key
    return None


def playlist_movies(playlist):
    """The previews to concatenate, in the playlist's order: the chosen preview of each entry
    when it is a movie (others are skipped, as on the reference)."""
    ids = [shot.get("preview_file_id") for shot in playlist.shots or [] if isinstance(shot, dict)]
    ids = [str(pk) for pk in ids if pk]
    rows = {
        str(row.pk): row
        for row in PreviewFile.objects.filter(pk__in=[pk for pk in ids if _uuid(pk)], extension="mp4")
    }
    return [rows[pk] for pk in ids if pk in rows]


def _uuid(value):
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


def core_job(build_job_id):
    return (
        Job.objects.filter(name=JOB_NAME, params__build_job_id=str(build_job_id))
        .order_by("-created_at")
        .first()
    )


def render_build_job(build_job):
    """The reference's row, with the progress of the job building it (an extension)."""
    data = serialize_instance(build_job)
    job = core_job(build_job.pk)
    if job is not None:
        data["progress"] = {"done": job.progress_done, "total": job.progress_total, "state": job.state}
        if build_job.status == "running" and job.state == FAILED:
            # the job gave up (or was abandoned): the build did not end well
            BuildJob.objects.filter(pk=build_job.pk, status="running").update(
                status="failed", ended_at=timezone.now(), message=job.error[:2000]
            )
            data["status"] = "failed"
    return data


def remove_build(build_job, user=None):
    """The build cancelled (a running job stops at its next clip) or its movie removed."""
    build_job_id, playlist = build_job.pk, build_job.playlist
    with transaction.atomic():
        build_job.delete()
        record_event(
            "build-job:delete",
            {"build_job_id": str(build_job_id), "playlist_id": str(playlist.pk)},
            project_id=playlist.project_id,
            user=user,
        )
    delete_quietly(movie_key(build_job_id), movie_key(build_job_id, temporary=True))


def _still_wanted(build_job_id):
    if not BuildJob.objects.filter(pk=build_job_id).exists():
        raise BuildCancelled


def target_format(project, infos):
    """(width, height, fps) of the built movie: the project's resolution and fps, else the first
    clip's."""
    first = infos[0]
    fps = movies.parse_fps(project.fps) if project and project.fps else first.fps
    width, height = movies.target_size(first, project.resolution if project else None)
    return width, height, fps


def video_duration(path):
    """Seconds of the clip's picture (its sound may run longer: an AAC track ends on a whole
    frame of samples, and a source's sound may outlast its picture)."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        if video.duration and video.time_base:
            return float(video.duration * video.time_base)
        return container.duration / av.time_base if container.duration else None


def concat(parts, target):
    """The clips joined without re-encoding (they share codec, size and rate), each cut where its
    picture ends: sound running past it would push every later clip's sound out of sync."""
    listing = f"{target}.txt"
    with open(listing, "w") as handle:
        for part in parts:
            escaped = str(part).replace("'", "'\\''")
            handle.write(f"file '{escaped}'\n")
            duration = video_duration(part)
            if duration:
                handle.write(f"outpoint {duration:.6f}\n")
    movies.run_ffmpeg(
        "-f", "concat", "-safe", "0", "-i", listing,
        "-c", "copy", "-movflags", "+faststart", "-f", "mp4", target,
    )  # fmt: skip
    return target


def build_movie(build_job_id, report=None, full=False):
    """The movie of a build (re-runnable: a second run builds it again from the start)."""
    report = report or (lambda done, total: None)
    build_job = BuildJob.objects.select_related("playlist__project").filter(pk=build_job_id).first()
    if build_job is None or build_job.status == "succeeded":
        return {"status": "cancelled" if build_job is None else "succeeded"}
    playlist = build_job.playlist
    previews = playlist_movies(playlist)
    total = len(previews) + 2
    report(0, total)
    try:
        with workspace("playlist") as folder:
            target = os.path.join(folder, "playlist.mp4")
            parts = _prepared_parts(build_job_id, playlist.project, previews, folder, report, total)
            if not parts:
                raise movies.NotAMovie("The playlist holds no movie preview.")
            concat(parts, target)
            report(total - 1, total)
            _still_wanted(build_job_id)
            _move_into_place(build_job_id, target)
    except BuildCancelled:
        delete_quietly(movie_key(build_job_id, temporary=True), movie_key(build_job_id))
        return {"status": "cancelled"}
    except (movies.ToolError, movies.NotAMovie, FileNotFoundError) as error:
        _end(build_job, "failed", str(error)[:2000])
        raise
    _end(build_job, "succeeded")
    report(total, total)
    return {"status": "succeeded", "build_job_id": str(build_job_id)}


def _prepared_parts(build_job_id, project, previews, folder, report, total):
    """Each clip local, re-encoded only when its size or rate differs from the movie's."""
    sources = []
    for index, preview in enumerate(previews):
        _still_wanted(build_job_id)
        key = stored_movie_key(preview.pk)
        if key is None:
            continue  # a preview whose movie is not (yet) built is left out
        path = copy_to_local(key, os.path.join(folder, f"source-{index:05d}.mp4"))
        sources.append((path, movies.probe(path)))
    if not sources:
        return []
    width, height, fps = target_format(project, [info for _, info in sources])
    parts = []
    for index, (path, info) in enumerate(sources):
        _still_wanted(build_job_id)
        same = (
            (info.width, info.height) == (width, height)
            and abs(info.fps - fps) < 0.01
            and info.video_codec == "h264"
            and info.has_audio
        )
        if same:
            parts.append(path)
        else:
            encoded = os.path.join(folder, f"part-{index:05d}.mp4")
            parts.append(
                movies.encode(path, encoded, info, fps, width, height, settings.MOVIE_HIGHDEF_BITRATE)
            )
        report(index + 1, total)
    return parts


def _move_into_place(build_job_id, path):
    """Stored under a temporary key, then moved to the movie's: readers never see a partial
    file under the final key (a rename on a local folder; on an object store the upload of an
    object is atomic, and the temporary copy is dropped)."""
    temporary, final = movie_key(build_job_id, temporary=True), movie_key(build_job_id)
    store_path(temporary, path)
    source, target = local_path(temporary), local_path(final)
    if source is not None and target is not None:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)
        return
    store_path(final, path)
    delete_quietly(temporary)


def _end(build_job, status, message=None):
    with transaction.atomic():
        updated = BuildJob.objects.filter(pk=build_job.pk).update(
            status=status, ended_at=timezone.now(), message=message
        )
        if updated:
            record_event(
                "build-job:update",
                {
                    "build_job_id": str(build_job.pk),
                    "playlist_id": str(build_job.playlist_id),
                    "status": status,
                },
                project_id=build_job.playlist.project_id,
            )
    if not updated:  # cancelled at the last moment: nothing left behind
        delete_quietly(movie_key(build_job.pk))


# --- the zip of a playlist's previews ----------------------------------------------------------


class ZipStream:
    """A write-only file whose bytes are handed out as they are written (zipfile writes to it)."""

    def __init__(self):
        self.chunks = []
        self.position = 0

    def write(self, data):
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def drain(self):
        chunks, self.chunks = self.chunks, []
        return b"".join(chunks)


def zip_entries(playlist):
    """(name in the zip, stored key) of each entry's chosen preview that is stored."""
    ids = [shot.get("preview_file_id") for shot in playlist.shots or [] if isinstance(shot, dict)]
    ids = [str(pk) for pk in ids if pk and _uuid(str(pk))]
    rows = PreviewFile.objects.filter(pk__in=ids).select_related("task__entity", "task__task_type").in_bulk()
    entries, seen = [], set()
    for index, pk in enumerate(ids):
        preview = rows.get(uuid.UUID(pk))
        if preview is None or pk in seen:
            continue
        seen.add(pk)
        extension = preview.extension or "bin"
        if extension == "mp4":
            key = stored_movie_key(preview.pk)
        elif extension == "png":
            key = media_key("pictures", "original", preview.pk)
        else:
            key = media_key("files", "previews", preview.pk)
        if key is None or not is_stored(key):
            continue
        entity = preview.task.entity.name if preview.task and preview.task.entity else "preview"
        task_type = preview.task.task_type.name if preview.task and preview.task.task_type else ""
        name = "_".join(
            part for part in (f"{index + 1:03d}", entity, task_type, f"v{preview.revision}") if part
        )
        entries.append((f"{name}.{extension}".replace("/", "_"), key))
    return entries


def stream_zip(entries, chunk_size=1024 * 1024):
    """The zip of `entries`, produced chunk by chunk (stored, not compressed: movies and
    pictures are compressed already); memory holds one chunk, not the archive."""
    stream = ZipStream()
    with zipfile.ZipFile(stream, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, key in entries:
            with open_stored(key) as source, archive.open(name, mode="w", force_zip64=True) as target:
                while chunk := source.read(chunk_size):
                    target.write(chunk)
                    yield stream.drain()
            yield stream.drain()
    yield stream.drain()
