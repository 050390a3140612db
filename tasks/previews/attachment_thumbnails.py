"""Thumbnails of picture attachments (comments, chat messages), made on first read and kept in
the storage beside the previews' pictures."""

import os

from drf_spectacular.utils import extend_schema

from files.media import pictures
from files.media.downloads import not_found, send_stored
from files.media.schemas import PNG
from files.media.storage import copy_to_local, is_stored, media_key, store_path
from files.models import AttachmentFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.core.access import access_for
from kitsu_server.core.jobs import workspace
from kitsu_server.core.lookups import found_or_404
from tasks.comments.attachments import attachment_path


def attachment_thumbnail_key(attachment):
    """The key of a picture attachment's thumbnail, made on first read (None when the attachment
    is no picture, or its file is gone)."""
    key = media_key("pictures", "thumbnails", attachment.pk)
    if is_stored(key):
        return key
    with workspace("attachment") as folder:
        try:
            source = copy_to_local(attachment_path(attachment.pk), os.path.join(folder, "attachment"))
            image = pictures.open_picture(source)
        except (FileNotFoundError, pictures.NotAPicture):
            return None
        target = pictures.save_png(
            pictures.fitted(image, pictures.THUMBNAIL_SIZE), os.path.join(folder, "t.png")
        )
        store_path(key, target)
    return key


class AttachmentThumbnailView(KitsuView):
    """`GET /pictures/thumbnails/attachment-files/{attachment_file_id}.png`: the thumbnail of a
    picture attachment, for whoever reads the attachment (404 for other files)."""

    @extend_schema(responses=PNG, tags=["pictures"])
    def get(self, request, attachment_file_id):
        attachment = found_or_404(AttachmentFile, attachment_file_id, "Attachment file not found.")
        access_for(request).check_attachment_read(attachment)
        key = attachment_thumbnail_key(attachment)
        if key is None:
            raise not_found()
        return send_stored(request, key, "image/png", attachment.updated_at)
