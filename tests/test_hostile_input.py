"""No input gets a 500: every write route of the URL table, fed a fixed set of hostile bodies.

The routes are read from the resolver (everything under /api, the generic /data registry
included); their `{ids}` are those of real rows made here (a demo production and one row of
every model), so the bodies reach validation rather than a 404. A /data route's bodies are one of
its rows as read, with one kind of hostile value in every column of a type (so that the value
alone decides), a hand-written route's every column name of every model. Each answer must be below 500,
be JSON (a 204 aside), and on a 4xx leave the row count of every table unchanged. No value may
reach the database unchecked: the exception handler's last-resort refusal (a DataError or
OverflowError turned into a 400) must not fire, since the input rules should catch it first.
The focused rules, with their messages, are in test_input_rules.py.
"""

import itertools
import json
import logging
import re
import uuid

import orjson
import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.urls import URLResolver, get_resolver

from kitsu_server.api.json import dumps
from kitsu_server.core.crud import REGISTRY
from productions.setup_data import seed_demo_production
from tests import factories
from tests.factories import client_for, make_person

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
_counter = itertools.count(1)


# --- the data the routes act on -------------------------------------------------------------------


def _value_for(field):
    """A valid value for a required column (a row of the related model for a foreign key)."""
    if field.is_relation:
        return first_row(field.related_model)
    return factories.made_up_value(field)


def first_row(model):
    """A row of `model`: an existing one, else one built with its required columns (None when the
    model's own rules refuse such a row)."""
    row = model._base_manager.first()
    if row is not None:
        return row
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default() or field.blank:
            continue
        value = _value_for(field)
        if value is None and field.is_relation:
            return None
        values[field.name] = value
    try:
        with transaction.atomic():
            return model._base_manager.create(**values)
    except (IntegrityError, ValueError, TypeError):
        return None


# Route parameters that are no model id: a value the route accepts.
PLAIN_PARAMETERS = {
    "date": "2026-01-05",
    "month_date": "2026-01",
    "year": "2026",
    "month": "1",
    "week": "2",
    "day": "5",
    "entity_type": "Asset",
    "field_name": "name",
    "file_name": "file.png",
}
# Parameters named after their model; the others are a model's snake-case name + "_id".
PARAMETER_MODELS = {
    "asset_id": "assets.Asset",
    "shot_id": "shots.Shot",
    "sequence_id": "shots.Sequence",
    "episode_id": "shots.Episode",
    "scene_id": "shots.Scene",
    "edit_id": "shots.Edit",
    "concept_id": "assets.Concept",
    "asset_type_id": "assets.AssetType",
    "entity_id": "assets.Entity",
    "concept_folder_id": "assets.Entity",
    "entity_link_id": "assets.EntityLink",
    "filter_id": "people.SearchFilter",
    "filter_group_id": "people.SearchFilterGroup",
    "entry_id": "budgets.BudgetEntry",
    "reply_id": None,  # replies live inside a comment's JSON
}


def model_for_parameter(name):
    if name in PARAMETER_MODELS:
        label = PARAMETER_MODELS[name]
        return apps.get_model(label) if label else None
    camel = "".join(part.title() for part in name.removesuffix("_id").split("_"))
    for model in apps.get_models():
        if model.__name__.lower() == camel.lower():
            return model
    return None


@pytest.fixture
def admin_api(db):
    seed_demo_production(None)
    admin = make_person(role="admin", password=None)
    client = client_for(admin)
    client.raise_request_exception = False  # a crash is a 500 answer to report, not an exception
    return client


def route_table():
    """(regex, view class, write methods) of every route under /api."""

    def walk(patterns, prefix):
        for pattern in patterns:
            regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, regex)
            else:
                yield regex, pattern

    for regex, pattern in walk(get_resolver().url_patterns, ""):
        view_class = getattr(pattern.callback, "view_class", None)
        actions = getattr(pattern.callback, "actions", None)  # a viewset: the verbs of its action map
        if not regex.startswith("api/") or (view_class is None and not actions):
            continue
        if actions:
            methods = [m for m in WRITE_METHODS if m in actions]
            initkwargs = pattern.callback.initkwargs
        else:
            initkwargs = pattern.callback.view_initkwargs
            allowed = initkwargs.get("http_method_names", view_class.http_method_names)
            methods = [m for m in WRITE_METHODS if m in allowed and hasattr(view_class, m)]
        if methods:
            yield regex, initkwargs.get("policy"), methods


def fill(regex, values):
    """The path of a route regex, its named groups replaced by `values`."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], regex)
    return "/" + path.removesuffix("$").removesuffix("/?")


def real_ids(regex, policy):
    values = {}
    for name in re.findall(r"\?P<(\w+)>", regex):
        if name in PLAIN_PARAMETERS:
            values[name] = PLAIN_PARAMETERS[name]
            continue
        model = policy.model if name == "instance_id" and policy else model_for_parameter(name)
        row = first_row(model) if model is not None else None
        values[name] = str(row.pk) if row is not None else str(uuid.uuid4())
    return values


# --- the hostile input ----------------------------------------------------------------------------


INTEGER_TYPES = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField)
TEXT_TYPES = (models.CharField, models.TextField)


def typed_columns(policy):
    """{kind: column names} of the fields a hostile body sets: a /data model's own (its route
    refuses others), or every column of every model for a hand-written route, whatever its
    fields are."""
    fields = (
        [f for f in policy.fields_by_column.values() if f.column not in policy.hidden_columns]
        if policy is not None
        else [field for model in apps.get_models() for field in model._meta.concrete_fields]
    )
    kinds = {"integer": set(), "text": set(), "json": set(), "id": set(), "any": set()}
    for field in fields:
        if field.primary_key:
            continue
        kinds["any"].add(field.column)
        if field.is_relation or isinstance(field, models.UUIDField):
            kinds["id"].add(field.column)
        elif isinstance(field, INTEGER_TYPES) and not field.choices:
            kinds["integer"].add(field.column)
        elif isinstance(field, models.JSONField):
            kinds["json"].add(field.column)
        elif isinstance(field, TEXT_TYPES) and not field.choices:
            kinds["text"].add(field.column)
    if policy is not None:
        kinds["id"] |= set(policy.relations)
    return {kind: sorted(names) for kind, names in kinds.items()}


def valid_base(policy):
    """A body every field of which is valid: a /data row as its route reads it, so that a body
    with one kind of hostile value reaches the database if no rule stops it. Empty for the
    hand-written routes."""
    row = first_row(policy.model) if policy is not None else None
    if row is None:
        return {}
    data = orjson.loads(dumps(policy.render(row, relations=True)))
    writable = set(policy.fields_by_column) | set(policy.relations)
    return {
        key: value
        for key, value in data.items()
        if key in writable and key not in ("id", "created_at", "updated_at")
    }


def hostile_bodies(policy):
    columns = typed_columns(policy)
    base = valid_base(policy)
    nested = "[" * 1000 + "]" * 1000  # json.dumps itself cannot write it
    huge = "x" * 1_000_000

    def each(kind, value):
        return json.dumps({**base, **dict.fromkeys(columns[kind], value)})

    return {
        "ints beyond int64": each("integer", 2**63),
        "ints beyond int32": each("integer", 2**31),
        "negative int32 overflow": each("integer", -(2**31) - 1),
        "NUL in strings": each("text", "bad\u0000value"),
        "NUL inside JSON": each("json", {"key\u0000": ["\u0000"], "a": {"b": "c\u0000"}}),
        "1,000-level nesting": f'{{"data": {nested}, "name": {nested}}}',
        "1 MB strings": json.dumps({**base, **dict.fromkeys(columns["text"][:2] or ["name"], huge)}),
        "unknown ids": each("id", str(uuid.uuid4())),
        "wrong type: list, NUL inside": each("any", [1, "t\u0000wo", None, {"key": "\u0000"}]),
        "wrong type: object": each("any", {"x": 1}),
        "wrong type: boolean": each("any", True),
        "wrong type: float": each("any", 1e308),
        "not an object": json.dumps(["a", 1]),
        "malformed JSON": '{"name": ',
    }


HOSTILE_IDS = {"unknown id": str(uuid.uuid4()), "huge int id": str(2**70), "NUL id": "a%00b"}


def row_counts():
    """The row count of every table, in one query."""
    tables = sorted({model._meta.db_table for model in apps.get_models()})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def writes_so_far():
    """A counter of the rows written by this connection (cheap: checked after every request)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


class RowCounts:
    """The row counts of every table, counted again only when something was written."""

    def __init__(self):
        self.counts, self.mark = row_counts(), writes_so_far()

    def changes(self):
        """{table: (before, after)} of the tables whose count changed since the last call."""
        if writes_so_far() == self.mark:
            return {}
        before, self.counts = self.counts, row_counts()
        self.mark = writes_so_far()
        return {
            table: (before[table], self.counts[table])
            for table in before
            if before[table] != self.counts[table]
        }


def check_answer(response, label, counts, failures, caplog):
    """Record what is wrong with one answer."""
    changed = counts.changes()
    status = response.status_code
    refusals = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    caplog.clear()
    if refusals:  # a rule should have stopped the value before the database did
        failures.append(f"{label}: {status} after {refusals[0]!r}")
    if status >= 500:
        failures.append(f"{label}: {status}")
    elif status != 204 and not response.get("Content-Type", "").startswith("application/json"):
        failures.append(f"{label}: {status} answered {response.get('Content-Type')!r}, not JSON")
    elif status != 204 and not _is_json(response.content):
        failures.append(f"{label}: {status} with a body that is no JSON")
    if 400 <= status < 500 and changed:
        failures.append(f"{label}: {status} yet rows changed {changed}")


def _is_json(content):
    try:
        json.loads(content)
    except ValueError:
        return False
    return True


def test_every_write_route_refuses_hostile_input_without_a_server_error(admin_api, caplog):
    caplog.set_level(logging.WARNING, logger="kitsu_server.api.errors")
    routes = list(route_table())
    assert len(routes) > 150  # the whole table, not a part of it
    assert any(policy is REGISTRY["projects"] for _, policy, _ in routes)
    paths = {regex: fill(regex, real_ids(regex, policy)) for regex, policy, _ in routes}  # rows made first
    # per /data model, and one set for the hand-written routes
    bodies = {policy: hostile_bodies(policy) for policy in {policy for _, policy, _ in routes}}
    failures = []
    counts = RowCounts()
    for regex, policy, methods in routes:
        path = paths[regex]
        for method in methods:
            send = getattr(admin_api, method)
            if method == "delete":
                # A delete takes no body: its hostile input is the id itself.
                for kind, bad_id in HOSTILE_IDS.items():
                    bad_path = fill(regex, dict.fromkeys(re.findall(r"\?P<(\w+)>", regex), bad_id))
                    response = send(bad_path)
                    check_answer(response, f"DELETE {bad_path} ({kind})", counts, failures, caplog)
                continue
            for kind, body in bodies[policy].items():
                response = send(path, data=body, content_type="application/json")
                check_answer(response, f"{method.upper()} {path} ({kind})", counts, failures, caplog)
    assert not failures, "\n".join(failures)
