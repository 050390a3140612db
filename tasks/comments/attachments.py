"""Attachment files of comments, replies and chat messages: where they are stored, how an upload is
written (and removed again if the write that holds it fails), and their rows."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import status as http_status
from rest_framework.exceptions import APIException

from files.models import AttachmentFile, StoredFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core import deletion
from kitsu_server.core.trash.services import media_released
from kitsu_server.core.trash.units import keeps_media

logger = logging.getLogger(__name__)

ATTACHMENT_BUCKET, ATTACHMENT_PREFIX = "files", "attachments"


# --- attachment files ------------------------------------------------------------------------


def attachment_path(attachment_id):
    """Where an attachment lives in the storage: the reference's local layout
    (`files/attachments/abc/def/<id>`), so that a migrated file tree is served as is."""
    text = str(attachment_id)
    return f"{ATTACHMENT_BUCKET}/{ATTACHMENT_PREFIX}/{text[:3]}/{text[3:6]}/{text}"


def remove_attachments(attachments):
    """Delete attachment rows (a queryset); their files go once the transaction commits. Inside a
    trash unit the rows go to the trash and their files stay, until the trash item is purged
    (`release_attachment_files`)."""
    ids = [str(pk) for pk in attachments.values_list("pk", flat=True)]
    if not ids:
        return []
    deletion.purge(attachments)
    if keeps_media():
        return ids
    release_attachment_files(ids)
    return ids


def release_attachment_files(ids):
    """The stored files of removed attachments are marked purged and removed from the storage once
    the transaction commits."""
    now = timezone.now()
    StoredFile.objects.filter(bucket=ATTACHMENT_BUCKET, prefix=ATTACHMENT_PREFIX, file_id__in=ids).update(
        deleted_at=now, purged_at=now, updated_at=now
    )
    paths = [attachment_path(pk) for pk in ids]
    transaction.on_commit(lambda: [delete_quietly(path) for path in paths])
    return ids


def delete_quietly(path):
    try:
        default_storage.delete(path)
    except OSError:
        logger.warning("could not remove stored file %s", path)


# Raster images are safe to show inline; anything else (HTML, SVG...) is downloaded, since the
# mimetype is the uploader's word and could run code in the UI's origin.
INLINE_SAFE_MIMETYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/avif"}
NAME_MAX_LENGTH, EXTENSION_MAX_LENGTH = 250, 6


class AttachmentStorageError(APIException):
    status_code = http_status.HTTP_500_INTERNAL_SERVER_ERROR
    default_detail = "The attachment could not be stored: nothing was saved."


# --- attachments -------------------------------------------------------------------------------


class FileWrites:
    """The files a write stores: removed again when the write fails, so that a rolled-back
    transaction leaves no orphan file behind."""

    def __init__(self):
        self.names = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            for name in self.names:
                delete_quietly(name)
        return False


def extension_of(file_name):
    return file_name.rsplit(".", 1)[-1].lower()[:EXTENSION_MAX_LENGTH] if "." in file_name else ""


def store_attachment(comment, uploaded_file, writes, reply_id=None):
    """An attachment of `comment` (of one of its replies when `reply_id` names one) from an
    uploaded file, stored in the default storage. Returns its short form."""
    if reply_id is not None and not any(
        isinstance(reply, dict) and reply.get("id") == str(reply_id) for reply in comment.replies or []
    ):
        reply_id = None
    return store_uploaded_attachment(uploaded_file, writes, "attachment", comment=comment, reply_id=reply_id)


def store_uploaded_attachment(uploaded_file, writes, label, **owner):
    """An attachment of `owner` (comment=, chat_message=...) from an uploaded file, stored in the
    default storage (`label` names it in the log when that fails). Returns its short form."""
    name = uploaded_file.name or "attachment"
    if len(name) > NAME_MAX_LENGTH:
        raise WrongParameter(
            f"Attachment file names are {NAME_MAX_LENGTH} characters at most: {name[:40]}..."
        )
    attachment = AttachmentFile.objects.create(
        name=name,
        size=uploaded_file.size or 0,
        extension=extension_of(name),
        mimetype=getattr(uploaded_file, "content_type", None),
        **owner,
    )
    path = attachment_path(attachment.pk)
    try:
        saved = default_storage.save(path, uploaded_file)
    except Exception as error:
        logger.exception("%s %s could not be stored", label, attachment.pk)
        raise AttachmentStorageError() from error
    writes.names.append(saved)
    if saved != path:  # the storage renamed it: a stale file held the name
        delete_quietly(saved)
        raise AttachmentStorageError()
    record_stored_file(attachment.pk, attachment.size)
    return short_attachment(attachment)


def short_attachment(attachment):
    return {
        "id": str(attachment.pk),
        "name": attachment.name,
        "extension": attachment.extension,
        "size": attachment.size,
    }


def record_stored_file(attachment_id, size):
    """The stored file registry knows the object, for the purge of deleted files."""
    now = timezone.now()
    key = f"{ATTACHMENT_PREFIX}-{attachment_id}"
    StoredFile.objects.update_or_create(
        bucket=ATTACHMENT_BUCKET,
        key=key,
        defaults={
            "prefix": ATTACHMENT_PREFIX,
            "file_id": str(attachment_id),
            "size": size,
            "deleted_at": None,
            "purged_at": None,
            "journal": [{"op": "create", "size": size, "at": now.isoformat()}],
        },
    )


@transaction.atomic
def add_attachments(comment, files):
    """Attach uploaded files to an existing comment; their short forms."""
    with FileWrites() as writes:
        return [store_attachment(comment, uploaded, writes) for uploaded in files]


@transaction.atomic
def delete_attachment(attachment):
    remove_attachments(AttachmentFile.objects.filter(pk=attachment.pk))


@receiver(media_released, sender="files.attachmentfile")
def release_trashed_attachments(sender, ids, **_):
    """A purged trash item's attachments leave the storage, as a comment's did at its deletion."""
    release_attachment_files(ids)
