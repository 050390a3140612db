"""CI helper: `pgdb.py ping`, `pgdb.py create NAME`, `pgdb.py drop NAME` on the local PostgreSQL."""

import os
import sys

import psycopg

HOST = os.environ.get("PG_HOST", "127.0.0.1")
PORT = int(os.environ.get("PG_PORT", "5432"))


def connect():
    return psycopg.connect(
        host=HOST, port=PORT, user="postgres", dbname="postgres", autocommit=True, connect_timeout=3
    )


def main(action, name=None):
    try:
        conn = connect()
    except psycopg.OperationalError:
        return 1
    with conn:
        if action == "create":
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        elif action == "drop":
            for db in (name, f"test_{name}"):
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
