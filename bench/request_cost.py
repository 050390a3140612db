"""Server CPU per request, in-process through the ASGI application (no network, no client):
robust to a loaded machine, where wall-clock medians are noise.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/request_cost.py --shots 500 --assets 200 -n 200
    ... --profile /data/user/context        # cProfile of that route, top functions by own time
    ... --shots 1000 --assets 250 --floor -n 7   # the two heaviest boards beside their one-SQL floor

For each route: the process CPU time (`time.process_time`, every thread of the process: the
thread hop of a synchronous view included) per request, the SQL queries per request and the
response size. The production is bench/generate.py's breakdown production; routes are called
as an admin, an artist (the to-do) and a supervisor, each with a real access token.
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.backends.utils import CursorWrapper  # noqa: E402

from bench.generate import add_activity, analyze, generate_breakdown  # noqa: E402
from people.auth.authentication import KitsuAccessToken  # noqa: E402
from people.models import Person  # noqa: E402


def asgi_app(handler):
    """The served application (kitsu_server.asgi), or with --handler kitsu the same with
    kitsu_server.api.serving's handler in place of Django's."""
    if handler == "django":
        from kitsu_server.asgi import application

        return application
    from kitsu_server.api.http import RequestBodies
    from kitsu_server.api.serving import KitsuASGIHandler

    return RequestBodies(KitsuASGIHandler())


class AsgiCaller:
    """Calls the ASGI application as a server would, with one person's token."""

    def __init__(self, person, handler="django"):
        self.app = asgi_app(handler)
        self.token = str(KitsuAccessToken.for_person(person))
        self.loop = asyncio.new_event_loop()

    def __call__(self, path):
        return self.loop.run_until_complete(self.request(path))

    async def request(self, path):
        route, _, query = ("/api" + path).partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": route,
            "raw_path": route.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"authorization", f"Bearer {self.token}".encode()),
                (b"accept", b"application/json"),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = {"status": None, "size": 0}

        body_sent = asyncio.Event()

        async def receive():
            if body_sent.is_set():
                await asyncio.Event().wait()  # the client stays connected
            body_sent.set()
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif message["type"] == "http.response.body":
                sent["size"] += len(message.get("body", b""))

        await self.app(scope, receive, send)
        return sent


class QueryCounter:
    """Counts the SQL statements of every thread (a synchronous view runs in a worker thread),
    and the time spent waiting for the database (each statement's wall time less this process's
    CPU time meanwhile, so that CPU and wait add up without counting twice)."""

    count = 0
    wait = 0.0

    def __init__(self):
        original = CursorWrapper._execute_with_wrappers
        counter = self

        def counted(self, *args, **kwargs):
            counter.count += 1
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(self, *args, **kwargs)
            finally:
                counter.wait += (time.perf_counter() - wall) - (time.process_time() - cpu)

        CursorWrapper._execute_with_wrappers = counted


QUERIES = None


class WsgiCaller:
    """The same request through Django's WSGI handler: what the request costs without the ASGI
    thread hop (the difference is the price of serving synchronous views under ASGI)."""

    def __init__(self, person):
        from django.core.handlers.wsgi import WSGIHandler

        self.app = WSGIHandler()
        self.token = str(KitsuAccessToken.for_person(person))

    def __call__(self, path):
        import io

        route, _, query = ("/api" + path).partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {self.token}",
            "HTTP_ACCEPT": "application/json",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        sent = {}

        def start_response(status, headers):
            sent["status"] = int(status.split()[0])

        response = self.app(environ, start_response)
        sent["size"] = sum(len(chunk) for chunk in response)
        response.close()
        return sent


def rss_kib(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def peak_memory(call, path):
    """(MB the process's peak RSS grows by while serving `path` once, response MB): after a
    warm-up on a small route, the kernel's peak is reset (/proc/self/clear_refs) and read back."""
    call("/auth/authenticated")
    separator = "&" if "?" in path else "?"
    call(f"{path}{separator}id=00000000-0000-4000-8000-000000000000")  # the same code, no rows
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current RSS
    before = rss_kib("VmRSS")
    answer = call(path)
    return (rss_kib("VmHWM") - before) / 1024, answer["size"] / 1e6


def cost(call, path, count):
    global QUERIES
    QUERIES = QUERIES or QueryCounter()
    first = call(path)  # warm-up (and caches)
    before = QUERIES.count
    call(path)
    queries = QUERIES.count - before
    start = time.process_time()
    for _ in range(count):
        call(path)
    cpu = (time.process_time() - start) / count * 1000
    return cpu, queries, first["size"]


def floor_cost(call, project_id, count):
    """Per board: (our CPU + database wait ms, the one-SQL json_agg floor's ms, measured alike):
    the floor's JSON is built by PostgreSQL in one statement (side_by_side.floor_queries)."""
    from django.db import connection

    from bench.side_by_side import floor_queries

    global QUERIES
    QUERIES = QUERIES or QueryCounter()
    result = []
    for label, sql, _ in floor_queries(project_id):
        path = f"/data/{label}{project_id}"
        ours, floor = [], []
        call(path)
        for _ in range(count):
            wait, cpu = QUERIES.wait, time.process_time()
            call(path)
            ours.append((time.process_time() - cpu + QUERIES.wait - wait) * 1000)
            wait, cpu = QUERIES.wait, time.process_time()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT ({sql})::text", [project_id])
                cursor.fetchone()
            floor.append((time.process_time() - cpu + QUERIES.wait - wait) * 1000)
        result.append((label, statistics.median(ours), statistics.median(floor)))
    return result


def routes(project, shot, episode, task, day):
    return {
        "admin": [
            "/auth/authenticated",
            f"/data/tasks/{task}",
            f"/data/tasks/{task}/full",
            "/data/user/context",
            f"/data/projects/{project}/news",
            f"/data/projects/{project}/episodes",
            f"/data/shots/{shot}",
            "/data/persons/time-spents/day-table/2026/12",
        ],
        "artist": ["/data/user/tasks", f"/data/user/time-spents/{day}"],
        "list": [f"/data/tasks?project_id={project}"],
        "board": [
            f"/data/shots/with-tasks?project_id={project}",
            f"/data/assets/with-tasks?project_id={project}",
            f"/data/shots/with-tasks?project_id={project}&episode_id={episode}",
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shots", type=int, default=500)
    parser.add_argument("--assets", type=int, default=200)
    parser.add_argument("--comments", type=int, default=3000, help="comments (with their news)")
    parser.add_argument("--time-spents", type=int, default=3000)
    parser.add_argument("-n", type=int, default=100, help="requests per route")
    parser.add_argument("--profile", default=None, help="a route to profile (as the admin)")
    parser.add_argument("--memory", default=None, help="a route whose peak memory to measure (as the admin)")
    parser.add_argument("--project", default=None, help="the project of {project} in --memory's route")
    parser.add_argument("--chunk-size", type=int, default=None, help="rows per streamed chunk")
    parser.add_argument("--handler", choices=("django", "kitsu"), default="django")
    parser.add_argument("--wsgi", action="store_true", help="through the WSGI handler (no ASGI hop)")
    parser.add_argument(
        "--floor", action="store_true", help="the two heaviest boards beside their one-SQL floor (PostgreSQL)"
    )
    parser.add_argument("--only", default=None, help="only the routes containing this text")
    parser.add_argument("--name", default=None, help="the production (default: Breakdown SHOTSxASSETS)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    project = generate_breakdown(
        args.name or f"Breakdown {args.shots}x{args.assets}", args.shots, args.assets
    )
    add_activity(project, args.comments, args.time_spents)
    analyze()
    from assets.models import Entity
    from tasks.models import Task

    admin = Person.objects.filter(role="admin", is_bot=False, active=True).first()
    if admin is None:
        admin = Person.objects.create_user("bench-admin@example.com", "bench-password", role="admin")
    task = Task.objects.filter(project=project, assignees__isnull=False).order_by("id").first()
    artist = task.assignees.first()
    shot = Entity.objects.filter(project=project, entity_type__name="Shot").order_by("name").first()
    episode = Entity.objects.filter(project=project, entity_type__name="Episode").order_by("name").first()
    table = routes(project.id, shot.id, episode.id, task.id, "2026-12-01")

    def caller(person):
        return WsgiCaller(person) if args.wsgi else AsgiCaller(person, args.handler)

    callers = {
        "admin": caller(admin),
        "artist": caller(artist),
        "board": caller(admin),
        "list": caller(admin),
    }
    if args.chunk_size:
        from kitsu_server.core.data.viewsets import DataViewSet

        DataViewSet.chunk_size = args.chunk_size
        from kitsu_server.api import responses

        responses.BOARD_BATCH = args.chunk_size
    if args.memory:
        if args.project:
            project = type(project).objects.get(name=args.project)
        grown, size = peak_memory(callers["admin"], args.memory.replace("{project}", str(project.id)))
        print(f"{args.memory}: {size:.1f} MB of JSON, peak RSS +{grown:.1f} MB")
        return
    if args.profile:
        call = callers["admin"]
        call(args.profile)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.n):
            call(args.profile)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(35)
        stats.sort_stats("cumulative").print_stats(60)
        return
    if args.floor:
        print(f"{'board (CPU + database wait, medians)':40} {'ours ms':>9} {'floor ms':>9} {'ratio':>6}")
        for label, ours, floor in floor_cost(callers["board"], project.id, args.n):
            print(f"{label:40} {ours:9.1f} {floor:9.1f} {ours / floor:6.2f}")
        return
    print(f"{'route':78} {'cpu ms':>8} {'queries':>8} {'bytes':>9}")
    for who, paths in table.items():
        for path in paths:
            if args.only and args.only not in path:
                continue
            cpu, queries, size = cost(
                callers[who], path, args.n if who not in ("board", "list") else max(3, args.n // 20)
            )
            label = path.replace(str(project.id), "{project}")
            print(f"{label[:78]:78} {cpu:8.2f} {queries:8d} {size:9d}")


if __name__ == "__main__":
    main()
