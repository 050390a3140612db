"""Rules every input obeys, whatever the route: no bad input reaches the database.

A value the database cannot store (an integer beyond its column, a NUL character, which
PostgreSQL refuses in text and JSON) or a body the server cannot render
back (JSON nested deeper than the renderer goes) is a 400 naming what is wrong, before
anything is written. The rules apply by construction: the JSON parser (settings'
`DEFAULT_PARSER_CLASSES`), the generic `/data` serializers (`crud.serializer_field`), the
query-string helpers, `views.validated` for the hand-written serializers (`harden`), and
`RefuseNulInURL` for paths and query strings.
"""

import functools
import zoneinfo

import orjson
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import HttpResponse
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."  # DRF's own wording for its CharField
# The renderer (orjson) stops at 254 levels and an answer wraps a value in a few (envelope, list,
# row): a body this deep is far beyond any Kitsu client's and still renders back.
MAX_JSON_DEPTH = 128
# The range of an integer column, the same on every database (SQLite would store more).
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
INT32_RANGE = INTEGER_RANGES["IntegerField"]


def next_number(last, message):
    """The number after `last` in a 32-bit column (revisions, positions): a 400 with `message` when
    `last` is the column's largest, reachable by a number set through a route."""
    if last >= INT32_RANGE[1]:
        raise serializers.ValidationError(message)
    return last + 1


def contains_nul(value):
    """Whether a NUL character sits anywhere in `value` (strings, dict keys, nested values)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def nesting_depth_exceeds(value, limit):
    """Whether `value` nests lists and objects more than `limit` levels deep."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def refuse_nul(value):
    """Validator of JSON, dict and list fields: no NUL anywhere inside."""
    if contains_nul(value):
        raise serializers.ValidationError(NUL_MESSAGE)


def refuse_too_deep(value):
    """Validator of JSON values that may come from elsewhere than the JSON parser (a multipart
    form's JSON text): no deeper than the parser allows."""
    if nesting_depth_exceeds(value, MAX_JSON_DEPTH):
        raise serializers.ValidationError(f"Nested deeper than {MAX_JSON_DEPTH} levels.")


@functools.cache
def _time_zone_names():
    return frozenset(zoneinfo.available_timezones())


def refuse_unknown_time_zone(value):
    """Validator of time zone columns: an IANA name (`Europe/Paris`), as the reference's pytz
    column requires."""
    if value and value not in _time_zone_names():
        raise serializers.ValidationError(f"Unknown time zone: {value!r}.")


def harden(field):
    """Give a hand-written serializer's fields the rules above where they declare none: integers
    within a 32-bit column (a field bound for a wider column declares its own bounds), no NUL
    nor excessive nesting inside JSON, dict, list or custom fields (DRF's own text fields refuse
    NUL, its float fields nan and infinity). Fields are per serializer instance, so this changes
    only the one validating this request."""
    stack = [field]
    while stack:
        item = stack.pop()
        if isinstance(item, serializers.ListSerializer):
            stack.append(item.child)
        elif isinstance(item, serializers.Serializer):
            stack.extend(item.fields.values())
        elif isinstance(item, serializers.IntegerField):
            _bound_integer_field(item)
        elif isinstance(item, serializers.FloatField | serializers.BooleanField):
            continue  # DRF refuses nan and infinity itself
        elif isinstance(item, serializers.ListField | serializers.DictField | serializers.JSONField) or (
            not type(item).__module__.startswith("rest_framework.")
        ):
            item.validators.extend([refuse_nul, refuse_too_deep])
            if isinstance(item, serializers.ListField | serializers.DictField):
                stack.append(item.child)
    return field


def _bound_integer_field(field):
    minimum, maximum = INT32_RANGE
    if field.max_value is None:
        field.max_value = maximum
        field.validators.append(_limit_validator(MaxValueValidator, field, "max_value", maximum))
    if field.min_value is None:
        field.min_value = minimum
        field.validators.append(_limit_validator(MinValueValidator, field, "min_value", minimum))


def _limit_validator(validator_class, field, key, limit):
    return validator_class(limit, message=field.error_messages[key].format(**{key: limit}))


class KitsuJSONParser(BaseParser):
    """JSON bodies through orjson (UTF-8 only, no NaN, lone surrogates refused), nested at most
    `MAX_JSON_DEPTH` levels: deeper input is a 400, never a RecursionError."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        # Fewer brackets than the limit cannot nest deeper than it: most bodies skip the walk.
        if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and nesting_depth_exceeds(
            value, MAX_JSON_DEPTH
        ):
            raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
        return value


class RefuseNulInURL:
    """Middleware: a NUL character in the path or in a query parameter is a 400 in the
    reference's error shape (PostgreSQL cannot compare text with one), before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            return _bad_request("The URL may not contain null characters.")
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return _bad_request(f"Parameter {name!r} may not contain null characters.")
        return self.get_response(request)


def _bad_request(message):
    body = orjson.dumps({"error": True, "message": message})  # as the API's renderer writes it
    return HttpResponse(body, status=400, content_type="application/json")
