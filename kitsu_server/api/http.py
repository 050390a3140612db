"""HTTP rules every answer follows, whatever view (or no view) produced it.

- A 1xx, 204 or 304 answer carries no body and no Content-Length (RFC 9110): a stray body would
  be read by the client, or a proxy, as the start of the next answer on a kept-alive connection.
- Under /api every error is JSON in the reference's shape, `{"error": true, "message": ...}`,
  with the reference's messages: an unknown path (404), a method the route lacks (405, before
  authentication, as the reference's router answers it), a body over the limit (413), and any
  page Django itself would write (bad Host, CSRF failure, server error).
- Request bodies over the configured limits (settings.MAX_CONTENT_LENGTH for multipart uploads,
  DATA_UPLOAD_MAX_MEMORY_SIZE for anything else) are refused with a 413 before they are read: by
  `RequestBodies` in front of the ASGI application, which also counts the bytes of a chunked
  body as they come (and hands a chunked body on with its length, without which Django would
  read none), and by the middleware for the other entry points (WSGI, the test client).
"""

import tempfile
from http import HTTPStatus

import orjson
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpResponse

from kitsu_server.api.renderers import BODILESS_STATUSES

# The reference's messages (its web framework's) for the errors that no view raises.
HTTP_ERROR_MESSAGES = {
    400: "The browser (or proxy) sent a request that this server could not understand.",
    403: "You don't have the permission to access the requested resource. It is either read-protected "
    "or not readable by the server.",
    404: "404 Not Found: The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again.",
    405: "The method is not allowed for the requested URL.",
    413: "The data value transmitted exceeds the capacity limit.",
    500: "Internal server error.",
}


def is_api_path(path):
    return path == "/api" or path.startswith("/api/")


def error_message(status):
    return HTTP_ERROR_MESSAGES.get(status) or HTTPStatus(status).phrase


def error_body(status, message=None):
    return orjson.dumps({"error": True, "message": message or error_message(status)})


def json_error(status, message=None):
    """An error answer in the reference's shape, outside DRF (no view, or before one runs)."""
    body = error_body(status, message)
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Content-Length"] = str(len(body))
    return response


def body_limit(content_type):
    """The largest request body accepted with this Content-Type (None: no limit)."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return settings.MAX_CONTENT_LENGTH
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def served_methods(view_func):
    """The HTTP methods the class-based view behind `view_func` answers (None when unknown)."""
    # Django's as_view() names the class `view_class`, DRF's viewsets only `cls`.
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    if view_class is None:
        return None
    actions = getattr(view_func, "actions", None)  # a DRF viewset: its method-to-action map
    if actions:
        methods = {name.upper() for name in actions} | {"OPTIONS"}
    else:
        initkwargs = getattr(view_func, "view_initkwargs", None) or getattr(view_func, "initkwargs", {})
        names = initkwargs.get("http_method_names", view_class.http_method_names)
        methods = {name.upper() for name in names if hasattr(view_class, name)}
    if "GET" in methods:
        methods.add("HEAD")  # Django answers HEAD with the GET handler
    return methods


def is_json(response):
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class HttpRulesMiddleware:
    """The rules of the module docstring, for every answer (first in MIDDLEWARE). Sync and async
    alike, so that it costs no thread switch under ASGI."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)
            # Django runs a synchronous process_view in a thread under ASGI: give it a coroutine.
            self.process_view = self.aprocess_view

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        refusal = self.refuse_body(request)
        return self.finish(request, refusal or self.get_response(request))

    async def __acall__(self, request):
        refusal = self.refuse_body(request)
        return self.finish(request, refusal or await self.get_response(request))

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_api_path(request.path_info):
            return None
        methods = served_methods(view_func)
        if methods is None or request.method in methods:
            return None
        response = json_error(405)
        response["Allow"] = ", ".join(sorted(methods))
        return response

    async def aprocess_view(self, request, view_func, view_args, view_kwargs):
        return HttpRulesMiddleware.process_view(self, request, view_func, view_args, view_kwargs)

    @staticmethod
    def refuse_body(request):
        if not is_api_path(request.path_info):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400)
        limit = body_limit(request.META.get("CONTENT_TYPE"))
        if limit is not None and length > limit:
            # No "Connection: close" here (a hop-by-hop header WSGI servers refuse from an
            # application): the server drains or drops the unread body itself.
            return json_error(413)
        return None

    @staticmethod
    def finish(request, response):
        if is_api_path(request.path_info) and response.status_code >= 400 and not is_json(response):
            # The page's own headers stay (security headers, Allow...); its body becomes JSON.
            rewritten = json_error(response.status_code)
            for name, value in response.items():
                if name.lower() not in ("content-type", "content-length", "content-disposition"):
                    rewritten[name] = value
            rewritten.cookies = response.cookies
            response = rewritten
        if response.status_code in BODILESS_STATUSES:
            if not response.streaming:
                response.content = b""
            del response["Content-Length"]
        return response


class RequestBodies:
    """ASGI middleware in front of the application, for request bodies.

    - A body over its limit gets a 413 before Django reads it (Django spools a whole body to
      disk before any middleware runs): a declared Content-Length is checked up front, a chunked
      body is counted as it arrives and cut off once over the limit. JSON under /api, plain text
      elsewhere.
    - A chunked body (no Content-Length) is read whole, then handed on with its length: Django's
      request, and DRF's parsers after it, take a body without a length for no body at all.
    """

    replay_size = 64 * 1024

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        limit = body_limit(headers.get(b"content-type", b"").decode("latin-1"))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = limit is not None and int(declared) > limit
            except ValueError:
                too_big = False  # the server has refused a malformed length already
            if too_big:
                return await self.refuse(scope, send)
            return await self.app(scope, receive, send)
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            return await self.app(scope, receive, send)  # no body

        body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                body.close()
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                body.close()
                return await self.refuse(scope, send)
            body.write(chunk)
            if not message.get("more_body", False):
                break
        body.seek(0)
        scope = {
            **scope,
            "headers": [
                *((name, value) for name, value in scope["headers"] if name != b"transfer-encoding"),
                (b"content-length", str(size).encode()),
            ],
        }

        async def replay():
            if body.closed:
                return await receive()  # the body is handed over: what follows is the client's
            chunk = body.read(self.replay_size)
            more = body.tell() < size
            if not more:
                body.close()
            return {"type": "http.request", "body": chunk, "more_body": more}

        try:
            await self.app(scope, replay, send)
        finally:
            body.close()

    @staticmethod
    async def refuse(scope, send):
        if is_api_path(scope.get("path", "")):
            body, content_type = error_body(413), b"application/json"
        else:
            body, content_type = b"413 Payload too large", b"text/plain; charset=utf-8"
        headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the rest of the body is not read
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
