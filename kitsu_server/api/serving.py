"""Serving a synchronous Django application under ASGI at the cost of one thread hop a request.

Django's own ASGI handler runs the middleware stack in async mode: every synchronous middleware
hook (`process_request`, `process_response`, `process_view` of Django's and our middleware) and
the view each cross from the event loop to a worker thread and back, about 25 crossings for an
API request, and each request gets a new worker thread, created and joined. Measured in-process
(bench/request_cost.py, CPU time of the process) that is 2.5 ms of a 5.2 ms
`/auth/authenticated`.

`KitsuASGIHandler` keeps Django's handler (request parsing, disconnect handling, streamed
answers, the request signals) but runs the middleware stack and the view as one synchronous call
in the request's thread, as a WSGI server would, and takes that thread from a set of idle ones
(each a one-thread executor, so that a request's synchronous steps still share one thread and its
database connection). Every thread-sensitive step of a request (the request-started signal, the
stack and view, a streamed body's batches, closing the response) runs in that thread.

Wiring (kitsu_server/asgi.py): `django_asgi_app = KitsuASGIHandler()` after `django.setup()`,
in place of `get_asgi_application()`.
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler


class KitsuASGIHandler(ASGIHandler):
    """Django's ASGI handler with a synchronous middleware stack run in a reused thread."""

    # Threads kept idle for the next requests beyond this many are let go (a burst of concurrent
    # requests may have started more).
    max_idle_threads = 32

    def __init__(self):
        super(ASGIHandler, self).__init__()
        self.load_middleware(is_async=False)
        self.idle_executors = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self.idle_executors.pop() if self.idle_executors else self.new_executor()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            if len(self.idle_executors) < self.max_idle_threads:
                self.idle_executors.append(executor)
            else:
                executor.shutdown(wait=False)

    @staticmethod
    def new_executor():
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    async def get_response_async(self, request):
        # The whole stack (middleware, view, exception handling) in one synchronous call.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
