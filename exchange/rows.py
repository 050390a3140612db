"""Row-level import machinery shared by the CSV imports: reading a file, planning each row before
anything is written (the dry run's diff), recording the run as a job with its progress and its
errors per row, then applying the plan a batch at a time.

An import is an `Importer` (one per family: shots, assets, persons...) that knows its columns:

- `prepare(header)` loads what rows are resolved against (one query per table, not per row);
- `plan(line, row)` answers a `RowPlan` (create / update / unchanged) or raises `RowError`
  naming the column at fault; it writes nothing;
- `apply(plans, report)` writes the planned rows, re-resolving each by its natural key, so that
  a run that is repeated (after a crash, or the same file twice) neither duplicates nor loses rows.

`run_import` drives them: a file that cannot be read, or with a row in error, is answered 400 with
the line and column (the first error, and all of them under `errors`) and nothing of it is
written; a dry run answers the plan of every row and writes nothing at all; otherwise the rows are
applied under a `Job` row (its progress readable at /data/jobs while it runs), and the importer's
answer is the reference's (201, the imported rows).
"""

import csv
import io
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from files.models import DataImportError
from kitsu_server.core.jobs import ProgressReport, describe
from kitsu_server.core.models import FAILED, RUNNING, SUCCEEDED, Job
from kitsu_server.core.rendering import render_rows

BATCH = 200  # rows written per transaction: progress is visible between two
DELIMITERS = ";,\t|"


class ImportFileError(Exception):
    """The file as a whole cannot be imported (encoding, CSV syntax, a missing column)."""

    def __init__(self, message, line_number=None, column=None):
        super().__init__(message)
        self.message, self.line_number, self.column = message, line_number, column


class RowError(Exception):
    """A row that cannot be imported; `column` names the cell at fault when one is."""

    def __init__(self, message, column=None):
        super().__init__(message)
        self.message, self.column = message, column


@dataclass
class RowPlan:
    line: int
    key: str  # the row's natural key, as a person reads it ("E01 / SQ01 / SH010")
    action: str  # create | update | unchanged | error
    changes: dict = field(default_factory=dict)  # {column: [before, after]}
    reason: str = ""
    column: str | None = None
    values: dict = field(default_factory=dict)  # what apply() needs, parsed
    entity: object = None  # the row written, once applied

    def as_json(self):
        answer = {"line_number": self.line, "key": self.key, "action": self.action, "changes": self.changes}
        if self.action == "error":
            answer.update(reason=self.reason, column=self.column)
        elif self.reason:
            answer["reason"] = self.reason
        return answer


def read_rows(uploaded):
    """(header, [(line number, {column: cell})]) of an uploaded CSV file: UTF-8 with or without a
    BOM, its separator the header's (`;` as Kitsu writes, `,`, tab or `|`), cells quoted or not, rows
    made of empty cells skipped. Line numbers are the file's (the header is line 1)."""
    raw = uploaded.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"The file is not UTF-8 text (line {line}).", line_number=line) from None
    if not text.strip():
        raise ImportFileError("The file is empty.", line_number=1)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)  # the header's most frequent separator
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, doublequote=True, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((reader.line_num, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        raise ImportFileError(f"Line {reader.line_num}: {exc}", line_number=reader.line_num) from None
    return header, rows


def check_columns(header, required):
    """A 400 naming the first required column the header lacks."""
    for column in required:
        if column not in header:
            raise ImportFileError(f"A column is missing: {column}", line_number=1, column=column)


def parse_int(value, column, what=None):
    """An integer cell, None when empty; a RowError naming the column otherwise."""
    if value is None or value.strip() == "":
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise RowError(f"{what or column} must be an integer, got '{value}'", column) from None


def parse_yes_no(value, column):
    folded = value.strip().lower()
    if folded in ("y", "yes", "t", "true", "on", "1"):
        return True
    if folded in ("n", "no", "f", "false", "off", "0"):
        return False
    raise RowError(f"{column}: {value} is neither true nor false", column)


class Importer:
    """Base of an import family (see the module). Subclasses set `name` (the job's name) and
    `required_columns`, and write `plan` and `apply`."""

    name = "csv-import"
    required_columns = ()

    def __init__(self, user, project=None, update=False):
        self.user, self.project, self.update = user, project, update

    def read(self, uploaded):
        """(header, [(line number, row)]) of the uploaded file: a CSV file by default."""
        return read_rows(uploaded)

    def prepare(self, header):
        self.header = header

    def plan(self, line, row):
        raise NotImplementedError

    def apply(self, plans, report):
        """Write the planned rows (a batch per transaction); answer the reference's body."""
        raise NotImplementedError


def changed_values(before, after):
    """{name: [before, after]} of the values of `after` that differ from `before` (a dict)."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def plan_rows(importer, rows):
    plans = []
    for line, row in rows:
        try:
            plans.append(importer.plan(line, row))
        except RowError as exc:
            key = " / ".join(str(value) for value in row.values() if value not in (None, ""))[:80]
            plans.append(RowPlan(line, key, "error", reason=exc.message, column=exc.column))
    return plans


def summary(plans):
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    for plan in plans:
        counts[plan.action] += 1
    return counts


def error_body(message, line_number, column=None, errors=()):
    """The reference's 400 of an import (`error`, `message`, `line_number`, `imported_rows`), with
    the column at fault and every row in error."""
    return {
        "error": True,
        "message": message,
        "line_number": line_number,
        "column": column,
        "imported_rows": 0,
        "errors": list(errors),
    }


def run_import(importer, uploaded, dry_run=False):
    """(status, body) of an import of `uploaded` (see the module)."""
    try:
        header, rows = importer.read(uploaded)
        check_columns(header, importer.required_columns)
        importer.prepare(header)
    except ImportFileError as exc:
        return 400, error_body(exc.message, exc.line_number, exc.column)
    plans = plan_rows(importer, rows)
    if dry_run:
        return 200, {"dry_run": True, "summary": summary(plans), "rows": [plan.as_json() for plan in plans]}
    job = start_job(importer, len(plans))
    errors = [plan for plan in plans if plan.action == "error"]
    if errors:
        record_errors(job, errors)
        first = errors[0]
        column = f", column {first.column}" if first.column else ""
        message = f"Line {first.line}{column}: {first.reason}"
        finish_job(job, FAILED, error=message, result=summary(plans))
        return 400, error_body(message, first.line, first.column, [plan.as_json() for plan in errors])
    report = ProgressReport(job.pk)
    try:
        body = importer.apply(plans, report)
    except Exception as exc:
        finish_job(job, FAILED, error=describe(exc), done=report.done, total=len(plans))
        raise
    finish_job(job, SUCCEEDED, result=summary(plans), done=len(plans), total=len(plans))
    return 201, body


def in_batches(plans, report, size=None):
    """The plans a batch at a time (BATCH by default), each batch in its own transaction, progress
    reported after."""
    size = size or BATCH
    done = 0
    for start in range(0, len(plans), size):
        batch = plans[start : start + size]
        with transaction.atomic():
            yield batch
        done += len(batch)
        report(done, len(plans))


def rendered_in_order(model, ids, type_name=None):
    """The rows of `ids` as /data renders them, in the file's order (a row named twice, twice);
    `type_name`: their `type` (the reference answers its imported entities as "Entity")."""
    model = model._meta.concrete_model
    rows = {row["id"]: row for row in render_rows(model.objects.filter(pk__in=set(ids)))}
    if type_name is not None:
        for row in rows.values():
            row["type"] = type_name
    return [rows[str(pk)] for pk in ids if str(pk) in rows]


# --- the job row -------------------------------------------------------------------------------


def start_job(importer, total):
    """The Job row of an import run in the request (its answer is the imported rows): running from
    the start, its progress written as batches commit."""
    now = timezone.now()
    params = {"update": importer.update, "rows": total}
    return Job.objects.create(
        name=importer.name,
        key=f"{importer.name}:{uuid.uuid4()}",  # runs of the same file are idempotent, not exclusive
        state=RUNNING,
        attempts=1,
        params=params,
        project=importer.project,
        created_by=importer.user,
        progress_total=total,
        started_at=now,
    )


def finish_job(job, state, result=None, error="", done=None, total=None):
    now = timezone.now()
    values = {"state": state, "finished_at": now, "updated_at": now, "result": result, "error": error}
    if done is not None:
        values.update(progress_done=done, progress_total=total)
    Job.objects.filter(pk=job.pk).update(**values)


def record_errors(job, plans):
    """One DataImportError per row in error, naming its job, line, column and reason."""
    DataImportError.objects.bulk_create(
        DataImportError(
            source="csv",
            event_data={
                "job_id": str(job.pk),
                "import": job.name,
                "line_number": plan.line,
                "column": plan.column,
                "message": plan.reason,
                "key": plan.key,
            },
        )
        for plan in plans
    )
