"""OpenAPI building blocks that say what the API really answers.

- Timestamps: the API writes `YYYY-MM-DDTHH:MM:SS` (UTC, no zone, as the
  reference does), which is not an RFC 3339 `date-time`. Every DRF
  `DateTimeField` of every serializer is documented as a string of that
  pattern (the extension below); the API still reads RFC 3339 in requests,
  of which this pattern is a part.
- The `page` envelope of the lists: `{data, total, nb_pages, limit, offset, page}`.
- The delta reads' `updated_since` and their envelope `{server_time, updated_since, rows,
  deleted_ids}` (kitsu_server.core.delta).
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

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


def board(item_schema=None, with_delta=False):
    """A board's answer (`kitsu_server.api.responses.board_response`): its rows, or with `compact` the
    header naming the fields and rows of values; `with_delta`: or its delta (`updated_since`)."""
    compact = {
        "type": "object",
        "properties": {"compact": {"type": "boolean"}, "rows": build_array_type({})},
        "required": ["compact", "rows"],
        "additionalProperties": True,
    }
    if with_delta:  # a delta holds a compact board's keys too: any of them
        return {"anyOf": [rows(item_schema), compact, board_delta()]}
    return {"oneOf": [rows(item_schema), compact]}


# --- delta reads (`?updated_since=`) ----------------------------------------------------------

# A cursor: the API's timestamp, to the microsecond when it is a `server_time`.
CURSOR_SCHEMA = {
    "type": "string",
    "pattern": TIMESTAMP_PATTERN[:-1] + r"(\.\d{1,6})?$",
    "example": "2026-01-05T13:23:10.250000",
    "description": "UTC, without time zone (YYYY-MM-DDTHH:MM:SS[.ffffff])",
}
UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    CURSOR_SCHEMA,
    description=(
        "A delta read: only the rows created, changed or trashed since this moment (the "
        "`server_time` of the previous answer), in an envelope. 410 when older than the "
        "deletions kept (reload in full)."
    ),
)
ID_LIST = build_array_type(build_basic_type(OpenApiTypes.UUID))


def delta(item_schema=None, **extra_properties):
    """The answer of a delta read: the rows changed since `updated_since` (in the list's row
    shape), the ids of the rows trashed since, and the next cursor `server_time`."""
    return {
        "type": "object",
        "properties": {
            "server_time": CURSOR_SCHEMA,
            "updated_since": CURSOR_SCHEMA,
            "deleted_ids": ID_LIST,
            **extra_properties,
            "rows": build_array_type(item_schema or OBJECT),
        },
        "required": ["server_time", "updated_since", "deleted_ids", "rows"],
    }


def or_delta(schema, item_schema=None):
    """A list's answer (`schema`) or, asked with `updated_since`, its delta envelope."""
    answers = schema["oneOf"] if set(schema) == {"oneOf"} else [schema]
    return {"oneOf": [*answers, delta(item_schema)]}


class ListSchema(AutoSchema):
    """A route listing rows whose answer is a raw schema (e.g. `or_delta`): named a list in its
    operation id, as when it declared a serializer with `many=True` (its answer is not wrapped
    in an array for that)."""

    naming = False

    def get_operation_id(self):
        self.naming = True
        try:
            return super().get_operation_id()
        finally:
            self.naming = False

    def _is_list_view(self, serializer=None):
        if self.naming and self.method.lower() == "get":
            return True
        return super()._is_list_view(serializer)


def board_delta():
    """The delta of a board: whole entities (rows, or rows of values with `compact`), the ids of
    the entities and of the tasks trashed since."""
    board_keys = {"compact": {"type": "boolean"}, "deleted_task_ids": ID_LIST}
    schema = delta({}, **board_keys)
    schema["required"] = [*schema["required"], "compact", "deleted_task_ids"]
    schema["additionalProperties"] = True  # the compact form's field names
    return schema


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
