"""Copy a whole production from our database into the reference server's, so that both servers
answer from the same rows: `python bench/copy_to_reference.py "Breakdown 5000x2000"`.

    --source postgresql://postgres@127.0.0.1:5432/kitsu_bench  (default)
    --target postgresql://postgres@127.0.0.1:5432/zoudb        (default)

The tables and columns are the reference's (tests/test_model_parity.py), so rows go across as
they are, except:
- lookup rows (departments, project statuses, entity types, task types and statuses) are matched
  by name in the target (added when missing) and the ids that name them translated;
- persons are matched by email (any case): the production's admin is the target's admin, a
  person the target lacks is added without a password; every column holding a person's id
  (`created_by`, `assigner_id`, authors...) is translated;
- a column naming a row that is not copied (preview files, playlists) is left empty;
- each value takes the target's type (our JSON lists are PostgreSQL arrays there).
Copied: the project, its team, task types, statuses and asset types, its entities (episodes,
sequences, shots, assets), tasks and assignees, castings, comments, time spents, news,
notifications and subscriptions. Rows already in the target are left alone (the copy can run
again), and each table is copied in one transaction with the rest: all or nothing.
"""

import argparse
import uuid

import psycopg
from psycopg.types.json import Jsonb

# (table, natural key columns, {column: lookup table whose id it holds}), in dependency order.
LOOKUPS = [
    ("department", ("name",), {}),
    ("project_status", ("name",), {}),
    ("entity_type", ("name",), {}),
    ("task_status", ("short_name",), {}),
    ("task_type", ("name", "for_entity"), {"department_id": "department"}),
]
TASKS = "SELECT id FROM task WHERE project_id = %(p)s"
ENTITIES = "SELECT id FROM entity WHERE project_id = %(p)s"
# (table, the rows of the production, {column: lookup table whose id it holds}), in FK order.
TABLES = [
    ("project", "id = %(p)s", {"project_status_id": "project_status"}),
    ("project_person_link", "project_id = %(p)s", {}),
    ("project_task_type_link", "project_id = %(p)s", {"task_type_id": "task_type"}),
    ("project_task_status_link", "project_id = %(p)s", {"task_status_id": "task_status"}),
    ("project_asset_type_link", "project_id = %(p)s", {"asset_type_id": "entity_type"}),
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
    ("task_person_link", f"task_id IN ({TASKS})", {}),
    ("entity_link", f"entity_in_id IN ({ENTITIES})", {}),
    ("comment", f"object_id IN ({TASKS})", {"task_status_id": "task_status"}),
    ("time_spent", f"task_id IN ({TASKS})", {}),
    ("news", f"task_id IN ({TASKS})", {}),
    ("notification", f"task_id IN ({TASKS})", {}),
    ("subscription", f"task_id IN ({TASKS})", {"task_type_id": "task_type"}),
]
# The columns holding a person's id, per table.
PERSON_COLUMNS = {
    "entity": ("created_by",),
    "task": ("assigner_id",),
    "project_person_link": ("person_id",),
    "task_person_link": ("person_id",),
    "comment": ("person_id", "editor_id"),
    "time_spent": ("person_id",),
    "news": ("author_id",),
    "notification": ("person_id", "author_id"),
    "subscription": ("person_id",),
}
# Columns naming rows that are not copied: left empty.
EMPTIED = {
    "project": ("default_preview_background_file_id", "from_schedule_version_id"),
    "entity": ("preview_file_id", "source_id"),
    "task": ("last_preview_file_id",),
    "comment": ("preview_file_id",),
    "news": ("preview_file_id",),
    "notification": ("playlist_id", "reply_id"),
    "person": ("studio_id", "preview_project_id"),
}
# Person columns that are secrets or sessions of our side: never copied.
PERSON_SECRETS = (
    "password",
    "totp_secret",
    "email_otp_secret",
    "otp_recovery_codes",
    "fido_credentials",
    "jti",
)
# Who a production's persons are: its team, and whoever its rows name.
PRODUCTION_PERSONS = " UNION ".join(
    [
        "SELECT person_id FROM project_person_link WHERE project_id = %(p)s",
        f"SELECT person_id FROM task_person_link WHERE task_id IN ({TASKS})",
        "SELECT assigner_id FROM task WHERE project_id = %(p)s",
        "SELECT created_by FROM entity WHERE project_id = %(p)s",
        f"SELECT person_id FROM comment WHERE object_id IN ({TASKS})",
        f"SELECT editor_id FROM comment WHERE object_id IN ({TASKS})",
        f"SELECT person_id FROM time_spent WHERE task_id IN ({TASKS})",
        f"SELECT author_id FROM news WHERE task_id IN ({TASKS})",
        f"SELECT person_id FROM notification WHERE task_id IN ({TASKS})",
        f"SELECT author_id FROM notification WHERE task_id IN ({TASKS})",
        f"SELECT person_id FROM subscription WHERE task_id IN ({TASKS})",
    ]
)


class Database:
    """A connection and the column types of its tables."""

    def __init__(self, connection):
        self.connection = connection
        self.types = {}

    def columns(self, table):
        """{column: 'ARRAY' | 'jsonb' | ...} of `table`, in order."""
        if table not in self.types:
            rows = self.connection.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = %s AND table_schema = 'public' ORDER BY ordinal_position",
                (table,),
            )
            self.types[table] = dict(rows.fetchall())
        return self.types[table]

    def execute(self, sql, params=None):
        return self.connection.execute(sql, params)


def shared_columns(source, target, table):
    target_columns = target.columns(table)
    return [column for column in source.columns(table) if column in target_columns]


def adapted(target, table, data):
    """The values of `data` as the target's columns take them."""
    types = target.columns(table)
    values = []
    for column, value in data.items():
        if value is not None and types[column] == "jsonb":
            value = Jsonb(value)
        elif value is not None and types[column] == "ARRAY" and not isinstance(value, list):
            value = None
        values.append(value)
    return values


def insert(target, table, names, rows):
    if not rows:
        return
    placeholders = ", ".join(["%s"] * len(names))
    with target.connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders}) ON CONFLICT DO NOTHING", rows
        )


def lookup_maps(source, target):
    """{lookup table: {source id: target id}}, adding to the target the rows it lacks."""
    maps = {}
    for table, keys, mapped in LOOKUPS:
        names = shared_columns(source, target, table)
        mapping = maps[table] = {}
        for row in source.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall():
            data = dict(zip(names, row, strict=True))
            where = " AND ".join(f"{key} = %s" for key in keys)
            found = target.execute(
                f"SELECT id FROM {table} WHERE {where}", [data[k] for k in keys]
            ).fetchone()
            if found is None:
                for column, lookup in mapped.items():
                    if column in data:
                        data[column] = maps[lookup].get(data[column])
                insert(target, table, names, [adapted(target, table, data)])
                found = (data["id"],)
            mapping[data["id"]] = found[0]
    return maps


def person_map(source, target, project_id):
    """{source person id: target person id}: matched by email, else added (no password)."""
    names = shared_columns(source, target, "person")
    rows = source.execute(
        f"SELECT {', '.join(names)} FROM person WHERE id IN ({PRODUCTION_PERSONS})", {"p": project_id}
    ).fetchall()
    mapping, added = {}, []
    for row in rows:
        data = dict(zip(names, row, strict=True))
        email = data.get("email")
        found = None
        if email:
            found = target.execute(
                "SELECT id FROM person WHERE lower(email) = lower(%s) ORDER BY created_at LIMIT 1", (email,)
            ).fetchone()
        if found is not None:
            mapping[data["id"]] = found[0]
            continue
        for column in (*PERSON_SECRETS, *EMPTIED["person"]):
            if column in data:
                data[column] = None
        added.append(adapted(target, "person", data))
        mapping[data["id"]] = data["id"]
    insert(target, "person", names, added)
    print(f"person: {len(rows)} ({len(rows) - len(added)} matched by email, {len(added)} added)")
    return mapping


def copy_production(source, target, project_id):
    maps = lookup_maps(source, target)
    persons = person_map(source, target, project_id)
    for table, where, mapped in TABLES:
        names = shared_columns(source, target, table)
        rows = source.execute(f"SELECT {', '.join(names)} FROM {table} WHERE {where}", {"p": project_id})
        prepared = []
        for row in rows.fetchall():
            data = dict(zip(names, row, strict=True))
            for column, lookup in mapped.items():
                if column in data:
                    data[column] = maps[lookup].get(data[column], data[column])
            for column in PERSON_COLUMNS.get(table, ()):
                if data.get(column) is not None:
                    data[column] = persons.get(data[column], data[column])
            for column in EMPTIED.get(table, ()):
                if column in data:
                    data[column] = None
            prepared.append(adapted(target, table, data))
        insert(target, table, names, prepared)
        print(f"{table}: {len(prepared)} rows")


def remove(project_id, target_url):
    """Delete a copied production from the target (its rows, in reverse order of the copy)."""
    with psycopg.connect(target_url) as target:
        team = [
            row[0]
            for row in target.execute(
                "SELECT person_id FROM project_person_link WHERE project_id = %s", (project_id,)
            ).fetchall()
        ]
        for table, where, _ in reversed(TABLES):
            deleted = target.execute(f"DELETE FROM {table} WHERE {where}", {"p": project_id}).rowcount
            print(f"{table}: {deleted} rows deleted")
        try:
            with target.transaction():  # the team's artists the copy added, unless named elsewhere
                target.execute("DELETE FROM login_log WHERE person_id = ANY(%s)", (team,))
                deleted = target.execute(
                    "DELETE FROM person WHERE id = ANY(%s) AND role <> 'admin' AND id NOT IN "
                    "(SELECT person_id FROM project_person_link)",
                    (team,),
                ).rowcount
                print(f"person: {deleted} rows deleted")
        except psycopg.errors.IntegrityError:
            print("person: kept (named by other rows)")
        target.commit()


def copy(project_name, source_url, target_url):
    with psycopg.connect(source_url) as source_connection, psycopg.connect(target_url) as target_connection:
        source, target = Database(source_connection), Database(target_connection)
        found = source.execute("SELECT id FROM project WHERE name = %s", (project_name,)).fetchone()
        if found is None:
            raise SystemExit(f"No project {project_name!r} in the source database.")
        project_id: uuid.UUID = found[0]
        copy_production(source, target, project_id)
        target_connection.commit()
    with psycopg.connect(target_url, autocommit=True) as target_connection:
        target_connection.execute("ANALYZE")  # the planner sees the new rows, as ours does after generate


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project")
    parser.add_argument("--remove", action="store_true", help="delete the copied production instead")
    parser.add_argument("--source", default="postgresql://postgres@127.0.0.1:5432/kitsu_bench")
    parser.add_argument("--target", default="postgresql://postgres@127.0.0.1:5432/zoudb")
    args = parser.parse_args()
    if args.remove:
        with psycopg.connect(args.target) as target:
            found = target.execute("SELECT id FROM project WHERE name = %s", (args.project,)).fetchone()
        if found is None:
            raise SystemExit(f"No project {args.project!r} in the target database.")
        remove(found[0], args.target)
    else:
        copy(args.project, args.source, args.target)


if __name__ == "__main__":
    main()
