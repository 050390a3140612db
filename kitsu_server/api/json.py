"""The Kitsu JSON shape of a row, and the fast path that renders lists of rows.

The reference writes every column under its column name, UUIDs as strings,
datetimes as `YYYY-MM-DDTHH:MM:SS` in UTC without zone, dates as
`YYYY-MM-DD`, plus `"type": "<ModelClass>"`; with relations, the id lists
of its many-to-many relations. Lists are built from `.values()` rows (no
model instance per row) and one query per many-to-many relation for the
whole page, never one per row.
"""

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal
from functools import cache
from itertools import islice

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import connections, models


def serialize_value(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: serialize_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [serialize_value(item) for item in value]
    return value


def format_datetime(value):
    """`YYYY-MM-DDTHH:MM:SS` in UTC (the database hands back UTC already: no conversion then)."""
    if value.utcoffset():
        value = value.astimezone(datetime.UTC)
    return value.isoformat(timespec="seconds")[:19]


def text_or_none(value):
    """A value as the API writes an id or a name: its text, or null."""
    return str(value) if value is not None else None


def datetime_or_none(value):
    """A datetime in the API's format, or null."""
    return format_datetime(value) if value is not None else None


def date_text(value):
    """A date or datetime as the API writes it (a datetime in the API's format, a date as
    YYYY-MM-DD), or null."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    return value.isoformat()


def pick(rows, columns):
    """Rows cut down to `columns`, in that order."""
    return [{column: row[column] for column in columns} for row in rows]


def column_converter(field):
    """The conversion a column's raw value needs for JSON, or None when it is JSON-ready.

    Chosen once per column so that rendering 100k rows runs no type dispatch per value.
    """
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.UUIDField):
        return str
    if isinstance(target, models.DateTimeField):
        return format_datetime
    if isinstance(target, models.DateField):
        return datetime.date.isoformat
    if isinstance(target, models.DecimalField):
        return float
    if isinstance(target, models.GenericIPAddressField | models.CharField | models.TextField):
        return None
    if isinstance(target, models.JSONField | models.BooleanField | models.IntegerField | models.FloatField):
        return None
    return serialize_value


def text_datetime(value):
    """PostgreSQL's text of a UTC timestamp ("2026-03-02 10:20:30.123+00") as the reference writes it."""
    return f"{value[:10]}T{value[11:19]}"


def text_converter(field):
    """For PostgreSQL rows read as text: the conversion a column's text needs, or None."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.DateTimeField):
        return text_datetime
    if isinstance(target, models.JSONField):
        return orjson.loads
    return None


# Column types PostgreSQL hands over as text in the fast path: their text form
# is already what the JSON needs (or one slice away from it).
TEXT_TYPES = ("timestamptz", "timestamp", "date", "uuid", "inet", "jsonb", "json")


def fetch_rows(queryset, attnames):
    """The rows of `queryset` as tuples of `attnames`.

    On PostgreSQL, dates, timestamps, UUIDs and JSON arrive as their text
    (the session time zone is UTC) instead of being parsed into Python
    objects and formatted back: the bulk of the cost of a big list.
    """
    queryset = queryset.values_list(*attnames)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset), False
    from psycopg.types.string import TextLoader

    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing (e.g. `pk__in=[]`): no query to run
        return [], True
    with connection.cursor() as cursor:
        for type_name in TEXT_TYPES:
            cursor.cursor.adapters.register_loader(type_name, TextLoader)
        cursor.execute(sql, params)
        return cursor.fetchall(), True


def fetch_row_chunks(queryset, attnames, chunk_size):
    """`fetch_rows`, `chunk_size` rows at a time: (rows, as_text) per chunk, read from a
    server-side cursor on PostgreSQL (the result never whole in this process), in batches of
    the database's cursor elsewhere."""
    queryset = queryset.values_list(*attnames)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        rows = queryset.iterator(chunk_size=chunk_size)
        while chunk := list(islice(rows, chunk_size)):
            yield chunk, False
        return
    from psycopg.types.string import TextLoader

    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return
    # A server-side cursor unless the database is told to use none (a transaction pooler).
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        for type_name in TEXT_TYPES:
            cursor.cursor.adapters.register_loader(type_name, TextLoader)
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield chunk, True


class ModelShape:
    """What the JSON of one model holds: its columns and its relation id lists."""

    def __init__(self, model, type_name=None, hidden=()):
        self.model = model
        self.type_name = type_name or model._meta.concrete_model.__name__
        hidden = set(hidden)
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.column not in hidden and field.attname not in hidden
        ]
        self.columns = [(field.column, field.attname) for field in fields]
        self.converters = [
            (field.column, converter)
            for field in fields
            if (converter := column_converter(field)) is not None
        ]
        self.text_converters = [
            (index, converter)
            for index, field in enumerate(fields)
            if (converter := text_converter(field)) is not None
        ]
        self.column_names = [field.column for field in fields]
        self.relations = [field for field in model._meta.many_to_many if field.name not in hidden]
        # The reverse side of a foreign key the reference also lists with the relations (a
        # playlist's `build_jobs`), named by the model's `reverse_relation_lists`.
        self.reverse_relations = [
            model._meta.get_field(name)
            for name in getattr(model, "reverse_relation_lists", ())
            if name not in hidden
        ]

    @property
    def attnames(self):
        return [attname for _, attname in self.columns]

    def format_row(self, row):
        """A `.values()` row (keyed by attname) in the Kitsu shape."""
        data = {column: row[attname] for column, attname in self.columns}
        for column, convert in self.converters:
            value = data[column]
            if value is not None:
                data[column] = convert(value)
        data["type"] = self.type_name
        return data

    def format_tuple(self, values, as_text):
        """A `values_list` row in the Kitsu shape (`as_text`: from fetch_rows' PostgreSQL path)."""
        if as_text:
            values = list(values)
            for index, convert in self.text_converters:
                value = values[index]
                if value is not None:
                    values[index] = convert(value)
            data = dict(zip(self.column_names, values, strict=True))
        else:
            data = dict(zip(self.column_names, values, strict=True))
            for column, convert in self.converters:
                value = data[column]
                if value is not None:
                    data[column] = convert(value)
        data["type"] = self.type_name
        return data

    def relation_ids(self, objects):
        """{relation name: {object id string: [related id strings]}}, one query per relation.

        `objects` is a queryset of the listed objects (used as a subquery, so
        a 100k-row list sends no 100k-parameter IN clause) or a list of ids.
        """
        if not isinstance(objects, list):
            objects = objects.values("pk")
        result = {}
        for field in self.relations:
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            by_object = defaultdict(list)
            pairs = through._default_manager.filter(**{f"{source}__in": objects}).values_list(
                f"{source}_id", f"{target}_id"
            )
            for object_id, related_id in pairs:
                by_object[str(object_id)].append(str(related_id))
            result[field.name] = by_object
        for rel in self.reverse_relations:
            key = rel.field.attname
            by_object = defaultdict(list)
            pairs = rel.related_model._default_manager.filter(**{f"{key}__in": objects}).values_list(
                key, "pk"
            )
            for object_id, related_id in pairs.order_by("created_at", "pk"):
                by_object[str(object_id)].append(str(related_id))
            result[rel.name] = by_object
        return result


@cache
def shape_for(model):
    return ModelShape(model)


def serialize_rows(queryset, relations=False, shape=None):
    """Every row of `queryset` in the Kitsu shape: 1 query, plus 1 per relation when asked."""
    shape = shape or shape_for(queryset.model)
    rows, as_text = fetch_rows(queryset, shape.attnames)
    result = [shape.format_tuple(row, as_text) for row in rows]
    if relations and (shape.relations or shape.reverse_relations) and result:
        # A page is matched by its ids (re-running its sort in a subquery costs more);
        # a whole list by subquery, so that 100k ids never travel as parameters.
        objects = [data["id"] for data in result] if queryset.query.is_sliced else queryset
        for name, by_object in shape.relation_ids(objects).items():
            for data in result:
                data[name] = by_object.get(data["id"], [])
    return result


def serialize_row_chunks(queryset, relations=False, shape=None, chunk_size=1000):
    """`serialize_rows` a chunk of `chunk_size` rows at a time (a generator of lists of rows), so
    that a list of any length is never held whole: 1 query, plus 1 per relation when asked (the
    relation ids of the whole list, read by subquery once: a small part of its rows' size)."""
    shape = shape or shape_for(queryset.model)
    with_relations = relations and (shape.relations or shape.reverse_relations)
    whole_list_relations = None
    for rows, as_text in fetch_row_chunks(queryset, shape.attnames, chunk_size):
        result = [shape.format_tuple(row, as_text) for row in rows]
        if with_relations:
            if queryset.query.is_sliced:
                relation_ids = shape.relation_ids([data["id"] for data in result])
            else:
                if whole_list_relations is None:
                    whole_list_relations = shape.relation_ids(queryset)
                relation_ids = whole_list_relations
            for name, by_object in relation_ids.items():
                for data in result:
                    data[name] = by_object.get(data["id"], [])
        yield result


def serialize_instance(instance, relations=False, shape=None):
    """One object in the Kitsu shape (from the instance already in memory)."""
    shape = shape or shape_for(type(instance))
    data = {column: serialize_value(getattr(instance, attname)) for column, attname in shape.columns}
    data["type"] = shape.type_name
    if relations:
        for name, by_object in shape.relation_ids([instance.pk]).items():
            data[name] = by_object.get(str(instance.pk), [])
    return data


def dumps(data):
    """JSON bytes as the API sends them (orjson; UUIDs and datetimes already formatted)."""
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
