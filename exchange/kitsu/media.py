"""The media of the preview files a Kitsu copy brings (exchange.kitsu.copying): each preview's
file downloaded from the source to a temporary file (streamed, never whole in memory), then
handed to the media layer as an upload is (files.media.services.receive_preview_upload), so the
preview gets its thumbnails (and for a movie its tile strip) from the same processing job and
turns "ready".

What the source serves, as the reference does: a movie's normalised MP4 at
`/movies/originals/preview-files/{id}.mp4` (kept as is here: it is normalised already), a
picture's PNG and a kept-as-is file (PDF, ZIP...) at `/pictures/originals/preview-files/{id}.{ext}`.

Comments' attachments come from `/data/attachment-files/{id}/file/{name}`, stored where an upload
of one is (tasks.comments.attachments), under their row copied with its id. People's avatars and
productions' thumbnails (`has_avatar` on the source) come the same way, from
`/pictures/thumbnails/{persons|projects}/{id}.png`, through the service of their upload route.

Idempotent: a preview whose media are stored here (the upload's key written, and the row's
`imported_only` flag cleared once it was) is skipped; one interrupted mid-download has nothing
stored and is downloaded again.
"""

import os
import urllib.parse

from exchange.kitsu.source import SourceRefused
from files.media import services
from files.media.storage import is_stored, media_key, store_path, stored_size
from files.media.thumbnails import set_row_thumbnail
from files.models import AttachmentFile, PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.jobs import workspace
from people.models import Person
from productions.models import Project
from tasks.comments.attachments import attachment_path, record_stored_file

THUMBNAIL_MODELS = {"person": Person, "project": Project}


class MediaRefused(Exception):
    """This preview's media cannot be copied (kept as an import error; the copy goes on)."""


# What leaves one preview out (an import error) rather than stopping the copy.
REFUSALS = (MediaRefused, SourceRefused, WrongParameter)


class DownloadedFile:
    """A downloaded file as the media layer reads an upload: a name and a local path."""

    def __init__(self, name, path):
        self.name = name
        self.path = path

    def temporary_file_path(self):
        return self.path


def has_media(row):
    """Whether the source has media for this preview row (processed, with a file's extension)."""
    return (row.get("status") or "ready") == "ready" and bool(row.get("extension"))


def source_path(row):
    extension = urllib.parse.quote(row["extension"].lower(), safe="")
    if extension == "mp4":
        return f"/movies/originals/preview-files/{row['id']}.mp4"
    return f"/pictures/originals/preview-files/{row['id']}.{extension}"


def upload_key(preview):
    """Where the media layer keeps the upload of `preview` (what its processing reads)."""
    if preview.extension == "png":
        return media_key("pictures", "original", preview.pk)
    if preview.extension == "mp4":
        return media_key("movies", "source", preview.pk)
    return media_key("files", "previews", preview.pk)


def is_copied(preview):
    return not (preview.data or {}).get("imported_only") and is_stored(upload_key(preview))


def copied_ids(ids):
    """The previews among `ids` whose media are here already (their rows are not rewritten)."""
    candidates = PreviewFile.objects.filter(pk__in=ids).only("pk", "extension", "data")
    return {str(preview.pk) for preview in candidates if is_copied(preview)}


def copy_preview_media(source, row):
    """Download the media of the preview `row` of the source and store them here as an upload;
    False when they were here already."""
    preview = PreviewFile.objects.filter(pk=row["id"]).first()
    if preview is None:
        raise MediaRefused("The preview's row was not copied.")
    if is_copied(preview):
        return False
    extension = row["extension"].lower()
    name = f"{row.get('original_name') or row['id']}.{extension}"

    def store(path):
        if services.kind_of(path, extension) is None:  # checked first: the upload would drop the row
            raise MediaRefused(f"The source's file is no picture, movie or kept file ({extension}).")
        return services.receive_preview_upload(preview, DownloadedFile(name, path), None, normalize=False)

    preview = download(source, source_path(row), extension, store)
    data = {key: value for key, value in (preview.data or {}).items() if key != "imported_only"}
    PreviewFile.objects.filter(pk=preview.pk).update(data=data)
    return True


def download(source, path, extension, store):
    """Download `path` of the source to a temporary file, then `store(local_path)` it. The
    extension (the source's word) names the temporary file only when it is plain letters and
    digits."""
    if not (extension.isascii() and extension.isalnum() and len(extension) <= 10):
        raise MediaRefused(f"The source's file has an extension not allowed: {extension[:20]!r}.")
    with workspace("copy") as folder:
        local = os.path.join(folder, f"media.{extension}")
        with open(local, "wb") as target:
            source.download(path, target)
        return store(local)


# --- comments' attachments -------------------------------------------------------------------


def attachment_stored(attachment_id, size=None):
    """Whether the attachment's file is here (whole: of the source's size, when it says it)."""
    key = attachment_path(attachment_id)
    return is_stored(key) and (not size or stored_size(key) == size)


def copy_attachment_file(source, row):
    """The file of the attachment `row` (copied here under its id) stored; False when it is."""
    attachment = AttachmentFile.objects.filter(pk=row["id"]).first()
    if attachment is None:
        raise MediaRefused("The attachment's row was not copied.")
    if attachment_stored(attachment.pk, row.get("size")):  # a write cut short is done again
        return False
    name = urllib.parse.quote(row.get("name") or "attachment", safe="")

    def store(local):
        store_path(attachment_path(attachment.pk), local)
        record_stored_file(attachment.pk, os.path.getsize(local))

    download(source, f"/data/attachment-files/{row['id']}/file/{name}", "bin", store)
    return True


# --- avatars and production thumbnails -------------------------------------------------------


def thumbnail_entries(persons, projects):
    """The rows of the source showing a picture: {"kind", "id"} (the source's id)."""
    return [
        {"kind": kind, "id": row["id"]}
        for kind, rows in (("person", persons), ("project", projects))
        for row in rows
        if row.get("has_avatar")
    ]


def has_thumbnail(local_id):
    return is_stored(media_key("pictures", "thumbnails", local_id))


def copy_thumbnail(source, entry, local_id):
    """The avatar or production thumbnail of `entry` stored for the row `local_id` here; False
    when that row shows one already (a person matched by email keeps theirs). Refused, the row
    here no longer says it has one."""
    model = THUMBNAIL_MODELS[entry["kind"]]
    row = model.objects.filter(pk=local_id).first()
    if row is None:
        raise MediaRefused(f"The {entry['kind']} was not copied.")
    if has_thumbnail(row.pk):
        return False
    project_id = row.pk if model is Project else None
    path = f"/pictures/thumbnails/{entry['kind']}s/{entry['id']}.png"
    try:
        download(
            source,
            path,
            "png",
            lambda local: set_row_thumbnail(
                row, DownloadedFile(f"{row.pk}.png", local), entry["kind"], None, project_id=project_id
            ),
        )
    except REFUSALS:
        model.objects.filter(pk=row.pk).update(has_avatar=False)
        raise
    return True
