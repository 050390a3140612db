"""Answers beyond a plain JSON body: ETags and 304s, and boards answered compact or streamed."""

import hashlib
from itertools import chain, islice

from asgiref.sync import sync_to_async
from django.http import HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import parse_etags
from rest_framework.response import Response

from kitsu_server.api.json import dumps


def board_etag(fingerprint, access, role, criteria, departments):
    """The ETag of a board: its data's change signal (`fingerprint`) and everything that shapes
    what this reader sees of it (person, role, filters, vendor departments)."""
    parts = [fingerprint, str(access.person.pk), role, str(sorted(criteria.items())), str(departments)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def etag_matches(request, etag):
    """Whether the client already holds `etag` (If-None-Match): it gets `not_modified(etag)`."""
    return etag is not None and f'"{etag}"' in parse_etags(request.headers.get("If-None-Match", ""))


def with_etag(response, etag):
    """Mark a response with its ETag (private, revalidated each time); as is without one."""
    if etag is not None:
        response["ETag"] = f'"{etag}"'
        response["Cache-Control"] = "private, no-cache"
    return response


def not_modified(etag):
    """The 304 of a client holding the current `etag`: headers only, no body, no Content-Length."""
    return with_etag(HttpResponseNotModified(), etag)


class RowStream(StreamingHttpResponse):
    """A streamed answer whose lines are produced as they are sent, `batch_size` at a time.

    Under ASGI Django would read a synchronous iterator to its end before sending a byte (the
    whole answer in memory); this one is pulled a batch at a time in the request's thread."""

    batch_size = 200

    async def __aiter__(self):
        lines = iter(self.streaming_content)
        take = sync_to_async(lambda: b"".join(islice(lines, self.batch_size)), thread_sensitive=True)
        while chunk := await take():
            yield chunk


class ChunkStream(RowStream):
    """A streamed answer whose items are batches already, each sent as it is produced."""

    batch_size = 1


def json_list_response(chunks, header=None):
    """A JSON list from `chunks`, an iterable of lists of rows (a generator reading the rows
    from the database a chunk at a time, `serialize_row_chunks`); with `header`, the list is the
    `rows` of an object holding the header's keys first.

    A list that fits in its first chunk is an answer as any other (one body, its length). A
    longer one is streamed as it is read and encoded, a chunk at a time (no Content-Length: sent
    chunked), so that neither the rows nor the JSON of a 100,000-row list are ever held whole.
    Its first two chunks are read here, in the view: a query that fails is still an error
    answer, not a stream cut after its status line."""
    chunks = iter(chunks)
    first = next(chunks, [])
    second = next(chunks, None)
    if second is None:
        return Response(first if header is None else {**header, "rows": first})
    opening = b"["
    if header:
        opening = dumps(header)[:-1] + b',"rows":['

    def body():
        yield opening + dumps(first)[1:-1]
        for chunk in chain([second], chunks):
            if chunk:
                yield b"," + dumps(chunk)[1:-1]
        yield b"]}" if header else b"]"

    return ChunkStream(body(), content_type="application/json")


def batches(rows, size):
    """Lists of `size` items of the iterable `rows` (the last one shorter), as they come."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


BOARD_BATCH = 500  # board rows rendered and sent at a time


def board_response(rows, etag, compact=False, stream=False, delta=None, **compact_fields):
    """A board's answer from `rows` (an iterable, ideally a generator producing one row at a
    time): its rows; with `compact`, rows of values under a header naming the fields
    (`compact_fields`); with `stream`, NDJSON (the header, then one row a line); with `delta`
    (the keys of a delta read: cursors, deleted ids), the rows under a header holding them. Either
    way each row is produced as it is sent, so that the rendered board is never held whole in
    memory."""
    header = {"compact": compact}
    if compact:
        header.update(compact_fields)
    if delta is not None:
        header.update(delta)
    if not stream:
        # Streamed as JSON when longer than a batch: the rows are rendered as they are sent.
        enveloped = compact or delta is not None
        return with_etag(json_list_response(batches(rows, BOARD_BATCH), header if enveloped else None), etag)
    rows = iter(rows)
    # The first row now: a generator runs its queries before its first row, and a failure there
    # must still be an error answer, not a stream cut after its status line.
    first = list(islice(rows, 1))
    lines = (dumps(item) + b"\n" for item in chain([header], first, rows))
    return with_etag(RowStream(lines, content_type="application/x-ndjson"), etag)
