"""`POST /data/search`: full-text search over persons, assets and shots (the `search` area).

The reference asks a Meilisearch index; we ask the database. On PostgreSQL each entity's name,
its type, sequence or episode names, its description and its custom field values form one
`tsvector` (the `simple` configuration: no stemming, names are names), and every word of the
query must start one of its words (`word:*` prefixes joined by `&`). Elsewhere (SQLite) every word
of the query must appear in one of those texts (`icontains`). Either way a page is one query per
kind searched, sorted by name as the reference's index sorts them.

What one may find: persons of the studio (a short card outside admins), and the assets and shots
of the open projects of one's team (every open project for an admin), narrowed to one project when
asked. A vendor finds only the entities they hold a task on, without the custom fields of other
departments, as the entity lists show them.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorCombinable,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Cast
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from assets.models import Asset
from assets.queries import assigned_entity_ids, hide_vendor_metadata
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, department_ids, open_team_project_ids
from kitsu_server.core.data.policies import REGISTRY
from people.models import Person
from productions.models import Project
from shots.models import Shot

INDEX_NAMES = ("assets", "shots", "persons")
MIN_QUERY_LENGTH = 3
# Shot custom fields that are frame bookkeeping, not words to search (the reference leaves them
# out of its index).
SHOT_TECHNICAL_FIELDS = ("frame_in", "frame_out", "fps", "handle_in", "handle_out")
WORD_SEPARATORS = re.compile(r"[\W_]+")

# --- matching: PostgreSQL full-text search, or substrings elsewhere ---------------------------------


def search_terms(query):
    """The words of a query, lower case (punctuation and underscores separate them)."""
    return [word for word in WORD_SEPARATORS.split(query.lower()) if word]


def uses_full_text():
    return connection.vendor == "postgresql"


class JsonValuesVector(SearchVectorCombinable, Func):
    """The string and number values of a JSON column (its keys left out) as a `tsvector`, without
    the given top-level keys."""

    output_field = SearchVectorField()

    def __init__(self, expression, dropped_keys=()):
        self.dropped_keys = tuple(dropped_keys)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra_context):
        dropped = "".join(f" - '{key}'" for key in self.dropped_keys)
        template = (
            "jsonb_to_tsvector('simple'::regconfig, COALESCE(%(expressions)s, '{}'::jsonb)"
            + dropped
            + ', \'["string", "numeric"]\'::jsonb)'
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


class JsonWithout(Func):
    """SQLite: a JSON column's text without the given top-level keys."""

    function = "json_remove"
    output_field = TextField()


@dataclass
class SearchFields:
    """Where one kind is searched: plain text columns (lookups), and a JSON column of custom
    fields whose values count (some keys left out)."""

    text: tuple
    data: str | None = None
    dropped_keys: tuple = ()


def matching(queryset, fields, terms):
    """`queryset` narrowed to the rows every term matches (see the module)."""
    if uses_full_text():
        vector = SearchVector(*fields.text, config="simple")
        if fields.data is not None:
            vector = vector + JsonValuesVector(fields.data, fields.dropped_keys)
        query = SearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple")
        return queryset.annotate(search_document=vector).filter(search_document=query)
    lookups = list(fields.text)
    if fields.data is not None:
        data = Cast(fields.data, TextField())
        if fields.dropped_keys:
            data = JsonWithout(fields.data, *(Value(f"$.{key}") for key in fields.dropped_keys))
        queryset = queryset.annotate(search_data=data)
        lookups.append("search_data")
    for term in terms:
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset


def text_matches(text, terms):
    """Whether one of the terms matches `text` the way the database matched it."""
    if text in (None, ""):
        return False
    text = str(text).lower()
    if uses_full_text():
        words = WORD_SEPARATORS.split(text)
        return any(word.startswith(term) for term in terms for word in words)
    return any(term in text for term in terms)


def matched_terms(terms, names, description, data, dropped_keys=()):
    """The reference's `matched_terms`: "name", "description" and the custom field keys whose
    value matched."""
    matched = []
    if any(text_matches(name, terms) for name in names):
        matched.append("name")
    if text_matches(description, terms):
        matched.append("description")
    for key, value in (data or {}).items():
        if key not in dropped_keys and not isinstance(value, dict | list) and text_matches(value, terms):
            matched.append(key)
    return matched


# --- what one may search -------------------------------------------------------------------------


def searchable_project_ids(access, project_id=None):
    """The open projects of the person's team (every open project for an admin), one of them
    when `project_id` is given (none when it is not one of them): a subquery."""
    projects = Project.objects.filter(project_status__name=OPEN_PROJECT_STATUS)
    if not access.is_admin:
        projects = projects.filter(pk__in=open_team_project_ids(access.person))
    if project_id is not None:
        projects = projects.filter(pk=project_id)
    return projects.values("pk")


def vendor_scope(access, queryset):
    """A vendor reaches only the entities they hold a task on: (queryset, their departments);
    anyone else (queryset, None)."""
    if access.role != "vendor":
        return queryset, None
    departments = sorted(str(pk) for pk in department_ids(access.person))
    return queryset.filter(pk__in=assigned_entity_ids(access.person)), departments


def page(queryset, limit, offset):
    return queryset[offset : offset + limit]


# --- the three indexes -------------------------------------------------------------------------

ASSET_FIELDS = SearchFields(text=("name", "entity_type__name", "description"), data="data")
SHOT_FIELDS = SearchFields(
    text=("name", "parent__name", "parent__parent__name", "description"),
    data="data",
    dropped_keys=SHOT_TECHNICAL_FIELDS,
)
PERSON_FIELDS = SearchFields(text=("first_name", "last_name"))


def search_assets(access, terms, project_ids, limit, offset):
    """Assets, sorted by type and name, with their project and type names, the extension of
    their preview and the fields that matched. One query."""
    queryset = Asset.objects.filter(project_id__in=project_ids)
    queryset, departments = vendor_scope(access, queryset)
    queryset = matching(queryset, ASSET_FIELDS, terms).order_by("entity_type__name", "name", "pk")
    shape = REGISTRY["entities"].shape
    extras = ("project__name", "entity_type__name", "preview_file__extension")
    result = []
    for values in page(queryset, limit, offset).values(*shape.attnames, *extras):
        row = shape.format_row(values)
        row["type"] = "Asset"
        row["project_name"] = values["project__name"] or ""
        row["asset_type_name"] = values["entity_type__name"] or ""
        row["preview_file_extension"] = values["preview_file__extension"]
        row["matched_terms"] = (values["name"], values["entity_type__name"])
        result.append(row)
    hide_vendor_metadata(result, departments, "Asset")
    for row in result:
        names = row["matched_terms"]
        row["matched_terms"] = matched_terms(terms, names, row["description"], row["data"])
    return result


def search_shots(access, terms, project_ids, limit, offset):
    """Shots, sorted by episode, sequence and name, with their project and sequence names (and
    episode in a TV show), the extension of their preview and the fields that matched. One
    query."""
    queryset = Shot.objects.filter(project_id__in=project_ids)
    queryset, departments = vendor_scope(access, queryset)
    queryset = matching(queryset, SHOT_FIELDS, terms).order_by(
        "parent__parent__name", "parent__name", "name", "pk"
    )
    shape = REGISTRY["entities"].shape
    extras = (
        "project__name",
        "project__production_type",
        "parent__name",
        "parent__parent_id",
        "parent__parent__name",
        "preview_file__extension",
    )
    result = []
    for values in page(queryset, limit, offset).values(*shape.attnames, *extras):
        row = shape.format_row(values)
        row["type"] = "Shot"
        row["project_name"] = values["project__name"] or ""
        row["sequence_name"] = values["parent__name"] or ""
        row["preview_file_extension"] = values["preview_file__extension"]
        if values["project__production_type"] == "tvshow" and values["parent__parent_id"] is not None:
            row["episode"] = values["parent__parent__name"]
            row["episode_id"] = str(values["parent__parent_id"])
        row["matched_terms"] = (values["name"], values["parent__name"], values["parent__parent__name"])
        result.append(row)
    hide_vendor_metadata(result, departments, "Shot")
    for row in result:
        names = row["matched_terms"]
        row["matched_terms"] = matched_terms(
            terms, names, row["description"], row["data"], SHOT_TECHNICAL_FIELDS
        )
    return result


def search_persons(access, terms, limit, offset):
    """Active persons of the studio (guests and preview accounts aside), sorted by name: their
    short card, or for an admin their whole row. One query."""
    queryset = Person.objects.filter(active=True, is_guest=False, preview_project__isnull=True)
    queryset = access.visible_persons(queryset)
    queryset = matching(queryset, PERSON_FIELDS, terms).order_by("first_name", "last_name", "pk")
    shape = REGISTRY["persons"].shape
    result = []
    for values in page(queryset, limit, offset).values(*shape.attnames):
        full_name = " ".join(part for part in (values["first_name"], values["last_name"]) if part)
        if access.is_admin:
            row = shape.format_row(values)
            row["full_name"] = full_name
        else:
            row = minimal_person(values, full_name)
        row["matched_terms"] = ["name"]
        result.append(row)
    return result


def minimal_person(values, full_name):
    """The short card the reference shows of a person to a non-admin."""
    return {
        "id": str(values["id"]),
        "type": "Person",
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "full_name": full_name,
        "has_avatar": values["has_avatar"],
        "active": values["active"],
        "departments": [],
        "studio_id": str(values["studio_id"]) if values["studio_id"] else None,
        "role": values["role"],
        "desktop_login": values["desktop_login"],
        "is_bot": values["is_bot"],
    }


def search(access, query, index_names=INDEX_NAMES, project_id=None, limit=3, offset=0):
    """The reference's answer: one list per index asked for, nothing when the query is shorter
    than three characters."""
    if len(query) < MIN_QUERY_LENGTH:
        return {}
    terms = search_terms(query)
    project_ids = searchable_project_ids(access, project_id)
    results = {}
    if "persons" in index_names:
        results["persons"] = search_persons(access, terms, limit, offset) if terms else []
    if "assets" in index_names:
        results["assets"] = search_assets(access, terms, project_ids, limit, offset) if terms else []
    if "shots" in index_names:
        results["shots"] = search_shots(access, terms, project_ids, limit, offset) if terms else []
    return results


# --- the route -----------------------------------------------------------------------------------


class SearchBody(serializers.Serializer):
    query = serializers.CharField(allow_blank=True, trim_whitespace=False)
    project_id = serializers.UUIDField(required=False, allow_null=True)
    limit = serializers.IntegerField(min_value=1, default=3)
    offset = serializers.IntegerField(min_value=0, default=0)
    index_names = serializers.ListField(
        child=serializers.CharField(), default=list(INDEX_NAMES), help_text="assets, shots, persons"
    )


class SearchView(KitsuView):
    """`POST /data/search`: persons, assets and shots whose names, descriptions or custom fields
    hold every word of `query` (three characters at least), `limit` of each from `offset`, within
    the projects the requester may see (one of them with `project_id`)."""

    @extend_schema(tags=["data/search"], request=SearchBody, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        body = validated(SearchBody, request.data)
        return Response(
            search(
                access_for(request),
                body["query"],
                index_names=body["index_names"],
                project_id=body.get("project_id"),
                limit=body["limit"],
                offset=body["offset"],
            )
        )
