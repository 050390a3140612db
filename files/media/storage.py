"""Where preview media live: Django's default storage (a local folder, or S3 through
django-storages), under the reference's key layout, so that a migrated file tree is served as is.

A key is `<bucket>/<prefix>/<id[:3]>/<id[3:6]>/<id>`: bucket `pictures` (prefixes `original`,
`thumbnails`, `thumbnails-square`, `previews`, `tiles`, `preview-backgrounds`), `movies`
(`previews`, `lowdef`, `source`) or `files` (`previews`: a preview that is no picture nor movie).
Keys are built from parsed UUIDs and fixed words only: nothing an uploader sends (a file name, an
extension) ever reaches a path.
"""

import logging
import os
import uuid

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from files.models import StoredFile

logger = logging.getLogger(__name__)

BUCKETS = {
    "pictures": {"original", "thumbnails", "thumbnails-square", "previews", "tiles", "preview-backgrounds"},
    "movies": {"previews", "lowdef", "source"},
    "files": {"previews"},
}


def media_key(bucket, prefix, instance_id):
    """The storage key of one variant of one row (ValueError on anything but a known bucket and
    prefix and a UUID)."""
    if prefix not in BUCKETS.get(bucket, ()):
        raise ValueError(f"No media variant {bucket}/{prefix}")
    text = str(uuid.UUID(str(instance_id)))
    return f"{bucket}/{prefix}/{text[:3]}/{text[3:6]}/{text}"


def store_path(key, path):
    """Write the local file at `path` under `key`, replacing what was there."""
    with open(path, "rb") as handle:
        store_file(key, handle)


def store_file(key, handle):
    """Write an open binary file under `key`, replacing what was there (a re-run job writes the
    same keys again)."""
    if default_storage.exists(key):
        default_storage.delete(key)
    saved = default_storage.save(key, File(handle, name=os.path.basename(key)))
    if saved != key:  # a concurrent writer took the name meanwhile: theirs stays, ours goes
        delete_quietly(saved)
        raise OSError(f"{key} was written by another process meanwhile")
    return key


def open_stored(key):
    """The stored file, open for reading; FileNotFoundError when it is not there."""
    if not default_storage.exists(key):
        raise FileNotFoundError(key)
    return default_storage.open(key, "rb")


def stored_size(key):
    return default_storage.size(key)


def is_stored(key):
    return default_storage.exists(key)


def local_path(key):
    """The file's path on this machine when the storage is a local folder, else None."""
    try:
        return default_storage.path(key)
    except NotImplementedError:
        return None


def object_store_bucket():
    """The boto3 bucket behind the storage when it is S3 (django-storages), else None: ranges and
    copies then go to the object store directly, never through a whole file held in memory."""
    return getattr(default_storage, "bucket", None) if hasattr(default_storage, "_normalize_name") else None


def object_name(key):
    return default_storage._normalize_name(key)


def copy_to_local(key, path, chunk_size=1024 * 1024):
    """Write the stored file to the local `path` (what a tool needs to read it), chunk by chunk."""
    bucket = object_store_bucket()
    if bucket is not None:
        if not is_stored(key):
            raise FileNotFoundError(key)
        bucket.download_file(object_name(key), str(path))
        return path
    with open_stored(key) as source, open(path, "wb") as target:
        while chunk := source.read(chunk_size):
            target.write(chunk)
    return path


def read_range(key, start, length, chunk_size=256 * 1024):
    """The bytes [start, start + length) of the stored file, as chunks (an S3 ranged GET, or a
    seek in the local file)."""
    if length <= 0:
        return
    bucket = object_store_bucket()
    if bucket is not None:
        body = bucket.Object(object_name(key)).get(Range=f"bytes={start}-{start + length - 1}")["Body"]
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()
        return
    with open_stored(key) as handle:
        handle.seek(start)
        left = length
        while left > 0 and (chunk := handle.read(min(chunk_size, left))):
            left -= len(chunk)
            yield chunk


def delete_quietly(*keys):
    for key in keys:
        try:
            default_storage.delete(key)
        except OSError:
            logger.warning("could not remove stored file %s", key)


def record_stored(bucket, prefix, instance_id, size):
    """The stored file registry knows the object (for the purge of deleted files)."""
    now = timezone.now()
    StoredFile.objects.update_or_create(
        bucket=bucket,
        key=f"{prefix}-{instance_id}",
        defaults={
            "prefix": prefix,
            "file_id": str(instance_id),
            "size": size,
            "deleted_at": None,
            "purged_at": None,
            "journal": [{"op": "create", "size": size, "at": now.isoformat()}],
        },
    )


def stored_ids(bucket, prefix):
    """The ids whose `bucket/prefix` variant is stored, from one listing of the storage (an S3
    listing of the prefix, 1,000 keys a request, or a walk of the local folder), never one request
    per file."""
    media_key(bucket, prefix, uuid.UUID(int=0))  # a known variant, or ValueError
    root = f"{bucket}/{prefix}"
    s3 = object_store_bucket()
    if s3 is not None:
        base = object_name(root).rstrip("/") + "/"
        return {item.key.rsplit("/", 1)[-1] for item in s3.objects.filter(Prefix=base)}
    folder = local_path(root)
    if folder is not None:
        return set(_walk_names(folder, depth=3))
    return set(_list_names(root, depth=3))


def _walk_names(folder, depth):
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if depth > 1 and entry.is_dir():
            yield from _walk_names(entry.path, depth - 1)
        elif depth == 1 and entry.is_file():
            yield entry.name


def _list_names(root, depth):
    try:
        folders, files = default_storage.listdir(root)
    except (FileNotFoundError, NotImplementedError):
        return
    if depth == 1:
        yield from files
        return
    for name in folders:
        yield from _list_names(f"{root}/{name}", depth - 1)
