"""Sending a stored file: conditional requests (ETag, Last-Modified, 304), one byte range (206,
416), private caching headers, inline or as an attachment, streamed in chunks from the storage;
with PREVIEW_X_ACCEL_PREFIX set and a local storage, nginx sends the file instead of Python
(X-Accel-Redirect)."""

import hashlib
import re
import shutil
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.exceptions import NotFound

from files.media.storage import local_path, read_range, stored_size
from kitsu_server.api.http import error_message

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def not_found():
    return NotFound(error_message(404))


def content_disposition(disposition, name):
    """`attachment; filename=...` with a plain-ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name) or "download"
    value = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def byte_range(header, size):
    """(start, end) inclusive of a single `bytes=` range; None for no usable range (the whole
    file); "unsatisfiable" for a range beyond the file."""
    match = RANGE.match((header or "").strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "unsatisfiable"
    return start, end


def send_stored(request, key, content_type, last_modified=None, download_name=None, as_attachment=False):
    """The stored file of `key` as the answer to `request` (404 when it is not stored)."""
    try:
        size = stored_size(key)
    except (FileNotFoundError, OSError):
        raise not_found() from None
    timestamp = int(last_modified.timestamp()) if last_modified else None
    etag = '"' + hashlib.sha1(f"{key}:{size}:{timestamp}".encode()).hexdigest()[:20] + '"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return caching(not_modified, etag, timestamp)
    disposition = "attachment" if as_attachment else "inline"
    if settings.PREVIEW_X_ACCEL_PREFIX and local_path(key) is not None:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PREVIEW_X_ACCEL_PREFIX.rstrip("/") + "/" + key
        return finish(response, etag, timestamp, disposition, download_name)
    requested = (
        byte_range(request.headers.get("Range"), size) if if_range_holds(request, etag, timestamp) else None
    )
    if requested == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return finish(response, etag, timestamp, disposition, download_name)
    start, end = requested if requested else (0, size - 1)
    length = end - start + 1 if size else 0
    response = StreamingHttpResponse(read_range(key, start, length), content_type=content_type)
    if requested:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    return finish(response, etag, timestamp, disposition, download_name)


def if_range_holds(request, etag, timestamp):
    """A Range with an If-Range that no longer matches gets the whole file."""
    validator = request.headers.get("If-Range")
    if not validator:
        return True
    if validator.startswith('"') or validator.startswith("W/"):
        return validator == etag
    return timestamp is not None and parse_http_date_safe(validator) == timestamp


def caching(response, etag, timestamp):
    # Bytes behind a login: browsers may keep them, shared proxies may not.
    response["Cache-Control"] = f"private, max-age={settings.CLIENT_CACHE_MAX_AGE}"
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return response


def finish(response, etag, timestamp, disposition, download_name):
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    if download_name or disposition == "attachment":
        response["Content-Disposition"] = content_disposition(disposition, download_name or "download")
    return caching(response, etag, timestamp)


class TemporaryFileResponse(FileResponse):
    """A file built for one request (an extracted frame, a bundle), sent once: its folder goes
    when the response is closed."""

    def __init__(self, folder, path, **kwargs):
        self.folder = folder
        super().__init__(open(path, "rb"), **kwargs)
        self["Cache-Control"] = "no-store"

    def close(self):
        try:
            super().close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
