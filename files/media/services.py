"""Writes of preview media: an upload received for a preview file (its kind told from its
content), its processing queued or run, a preview reprocessed.

An upload is never read whole into memory: Django writes it to a temporary file as it arrives
(settings.FILE_UPLOAD_HANDLERS), tools read that file, the storage receives it in chunks. The
uploader's file name only ever becomes the row's `original_name`, never part of a path.
"""

import os
import tempfile

from django.db import transaction
from django.utils import timezone

from files.jobs import process_preview
from files.media import movies, pictures, processing
from files.media.storage import media_key, record_stored, store_path
from files.models import PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.deletion import remove_preview_file
from kitsu_server.core.events import record_event
from kitsu_server.core.jobs import workspace
from tasks.models import Comment

MOVIE_EXTENSIONS = {"avi", "m4v", "mkv", "mov", "mp4", "webm", "wmv"}
# Previews that are no picture nor movie, kept as uploaded (the reference's list).
FILE_EXTENSIONS = {
    "ae", "ai", "blend", "clip", "comp", "diff", "exr", "fbx", "fla", "flv", "gif", "glb", "gltf",
    "hip", "kra", "ma", "mb", "md", "mp3", "obj", "pdf", "psd", "psb", "rar", "rev", "riv", "sai",
    "sai2", "sbbkp", "svg", "swf", "tvpp", "wav", "zip",
}  # fmt: skip
NAME_MAX_LENGTH = 250


def split_name(file_name):
    """(name without extension, lower-case extension) of an uploaded file's name, its folders
    dropped."""
    base = os.path.basename((file_name or "").replace("\\", "/"))
    name, dot, extension = base.rpartition(".")
    if not dot:
        return base[:NAME_MAX_LENGTH], ""
    return name[:NAME_MAX_LENGTH], extension.lower()


def upload_path(uploaded):
    """A local path holding the upload (the temporary file Django wrote; a copy otherwise)."""
    if hasattr(uploaded, "temporary_file_path"):
        return uploaded.temporary_file_path(), None
    handle = tempfile.NamedTemporaryFile(prefix="kitsu-upload-", delete=False)
    with handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return handle.name, handle.name


def kind_of(path, extension):
    """ "picture", "movie" or "file", read from the content; None for anything else. The extension
    only keeps as uploaded what the reference keeps so (a PSD, a GIF, a PDF...), even when Pillow
    could read it."""
    if extension not in FILE_EXTENSIONS and pictures.is_picture(path):
        return "picture"
    try:
        movies.probe(path)
        return "movie"
    except movies.NotAMovie:
        pass
    if extension in FILE_EXTENSIONS:
        return "file"
    return None


def receive_preview_upload(preview, uploaded, user, normalize=True, no_job=False):
    """Store the upload of `preview` and start its processing; the preview, reloaded. A file of
    no accepted kind (a text renamed .mp4, a broken picture) removes the preview and is a 400,
    as on the reference."""
    name, extension = split_name(uploaded.name)
    path, copy = upload_path(uploaded)
    try:
        kind = kind_of(path, extension)
        if kind == "picture":
            values = store_picture_upload(preview, path)
        elif kind == "movie":
            values = store_movie_upload(preview, path)
        elif kind == "file":
            values = store_file_upload(preview, path, extension)
        else:
            refuse(preview, f"Wrong file format, extension: {extension}")
    except (pictures.NotAPicture, movies.NotAMovie) as error:
        refuse(preview, str(error))
    finally:
        if copy:
            os.unlink(copy)
    with transaction.atomic():
        PreviewFile.objects.filter(pk=preview.pk).update(
            original_name=name, processing_error="", updated_at=timezone.now(), **values
        )
        preview.refresh_from_db()
        record_upload_events(preview, user)
        if values["status"] == "processing" and not no_job:
            process_preview.enqueue(
                project=preview.task.project if preview.task_id else None,
                created_by=user,
                preview_file_id=str(preview.pk),
                normalize=normalize,
            )
    if values["status"] == "processing" and no_job:
        processing.process_preview(preview.pk, normalize=normalize)
    preview.refresh_from_db()
    return preview


def refuse(preview, message):
    with transaction.atomic():
        remove_preview_file(preview, force=True)
    raise WrongParameter(message)


def store_picture_upload(preview, path):
    """The picture, upright and in sRGB, stored as the PNG original (decoded once here, so that a
    broken picture is a 400 at once); its thumbnails are the job's."""
    image = pictures.open_picture(path)
    with workspace("picture") as folder:
        original = pictures.save_png(image, os.path.join(folder, "original.png"))
        size = os.path.getsize(original)
        store_path(media_key("pictures", "original", preview.pk), original)
    record_stored("pictures", "original", preview.pk, size)
    width, height = image.size
    return {"extension": "png", "width": width, "height": height, "file_size": size, "status": "processing"}


def store_movie_upload(preview, path):
    """The movie as uploaded (probed first: no video, a 400), stored as the source the job
    normalises."""
    info = movies.probe(path)
    size = os.path.getsize(path)
    store_path(media_key("movies", "source", preview.pk), path)
    record_stored("movies", "source", preview.pk, size)
    return {
        "extension": "mp4",
        "width": info.width,
        "height": info.height,
        "duration": round(info.duration, 3),
        "file_size": size,
        "is_movie": True,
        "status": "processing",
    }


def store_file_upload(preview, path, extension):
    size = os.path.getsize(path)
    store_path(media_key("files", "previews", preview.pk), path)
    record_stored("files", "previews", preview.pk, size)
    return {"extension": extension, "file_size": size, "status": "ready"}


def record_upload_events(preview, user):
    """`comment:update` for the comment showing the preview and `preview-file:add-file`."""
    if preview.task_id is None:
        return
    project_id = preview.task.project_id
    comment = Comment.objects.filter(previews=preview).first()
    if comment is not None:
        data = {
            "comment_id": str(comment.pk),
            "task_id": str(comment.object_id),
            "person_id": str(comment.person_id),
            "for_client": comment.for_client,
        }
        record_event("comment:update", data, project_id=project_id, user=user)
    data = {
        "comment_id": str(comment.pk) if comment else None,
        "task_id": str(preview.task_id),
        "preview_file_id": str(preview.pk),
        "revision": preview.revision,
        "extension": preview.extension,
        "status": preview.status,
    }
    record_event("preview-file:add-file", data, project_id=project_id, user=user)


def reprocess_preview(preview, user=None):
    """Build the variants of a preview again from its stored upload (a broken one, or one whose
    worker died): it turns "processing" and its job is queued. False when there is nothing to
    process (no upload stored, or a kept-as-is file)."""
    if preview.extension not in ("png", "mp4"):
        return False
    with transaction.atomic():
        PreviewFile.objects.filter(pk=preview.pk).update(
            status="processing", processing_error="", updated_at=timezone.now()
        )
        process_preview.enqueue(
            project=preview.task.project if preview.task_id else None,
            created_by=user,
            preview_file_id=str(preview.pk),
            normalize=True,
        )
    return True
