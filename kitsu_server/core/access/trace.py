"""Tracing the permission layer: what each rule looked at and decided, for the explainer.

Off by default: a traced rule costs one context-variable read and runs as it always does. Inside
`tracing()`, every rule of `Access`, every rule of a scoped view's table, every `/data` policy
check and every `visible_*` list rule appends a step to the trace: its name, the first sentence
of its docstring (what the rule says), its subject (the project, entity, task... it was given),
the facts it read (membership, project role, assignment, departments) and its outcome. Steps nest
as the rules call each other (`depth`), so the chain that refused a request reads top down:

    scoped rule READER (GET)          refused
      check_task_access               refused
        check_project_access          refused
          is_member: no               (team of production "Show")

The explainer (kitsu_server.core.explain) runs a real request as the person inside a trace; the
layer is not copied anywhere, so what it explains is what the layer does.
"""

import contextvars
import functools
import uuid
from contextlib import contextmanager

from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import NotFound, PermissionDenied

_TRACE = contextvars.ContextVar("kitsu_access_trace", default=None)

REFUSED = "refused"
PASSED = "passed"
NOT_FOUND = "not found"


class Trace:
    """The steps recorded while tracing; `row_id`: a row whose presence the list rules report."""

    def __init__(self, row_id=None):
        self.steps = []
        self.open = []  # the steps being evaluated, innermost last
        self.depth = 0
        self.row_id = row_id

    def run(self, name, kind, function, args, kwargs, subject_args):
        step = {
            "rule": name,
            "kind": kind,
            "depth": self.depth,
            "says": first_sentence(function.__doc__),
            "subject": describe_args(subject_args),
        }
        self.steps.append(step)
        self.open.append(step)
        self.depth += 1
        try:
            result = function(*args, **kwargs)
        except PermissionDenied:
            step["outcome"] = REFUSED
            raise
        except NotFound:
            step["outcome"] = NOT_FOUND
            raise
        finally:
            self.depth -= 1
            self.open.pop()
        if kind == "fact":
            step["outcome"] = describe_value(result)
        elif kind == "list":
            self.describe_list(step, subject_args, result)
        else:
            step["outcome"] = PASSED
            if isinstance(result, bool):
                step["outcome"] = "yes" if result else "no"
            elif isinstance(result, str):
                step["value"] = result
        return result

    def describe_list(self, step, subject_args, result):
        """A list rule narrows a queryset: whether it kept every row, and the traced row."""
        given = next((arg for arg in subject_args if isinstance(arg, QuerySet)), None)
        if isinstance(result, Q):  # a criterion the route narrows its rows with
            step["outcome"] = "narrowed"
            return
        if not isinstance(result, QuerySet) or given is None:
            step["outcome"] = PASSED
            return
        step["outcome"] = "all rows" if result is given else "narrowed"
        if self.row_id is not None and result.model is given.model:
            if given.filter(pk=self.row_id).exists():
                step["row"] = {"id": str(self.row_id), "kept": result.filter(pk=self.row_id).exists()}

    def add(self, **step):
        step.setdefault("depth", self.depth)
        self.steps.append(step)
        return step


def note(**fields):
    """Add what a rule looked at to its step (e.g. where a role was read), when tracing."""
    trace = _TRACE.get()
    if trace is not None and trace.open:
        trace.open[-1].update(fields)


def current():
    """The trace being recorded, or None (tracing off)."""
    return _TRACE.get()


@contextmanager
def tracing(row_id=None):
    """Record the rules evaluated inside the block (in this context only)."""
    trace = Trace(row_id)
    token = _TRACE.set(trace)
    try:
        yield trace
    finally:
        _TRACE.reset(token)


def traced(name=None, kind="rule", skip=1):
    """Decorate a rule so that, while tracing, its evaluation is a step. `skip`: how many
    leading arguments are no subject (the `access`, or the policy's `self`)."""

    def decorate(function):
        label = name or function.__name__

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            trace = _TRACE.get()
            if trace is None:
                return function(*args, **kwargs)
            subject = (*args[skip:], *kwargs.values())
            return trace.run(label, kind, function, args, kwargs, subject)

        wrapper.traced = True
        return wrapper

    return decorate


def step(name, kind, function, *args, subject=(), says=None):
    """Run `function(*args)` as a traced step when tracing (for rules that are values in a table
    rather than named functions, e.g. a scoped view's READER)."""
    trace = _TRACE.get()
    if trace is None:
        return function(*args)
    if says is not None:
        function = _with_doc(function, says)
    return trace.run(name, kind, function, args, {}, subject)


def _with_doc(function, doc):
    def documented(*args, **kwargs):
        return function(*args, **kwargs)

    documented.__doc__ = doc
    return documented


# Access attributes that are no rule (read by the rules, not deciding anything themselves).
_NOT_RULES = {"member_project_ids", "projects_by_role"}
# Facts: what a rule looks at; their value is the outcome.
_FACTS = {"is_member", "project_role", "has_project_access"}
# Rules that narrow a list rather than decide.
_LIST_PREFIXES = ("visible_", "reachable_", "own_", "assignable_", "unassignable_", "updatable_")


def instrument_access(access_class):
    """Trace every public rule of `Access` (its methods, bound from the domains' modules)."""
    for attribute, value in list(vars(access_class).items()):
        if attribute.startswith("_") or attribute in _NOT_RULES or not callable(value):
            continue
        if getattr(value, "traced", False):
            continue
        kind = "fact" if attribute in _FACTS else "list" if attribute.startswith(_LIST_PREFIXES) else "rule"
        setattr(access_class, attribute, traced(attribute, kind)(value))
    return access_class


# --- describing what a rule was given and answered --------------------------------------------


def first_sentence(doc):
    if not doc:
        return ""
    text = " ".join(doc.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def describe_object(value):
    """{type, id, name} of a row."""
    name = getattr(value, "name", None)
    if name is None and hasattr(value, "full_name"):
        name = value.full_name
    described = {"type": type(value).__name__, "id": str(value.pk)}
    if isinstance(name, str):
        described["name"] = name
    return described


def describe_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Model):
        return describe_object(value)
    if isinstance(value, QuerySet):
        return f"rows of {value.model.__name__}"
    if isinstance(value, dict):
        return {"keys": sorted(str(key) for key in value)}
    if isinstance(value, set | frozenset | list | tuple):
        items = list(value)
        if len(items) > 10:
            return f"{len(items)} values"
        return [describe_value(item) for item in items]
    return type(value).__name__


def describe_args(args):
    return [describe_value(arg) for arg in args]
