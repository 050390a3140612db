"""The generic `/data/<model>` routes, driven by one registry of model policies.

Each app declares, in its `crud.py`, one `CrudPolicy` subclass per model it
serves under `/data/...`: the path, and only what differs from the
reference's base behaviour (admins only, every column, `<table>:new|update|
delete` events). The two generic views do the rest:

- `GET /data/<path>`: list; query-string keys that are columns filter by
  equality (a JSON list means "in"), `name` is case-insensitive,
  many-to-many names filter by membership, `relations=true` adds relation
  id lists, `page` / `limit` paginate into the reference's envelope,
  `fields` picks columns. Rows the person may not see are filtered out.
- `POST /data/<path>`: create from JSON (201), validated by a serializer
  built from the model; many-to-many id lists are set in the same
  transaction.
- `GET|PUT|DELETE /data/<path>/<id>`: read (with relations), update (200,
  `id`/`created_at`/`updated_at`/`project_id` are not writable), delete
  (204; 400 naming the dependent rows when others still reference it).

A body may carry any key: what is no writable column, relation or extra input
of the policy (read-only, computed, hidden or unknown: what a client sends
back of a read) is ignored, as the reference's updates do; a writable one
with a wrong value is a 400 naming it.
"""

import datetime
import math

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import INTEGER_RANGES, KitsuJSONParser, contains_nul, refuse_nul
from kitsu_server.api.json import ModelShape, serialize_instance, serialize_rows
from kitsu_server.api.params import parse_bool, parse_int, parse_uuid
from kitsu_server.api.permissions import IsActivePerson
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE, page_envelope
from kitsu_server.core.access import access_for
from kitsu_server.core.events import record_event

REGISTRY = {}
RESERVED_PARAMETERS = {"page", "limit", "relations", "fields"}
NB_RECORDS_PER_PAGE = 100
# Never moved by an update: a row stays in the project it was checked against.
PROTECTED_ON_UPDATE = ("id", "created_at", "updated_at", "project_id")


def register(policy_class):
    """Class decorator: serve `policy_class.model` at `/data/<policy_class.path>`."""
    policy = policy_class()
    if policy.path in REGISTRY:
        raise ValueError(f"/data/{policy.path} is registered twice")
    REGISTRY[policy.path] = policy
    return policy_class


class CrudPolicy:
    """The reference's base rules for one model; subclasses override what differs."""

    model = None
    path = None
    hidden_columns = ()  # never sent (secrets)
    type_name = None  # the "type" of the JSON, the model class name by default
    list_methods = ("get", "post")  # a few link tables only take POST on their list route
    custom_filters = ()  # query-string names that are no column, handled by `custom_filter`
    list_cap = None  # most rows an unpaginated list sends (the newest first), None for all
    # Columns or relations a body may carry but that are set by other routes or hooks: ignored on
    # a creation / an update (the reference's protected fields of each resource).
    read_only_on_create = ()
    read_only_on_update = ()
    # Rules of a column beyond its SQL type, {column: [DRF validators]} (e.g. a person's time zone).
    column_validators = {}

    def __init__(self):
        self.shape = ModelShape(self.model, type_name=self.type_name, hidden=self.hidden_columns)
        meta = self.model._meta
        self.table = meta.db_table
        self.fields_by_column = {f.column: f for f in meta.concrete_fields}
        self.relations = {f.name: f for f in meta.many_to_many}

    # --- who may do what (the reference's base: admins only) -----------------
    def check_list(self, access, params):
        """Before a list: where the query string decides who may list (e.g. a `project_id`)."""

    def visible(self, access, queryset):
        """The rows this person may list; raise PermissionDenied to refuse the whole list."""
        access.check_admin()
        return queryset

    def check_read(self, access, instance):
        access.check_admin()

    def check_create(self, access, data):
        access.check_admin()

    def check_update(self, access, instance, data):
        access.check_admin()

    def precheck_update(self, access, instance):
        """Before the body is read: refuse who may change nothing of this row (a 403 rather than
        a 400 about a body they may not send). By default `check_update` with no column."""
        self.check_update(access, instance, {})

    def check_delete(self, access, instance):
        access.check_admin()

    # --- hooks around writes ---------------------------------------------------
    def read_only_for(self, access, instance):
        """What an update by this person ignores (by default `read_only_on_update`): where a role
        may change fewer columns of a row without being refused for sending them back."""
        return self.read_only_on_update

    def extra_inputs(self, creating):
        """Inputs that are no writable column but that the reference's hooks take on a creation
        (`creating`) or an update: {name: serializer field}. Validated with the body (a 400 names
        them), documented with it, and handed to `apply_inputs`."""
        return {}

    def apply_inputs(self, access, instance, inputs, values, created):
        """Use the validated `extra_inputs` present in the body, once the row is saved with the
        column `values` and before `after_write` (inside the write's transaction)."""

    def clean_body(self, body, creating):
        """The raw JSON body before validation: where the reference's lenient inputs become
        plain values (e.g. "all" for no episode). Return the cleaned dict."""
        return body

    def prepare_create(self, access, data):
        """Adjust validated create data (a dict keyed by column) before the row is made."""
        return data

    def existing_for_create(self, access, data):
        """A row the create updates instead of inserting one (the reference's create-or-update
        routes), or None."""
        return None

    def prepare_update(self, access, instance, data):
        return data

    def after_write(self, access, instance, created):
        """Side effects inside the write's transaction (after the row is saved)."""

    def delete(self, access, instance, params):
        """Remove the row (`params`: the query string, e.g. the reference's `force=true`)."""
        instance.delete()

    # --- events ----------------------------------------------------------------
    @property
    def event_prefix(self):
        return self.table.replace("_", "-")

    def event_data(self, data):
        return {f"{self.table}_id": data["id"]}

    def emit(self, action, data, user):
        record_event(
            f"{self.event_prefix}:{action}",
            self.event_data(data),
            project_id=data.get("project_id"),
            user=user,
        )

    # --- reading ---------------------------------------------------------------
    def custom_filter(self, queryset, name, params):
        """`queryset` narrowed by `params[name]`, one of `custom_filters` (e.g. a task's episode_id)."""
        raise NotImplementedError(name)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_object(self, instance_id):
        pk = parse_uuid(instance_id, "Malformed ID.")
        instance = self.base_queryset().filter(pk=pk).first()
        if instance is None:
            raise NotFound(f"{self.model.__name__} not found.")
        return instance

    def shape_for(self, access, instance=None):
        """The JSON shape this person reads (of `instance`, or of a list when None): where a
        role sees fewer columns (an organisation's chat tokens, a client's task)."""
        return self.shape

    def render(self, instance, relations=True, access=None):
        shape = self.shape if access is None else self.shape_for(access, instance)
        return serialize_instance(instance, relations=relations, shape=shape)


class ReadableByAllPolicy(CrudPolicy):
    """Studio-wide settings (types, statuses, departments...): every person lists and reads them;
    admins write (the base rules)."""

    def visible(self, access, queryset):
        return queryset

    def check_read(self, access, instance):
        pass


def to_python(field, raw, column):
    """A query-string or JSON value cast to the column's type, or a 400 naming the column."""
    if raw is None or raw == "null":
        return None
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.BooleanField):
        return parse_bool(raw)
    if contains_nul(raw):
        raise WrongParameter(f"Invalid value for {column}: null characters are not allowed.")
    try:
        value = target.to_python(raw)
    except (DjangoValidationError, ValueError, TypeError):
        raise WrongParameter(f"Invalid value for {column}: {raw!r}.") from None
    limits = INTEGER_RANGES.get(target.get_internal_type())
    if limits and isinstance(value, int) and not limits[0] <= value <= limits[1]:
        raise WrongParameter(f"Invalid value for {column}: {raw!r} is out of range.")
    if isinstance(value, float) and not math.isfinite(value):
        raise WrongParameter(f"Invalid value for {column}: {raw!r} is not a finite number.")
    return value


def apply_filters(policy, queryset, params, shape=None):
    """`queryset` narrowed by the query string; a column the person cannot read cannot filter."""
    readable = set((shape or policy.shape).column_names)
    for key in params:
        if key in RESERVED_PARAMETERS:
            continue
        raw = params.get(key)
        if key in policy.custom_filters:
            queryset = policy.custom_filter(queryset, key, params)
            continue
        if key in policy.relations:
            queryset = queryset.filter(**{key: parse_uuid(raw, f"Invalid value for {key}: {raw!r}.")})
            continue
        field = policy.fields_by_column.get(key)
        if field is None or key not in readable:
            raise WrongParameter(f"Unknown filter field: {key}.")
        if isinstance(raw, str) and raw.startswith("["):
            try:
                values = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise WrongParameter(f"Malformed list filter for field {key}.") from None
            if not isinstance(values, list):
                raise WrongParameter(f"Malformed list filter for field {key}.")
            queryset = queryset.filter(**{f"{field.attname}__in": [to_python(field, v, key) for v in values]})
        elif key == "name" and isinstance(field, models.CharField):
            queryset = queryset.filter(name__iexact=raw)
        else:
            value = to_python(field, raw, key)
            lookup = f"{field.attname}__isnull" if value is None else field.attname
            queryset = queryset.filter(**{lookup: True if value is None else value})
    return queryset


def pick_fields(rows, params):
    names = params.get("fields")
    if not names:
        return rows
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    return [{name: row[name] for name in wanted if name in row} for row in rows]


# --- input validation ------------------------------------------------------------


def input_serializer(policy, partial):
    """A serializer of the model's writable columns, keyed by column name."""
    cached = getattr(policy, "_serializers", {})
    if partial in cached:
        return cached[partial]
    declared = {}
    for column, field in policy.fields_by_column.items():
        if field.primary_key or column in ("created_at", "updated_at") or column in policy.hidden_columns:
            continue
        declared[column] = serializer_field(field, partial, policy.column_validators.get(column, ()))
    declared.update(policy.extra_inputs(creating=not partial))
    suffix = "Update" if partial else "Create"
    serializer_class = type(f"{policy.model.__name__}{suffix}", (serializers.Serializer,), declared)
    cached[partial] = serializer_class
    policy._serializers = cached
    return serializer_class


def serializer_field(field, partial, validators=()):
    """The DRF field validating input for a model column: its type, length, the range the column
    stores (integers by size, no NUL in text or inside JSON) and `validators`."""
    required = not partial and not field.null and not field.has_default() and not field.blank
    options = {"required": required, "allow_null": field.null, "validators": list(validators)}
    if field.is_relation:
        return serializers.PrimaryKeyRelatedField(
            queryset=field.related_model._base_manager.all(), pk_field=serializers.UUIDField(), **options
        )
    if field.choices:
        return serializers.ChoiceField(choices=field.choices, **options)
    if isinstance(field, models.JSONField):
        options["validators"].append(refuse_nul)
        return serializers.JSONField(**options)
    if isinstance(field, models.BooleanField):
        return serializers.BooleanField(**options)
    if isinstance(field, models.BigIntegerField | models.IntegerField):
        minimum, maximum = INTEGER_RANGES[field.get_internal_type()]
        return serializers.IntegerField(min_value=minimum, max_value=maximum, **options)
    if isinstance(field, models.FloatField):
        return serializers.FloatField(**options)  # DRF refuses nan and infinity
    if isinstance(field, models.DateTimeField):
        return serializers.DateTimeField(**options)
    if isinstance(field, models.DateField):
        return serializers.DateField(**options)
    if isinstance(field, models.UUIDField):
        return serializers.UUIDField(**options)
    if isinstance(field, models.EmailField):
        return serializers.EmailField(max_length=field.max_length, allow_blank=True, **options)
    if isinstance(field, models.GenericIPAddressField):
        return serializers.IPAddressField(**options)
    # A row's `name` is what it is known by: never empty where the column does not say so.
    allow_blank = field.blank or field.name != "name"
    return serializers.CharField(
        max_length=field.max_length, allow_blank=allow_blank, trim_whitespace=False, **options
    )


def validated_input(policy, body, partial, ignored=()):
    """(column values, relation id lists, extra inputs) from a JSON body, or a 400 naming what is
    wrong. Keys in `ignored`, and those that are no writable column, relation or extra input of
    the policy (ids, timestamps, the JSON `type`, hidden columns, computed extras), are left out."""
    if not isinstance(body, dict):
        raise WrongParameter(
            "Data are empty. Please verify that you sent JSON data and that you set the right headers."
        )
    body = policy.clean_body(dict(body), creating=not partial)
    serializer_class = input_serializer(policy, partial)
    writable = serializer_class._declared_fields
    columns, relation_values = {}, {}
    for name, value in body.items():
        if name in ignored or (name == "type" and value == policy.shape.type_name):
            continue
        if name in policy.relations:
            relation_values[name] = parse_id_list(value, name)
        elif name in writable:
            columns[name] = none_for_no_id(policy.fields_by_column.get(name), value)
    serializer = serializer_class(data=columns, partial=partial)
    serializer.is_valid(raise_exception=True)
    values = dict(serializer.validated_data)
    extras = policy.extra_inputs(creating=not partial)
    inputs = {name: values.pop(name) for name in list(values) if name in extras}
    return values, relation_values, inputs


# How reads spell "no row" in a foreign key column (the reference's asset read sends "None" and
# "" for no step and no preview): sent back, they mean null.
NO_ID_SPELLINGS = ("", "None", "null")


def none_for_no_id(field, value):
    if field is not None and field.is_relation and field.null and value in NO_ID_SPELLINGS:
        return None
    return value


def parse_id_list(value, name):
    if value is None:
        return []
    if not isinstance(value, list):
        raise WrongParameter(f"{name} must be a list of ids.")
    ids = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("id")
        ids.append(parse_uuid(item, f"{name} holds a malformed id: {item!r}."))
    return ids


def set_relations(policy, instance, relation_values):
    for name, ids in relation_values.items():
        field = policy.relations[name]
        related = field.related_model._base_manager.filter(pk__in=ids)
        found = set(related.values_list("pk", flat=True))
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise WrongParameter(f"{name} refers to unknown ids: {', '.join(missing)}.")
        getattr(instance, name).set(list(found))


def changes_only(policy, instance, values, relation_values):
    """The part of a validated update that differs from the row: a value sent back as it was
    read is no change, so a role that may change a few columns can send back the whole row."""
    changed = {}
    for column, value in values.items():
        field = policy.fields_by_column[column]
        new = value.pk if field.is_relation and value is not None else value
        if not same_value(getattr(instance, field.attname), new):
            changed[column] = value
    relations = {
        name: ids
        for name, ids in relation_values.items()
        if set(ids) != set(getattr(instance, name).values_list("pk", flat=True))
    }
    return changed, relations


def same_value(stored, sent):
    if isinstance(stored, datetime.datetime) and isinstance(sent, datetime.datetime):
        return stored.replace(microsecond=0) == sent.replace(microsecond=0)  # reads are to the second
    return type(stored) is type(sent) and stored == sent


def assign(policy, instance, values):
    for column, value in values.items():
        field = policy.fields_by_column[column]
        setattr(instance, field.name, value)


# --- views -------------------------------------------------------------------------


class CrudView(APIView):
    permission_classes = [IsActivePerson]
    # JSON bodies only, as the reference's /data routes (a form's values would arrive as lists): 415.
    parser_classes = [KitsuJSONParser]
    policy = None


class CrudListView(CrudView):
    """`GET` and `POST` on `/data/<path>`."""

    def get(self, request):
        policy, access, params = self.policy, access_for(request), request.query_params
        policy.check_list(access, params)
        shape = policy.shape_for(access)
        queryset = policy.visible(access, policy.base_queryset())
        queryset = apply_filters(policy, queryset, params, shape)
        relations = parse_bool(params.get("relations", "false"))
        page = parse_int(params, "page", -1)
        if page < 1:  # the reference's rule: no page (or one below 1) is the whole list
            if policy.list_cap is not None:
                queryset = queryset.order_by("-created_at", "pk")[: policy.list_cap]
            return Response(pick_fields(serialize_rows(queryset, relations, shape), params))
        limit = parse_int(params, "limit", 0) or NB_RECORDS_PER_PAGE
        if limit < 1:
            raise WrongParameter("limit must be a positive integer.")
        total = queryset.count()
        offset = (page - 1) * limit
        envelope = {
            "data": [],
            "total": total,
            "nb_pages": math.ceil(total / limit),
            "limit": limit,
            "offset": offset,
            "page": page,
        }
        if page >= 1 and offset <= total:
            ordered = queryset.order_by("-updated_at", "-created_at", "pk")[offset : offset + limit]
            envelope["data"] = pick_fields(serialize_rows(ordered, relations, shape), params)
        return Response(envelope)

    def post(self, request):
        policy, access = self.policy, access_for(request)
        values, relation_values, inputs = validated_input(
            policy, request.data, partial=False, ignored=policy.read_only_on_create
        )
        policy.check_create(access, {**values, **relation_values})
        with transaction.atomic():
            values = policy.prepare_create(access, values)
            instance = policy.existing_for_create(access, values) or policy.model()
            assign(policy, instance, values)
            instance.save()
            set_relations(policy, instance, relation_values)
            policy.apply_inputs(access, instance, inputs, values, created=True)
            policy.after_write(access, instance, created=True)
            data = policy.render(instance, relations=True, access=access)
            policy.emit("new", data, request.user)
        return Response(data, status=201)


class CrudInstanceView(CrudView):
    """`GET`, `PUT` and `DELETE` on `/data/<path>/<instance_id>`."""

    def get(self, request, instance_id):
        policy, access = self.policy, access_for(request)
        instance = policy.get_object(instance_id)
        policy.check_read(access, instance)
        relations = parse_bool(request.query_params.get("relations", "true"))
        return Response(policy.render(instance, relations=relations, access=access))

    def put(self, request, instance_id):
        policy, access = self.policy, access_for(request)
        instance = policy.get_object(instance_id)
        # Who may not update this row learns nothing about the body: refused before validation,
        # checked again below with the validated values (some rules depend on the columns).
        policy.precheck_update(access, instance)
        ignored = (*PROTECTED_ON_UPDATE, *policy.read_only_for(access, instance))
        values, relation_values, inputs = validated_input(policy, request.data, partial=True, ignored=ignored)
        values, relation_values = changes_only(policy, instance, values, relation_values)
        policy.check_update(access, instance, {**values, **relation_values})
        with transaction.atomic():
            values = policy.prepare_update(access, instance, values)
            assign(policy, instance, values)
            instance.save()
            set_relations(policy, instance, relation_values)
            policy.apply_inputs(access, instance, inputs, values, created=False)
            policy.after_write(access, instance, created=False)
            data = policy.render(instance, relations=True, access=access)
            policy.emit("update", data, request.user)
        return Response(data)

    def delete(self, request, instance_id):
        policy, access = self.policy, access_for(request)
        instance = policy.get_object(instance_id)
        policy.check_delete(access, instance)
        with transaction.atomic():
            data = policy.render(instance, relations=False)
            policy.delete(access, instance, request.query_params)
            policy.emit("delete", data, request.user)
        return Response(status=204)


def crud_urlpatterns():
    """One list and one instance route per registered policy."""
    from kitsu_server.routing import kitsu_path

    patterns = []
    for path, policy in REGISTRY.items():
        name = path.replace("-", "_")
        list_view = CrudListView.as_view(policy=policy, http_method_names=[*policy.list_methods, "options"])
        patterns.append(kitsu_path(f"/data/{path}", list_view, name=f"{name}-list"))
        patterns.append(
            kitsu_path(
                f"/data/{path}/{{instance_id}}",
                CrudInstanceView.as_view(policy=policy),
                name=f"{name}-detail",
            )
        )
    return patterns


# --- OpenAPI -------------------------------------------------------------------------


def output_serializer(policy, subset=False):
    """The documented shape of one object: every visible column, `type`, relation id lists.

    Columns and `type` are always there; the relation id lists only with `relations=true` (the
    default of a single object, not of lists). `subset`: the rows of a list asked with `fields`,
    which keep only the columns named (so none is required).
    """
    cache_name = "_output_subset_serializer" if subset else "_output_serializer"
    cached = getattr(policy, cache_name, None)
    if cached is not None:
        return cached
    declared = {}
    for column, field in policy.fields_by_column.items():
        if column in policy.hidden_columns:
            continue
        if field.is_relation:
            declared[column] = serializers.UUIDField(allow_null=field.null, required=not subset)
        else:
            # The input field of the column (its type, null, choices), always present in answers.
            typed = serializer_field(field, partial=True)
            declared[column] = type(typed)(*typed._args, **{**typed._kwargs, "required": not subset})
    declared["type"] = serializers.CharField(required=not subset, help_text=f'"{policy.shape.type_name}"')
    for name in policy.relations:
        declared[name] = serializers.ListField(child=serializers.UUIDField(), required=False)
    suffix = "Fields" if subset else ""
    serializer_class = type(f"{policy.model.__name__}{suffix}", (serializers.Serializer,), declared)
    setattr(policy, cache_name, serializer_class)
    return serializer_class


class CrudSchema(AutoSchema):
    """Typed request and response bodies for the generic views, from the view's policy."""

    def _policy(self):
        return self.view.policy

    def get_tags(self):
        return [f"data/{self._policy().path}"]

    def get_operation_id(self):
        action = {"get": "list" if self._lists_rows() else "get", "post": "create", "put": "update"}.get(
            self.method.lower(), self.method.lower()
        )
        return f"{action}_{self._policy().path.replace('-', '_')}"

    def _lists_rows(self):
        return isinstance(self.view, CrudListView)

    def get_request_serializer(self):
        if self.method.lower() == "post":
            return input_serializer(self._policy(), partial=False)
        if self.method.lower() == "put":
            return input_serializer(self._policy(), partial=True)
        return None

    def get_response_serializers(self):
        if self.method.lower() == "delete":
            return {204: None}
        serializer = output_serializer(self._policy())
        if self.method.lower() == "get" and self._lists_rows():
            return {200: self._list_schema(serializer)}
        if self.method.lower() == "post":
            return {201: serializer}
        return serializer

    def _list_schema(self, serializer):
        """Rows, or with `page` the envelope of one page of them; with `fields`, rows that keep
        only the columns named."""
        row = self.resolve_serializer(serializer, "response").ref
        subset = self.resolve_serializer(output_serializer(self._policy(), subset=True), "response").ref
        return {
            "oneOf": [
                build_array_type({"anyOf": [row, subset]}),
                page_envelope({"anyOf": [row, subset]}),
            ]
        }

    def get_override_parameters(self):
        if self.method.lower() == "get" and self._lists_rows():
            return [
                OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
                OpenApiParameter("limit", PAGE_SIZE, description="Rows per page (default 100)"),
                OpenApiParameter("relations", bool, description="Add the relation id lists"),
                OpenApiParameter("fields", str, description="Comma-separated columns to keep"),
            ]
        if self.method.lower() == "get":
            return [
                OpenApiParameter("relations", bool, description="Add the relation id lists (default true)")
            ]
        return []


CrudView.schema = CrudSchema()
