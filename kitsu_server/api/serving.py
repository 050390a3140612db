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

import gc
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

# Young objects a collection waits for (Python's default is 700): a board of 10,000 tasks makes
# ~25,000 dicts and lists that all live until it is sent, and each collection of them also
# walked whatever they had pushed into the older generations.
YOUNG_COLLECTION_THRESHOLD = 10_000


def settle_garbage_collector():
    """Tune the cyclic garbage collector of a serving process, once its code is loaded.

    The modules, classes, routes and settings loaded at start (~250,000 tracked objects) live as
    long as the process: frozen (`gc.freeze`), no collection walks them again. Collections of
    young objects wait for YOUNG_COLLECTION_THRESHOLD allocations instead of 700. Measured with
    bench/request_cost.py (process CPU, PostgreSQL): the assets board of 4,000 tasks 51 -> 31 ms,
    of which ~20 ms were collections. Reference cycles are still collected, a little later."""
    import_module(settings.ROOT_URLCONF)  # every view module loaded before the freeze
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


class RequestThread(ThreadPoolExecutor):
    """A request's thread, counting the work it has not finished: a request that ends while its
    thread still runs (the client went away, Django cancelled the answer but a view or a streamed
    body goes on in the thread) leaves it busy, and a busy thread is never handed to the next
    request, which would wait behind it."""

    def __init__(self):
        super().__init__(max_workers=1, thread_name_prefix="request")
        self.unfinished = 0
        self.counting = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        with self.counting:
            self.unfinished += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self.finished)
        return future

    def finished(self, _future):
        with self.counting:
            self.unfinished -= 1

    @property
    def idle(self):
        return self.unfinished == 0


class KitsuASGIHandler(ASGIHandler):
    """Django's ASGI handler with a synchronous middleware stack run in a reused thread."""

    # Threads kept idle for the next requests beyond this many are let go (a burst of concurrent
    # requests may have started more).
    max_idle_threads = 32
    # An answer goes to the server in pieces of this size (Django's: 64 KiB), each a `send` and
    # often a wait for the socket to drain: a 2.2 MB board in 3 pieces instead of 34 costs the
    # process ~10% less CPU (bench/side_by_side.py's assets board, 4,000 tasks, 51 -> 44 ms).
    chunk_size = 2**20

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
            if executor.idle and len(self.idle_executors) < self.max_idle_threads:
                self.idle_executors.append(executor)
            else:  # let go: a busy thread ends once its work is done
                executor.shutdown(wait=False)

    @staticmethod
    def new_executor():
        return RequestThread()

    async def get_response_async(self, request):
        # The whole stack (middleware, view, exception handling) in one synchronous call.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
