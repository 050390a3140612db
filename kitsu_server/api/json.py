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
from functools import cache, cached_property
from itertools import islice

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router

# A UUID column: how a key travels to the database (hex text on SQLite, a UUID on PostgreSQL).
UUID_COLUMN = models.UUIDField()


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

    def many_to_many_pairs(self, objects):
        """(relation index, object id, related id) of every many-to-many relation of `objects`:
        one query for all of them (their link tables' rows, UNION ALL), each table's rows in the
        order it gives them, as one query per table did. A list of ids is matched by SQL written
        here from the link tables' names (no ORM compilation: a detail route's relations cost
        one short query)."""
        if isinstance(objects, list) and self.uuid_links:
            return self.linked_uuids(objects)
        parts = []
        for index, field in enumerate(self.relations):
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            parts.append(
                field.remote_field.through._default_manager.filter(**{f"{source}__in": objects})
                .annotate(relation_index=models.Value(index, output_field=models.IntegerField()))
                .values_list("relation_index", f"{source}_id", f"{target}_id")
            )
        if not parts:
            return []
        if len(parts) == 1:
            return parts[0]
        return parts[0].union(*parts[1:], all=True)

    @cached_property
    def uuid_links(self):
        """(link table, object column, related column) of each many-to-many relation, when every
        one links UUID keys (else None: the ORM's path)."""
        links = []
        for field in self.relations:
            through = field.remote_field.through._meta
            source = through.get_field(field.m2m_field_name())
            target = through.get_field(field.m2m_reverse_field_name())
            if not all(isinstance(side.target_field, models.UUIDField) for side in (source, target)):
                return None
            links.append((through.db_table, source.column, target.column))
        return links

    def linked_uuids(self, ids):
        """`many_to_many_pairs` of a list of ids (strings or UUIDs), ids read back as strings."""
        if not ids or not self.uuid_links:
            return []
        connection = connections[router.db_for_read(self.model)]
        quote = connection.ops.quote_name
        keys = [UUID_COLUMN.get_db_prep_value(uuid.UUID(str(key)), connection) for key in ids]
        marks = ", ".join(["%s"] * len(keys))
        sql = " UNION ALL ".join(
            f"SELECT {index}, {quote(source)}, {quote(target)} FROM {quote(table)} "
            f"WHERE {quote(source)} IN ({marks})"
            for index, (table, source, target) in enumerate(self.uuid_links)
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                from psycopg.types.string import TextLoader

                cursor.cursor.adapters.register_loader("uuid", TextLoader)
                cursor.execute(sql, keys * len(self.uuid_links))
                return cursor.fetchall()
            cursor.execute(sql, keys * len(self.uuid_links))
            rows = cursor.fetchall()
        return [(index, uuid.UUID(source), uuid.UUID(target)) for index, source, target in rows]

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
        result = {field.name: defaultdict(list) for field in self.relations}
        for index, object_id, related_id in self.many_to_many_pairs(objects):
            result[self.relations[index].name][str(object_id)].append(str(related_id))
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


# Rows up to which a list's relations are matched by its ids rather than by its filter.
SHORT_LIST = 500


def serialize_rows(queryset, relations=False, shape=None):
    """Every row of `queryset` in the Kitsu shape: 1 query, plus 1 per relation when asked."""
    shape = shape or shape_for(queryset.model)
    rows, as_text = fetch_rows(queryset, shape.attnames)
    result = [shape.format_tuple(row, as_text) for row in rows]
    if relations and (shape.relations or shape.reverse_relations) and result:
        # A page is matched by its ids (re-running its sort in a subquery costs more);
        # a whole list by subquery, so that 100k ids never travel as parameters.
        # A short list likewise: its ids make a cheaper query than its filter again.
        by_ids = queryset.query.is_sliced or len(result) <= SHORT_LIST
        objects = [data["id"] for data in result] if by_ids else queryset
        for name, by_object in shape.relation_ids(objects).items():
            for data in result:
                data[name] = by_object.get(data["id"], [])
    return result


# The SQL of whole-table lists, compiled once per process: {(database, model, order, columns): SQL}.
TABLE_SQL = {}


def serialize_table(model, order, shape=None):
    """Every row of `model`'s table (a lookup: no filter) in the Kitsu shape, sorted by `order`
    (field names): `serialize_rows` of `model.objects.order_by(*order)` whose SQL, on PostgreSQL,
    is compiled once per process. The context the web UI loads first reads ten such tables of a
    few rows, where the ORM's build and compilation of each query cost more than its rows."""
    shape = shape or shape_for(model)
    queryset = model._default_manager.order_by(*order)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return serialize_rows(queryset, shape=shape)
    key = (queryset.db, model, tuple(order), tuple(shape.attnames))
    sql = TABLE_SQL.get(key)
    if sql is None:
        sql, params = queryset.values_list(*shape.attnames).query.get_compiler(using=queryset.db).as_sql()
        assert not params, "a whole-table list takes no parameter"
        TABLE_SQL[key] = sql
    from psycopg.types.string import TextLoader

    with connection.cursor() as cursor:
        for type_name in TEXT_TYPES:
            cursor.cursor.adapters.register_loader(type_name, TextLoader)
        cursor.execute(sql)
        return [shape.format_tuple(row, True) for row in cursor.fetchall()]


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
