"""The doctor's registry: checks of what the database constraints cannot say, run on demand.

A check is a class registered with `@register` in an app's `doctor.py` (found by
`load_checks`, as the admin finds `admin.py`): a `name` (kebab-case, what `--check` takes), a
`title` saying what is wrong in a person's words, a `severity`, and

- `problems(project)`: a queryset of the rows that are wrong (all productions when `project` is
  None). The doctor counts it and reads its first row as the example (two queries, whatever the
  size of the production); `example(row)` says that row in words a person can look up.
- or `find(project, report)` for a check that is no queryset (storage listings), answering a
  `Finding`;
- optionally `fix(project)`: a set-based repair of what is safe to repair (a counter recomputed,
  an orphan link row removed, the tokens of a deactivated person revoked), run inside the
  transaction `fix_checks` opens, answering a sentence saying what it did. A check without `fix`
  is report-only: it never deletes nor rewrites what a person made.

`studio_wide` checks (persons, stored files...) have no production: with a project they are
skipped.
"""

import logging
import time
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)
CHECKS = {}  # name -> check instance, in registration order


@dataclass
class Finding:
    """What one check found: how many problems, one example (its words and its row's id)."""

    name: str
    title: str
    severity: str
    fixable: bool
    count: int = 0
    example: str = ""
    example_id: str = ""
    skipped: str = ""  # why the check did not run (studio-wide under --project)
    error: str = ""  # why the check failed (the storage unreachable...): a problem too
    seconds: float = 0.0

    def as_dict(self):
        return asdict(self)


@dataclass
class Repair:
    """What one fix did."""

    name: str
    done: str
    count_before: int = 0
    count_after: int = 0

    def as_dict(self):
        return asdict(self)


class Check:
    name = ""
    title = ""
    severity = WARNING
    studio_wide = False

    @property
    def fixable(self):
        return callable(getattr(self, "fix", None))

    def problems(self, project):  # pragma: no cover - every queryset check defines it
        raise NotImplementedError

    def example(self, row):
        return str(row.pk)

    def finding(self, **values):
        return Finding(self.name, self.title, self.severity, self.fixable, **values)

    def find(self, project):
        problems = self.problems(project)
        count = problems.count()
        if not count:
            return self.finding()
        row = problems.first()
        return self.finding(count=count, example=self.example(row), example_id=str(row.pk))

    def describe(self):
        return {
            "name": self.name,
            "title": self.title,
            "severity": self.severity,
            "fixable": self.fixable,
            "studio_wide": self.studio_wide,
            "description": " ".join((self.__doc__ or "").split()),
        }


def register(check_class):
    check = check_class()
    if not check.name or check.name in CHECKS:
        raise ValueError(f"The doctor's check {check.name!r} has no name or is registered twice")
    if check.severity not in SEVERITIES:
        raise ValueError(f"The doctor's check {check.name!r}: unknown severity {check.severity!r}")
    CHECKS[check.name] = check
    return check_class


_loaded = False


def load_checks():
    """Every app's `doctor.py`, imported once (and its `jobs.py`: the stale jobs check reads
    each kind's patience)."""
    global _loaded
    if not _loaded:
        autodiscover_modules("jobs", "doctor")
        _loaded = True
    return CHECKS


class UnknownCheck(ValueError):
    pass


def select_checks(names=None):
    """The checks of these names (all when none), in registration order."""
    checks = load_checks()
    if not names:
        return list(checks.values())
    unknown = [name for name in names if name not in checks]
    if unknown:
        raise UnknownCheck(f"Unknown check: {', '.join(unknown)}. Known: {', '.join(checks)}.")
    return [check for name, check in checks.items() if name in set(names)]


def run_checks(names=None, project=None, report=None):
    """A `Finding` per check; `report(done, total)` after each."""
    checks = select_checks(names)
    findings = []
    for done, check in enumerate(checks):
        if report is not None:
            report(done, len(checks))
        try:
            findings.append(run_check(check, project))
        except Exception as exc:  # one check failing (the storage unreachable) leaves the others
            logger.exception("The doctor's check %s failed", check.name)
            findings.append(check.finding(error=f"{type(exc).__name__}: {exc}"))
    if report is not None:
        report(len(checks), len(checks))
    return findings


def run_check(check, project=None):
    if project is not None and check.studio_wide:
        return check.finding(skipped="studio-wide")
    started = time.monotonic()
    finding = check.find(project)
    finding.seconds = round(time.monotonic() - started, 3)
    return finding


def fix_checks(names=None, project=None, findings=None):
    """Repair what the fixable checks found, in one transaction: a `Repair` per check that had
    problems (the count before, and after, read again inside the transaction)."""
    checks = [check for check in select_checks(names) if check.fixable]
    if findings is None:
        findings = {check.name: run_check(check, project) for check in checks}
    else:
        findings = {finding.name: finding for finding in findings}
    repairs = []
    with transaction.atomic():
        for check in checks:
            before = findings.get(check.name)
            if before is None or before.skipped or before.error or not before.count:
                continue
            done = check.fix(project)
            after = run_check(check, project)
            repairs.append(Repair(check.name, done, before.count, after.count))
    return repairs


def has_problems(findings):
    return any(finding.count or finding.error for finding in findings)


# --- what the checks share ---------------------------------------------------------------------


def distinct_sql(left, right):
    """SQL true where two nullable values differ, NULLs included (IS DISTINCT FROM, which older
    SQLite lacks)."""
    return (
        f"(CASE WHEN {left} IS NULL AND {right} IS NULL THEN 0 WHEN {left} IS NULL OR {right} IS NULL "
        f"THEN 1 WHEN {left} <> {right} THEN 1 ELSE 0 END) = 1"
    )


def entity_label(entity):
    """`SQ010 / SH0010`, `Bunny`: an entity as the production's lists show it."""
    if entity is None:
        return "(no entity)"
    parent = getattr(entity, "parent", None) if entity.parent_id else None
    return f"{parent.name} / {entity.name}" if parent is not None else entity.name


def task_label(task):
    """`Demo TV Show / SQ010 / SH0010 / Animation`: a task a person can find (select_related
    project, entity__parent and task_type)."""
    project = task.project.name if task.project_id else "(no project)"
    task_type = task.task_type.name if task.task_type_id else "(no task type)"
    return f"{project} / {entity_label(task.entity if task.entity_id else None)} / {task_type}"


TASK_LABEL_RELATED = ("project", "entity__parent", "task_type")
