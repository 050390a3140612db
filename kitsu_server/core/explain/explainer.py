"""Why may (or may not) a person call a route: the route run as them, traced, and rolled back.

`explain(person, route, method, object_id)` resolves the route in the URL table, builds a request
authenticated as the person and dispatches it to the real view inside a transaction that is always
rolled back, with the permission layer traced (kitsu_server.core.access.trace). Nothing is
written and nothing leaves: the request's body cannot be read (the layer checks permission before
the body, so a write route is decided by then) and its first INSERT, UPDATE or DELETE stops it,
so no event, mail or job is queued (and `on_commit` hooks of a rolled-back block never run).

The answer says whether the route let the person through, what it answered (its status, or where
it stopped: at the body or at its first write, both past every permission check), the chain of
rules evaluated, the one that decided, and a sentence saying so.
"""

import logging
import re
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import orjson
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, transaction
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from rest_framework.settings import api_settings

from kitsu_server.core.access.trace import REFUSED, tracing
from kitsu_server.core.explain.subjects import describe_row, project_name

logger = logging.getLogger(__name__)

WRITE_SQL = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ROLE_NAMES = {"user": "artist"}  # the role names Kitsu shows
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class ExplainError(Exception):
    """A question the explainer cannot answer: `status` 400 (bad route) or 404 (no such route)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


class BodyReached(BaseException):  # noqa: N818 - a signal, not an error
    """The view went on to read the request body: every check before it passed."""


class WriteReached(BaseException):  # noqa: N818
    """The view went on to write: every check before it passed."""


class _UnreadableBody:
    """The body of an explained request: reading it stops the request there."""

    def read(self, *args):
        raise BodyReached

    readline = read

    def __iter__(self):
        raise BodyReached


def _stop_writes(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(WRITE_SQL):
        raise WriteReached
    return execute(sql, params, many, context)


# --- the route ------------------------------------------------------------------------------


def concrete_path(route, object_id=None):
    """(path under /api, query string, placeholder filled or None) of a route: a concrete path
    (`/data/shots/<id>`) or a template of routes.tsv (`/data/shots/{shot_id}`) whose first
    placeholder `object_id` fills."""
    route = (route or "").strip()
    if not route:
        raise ExplainError("A route is required (e.g. /data/shots/{shot_id}).")
    parts = urlsplit(route)
    path = parts.path
    if path.startswith("/api/") or path == "/api":
        path = path[len("/api") :]
    if not path.startswith("/"):
        path = "/" + path
    names = _PLACEHOLDER.findall(path)
    filled = None
    if names:
        if object_id is None:
            raise ExplainError(f"The route names {{{names[0]}}}: give its id as object_id.")
        filled = names[0]
        path = path.replace(f"{{{filled}}}", str(object_id), 1)
        missing = _PLACEHOLDER.findall(path)
        if missing:
            raise ExplainError(f"Fill the route's other ids in the route itself: {', '.join(missing)}.")
    return path, parts.query, filled


def served_methods(callback):
    """The HTTP methods a URL pattern's view answers (HEAD and OPTIONS aside)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        names = callback.view_initkwargs.get("http_method_names", view_class.http_method_names)
        methods = {name.upper() for name in names if hasattr(view_class, name)}
    elif getattr(callback, "actions", None):  # a viewset: its action map
        methods = {name.upper() for name in callback.actions}
    else:
        return set()
    return methods - {"HEAD", "OPTIONS"}


def resolve_route(path, method):
    try:
        match = resolve("/api" + path)
    except Resolver404:
        raise ExplainError(f"No route of the API matches {path}.", 404) from None
    served = served_methods(match.func)
    if not served:
        raise ExplainError(f"{path} is no API route the explainer runs.")
    if method not in served:
        raise ExplainError(f"{path} takes {', '.join(sorted(served))}, not {method}.")
    return match


def route_template(match):
    """The route as routes.tsv writes it (`/data/shots/{shot_id}`), from the matched pattern."""
    regex = match.route
    template = re.sub(r"\(\?P<([a-z_]+)>[^)]*\)", r"{\1}", regex)
    template = template.replace("^", "").replace("$", "").replace("/?", "").replace("\\", "")
    return "/" + template.removeprefix("api/").strip("/")


# --- running it -----------------------------------------------------------------------------


def build_request(person, method, path, query):
    extra = {}
    if method in BODY_METHODS:
        extra = {"wsgi.input": _UnreadableBody(), "CONTENT_LENGTH": "2", "CONTENT_TYPE": "application/json"}
    url = "/api" + path + (f"?{query}" if query else "")
    header = authorization_for(person)
    if header is not None:
        extra["HTTP_AUTHORIZATION"] = header
    request = RequestFactory().generic(method, url, **extra)
    if header is None:
        request._force_auth_user = person  # DRF's forced authentication: no token
    return request


def authorization_for(person):
    """The `Authorization` header of `person` from the API's authentication class that makes one
    (`authorization_for`), so that the request is authenticated as a real one is."""
    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        make = getattr(authentication, "authorization_for", None)
        if make is not None:
            return make(person)
    return None


@contextmanager
def connection_kept():
    """A response's `close()` sends `request_finished`, whose `close_old_connections` closes a
    connection found inside a transaction (its autocommit is off): the explainer's own, in the
    middle of its run. Disconnected meanwhile, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def dispatch(match, request):
    """(status, body or None, where it stopped or None): the view run, everything rolled back."""
    connection = connections[DEFAULT_DB_ALIAS]
    status, body, stopped = None, None, None
    with connection_kept(), transaction.atomic():
        try:
            with connection.execute_wrapper(_stop_writes):
                response = match.func(request, *match.args, **match.kwargs)
                status = response.status_code
                body = response_body(response)
        except BodyReached:
            stopped = "body"
        except WriteReached:
            stopped = "write"
        except Exception as error:  # a route's own failure: what the real request would answer
            logger.warning("explained route failed: %r", error)
            status, body = 500, {"message": f"The route failed ({type(error).__name__})."}
        transaction.set_rollback(True)
    return status, body, stopped


def response_body(response):
    """The JSON the view answered (read inside the transaction: a streamed list reads as sent)."""
    if isinstance(response, StreamingHttpResponse):
        if "json" not in response.get("Content-Type", ""):  # a file, a movie: not read
            response.close()
            return None
        content = b"".join(response.streaming_content)
    else:
        if hasattr(response, "render"):
            data = getattr(response, "data", None)
            if data is not None:
                return data
            response.render()
        content = response.content
    if not content or "json" not in response.get("Content-Type", ""):
        return None
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return None


# --- the answer -----------------------------------------------------------------------------


def explain(person, route, method="GET", object_id=None, sentence=True):
    """The explanation of `method route` for `person` (see the module's docstring); without
    `sentence`, no object, decisive step nor summary (the matrix reads only the verdict)."""
    method = (method or "GET").upper()
    path, query, filled = concrete_path(route, object_id)
    match = resolve_route(path, method)
    row_id = None if filled else _uuid(object_id)
    with tracing(row_id) as trace:
        status, body, stopped = dispatch(match, build_request(person, method, path, query))
    verdict = verdict_of(status, stopped)
    subject = subject_of(match, filled) if sentence else None
    listed = listed_row(body, row_id) if row_id is not None and stopped is None else None
    steps = trace.steps
    decided = decisive_step(steps, verdict) if sentence else None
    answer = {
        "allowed": verdict == "allowed",
        "verdict": verdict,
        "status": status,
        "stopped_at": stopped,
        "person": {
            "id": str(person.pk),
            "full_name": person.full_name,
            "role": person.role,
            "is_active": person.is_active,
        },
        "method": method,
        "route": route_template(match),
        "path": "/api" + path,
        "object": subject,
        "is_list": rows_of(body) is not None,
        "listed": listed,
        "rules": steps,
        "decided_by": decided,
        "message": error_message(body) if verdict != "allowed" else None,
    }
    answer["summary"] = summary(answer, person) if sentence else ""
    return answer


def verdict_of(status, stopped):
    """allowed, refused (401, 403) or not found (404): what the route decided for the person."""
    if stopped is not None:
        return "allowed"
    if status in (401, 403):
        return "refused"
    if status == 404:
        return "not found"
    return "allowed"


def error_message(body):
    return body.get("message") if isinstance(body, dict) else None


def _uuid(value):
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ExplainError("object_id is no id.") from None


def rows_of(body):
    """The rows of a list answered (a list, or a page envelope's `data`), else None."""
    rows = body.get("data") if isinstance(body, dict) and isinstance(body.get("data"), list) else body
    return rows if isinstance(rows, list) else None


def listed_row(body, row_id):
    """Whether the row of `row_id` is in the list answered (rows, or a page envelope)."""
    rows = rows_of(body)
    if rows is None:
        return None
    wanted = str(row_id)
    return any(isinstance(row, dict) and str(row.get("id")) == wanted for row in rows)


def subject_of(match, filled):
    """{type, id, name} of the row the route names: the id it was given, else its first id."""
    kwargs = match.kwargs
    if filled is None:
        filled = next((name for name in kwargs if name.endswith("_id")), None)
    if filled is None or filled not in kwargs:
        return None
    return describe_row(filled, kwargs[filled], match)


def decisive_step(steps, verdict):
    """The step that decided: for a refusal the innermost refusal of the last refused chain;
    otherwise the route's own rule (the first step of the outermost level)."""
    if not steps:
        return None
    if verdict in ("refused", "not found"):
        wanted = REFUSED if verdict == "refused" else "not found"
        top = [index for index, step in enumerate(steps) if step.get("outcome") == wanted]
        if not top:
            return None
        index = top[-1]
        # From the last refused step, walk up to its root, then down the refusals to the innermost.
        while steps[index]["depth"] > 0:
            parent = next(
                (i for i in range(index - 1, -1, -1) if steps[i]["depth"] < steps[index]["depth"]), None
            )
            if parent is None or steps[parent].get("outcome") != wanted:
                break
            index = parent
        return _innermost(steps, index, wanted)
    routes = [step for step in steps if step["kind"] == "route"]
    if routes:
        return routes[0]
    outermost = min(step["depth"] for step in steps)
    rules = [step for step in steps if step["depth"] == outermost and step["kind"] != "fact"]
    return rules[0] if rules else steps[0]


def _innermost(steps, index, wanted):
    depth = steps[index]["depth"]
    child = None
    for i in range(index + 1, len(steps)):
        if steps[i]["depth"] <= depth:
            break
        if (
            steps[i]["depth"] == depth + 1
            and steps[i].get("outcome") == wanted
            and steps[i]["kind"] != "fact"
        ):
            child = i
    return steps[index] if child is None else _innermost(steps, child, wanted)


# --- the sentence ---------------------------------------------------------------------------

VERBS = {"GET": "read", "POST": "post to", "PUT": "update", "PATCH": "update", "DELETE": "delete"}


def summary(answer, person):
    who = f"{person.full_name or person.email} ({ROLE_NAMES.get(person.role, person.role)})"
    subject = answer["object"]
    if subject and subject.get("type"):
        what = f"{subject['type'].lower()} {subject.get('name') or subject['id']}"
    else:
        what = answer["route"]
    verb = VERBS.get(answer["method"], answer["method"])
    step = answer["decided_by"]
    if answer["verdict"] == "refused":
        if not person.is_active:
            return f"{who} cannot {verb} {what}: the account is inactive"
        return f"{who} cannot {verb} {what}: {refusal_reason(answer['rules'], step)}"
    if answer["verdict"] == "not found":
        reason = answer.get("message") or "the route answers 404"
        return f"{who} cannot {verb} {what}: not found ({reason.rstrip('.')})"
    sentence = f"{who} may {verb} {what}"
    if step is not None:
        sentence += f": {step['rule']} passed"
        if step.get("says"):
            sentence += f" ({step['says'].rstrip('.')})"
    if answer["stopped_at"]:
        sentence += (
            f"; the route then goes on to {'read its body' if answer['stopped_at'] == 'body' else 'write'}"
        )
    if answer["listed"] is not None:
        sentence += f"; the row is {'in' if answer['listed'] else 'not in'} the list"
        sentence += list_reason(answer["rules"])
    return sentence + "."


def refusal_reason(steps, step):
    if step is None:
        return "the route refused (403)"
    rule, subject = step["rule"], step.get("subject") or []
    project = next((value for value in subject if isinstance(value, str)), None)
    if rule in ("check_project_access", "has_project_access", "is_member"):
        return f"not in the team of production {project_name(project)}"
    if rule == "check_admin" or rule.endswith(": no rule"):
        return "only admins may (check_admin)"
    if rule == "check_role":
        needed = " or ".join(ROLE_NAMES.get(role, role) for role in subject[0]) if subject else "another role"
        held = _fact_below(steps, step, "project_role")
        if project is None:
            return f"the global role is not {needed}"
        role = ROLE_NAMES.get(held.get("outcome"), held.get("outcome")) if held else "another"
        source = f", from the {held['source']}" if held and held.get("source") else ""
        return f"the role held on production {project_name(project)} is {role}{source}; this needs {needed}"
    if rule == "check_entity_access":
        return "as a vendor, assigned no task of it (check_entity_access)"
    if rule == "block_vendor":
        return "vendors list none of these rows (block_vendor)"
    says = step.get("says")
    return f"{rule} refused" + (f" ({says.rstrip('.')})" if says else "")


def _fact_below(steps, step, name):
    index = next(i for i, candidate in enumerate(steps) if candidate is step)
    for candidate in steps[index + 1 :]:
        if candidate["depth"] <= step["depth"]:
            return None
        if candidate["rule"] == name:
            return candidate
    return None


def list_reason(steps):
    for step in steps:
        row = step.get("row")
        if row is not None and not row["kept"]:
            says = step.get("says")
            return f", left out by {step['rule']}" + (f" ({says.rstrip('.')})" if says else "")
    return ""
