"""Idempotency keys: a write sent again with the same `Idempotency-Key` is not done twice.

Any write under /api (POST, PUT, PATCH, DELETE; `/api/auth/...` aside) may carry an
`Idempotency-Key` header, 1 to 255 printable ASCII characters. The key is its person's (the one
the route's own authentication finds: bearer token or the web UI's cookie); a request that no
person sends runs as if it had no key.

- The first request with a key claims it (a row inserted, committed on its own, so that the
  others see it at once; the unique (person, key) constraint decides between concurrent ones),
  runs, and keeps its answer: status, content type, a few headers, the body up to
  `IDEMPOTENCY_MAX_BODY` bytes.
- The same key with the same request (method, full path with its query string, body) within
  `IDEMPOTENCY_KEY_TTL` gets that answer again with `Idempotent-Replayed: true`; nothing runs,
  nothing is written, no event. An answer too large to keep is a 409 saying the write was done.
- The same key with another request: 422. A request of the same key still running: the retry
  waits for it (`IDEMPOTENCY_WAIT` seconds at most, polling) and gets its answer, or a 409.
- An answer of 5xx, 408, 409, 423, 425 or 429 (or an exception) is not kept: the claim is
  removed and a retry runs again. Every other 4xx is kept, as Stripe does: the same request
  would be refused the same way. A claim older than `IDEMPOTENCY_CLAIM_TIMEOUT` (a process that
  died mid-request) is taken over by the next request of its key.
- Bounded: expired rows are removed by every keyed write, and a person keeps their newest
  `IDEMPOTENCY_MAX_KEYS` answers at most.

Reads (GET, HEAD, OPTIONS) and writes without the header pay nothing: no query, no hashing.
A body is hashed as it is read: JSON and forms whole (they are bounded by `MAX_DATA_SIZE`), an
upload (multipart) in chunks from the file the ASGI handler spooled it to (then rewound for the
view, which parses it with its own upload handlers and limits), each boundary delimiter counted
as one token: the random boundary of each sending does not count, and no upload is held in
memory.
"""

import datetime
import hashlib
import re
import tempfile
import time

import orjson
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import parse_header_parameters
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings

from kitsu_server.api.http import is_api_path, json_error
from kitsu_server.core.idempotency_models import DONE, IN_PROGRESS, KEY_MAX_LENGTH, IdempotentRequest

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Session ceremonies: their answers carry tokens, cookies or secrets, and each is guarded by its
# own one-time challenge (login, logout, refresh, passwords, two factors, app login, SSO).
EXCLUDED_PREFIXES = ("/api/auth/",)
# The routes of a share link's guests: no authentication (the link's token is in the URL), so no
# person to keep a key for; the key is ignored there, as on every route no person calls.
GUEST_PREFIXES = ("/api/shared/",)
# Answers that say "not now" rather than "no": not kept, the retry runs again.
TRANSIENT_STATUSES = frozenset({408, 409, 423, 425, 429})
# The headers of an answer a replay gives back (Content-Type is kept on its own).
KEPT_HEADERS = (
    "location",
    "content-disposition",
    "etag",
    "last-modified",
    "cache-control",
    "content-language",
)
KEY_PATTERN = re.compile(rf"[\x20-\x7e]{{1,{KEY_MAX_LENGTH}}}")
CHUNK_SIZE = 1024 * 1024

KEY_MESSAGE = f"{HEADER} must be 1 to {KEY_MAX_LENGTH} printable ASCII characters."
REUSED_MESSAGE = (
    f"This {HEADER} was already used for another request (method, path or body): "
    "send a new key with a new request."
)
IN_PROGRESS_MESSAGE = f"A request with this {HEADER} is still in progress: retry later."
TOO_LARGE_MESSAGE = (
    f"The request of this {HEADER} was done (status {{status}}), but its answer was too large to "
    "keep: read the rows it wrote."
)


class IdempotencyMiddleware:
    """The rules of the module docstring (last in MIDDLEWARE: what it keeps is the view's answer;
    the outer middleware treat a replay as any other answer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in WRITE_METHODS:
            return self.get_response(request)
        try:
            response = self.get_response(request)
        except BaseException:
            release(getattr(request, "idempotency_claim", None))
            raise
        claim = getattr(request, "idempotency_claim", None)
        if claim is not None:
            keep_answer(claim, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in WRITE_METHODS:
            return None
        key = request.META.get(META_KEY)
        if (
            key is None
            or not is_api_path(request.path_info)
            or request.path_info.startswith(EXCLUDED_PREFIXES)
        ):
            return None
        key = key.strip()
        if not KEY_PATTERN.fullmatch(key):
            return json_error(400, KEY_MESSAGE)
        person = authenticated_person(request, view_func)
        if person is None:
            return None  # the route answers it as without a key (a 401, or a public write)
        fingerprint = request_fingerprint(request)
        claim, answer = claim_key(person, key, fingerprint, request)
        request.idempotency_claim = claim
        return answer


# --- who sends the request ----------------------------------------------------------------------


def authenticated_person(request, view_func):
    """The person the route's own authentication classes find (DRF's defaults for a route that is
    no DRF view), or None: no credentials, or refused ones (the route refuses them itself)."""
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    classes = getattr(view_class, "authentication_classes", api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    for authentication_class in classes:
        try:
            found = authentication_class().authenticate(request)
        except APIException:
            return None
        if found is not None:
            person = found[0]
            return person if getattr(person, "pk", None) is not None else None
    return None


# --- what the request is ------------------------------------------------------------------------


def request_fingerprint(request):
    """SHA-256 of the method, the full path with its query string and the body (see the module
    docstring for uploads)."""
    digest = hashlib.sha256()
    content_type = request.META.get("CONTENT_TYPE") or ""
    media_type, params = parse_header_parameters(content_type)
    digest.update(orjson.dumps([request.method, request.get_full_path(), media_type]))
    if media_type != "multipart/form-data" or hasattr(request, "_body"):
        digest.update(hashlib.sha256(request.body).digest())  # bounded by MAX_DATA_SIZE
    elif request._read_started:  # parsed already (by a middleware): its fields and files
        digest.update(parsed_upload_digest(request))
    else:
        digest.update(upload_stream_digest(request, params.get("boundary", "")))
    return digest.hexdigest()


def upload_stream_digest(request, boundary):
    """The digest of a multipart body read in chunks, each of its boundary delimiters counted as
    the same token (a client draws a new boundary for each sending of the same upload). The body
    is left to the view unread: rewound when it is a file (the ASGI handler spools it to one),
    else copied to a temporary file as it is hashed."""
    stream = request._stream
    rewind = stream.tell() if seekable(stream) else None
    copy = None
    if rewind is None:
        copy = tempfile.SpooledTemporaryFile(
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
        )
    digest = hashlib.sha256()
    delimiter = b"--" + boundary.encode("latin-1")
    keep = len(delimiter) - 1
    carry = b""
    while chunk := stream.read(CHUNK_SIZE):
        if copy is not None:
            copy.write(chunk)
        *complete, carry = (carry + chunk).split(delimiter) if boundary else [carry + chunk]
        for part in complete:
            digest.update(part)
            digest.update(b"--<boundary>")
        if len(carry) > keep:  # what is beyond a possible start of the next delimiter
            digest.update(carry[: len(carry) - keep])
            carry = carry[len(carry) - keep :]
    digest.update(carry)
    if copy is None:
        stream.seek(rewind)
    else:
        copy.seek(0)
        request._stream = copy
    return digest.digest()


def seekable(stream):
    try:
        return stream.seekable()
    except (AttributeError, ValueError):
        return False


def parsed_upload_digest(request):
    """The digest of an upload parsed before this middleware: its fields and the SHA-256 of its
    files, read back in chunks."""
    fields, files = request.POST, request.FILES
    described = [sorted((name, fields.getlist(name)) for name in fields)]
    for name in sorted(files):
        for upload in files.getlist(name):
            file_digest = hashlib.sha256()
            for chunk in upload.chunks(CHUNK_SIZE):
                file_digest.update(chunk)
            upload.seek(0)
            described.append([name, upload.name, upload.size, file_digest.hexdigest()])
    return orjson.dumps(described)


# --- the key's row ------------------------------------------------------------------------------


def claim_key(person, key, fingerprint, request):
    """(claim, None) when this request is to run, its row claimed; else (None, the answer):
    the replay, a 422 (another request), a 409 (still running past the wait)."""
    deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT
    pause = 0.02
    while True:
        now = timezone.now()
        try:
            with transaction.atomic():
                claim = IdempotentRequest.objects.create(
                    person=person,
                    key=key,
                    fingerprint=fingerprint,
                    method=request.method,
                    path=request.get_full_path()[:2000],
                    created_at=now,
                    expires_at=now + datetime.timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL),
                )
        except IntegrityError:
            pass
        else:
            bound_rows(person, claim, now)
            return claim, None
        row = IdempotentRequest.objects.filter(person=person, key=key).first()
        if row is None:
            continue  # removed in between: claim again
        if row.expires_at <= now or (
            row.state == IN_PROGRESS
            and row.updated_at <= now - datetime.timedelta(seconds=settings.IDEMPOTENCY_CLAIM_TIMEOUT)
        ):
            # Expired, or claimed by a request that never finished: removed (by one of the
            # requests that see it so), then claimed again.
            IdempotentRequest.objects.filter(pk=row.pk, updated_at=row.updated_at).delete()
            continue
        if row.fingerprint != fingerprint:
            return None, json_error(422, REUSED_MESSAGE)
        if row.state == DONE:
            return None, replay(row)
        if time.monotonic() >= deadline:
            return None, json_error(409, IN_PROGRESS_MESSAGE)
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def bound_rows(person, claim, now):
    """Remove the expired rows (of everyone: an indexed range, small at each write), and the
    person's oldest answers beyond IDEMPOTENCY_MAX_KEYS."""
    purge_expired(now)
    limit = settings.IDEMPOTENCY_MAX_KEYS
    mine = IdempotentRequest.objects.filter(person=person)
    oldest_kept = mine.order_by("-created_at").values_list("created_at", flat=True)[limit - 1 : limit]
    oldest_kept = list(oldest_kept)
    if oldest_kept:
        mine.filter(created_at__lt=oldest_kept[0], state=DONE).exclude(pk=claim.pk).delete()


def purge_expired(now=None):
    """Remove the expired rows of everyone: the number removed."""
    removed, _ = IdempotentRequest.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return removed


def keep_answer(claim, response):
    """Keep the answer of a claimed request, or remove the claim when the answer is not kept."""
    status = response.status_code
    if status >= 500 or status in TRANSIENT_STATUSES:
        release(claim)
        return
    body = None if response.streaming else response.content
    kept = body is not None and len(body) <= settings.IDEMPOTENCY_MAX_BODY
    IdempotentRequest.objects.filter(pk=claim.pk, state=IN_PROGRESS).update(
        state=DONE,
        status_code=status,
        content_type=response.get("Content-Type", "")[:255],
        headers=[[name, value] for name, value in response.items() if name.lower() in KEPT_HEADERS],
        body=body if kept else None,
        body_kept=kept,
        body_size=len(body) if body is not None else 0,
        updated_at=timezone.now(),
    )


def release(claim):
    if claim is not None:
        IdempotentRequest.objects.filter(pk=claim.pk, state=IN_PROGRESS).delete()


def replay(row):
    if not row.body_kept:
        response = json_error(409, TOO_LARGE_MESSAGE.format(status=row.status_code))
    else:
        response = HttpResponse(bytes(row.body or b""), status=row.status_code)
        if row.content_type:
            response["Content-Type"] = row.content_type
        else:
            del response["Content-Type"]
        for name, value in row.headers:
            response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response
