"""The media of the preview files a Kitsu copy brings (exchange.kitsu.copying): each preview's
file downloaded from the source to a temporary file (streamed, never whole in memory), then
handed to the media layer as an upload is (files.media.services.receive_preview_upload), so the
preview gets its thumbnails (and for a movie its tile strip) from the same processing job and
turns "ready".

What the source serves, as the reference does: a movie's normalised MP4 at
`/movies/originals/preview-files/{id}.mp4` (kept as is here: it is normalised already), a
picture's PNG and a kept-as-is file (PDF, ZIP...) at `/pictures/originals/preview-files/{id}.{ext}`.

Idempotent: a preview whose media are stored here (the upload's key written, and the row's
`imported_only` flag cleared once it was) is skipped; one interrupted mid-download has nothing
stored and is downloaded again.
"""

import os
import tempfile

from exchange.kitsu.source import SourceRefused
from files.media import services
from files.media.storage import is_stored, media_key
from files.models import PreviewFile
from kitsu_server.api.errors import WrongParameter


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
    extension = row["extension"].lower()
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
    with tempfile.TemporaryDirectory(prefix="kitsu-copy-") as folder:
        path = os.path.join(folder, f"media.{extension}")
        with open(path, "wb") as target:
            source.download(source_path(row), target)
        if services.kind_of(path, extension) is None:  # checked first: the upload would drop the row
            raise MediaRefused(f"The source's file is no picture, movie or kept file ({extension}).")
        name = f"{row.get('original_name') or row['id']}.{extension}"
        preview = services.receive_preview_upload(preview, DownloadedFile(name, path), None, normalize=False)
    data = {key: value for key, value in (preview.data or {}).items() if key != "imported_only"}
    PreviewFile.objects.filter(pk=preview.pk).update(data=data)
    return True
