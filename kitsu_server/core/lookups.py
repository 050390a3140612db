"""The rows a URL names, looked up one way.

Two answers for a malformed id, each the reference's for its family of routes:
- `object_or_404`: the generic /data routes and what follows their rule: a malformed id is a 400
  ("Malformed ID: ..."), a missing row a 404 ("<Model> not found.").
- `found_or_404` and the named lookups below (projects, entities of a kind, tasks, asset types):
  the reference's service lookups, where a malformed id names no row either: 404.

`team_project` and `managed_project` are the production of a URL once the caller reaches it.
"""

import uuid

from django.db import connections, models, router
from django.db.models.query import get_related_populators
from rest_framework.exceptions import NotFound, PermissionDenied

from assets.models import KIND_NAMES, Entity, EntityType, entity_kind
from kitsu_server.api.params import parse_uuid, uuid_or_none
from kitsu_server.api.prepared import prepared_cursor
from kitsu_server.core import access as access_rules  # a module: the access rules look rows up here
from productions.models import Project
from tasks.models import Task


def by_pk(queryset, pk):
    """The row of `pk` in `queryset`, or None: one row at most, so no ORDER BY (`.first()` sorts
    by pk, and Django compiles that sort against every selected column: 1.5 ms of CPU for a
    task read with its eight related rows)."""
    return next(iter(queryset.filter(pk=pk).order_by()[:1]), None)


ORM = object()  # the plan of a queryset `CompiledPkRead` leaves to the ORM


class CompiledPkRead:
    """One row by primary key from a queryset (its `select_related` rows attached, as the ORM
    attaches them), the SQL compiled once per process and database and, on PostgreSQL, the plan
    prepared once per connection. For a read whose ORM build and compile, and whose planning by
    PostgreSQL, cost many times its execution: a task with its eight related rows is a
    nine-table query of ~200 columns (~2 ms of Django CPU and ~2 ms of planning against 0.5
    of execution). `queryset` is a function returning the queryset of `model` (no filter on the
    pk). Not prepared behind a transaction pooler (DISABLE_SERVER_SIDE_CURSORS)."""

    sentinel = uuid.UUID("5e171e1e-0000-4000-8000-0000000000fa")

    def __init__(self, model, queryset):
        self.model = model
        self.queryset = queryset
        self.plans = {}

    def __call__(self, pk):
        """The row of `pk` (a UUID), or None."""
        model = self.model
        using = router.db_for_read(model)
        plan = self.plans.get(using)
        if plan is None:
            plan = self.plans[using] = self.compile(using)
        if plan is ORM:  # what the compiled read does not do (prefetches): the ORM's read
            return by_pk(self.queryset(), pk)
        connection = connections[using]
        pk_value = model._meta.pk.get_db_prep_value(pk, connection)
        params = [pk_value if slot is self.sentinel else slot for slot in plan["params"]]
        with prepared_cursor(connection) if plan["prepare"] else connection.cursor() as cursor:
            cursor.execute(plan["sql"], params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (converters, expression) in plan["converters"].items():
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        start, end = plan["model_columns"]
        instance = model.from_db(using, plan["attnames"], row[start:end])
        for populator in plan["populators"]:
            populator.populate(row, instance)
        for name, position in plan["annotations"].items():
            setattr(instance, name, row[position])
        return instance

    def compile(self, using):
        connection = connections[using]
        queryset = self.queryset().filter(pk=self.sentinel).order_by()[:1]
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            return ORM
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        sentinel_forms = {self.sentinel, self.sentinel.hex, str(self.sentinel)}
        params = [self.sentinel if value in sentinel_forms else value for value in params]
        assert params.count(self.sentinel) == 1, "unexpected SQL parameters"
        select, klass_info = compiler.select, compiler.klass_info
        columns = klass_info["select_fields"]
        return {
            "sql": sql,
            "params": params,
            "prepare": connection.vendor == "postgresql"
            and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"),
            "converters": compiler.get_converters([column[0] for column in select]),
            "model_columns": (columns[0], columns[-1] + 1),
            "attnames": [column[0].target.attname for column in select[columns[0] : columns[-1] + 1]],
            "populators": get_related_populators(klass_info, select, using),
            "annotations": dict(compiler.annotation_col_map),
        }


MODEL_READS = {}  # {model: its CompiledPkRead}, for the lookups given a model


def read_by_pk(model_or_queryset, pk):
    """The row of `pk` from a model (its read compiled once), a `CompiledPkRead`, or a queryset."""
    if isinstance(model_or_queryset, CompiledPkRead):
        return model_or_queryset(pk)
    if isinstance(model_or_queryset, type):
        if not isinstance(model_or_queryset._meta.pk, models.UUIDField):
            return by_pk(model_or_queryset._default_manager.all(), pk)
        read = MODEL_READS.get(model_or_queryset)
        if read is None:
            model = model_or_queryset
            read = MODEL_READS[model] = CompiledPkRead(model, model._default_manager.all)
        return read(pk)
    return by_pk(model_or_queryset, pk)


def object_or_404(model_or_queryset, object_id, name=None):
    """The row of `object_id` (400 when malformed, 404 when absent, "<Model> not found.")."""
    model = model_or_queryset if isinstance(model_or_queryset, type) else model_or_queryset.model
    pk = parse_uuid(object_id, f"Malformed ID: {object_id}.")
    instance = read_by_pk(model_or_queryset, pk)
    if instance is None:
        raise NotFound(f"{name or model.__name__} not found.")
    return instance


def found_or_404(model_or_queryset, object_id, message):
    """The row of `object_id`, else a 404 with `message` (a malformed id names no row).
    `model_or_queryset` may be a `CompiledPkRead`."""
    pk = uuid_or_none(object_id)
    instance = read_by_pk(model_or_queryset, pk) if pk is not None else None
    if instance is None:
        raise NotFound(message)
    return instance


def project_or_404(project_id, message="Project not found."):
    return found_or_404(Project, project_id, message)


def task_or_404(task_id):
    return found_or_404(Task, task_id, "Task not found.")


def entity_or_404(entity_id, kind=None):
    """The entity of `entity_id`; when `kind` ("Shot", "Episode", "Asset"...) is given, only an
    entity of that kind (the 404 then names the kind)."""
    entity = found_or_404(Entity, entity_id, f"{kind or 'Entity'} not found.")
    if kind is not None and entity_kind(entity.entity_type_id) != kind:
        raise NotFound(f"{kind} not found.")
    return entity


def asset_type_or_404(asset_type_id):
    """An entity type that classifies assets (not Shot, Sequence... which name kinds)."""
    asset_types = EntityType.objects.exclude(name__in=KIND_NAMES)
    return found_or_404(asset_types, asset_type_id, "Asset type not found.")


def listed_project_role(access, project_id):
    """The rule of a list whose query string names its production: admins list anything; anyone
    else must name one (403) that exists (404) and whose team holds them (403). Returns the
    caller's role there ("admin" for an admin)."""
    if access.is_admin:
        return "admin"
    if project_id is None:
        raise PermissionDenied
    project_or_404(project_id)
    return access.check_project_access(project_id)


def team_project(request, project_id, blocked_roles=()):
    """The production of the URL (404), once the caller reaches it with a role not in
    `blocked_roles` (403). Returns (project, the caller's role on it)."""
    project = project_or_404(project_id)
    role = access_rules.access_for(request).check_project_access(project.pk)
    if role in blocked_roles:
        raise PermissionDenied
    return project, role


def managed_project(request, project_id):
    """The production of the URL (404), once the caller manages it (admins, its managers)."""
    project = project_or_404(project_id)
    access_rules.access_for(request).check_manager(project.pk)
    return project
