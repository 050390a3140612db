"""The query string of a `/data/<path>` list: a django-filter FilterSet per policy.

One filter per column (equality, a JSON list means "in", `null` means no value, `name` is
case-insensitive), per many-to-many relation (rows linked to the id given) and per custom filter of
the policy (its `custom_filter` hook). A key that is none of them, or a column the person cannot
read, is a 400; so is a value the column cannot hold, named in the reference's words.

The filters read the values as sent (their form fields pass them through) and are applied in the
query string's order, so that the 400 names the first wrong key of the query string.
"""

import functools
import math

import orjson
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django_filters import Filter, FilterSet
from django_filters.rest_framework import DjangoFilterBackend

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import INTEGER_RANGES, contains_nul
from kitsu_server.api.params import parse_bool, parse_uuid

# Query-string keys of a list that are no filter (kitsu_server.core.data.viewsets reads them).
RESERVED_PARAMETERS = {"page", "limit", "relations", "fields", "updated_since"}


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


class RawValueField(forms.Field):
    """The value as the query string sends it (the last one of a repeated key): its filter casts
    it when it is applied, in the query string's order."""


class DataFilter(Filter):
    field_class = RawValueField

    @property
    def policy(self):
        return self.parent.policy


class ColumnFilter(DataFilter):
    """A column: equality, a JSON list means "in", `null` means no value; a text `name` matches
    whatever its case."""

    def filter(self, queryset, raw):
        column = self.field_name
        field = self.policy.fields_by_column[column]
        if isinstance(raw, str) and raw.startswith("["):
            try:
                values = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise WrongParameter(f"Malformed list filter for field {column}.") from None
            if not isinstance(values, list):
                raise WrongParameter(f"Malformed list filter for field {column}.")
            return queryset.filter(**{f"{field.attname}__in": [to_python(field, v, column) for v in values]})
        if column == "name" and isinstance(field, models.CharField):
            return queryset.filter(name__iexact=raw)
        value = to_python(field, raw, column)
        if value is None:
            return queryset.filter(**{f"{field.attname}__isnull": True})
        return queryset.filter(**{field.attname: value})


class RelationFilter(DataFilter):
    """A many-to-many relation: the rows linked to the id given."""

    def filter(self, queryset, raw):
        name = self.field_name
        return queryset.filter(**{name: parse_uuid(raw, f"Invalid value for {name}: {raw!r}.")})


class CustomFilter(DataFilter):
    """A key of the policy's `custom_filters`: its `custom_filter` hook narrows the rows (reading
    the whole query string, as a range of dates needs both of its bounds)."""

    def filter(self, queryset, raw):
        return self.policy.custom_filter(queryset, self.field_name, self.parent.data)


class DataFilterSet(FilterSet):
    """Base of the FilterSets `filterset_for` builds: only the keys the query string holds, in its
    order; `readable`: the columns this person may read (and so filter by), all when None."""

    policy = None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, readable=None):
        self.asked = [key for key in data or () if key not in RESERVED_PARAMETERS]
        declared = type(self).base_filters
        # Only the filters asked for, and allowed, serve this request (and are copied for it).
        self.base_filters = {
            key: declared[key]
            for key in self.asked
            if key in declared and (readable is None or may_filter(declared[key], key, readable))
        }
        super().__init__(data, queryset, request=request, prefix=prefix)

    def filter_queryset(self, queryset):
        values = self.form.cleaned_data
        for key in self.asked:
            if key not in self.filters:
                raise WrongParameter(f"Unknown filter field: {key}.")
            queryset = self.filters[key].filter(queryset, values[key])
        return queryset


def may_filter(filter_, key, readable):
    """Whether a person who reads the `readable` columns may filter by `key`."""
    return not isinstance(filter_, ColumnFilter) or key in readable


@functools.cache
def filterset_for(policy):
    """The FilterSet of a policy's lists: a filter per column, relation and custom filter (a
    custom filter wins over a column of the same name)."""
    declared = {column: ColumnFilter(field_name=column, label=column) for column in policy.fields_by_column}
    declared.update({name: RelationFilter(field_name=name, label=name) for name in policy.relations})
    declared.update({name: CustomFilter(field_name=name, label=name) for name in policy.custom_filters})
    name = "".join(part.capitalize() for part in policy.path.split("-"))
    filterset_class = type(f"{name}FilterSet", (DataFilterSet,), declared)
    filterset_class.policy = policy  # after the class is made: a column may be named "policy"
    return filterset_class


class DataFilterBackend(DjangoFilterBackend):
    """The filter backend of the /data viewset: the FilterSet of the view's policy, narrowed to
    the columns of the shape the person reads (`view.shape`) and the policy's `filterable_hidden`."""

    def get_filterset_class(self, view, queryset=None):
        return filterset_for(view.policy)

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        return {**kwargs, "readable": {*view.shape.column_names, *view.policy.filterable_hidden}}
