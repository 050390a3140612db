"""Pictures of other rows than previews: person avatars, project thumbnails and the organisation's
logo (400x400 PNGs), preview backgrounds (HDR files and their 300x200 thumbnail)."""

import os

from django.db import transaction
from django.utils import timezone

from files.media import movies, pictures
from files.media.services import split_name, upload_path
from files.media.storage import media_key, record_stored, store_path
from files.models import PreviewBackgroundFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from kitsu_server.core.jobs import workspace

BACKGROUND_EXTENSIONS = {"hdr"}
BACKGROUND_THUMBNAIL_SIZE = (300, 200)
HDR_SIGNATURES = (b"#?RADIANCE", b"#?RGBE")


def store_thumbnail(instance_id, uploaded, size=pictures.AVATAR_SIZE):
    """The uploaded picture (read by content: 400 otherwise) fitted in `size`, stored as the
    row's thumbnail."""
    path, copy = upload_path(uploaded)
    try:
        image = pictures.open_picture(path)
    except pictures.NotAPicture as error:
        raise WrongParameter(str(error)) from None
    finally:
        if copy:
            os.unlink(copy)
    with workspace("thumbnail") as folder:
        target = pictures.save_png(pictures.fitted(image, size), os.path.join(folder, "thumbnail.png"))
        store_path(media_key("pictures", "thumbnails", instance_id), target)
        record_stored("pictures", "thumbnails", instance_id, os.path.getsize(target))


def set_row_thumbnail(row, uploaded, kind, user, project_id=None):
    """A person's, project's or organisation's picture: stored, then the row says it has one
    (never before: a failed store leaves no row pointing at nothing). Records
    `<kind>:set-thumbnail`. Returns the path the web UI reads it from."""
    store_thumbnail(row.pk, uploaded)
    with transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(has_avatar=True, updated_at=timezone.now())
        record_event(f"{kind}:set-thumbnail", {f"{kind}_id": str(row.pk)}, project_id=project_id, user=user)
    return {"thumbnail_path": f"pictures/thumbnails/{kind}s/{row.pk}.png"}


def is_hdr(path):
    with open(path, "rb") as handle:
        return handle.read(16).startswith(HDR_SIGNATURES)


def store_preview_background(background, uploaded, user):
    """An HDR preview background (the content must be Radiance HDR), stored with a 300x200
    thumbnail ffmpeg makes of it. Anything else removes the row and is a 400, as on the
    reference."""
    name, extension = split_name(uploaded.name)
    path, copy = upload_path(uploaded)
    try:
        if extension not in BACKGROUND_EXTENSIONS or not is_hdr(path):
            with transaction.atomic():
                background.delete()
            raise WrongParameter(f"Wrong file format, extension: {extension}")
        size = os.path.getsize(path)
        with workspace("background") as folder:
            try:
                frame = movies.first_frame(path, os.path.join(folder, "background.png"))
                thumbnail = pictures.fitted(pictures.open_picture(frame), BACKGROUND_THUMBNAIL_SIZE)
            except (movies.ToolError, pictures.NotAPicture) as error:
                raise WrongParameter(f"The HDR file could not be read: {error}") from None
            store_path(media_key("pictures", "preview-backgrounds", background.pk), path)
            record_stored("pictures", "preview-backgrounds", background.pk, size)
            target = pictures.save_png(thumbnail, os.path.join(folder, "thumbnail.png"))
            store_path(media_key("pictures", "thumbnails", background.pk), target)
    finally:
        if copy:
            os.unlink(copy)
    with transaction.atomic():
        PreviewBackgroundFile.objects.filter(pk=background.pk).update(
            extension=extension, original_name=name, file_size=size, updated_at=timezone.now()
        )
        data = {"preview_background_file_id": str(background.pk)}
        record_event("preview-background-file:update", data, user=user)
        record_event("preview-background-file:add-file", {**data, "extension": extension}, user=user)
    background.refresh_from_db()
    return background
