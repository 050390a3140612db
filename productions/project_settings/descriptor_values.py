"""The values of a metadata descriptor, stored under its field name in the `data` of the rows it
describes: which rows those are, and the one-UPDATE moves of a renamed or removed field, written
per database (PostgreSQL's jsonb, SQLite's JSON text)."""

from django.db.models import BooleanField, F, Func, JSONField
from django.utils import timezone

from assets.models import NON_ASSET_TYPE_NAMES, Entity
from productions.models import Project
from tasks.models import Task

# Entity types that are no asset type (their descriptors are not the assets').
NOT_ASSET_KINDS = NON_ASSET_TYPE_NAMES
TEMPORAL_KINDS = ("Shot", "Scene", "Sequence", "Episode", "Edit")


class _JSONFunc(Func):
    """A JSON column expression written per database (PostgreSQL's jsonb, SQLite's JSON text)."""

    def __init__(self, column, *keys, **extra):
        super().__init__(F(column), **extra)
        self.keys = keys

    @staticmethod
    def path(key):
        return f'$."{key}"'

    def as_sql(self, compiler, connection, **extra):  # SQLite
        column, params = compiler.compile(self.source_expressions[0])
        return self.sqlite_sql(column), [*params, *self.sqlite_params()]

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return self.postgresql_sql(column), [*params, *self.postgresql_params()]

    def sqlite_params(self):
        return [self.path(key) for key in self.keys]

    def postgresql_params(self):
        return list(self.keys)


class JSONHasValue(_JSONFunc):
    """True where `data` holds `key` with a value other than null."""

    output_field = BooleanField()

    def sqlite_sql(self, column):
        return f"(json_type({column}, %s) <> 'null')"

    def postgresql_sql(self, column):
        return f"(jsonb_typeof({column} -> %s::text) <> 'null')"


class JSONHasKey(_JSONFunc):
    output_field = BooleanField()

    def sqlite_sql(self, column):
        return f"(json_type({column}, %s) IS NOT NULL)"

    def postgresql_sql(self, column):
        return f"(({column} -> %s::text) IS NOT NULL)"


class JSONWithoutKey(_JSONFunc):
    output_field = JSONField()

    def sqlite_sql(self, column):
        return f"json_remove({column}, %s)"

    def postgresql_sql(self, column):
        return f"({column} - %s::text)"


class JSONWithKeyRenamed(_JSONFunc):
    """`data` with the value of `old` moved to `new` (keys: old, new)."""

    output_field = JSONField()

    def sqlite_sql(self, column):
        return f"json_set(json_remove({column}, %s), %s, {column} -> %s)"

    def sqlite_params(self):
        old, new = self.keys
        return [self.path(old), self.path(new), self.path(old)]

    def postgresql_sql(self, column):
        return f"(({column} - %s::text) || jsonb_build_object(%s::text, {column} -> %s::text))"

    def postgresql_params(self):
        old, new = self.keys
        return [old, new, old]


def described_rows(descriptor):
    """The rows whose `data` holds the values of a descriptor: the project itself, the tasks of
    its task type, or the entities of its kind (every asset type for "Asset"); None for a kind
    that has no rows."""
    kind = descriptor.entity_type
    if kind == "Project":
        return Project.objects.filter(pk=descriptor.project_id)
    if kind == "Task":
        return Task.objects.filter(project_id=descriptor.project_id, task_type_id=descriptor.task_type_id)
    entities = Entity.objects.filter(project_id=descriptor.project_id)
    if kind == "Asset":
        return entities.exclude(entity_type__name__in=NOT_ASSET_KINDS)
    if kind in TEMPORAL_KINDS:
        return entities.filter(entity_type__name=kind)
    return None


def move_descriptor_values(descriptor, new_field_name):
    """Rename the key of a descriptor's values in every row that holds one: one UPDATE, however
    many rows (a null value stays under its old key, as on the reference)."""
    rows = described_rows(descriptor)
    if rows is None:
        return 0
    old = descriptor.field_name
    return rows.filter(JSONHasValue("data", old)).update(
        data=JSONWithKeyRenamed("data", old, new_field_name), updated_at=timezone.now()
    )


def strip_descriptor_values(descriptor):
    """Remove a descriptor's values from every row that holds one: one UPDATE."""
    rows = described_rows(descriptor)
    if rows is None:
        return 0
    key = descriptor.field_name
    return rows.filter(JSONHasKey("data", key)).update(
        data=JSONWithoutKey("data", key), updated_at=timezone.now()
    )
