"""Statements PostgreSQL plans once per connection: for the queries of every request whose
planning costs more than their execution (the token's person, a task with its related rows).

Django's cursors bind parameters on the client (psycopg's `ClientCursor`: the values written into
the SQL), which are never prepared, and Django turns psycopg's preparation off. `prepared_cursor`
is a cursor binding on the server that prepares what it runs at its first run on a connection
(psycopg keeps the statement's name per connection); counted and logged as Django's cursors.
"""

import psycopg
from django.db.backends.postgresql.psycopg_any import register_tzloader

# psycopg's own default: only cursors binding on the server follow it (see above).
PREPARE_THRESHOLD = 5


class RanQuery:
    """What Django's query log reads of a cursor's last statement (`cursor._query.query`)."""

    def __init__(self, query):
        self.query = query.encode() if isinstance(query, str) else query


class PreparedCursor(psycopg.Cursor):
    """Binds its parameters on the server and prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        result = super().execute(query, params, prepare=prepare, binary=binary)
        if self._query is None:  # a prepared statement runs by its name: log the SQL it names
            self._query = RanQuery(query)
        return result


def prepared_cursor(connection):
    """A `PreparedCursor` of a Django PostgreSQL connection, wrapped as Django wraps its own."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection
        if raw.prepare_threshold is None:  # Django's None forbids preparing at all
            raw.prepare_threshold = PREPARE_THRESHOLD
        cursor = PreparedCursor(raw)
        # As Django's own cursors: the connection's time zone, when its loader disagrees.
        loader = raw.adapters.get_loader(raw.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT)
        if connection.timezone != loader.timezone:
            register_tzloader(connection.timezone, cursor)
        return connection._prepare_cursor(cursor)
