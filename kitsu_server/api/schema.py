"""OpenAPI building blocks that say what the API really answers.

- Timestamps: the API writes `YYYY-MM-DDTHH:MM:SS` (UTC, no zone, as the
  reference does), which is not an RFC 3339 `date-time`. Every DRF
  `DateTimeField` of every serializer is documented as a string of that
  pattern (the extension below); the API still reads RFC 3339 in requests,
  of which this pattern is a part.
- The `page` envelope of the lists: `{data, total, nb_pages, limit, offset, page}`.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes

# A calendar-valid shape (months 01-12, days 01-31, a year from 1000): what the API writes.
TIMESTAMP_PATTERN = r"^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$"
TIMESTAMP_SCHEMA = {
    "type": "string",
    "pattern": TIMESTAMP_PATTERN,
    "example": "2026-01-05T13:23:10",
    "description": "UTC, without time zone (YYYY-MM-DDTHH:MM:SS)",
}


class KitsuTimestampExtension(OpenApiSerializerFieldExtension):
    """Every `serializers.DateTimeField`, in every serializer: the Kitsu timestamp."""

    target_class = "rest_framework.fields.DateTimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return dict(TIMESTAMP_SCHEMA)


def page_envelope(item_schema):
    """The answer of a list asked with `page`: one page of rows and where it sits."""
    integer = build_basic_type(OpenApiTypes.INT)
    return {
        "type": "object",
        "properties": {
            "data": build_array_type(item_schema),
            "total": integer,
            "nb_pages": integer,
            "limit": integer,
            "offset": integer,
            "page": integer,
        },
        "required": ["data", "total", "nb_pages", "limit", "offset", "page"],
    }


OBJECT = build_basic_type(OpenApiTypes.OBJECT)


def rows(item_schema=None):
    """A JSON array of rows (free-form objects by default)."""
    return build_array_type(item_schema or OBJECT)


def rows_or_page(item_schema=None):
    """The answer of a list that paginates on ask: its rows, or with `page` the envelope of one page."""
    item_schema = item_schema or OBJECT
    return {"oneOf": [rows(item_schema), page_envelope(item_schema)]}


def board(item_schema=None):
    """A board's answer (`kitsu_server.api.responses.board_response`): its rows, or with `compact` the
    header naming the fields and rows of values."""
    compact = {
        "type": "object",
        "properties": {"compact": {"type": "boolean"}, "rows": build_array_type({})},
        "required": ["compact", "rows"],
        "additionalProperties": True,
    }
    return {"oneOf": [rows(item_schema), compact]}


def nullable(schema):
    """`schema`, or JSON `null` (an answer the reference sends when there is nothing)."""
    return {**schema, "nullable": True}


# Answers of routes that write free-form rows.
ROWS = rows()
NULLABLE_OBJECT = nullable(OBJECT)


def component(serializer_class):
    """A reference to the component of `serializer_class` (documented by the routes that answer
    it), for answers written as raw schemas."""
    name = serializer_class.__name__
    if name.endswith("Serializer") and name != "Serializer":
        name = name[: -len("Serializer")]
    return {"$ref": f"#/components/schemas/{name}"}


def or_null(serializer_class):
    """One object of `serializer_class`, or `null` when there is none."""
    return {"allOf": [component(serializer_class)], "nullable": True}


def or_empty(serializer_class):
    """One object of `serializer_class`, or `{}` when there is none."""
    return {"oneOf": [component(serializer_class), {"type": "object", "maxProperties": 0}]}


# `page` and `limit` of the lists: positive, and within what the database can offset by.
PAGE_NUMBER = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
PAGE_SIZE = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
