"""Request parsing shared by the routes of the `tasks` app: id lists in bodies, dates in URLs,
uploaded files, and the bodies several routes take."""

import datetime

from rest_framework import serializers

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_uuid

# --- request bodies -----------------------------------------------------------------------------


class TaskIdsBody(serializers.Serializer):
    task_ids = serializers.ListField(child=serializers.CharField(), allow_empty=False)


ID_LIST = {"type": "array", "items": {"type": "string", "format": "uuid"}}


def id_list(request, required=True):
    """A bare JSON array of UUIDs as body; without `required`, no body (or `{}`) means None."""
    body = request.data
    if not isinstance(body, list):
        if not required and (body is None or (hasattr(body, "keys") and not body)):
            return None
        raise WrongParameter("Request body must be a JSON array.")
    ids = []
    for value in body:
        if not isinstance(value, str):
            raise WrongParameter("Request body must only contain valid UUIDs.")
        ids.append(parse_uuid(value, "Request body must only contain valid UUIDs."))
    return ids


def known_ids(values):
    """The values that are UUIDs (a malformed id names no task: it is skipped like an unknown one)."""
    ids = []
    for value in values:
        try:
            ids.append(parse_uuid(value, ""))
        except WrongParameter:
            continue
    return ids


# --- query strings ------------------------------------------------------------------------------

INT_MESSAGE = "{name} must be an integer."


def url_date(value):
    """A `YYYY-MM-DD` route segment (the reference's strptime: `2024-3-1` is fine)."""
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise WrongParameter("Invalid date format.") from None


def uploaded_files(request):
    """Every file of a multipart request, whatever its field name (Kitsu sends `file-0`...)."""
    return [uploaded for name in request.FILES for uploaded in request.FILES.getlist(name)]


def query_ids(request, name):
    values = request.query_params.getlist(name)
    return [parse_uuid(value, f"The {name} parameter contains an invalid id") for value in values]


def query_bool(request, name):
    value = request.query_params.get(name)
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("true", "1", "on"):
        return True
    if lowered in ("false", "0", ""):
        return False
    raise WrongParameter(f"Wrong value for parameter {name}.")


# --- query strings ------------------------------------------------------------------------------

MOMENT_MESSAGE = "Wrong date format for {name} argument. Expected format: 2020-01-05T13:23:10 or 2020-01-05"
