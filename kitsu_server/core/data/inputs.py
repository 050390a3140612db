"""The JSON bodies of `/data/<path>` writes: serializers built from the model, and what a body
changes of a row."""

import datetime
from typing import NamedTuple

from django.db import models
from rest_framework import serializers

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import INTEGER_RANGES, refuse_nul
from kitsu_server.api.params import parse_uuid

# Never moved by an update: a row stays in the project it was checked against.
PROTECTED_ON_UPDATE = ("id", "created_at", "updated_at", "project_id")
# How reads spell "no row" in a foreign key column (the reference's asset read sends "None" and
# "" for no step and no preview): sent back, they mean null.
NO_ID_SPELLINGS = ("", "None", "null")


class RowInput(NamedTuple):
    """A validated body: column values (keyed by column), relation id lists, the policy's extra
    inputs."""

    columns: dict
    relations: dict
    inputs: dict

    def checked(self):
        """What the policy's `check_create` / `check_update` rules read: columns and relations."""
        return {**self.columns, **self.relations}


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
    """The `RowInput` of a JSON body, or a 400 naming what is wrong. Keys in `ignored`, and those
    that are no writable column, relation or extra input of the policy (ids, timestamps, the JSON
    `type`, hidden columns, computed extras), are left out."""
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
    return RowInput(values, relation_values, inputs)


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


def changes_only(policy, instance, sent):
    """The part of a validated update (`RowInput`) that differs from the row: a value sent back as
    it was read is no change, so a role that may change a few columns can send back the whole row."""
    changed = {}
    for column, value in sent.columns.items():
        field = policy.fields_by_column[column]
        new = value.pk if field.is_relation and value is not None else value
        if not same_value(getattr(instance, field.attname), new):
            changed[column] = value
    relations = {
        name: ids
        for name, ids in sent.relations.items()
        if set(ids) != set(getattr(instance, name).values_list("pk", flat=True))
    }
    return RowInput(changed, relations, sent.inputs)


def same_value(stored, sent):
    if isinstance(stored, datetime.datetime) and isinstance(sent, datetime.datetime):
        return stored.replace(microsecond=0) == sent.replace(microsecond=0)  # reads are to the second
    return type(stored) is type(sent) and stored == sent
