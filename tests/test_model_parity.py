"""Every model class of the reference server has a Django counterpart with the same columns.

The catalog `tests/reference/kitsu_models.tsv` is a copy of the reference's
model listing (shared/kitsu-api/models.tsv). Column names are the JSON field
names clients read, so they must match exactly.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

CATALOG = Path(__file__).parent / "reference" / "kitsu_models.tsv"
OUR_APPS = ("people", "productions", "assets", "shots", "tasks", "files", "budgets")

# Deliberate, documented differences (see README, "Data model").
MERGED_CLASSES = {
    # The reference's abstract mixin (id, created_at, updated_at) is our
    # abstract base kitsu_server.db.KitsuModel: checked below on every model.
    "BaseMixin": "kitsu_server.db.KitsuModel",
}
# Pure link tables of the reference have a composite primary key; ours carry a
# surrogate UUID `id` (Django needs one column) and a unique constraint on the pair.
LINK_TABLE_EXTRA_COLUMNS = {"id"}
# Person is the auth user model: AbstractBaseUser adds `last_login`; `token_generation`
# ends the login tokens issued before a password change (people.auth.authentication).
PERSON_EXTRA_COLUMNS = {"last_login", "token_generation"}
# Why a preview's processing failed (files.media), shown in the API and the admin.
PREVIEW_FILE_EXTRA_COLUMNS = {"processing_error"}
# Constraints the reference lacks, on purpose: {model: {constraint name: why}}.
DELIBERATE_CONSTRAINTS = {
    "Entity": {
        "entity_uc_without_parent": (
            "the reference's entity_uc lets parentless twins through (NULLs are distinct): "
            "the same key, enforced when parent_id is NULL"
        ),
    },
}


def load_catalog():
    classes = defaultdict(list)
    with CATALOG.open() as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            classes[row["model"]].append(row)
    return classes


CATALOG_CLASSES = load_catalog()


def django_model(name):
    for app_label in OUR_APPS:
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            continue
    return None


def test_catalog_is_complete():
    assert len(CATALOG_CLASSES) == 78
    assert "Person" in CATALOG_CLASSES and "Task" in CATALOG_CLASSES


@pytest.mark.parametrize("class_name", sorted(CATALOG_CLASSES))
def test_reference_class_has_a_django_counterpart(class_name):
    rows = CATALOG_CLASSES[class_name]
    if class_name in MERGED_CLASSES:
        from kitsu_server.db import KitsuModel

        names = {f.name for f in KitsuModel._meta.fields}
        assert {row["column"] for row in rows} <= names
        return
    model = django_model(class_name)
    assert model is not None, f"no Django model named {class_name}"
    assert model._meta.db_table == rows[0]["table"]

    columns = {f.column: f for f in model._meta.concrete_fields}
    expected_columns = {r["column"] for r in rows if not r["type"].startswith("relationship")}
    missing = expected_columns - set(columns)
    assert not missing, f"{class_name} lacks columns {sorted(missing)}"

    extra = set(columns) - expected_columns
    if all(r["column"] != "id" for r in rows):
        extra -= LINK_TABLE_EXTRA_COLUMNS
    if class_name == "Person":
        extra -= PERSON_EXTRA_COLUMNS
    if class_name == "PreviewFile":
        extra -= PREVIEW_FILE_EXTRA_COLUMNS
    assert not extra, f"{class_name} has columns the reference does not: {sorted(extra)}"

    for row in rows:
        if row["type"].startswith("relationship"):
            field = model._meta.get_field(row["column"])
            assert field.is_relation, f"{class_name}.{row['column']} is not a relation"
            continue
        field = columns[row["column"]]
        assert field.null == (row["nullable"] == "True") or field.primary_key, (
            f"{class_name}.{row['column']} nullability differs"
        )
        if row["foreign_key"]:
            target_table = row["foreign_key"].split(".")[0]
            assert field.is_relation, f"{class_name}.{row['column']} should be a foreign key"
            assert field.related_model._meta.db_table == target_table
            assert field.db_index or field.unique, f"{class_name}.{row['column']} has no index"
        if row["unique"] == "True" and row["column"] != "id":
            unique_by_constraint = any(
                isinstance(c, models.UniqueConstraint) and c.fields == (field.name,)
                for c in model._meta.constraints
            )
            assert field.unique or unique_by_constraint, f"{class_name}.{row['column']} is not unique"


def test_string_lengths_follow_the_reference():
    for class_name, rows in CATALOG_CLASSES.items():
        model = django_model(class_name)
        if model is None:
            continue
        for row in rows:
            if row["type"].startswith("db.String("):
                length = int(row["type"][len("db.String(") : -1])
                field = model._meta.get_field(
                    next(f.name for f in model._meta.concrete_fields if f.column == row["column"])
                )
                assert field.max_length == length, f"{class_name}.{row['column']}"


def test_entity_kinds_are_proxies_of_one_table():
    from assets.models import Asset, Concept, Entity
    from shots.models import Edit, Episode, Scene, Sequence, Shot

    for proxy in (Asset, Concept, Edit, Episode, Scene, Sequence, Shot):
        assert proxy._meta.proxy
        assert proxy._meta.concrete_model is Entity
        assert proxy._meta.db_table == "entity"


def test_person_is_the_auth_user_model():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    assert user_model.__name__ == "Person"
    assert user_model.USERNAME_FIELD == "email"


@pytest.mark.parametrize("class_name", sorted(DELIBERATE_CONSTRAINTS))
def test_deliberate_constraints_are_in_place(class_name):
    names = {constraint.name for constraint in django_model(class_name)._meta.constraints}
    assert set(DELIBERATE_CONSTRAINTS[class_name]) <= names


def test_parentless_entities_have_the_reference_unique_key():
    from assets.models import Entity

    constraints = {constraint.name: constraint for constraint in Entity._meta.constraints}
    reference_key = ("name", "project", "entity_type", "parent")
    assert constraints["entity_uc"].fields == reference_key and constraints["entity_uc"].condition is None
    parentless = constraints["entity_uc_without_parent"]
    assert parentless.fields == reference_key[:3]
    assert parentless.condition == models.Q(parent__isnull=True)
