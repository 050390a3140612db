"""What the hand-written routes (everything beyond the generic /data CRUD) share.

A route is a thin `KitsuView` (an APIView whose default permission is an
active person) that parses its URL ids and body with the helpers below,
checks access in one line through `access_for(request)`, calls a service,
and answers rows rendered by the same fast path as the generic lists:

    class ProjectTeamView(KitsuView):
        def get(self, request, project_id):
            project = object_or_404(Project, project_id)
            access_for(request).check_project_access(project.pk)
            return Response(render_rows(project.team.all()))

Errors are raised, never returned: `WrongParameter` (400), DRF's `NotFound`
(404) and `PermissionDenied` (403), all in the reference's error shape.
"""

import datetime
import hashlib
from itertools import chain, islice

from asgiref.sync import sync_to_async
from django.http import HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import parse_etags
from rest_framework.response import Response
from rest_framework.views import APIView

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import INT32_RANGE, harden
from kitsu_server.api.json import dumps
from kitsu_server.api.params import parse_bool, parse_int, parse_uuid
from kitsu_server.api.permissions import IsActivePerson, IsPersonIdentity
from kitsu_server.core.access import access_for


class KitsuView(APIView):
    """Base of every hand-written route: an authenticated, active person."""

    permission_classes = [IsActivePerson]


class UserView(KitsuView):
    """Base of the routes about the person calling (`/data/user/...`): no bot tokens."""

    permission_classes = [IsPersonIdentity]


def json_body(request):
    """The request's JSON object, or a 400 saying one is expected."""
    body = request.data
    if not isinstance(body, dict):
        raise WrongParameter(
            "Data are empty. Please verify that you sent JSON data and that you set the right headers."
        )
    return body


def validated(serializer_class, data, **options):
    """`data` (a request's JSON object or form; a list with `many=True`) checked by
    `serializer_class`, with the shared input rules (`inputs.harden`: integers within a column,
    no NUL): its validated values, or a 400 naming each field wrong. An absent
    body reads as `{}`."""
    if data is None or (hasattr(data, "keys") and not data):
        data = {}
    if not hasattr(data, "keys") and not (options.get("many") and isinstance(data, list)):
        raise WrongParameter(
            "Data are empty. Please verify that you sent JSON data and that you set the right headers."
        )
    serializer = harden(serializer_class(data=data, **options))
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def required(body, *names):
    """The values of `names` in `body`, or a 400 naming the ones missing."""
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise WrongParameter(f"Missing required field(s): {', '.join(missing)}.")
    values = [body[name] for name in names]
    return values[0] if len(values) == 1 else values


def id_of(body, name, required_=True):
    """A UUID from `body[name]`, a 400 when malformed (or missing when `required_`)."""
    value = body.get(name)
    if value in (None, ""):
        if required_:
            raise WrongParameter(f"Missing required field(s): {name}.")
        return None
    return parse_uuid(value, f"Malformed ID for {name}: {value!r}.")


def query_text(request, name):
    """A query string parameter, None when absent or empty."""
    value = request.query_params.get(name)
    return value if value not in (None, "") else None


def query_id(request, name, message="Wrong UUID format."):
    """A query string id as a UUID, None when absent or empty; a 400 with `message` when malformed
    (`{name}` and `{value}` in it stand for the parameter's name and value)."""
    value = query_text(request, name)
    return parse_uuid(value, message.format(name=name, value=value)) if value is not None else None


def _query_value(request, name, keep_empty):
    return request.query_params.get(name) if keep_empty else query_text(request, name)


def query_int(
    request,
    name,
    default=None,
    message="Wrong value for parameter {name}.",
    keep_empty=False,
    minimum=INT32_RANGE[0],
    maximum=INT32_RANGE[1],
):
    """An integer query parameter, `default` when absent or empty; a 400 with `message` (`{name}`
    stands for the parameter) when not a number, or not within [minimum, maximum] (a 32-bit
    integer by default: no page, limit or column value overflows the database).
    `keep_empty`: an empty value is not a number."""
    value = _query_value(request, name, keep_empty)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise WrongParameter(message.format(name=name)) from None
    if not minimum <= number <= maximum:
        expected = f"Expected an integer between {minimum} and {maximum}."
        raise WrongParameter(f"{message.format(name=name)} {expected}")
    return number


MOMENT_LAYOUTS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def query_moment(
    request,
    name,
    message="Wrong date format for {name}. Expected format: 2020-01-05T13:23:10 or 2020-01-05",
    keep_empty=False,
):
    """A `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD` query parameter as an aware UTC datetime, None when
    absent or empty; a 400 with `message` (`{name}` stands for the parameter) otherwise.
    `keep_empty`: an empty value is malformed."""
    value = _query_value(request, name, keep_empty)
    if value is None:
        return None
    for layout in MOMENT_LAYOUTS:
        try:
            return datetime.datetime.strptime(value, layout).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
    raise WrongParameter(message.format(name=name))


def parse_date(value, name="date"):
    """A `YYYY-MM-DD` string as a date, or a 400."""
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise WrongParameter(f"Wrong date format for {name}: {value!r}. Expected YYYY-MM-DD.") from None


def parse_year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise WrongParameter(f"Wrong year: {value!r}.") from None
    if not 1900 <= year <= 2200:
        raise WrongParameter(f"Wrong year: {value!r}.")
    return year


def parse_month(value):
    try:
        month = int(value)
    except (TypeError, ValueError):
        raise WrongParameter(f"Wrong month: {value!r}.") from None
    if not 1 <= month <= 12:
        raise WrongParameter(f"Wrong month: {value!r}.")
    return month


__all__ = [
    "KitsuView",
    "managed_project",
    "team_project",
    "UserView",
    "access_for",
    "id_of",
    "json_body",
    "object_or_404",
    "parse_bool",
    "parse_date",
    "parse_int",
    "parse_month",
    "parse_uuid",
    "parse_year",
    "policy_for",
    "render",
    "render_rows",
    "required",
    "validated",
]


# --- boards: ETags and compact or streamed answers ------------------------------------------------


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


def board_response(rows, etag, compact=False, stream=False, **compact_fields):
    """A board's answer from `rows` (an iterable, ideally a generator producing one row at a
    time): its rows; with `compact`, rows of values under a header naming the fields
    (`compact_fields`); with `stream`, NDJSON (the header, then one row a line), each row
    produced as it is sent, so that the board is never held whole in memory."""
    header = {"compact": compact}
    if compact:
        header.update(compact_fields)
    if not stream:
        body = list(rows) if not compact else {**header, "rows": list(rows)}
        return with_etag(Response(body), etag)
    rows = iter(rows)
    # The first row now: a generator runs its queries before its first row, and a failure there
    # must still be an error answer, not a stream cut after its status line.
    first = list(islice(rows, 1))
    lines = (dumps(item) + b"\n" for item in chain([header], first, rows))
    return with_etag(RowStream(lines, content_type="application/x-ndjson"), etag)
