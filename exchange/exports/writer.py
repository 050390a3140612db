"""CSV answers as the reference writes them: `;`-separated, Excel quoting, CRLF line ends, UTF-8
without a BOM, `kitsu_<slug>.csv` as the attachment's name, each line produced as it is sent."""

import csv
import io
from itertools import chain, islice

from django.db import connection
from django.db.models.functions import Collate
from slugify import slugify

from kitsu_server.api.responses import RowStream


def csv_file_name(name):
    """The attachment's name: `kitsu_` and the name slugified with underscores (the reference
    slugifies the per-project names twice, first with dashes: the same result)."""
    return f"kitsu_{slugify(slugify(name), separator='_')}.csv"


def csv_line(row):
    """One row as its CSV line (bytes): None is an empty cell, numbers as Python writes them."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(row)
    return buffer.getvalue().encode()


def csv_response(rows, name, charset=True):
    """A streamed CSV attachment of `rows` (a header row first), read from `rows` as it is sent:
    the queries of a generator run batch by batch, never the whole export in memory.

    charset: the reference's Content-Type: "text/csv; charset=utf-8" for its streamed exports,
    a bare "text/csv" for the ones it builds whole (the per-project ones)."""
    rows = iter(rows)
    # The first row now: a generator's first queries must fail as an error answer, not as a
    # stream cut after its status line.
    first = list(islice(rows, 1))
    lines = (csv_line(row) for row in chain(first, rows))
    content_type = "text/csv; charset=utf-8" if charset else "text/csv"
    response = RowStream(lines, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={csv_file_name(name)}"
    return response


def by_codepoint(expression):
    """`expression` compared character by character (code points), as the reference orders its
    rows (its database's collation is C, and the per-project exports sort in Python); SQLite's
    default collation already does."""
    if connection.vendor == "postgresql":
        return Collate(expression, "C")
    return expression
