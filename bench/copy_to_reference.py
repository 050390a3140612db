"""Copy a generated production from our database into the reference server's, so that both
servers time the same rows: `python bench/copy_to_reference.py "Breakdown 5000x2000"`.

    --source postgresql://postgres@127.0.0.1:5432/kitsu_bench  (default)
    --target postgresql://postgres@127.0.0.1:5432/zoudb        (default)

The tables and columns are the reference's (tests/test_model_parity.py), so rows go across as
they are, except: the lookup rows (project status, entity types, task types and statuses) are
matched by name in the target and their ids translated; persons go without a password; the
columns the two sides type differently (JSON lists vs PostgreSQL arrays) take the target's
empty value. Rows already in the target are left alone (the copy can be run again).
"""

import argparse
import uuid

import psycopg
from psycopg.types.json import Jsonb

ARRAY_COLUMNS = {
    "person": ("otp_recovery_codes", "fido_credentials"),
    "project_task_status_link": ("roles_for_board",),
}
LOOKUPS = {  # table: natural key columns
    "project_status": ("name",),
    "entity_type": ("name",),
    "task_status": ("short_name",),
    "task_type": ("name", "for_entity"),
}
# (table, the rows of the production, {column: lookup table whose id it holds})
TABLES = [
    ("person", "id IN (SELECT person_id FROM project_person_link WHERE project_id = %(p)s)", {}),
    ("project", "id = %(p)s", {"project_status_id": "project_status"}),
    ("project_person_link", "project_id = %(p)s", {}),
    ("project_task_type_link", "project_id = %(p)s", {"task_type_id": "task_type"}),
    ("project_task_status_link", "project_id = %(p)s", {"task_status_id": "task_status"}),
    ("entity", "project_id = %(p)s AND parent_id IS NULL", {"entity_type_id": "entity_type"}),
    (
        "entity",
        "project_id = %(p)s AND parent_id IN "
        "(SELECT id FROM entity WHERE project_id = %(p)s AND parent_id IS NULL)",
        {"entity_type_id": "entity_type"},
    ),
    (
        "entity",
        "project_id = %(p)s AND parent_id IN (SELECT id FROM entity WHERE parent_id IN "
        "(SELECT id FROM entity WHERE project_id = %(p)s AND parent_id IS NULL))",
        {"entity_type_id": "entity_type"},
    ),
    ("task", "project_id = %(p)s", {"task_type_id": "task_type", "task_status_id": "task_status"}),
    ("task_person_link", "task_id IN (SELECT id FROM task WHERE project_id = %(p)s)", {}),
    ("entity_link", "entity_in_id IN (SELECT id FROM entity WHERE project_id = %(p)s)", {}),
]


def columns(connection, table):
    rows = connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", (table,)
    )
    return dict(rows.fetchall())


def lookup_map(source, target, table, keys):
    """{source id: target id}, adding to the target the rows it lacks."""
    shared = [c for c in columns(source, table) if c in columns(target, table)]
    mapping = {}
    for row in source.execute(f"SELECT {', '.join(shared)} FROM {table}").fetchall():
        data = dict(zip(shared, row, strict=True))
        where = " AND ".join(f"{key} = %s" for key in keys)
        found = target.execute(f"SELECT id FROM {table} WHERE {where}", [data[k] for k in keys]).fetchone()
        if found is None:
            insert(target, table, shared, [prepare(data, table)])
            found = (data["id"],)
        mapping[data["id"]] = found[0]
    return mapping


def prepare(data, table):
    for column in ARRAY_COLUMNS.get(table, ()):
        if column in data:
            data[column] = [] if column == "roles_for_board" else None
    if table == "person":
        data["password"] = None
    arrays = ARRAY_COLUMNS.get(table, ())
    return [
        Jsonb(value) if isinstance(value, dict | list) and column not in arrays else value
        for column, value in data.items()
    ]


def insert(target, table, names, rows):
    placeholders = ", ".join(["%s"] * len(names))
    with target.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders}) ON CONFLICT DO NOTHING", rows
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project")
    parser.add_argument("--source", default="postgresql://postgres@127.0.0.1:5432/kitsu_bench")
    parser.add_argument("--target", default="postgresql://postgres@127.0.0.1:5432/zoudb")
    args = parser.parse_args()
    with psycopg.connect(args.source) as source, psycopg.connect(args.target) as target:
        found = source.execute("SELECT id FROM project WHERE name = %s", (args.project,)).fetchone()
        if found is None:
            raise SystemExit(f"No project {args.project!r} in the source database.")
        project_id: uuid.UUID = found[0]
        maps = {table: lookup_map(source, target, table, keys) for table, keys in LOOKUPS.items()}
        for table, where, mapped in TABLES:
            names = [c for c in columns(source, table) if c in columns(target, table)]
            rows = source.execute(f"SELECT {', '.join(names)} FROM {table} WHERE {where}", {"p": project_id})
            prepared = []
            for row in rows.fetchall():
                data = dict(zip(names, row, strict=True))
                for column, lookup in mapped.items():
                    data[column] = maps[lookup].get(data[column], data[column])
                prepared.append(prepare(data, table))
            insert(target, table, names, prepared)
            print(f"{table}: {len(prepared)} rows")
        target.commit()
        target.execute("ANALYZE")  # the planner sees the new rows, as ours does after generate


if __name__ == "__main__":
    main()
