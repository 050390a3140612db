"""Our server and the reference side by side on the same production: one command.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/side_by_side.py                      # the 100k-task production
    ... --shots 200 --assets 50 --task-types 4 --runs 3 --workers 1   # a smoke run

1. Builds the production in our database (bench/generate.py: 10 episodes, `--shots` shots and
   `--assets` assets with `--task-types` task types each, every task assigned, castings, then
   comments with their news and notifications, and time spents), or reuses it by name.
2. Copies it into the reference's database (bench/copy_to_reference.py), unless already there.
3. Serves ours with uvicorn (`--workers` processes, port `--port`, the application `--app`), or
   times a server already running (`--ours URL`); the reference runs at `--reference`.
4. Prints per route: our p50 and the reference's (sequential requests, the two servers
   interleaved), their ratio, requests per second of each at concurrency `--concurrency`, the
   response bytes of each, then the peak RSS of each server's processes over the whole run
   (sampled from /proc), and the one-SQL `json_agg` floor of the two heaviest boards (p50 of
   the query on our database, its JSON read by the client).

Admins on both sides (admin@example.com), and the production's busiest artist for the to-do
(given the same bench password on both sides). The reference's processes are found from its
pid file (`--reference-pid-file`).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench.copy_to_reference import copy  # noqa: E402
from bench.generate import add_activity, analyze, generate_breakdown  # noqa: E402

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "mysecretpassword"
ARTIST_PASSWORD = "bench-artist-password"


# --- the production ----------------------------------------------------------------------------


def build(args):
    from people.models import Person

    call_command("migrate", verbosity=0)
    name = args.name or f"Side by side {args.shots}x{args.assets}x{args.task_types}"
    project = generate_breakdown(name, args.shots, args.assets, nb_task_types=args.task_types)
    add_activity(project, args.comments, args.time_spents)
    analyze()
    admin = Person.objects.filter(email__iexact=ADMIN_EMAIL, is_bot=False).first()
    if admin is None:
        Person.objects.create_user(
            ADMIN_EMAIL, ADMIN_PASSWORD, role="admin", first_name="Super", last_name="Admin"
        )
    elif not admin.check_password(ADMIN_PASSWORD):
        admin.set_password(ADMIN_PASSWORD)
        admin.save()
    artist = (
        Person.objects.filter(assigned_tasks__project=project)
        .annotate(nb_tasks=Count("assigned_tasks"))
        .order_by("-nb_tasks", "pk")
        .first()
    )
    if not artist.password or not artist.check_password(ARTIST_PASSWORD):
        artist.set_password(ARTIST_PASSWORD)
        artist.save()
    return project, artist


def copied_to_reference(project, args):
    import psycopg

    with psycopg.connect(args.reference_db) as target:
        there = target.execute("SELECT 1 FROM project WHERE id = %s", (project.id,)).fetchone()
    if there:
        print(f"{project.name}: already in the reference's database")
        return
    source = settings.DATABASES["default"]
    host, port = source["HOST"] or "127.0.0.1", source["PORT"] or 5432
    source_url = f"postgresql://{source['USER']}@{host}:{port}/{source['NAME']}"
    copy(project.name, source_url, args.reference_db)


# --- servers -----------------------------------------------------------------------------------


class Client:
    """Requests to one server as one person (a token from its login)."""

    def __init__(self, base, email, password):
        self.base = base.rstrip("/")
        body = json.dumps({"email": email, "password": password}).encode()
        login = urllib.request.Request(
            self.base + "/auth/login", data=body, headers={"Content-Type": "application/json"}
        )
        self.token = json.loads(urllib.request.urlopen(login).read())["access_token"]

    def get(self, route):
        request = urllib.request.Request(self.base + route, headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.read()

    def post(self, route, body):
        request = urllib.request.Request(
            self.base + route,
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.read()


def serve_ours(args):
    """uvicorn on our database: (process, base URL of the API)."""
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
    command = [
        str(ROOT / ".venv" / "bin" / "uvicorn"),
        args.app,
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{args.port}/api"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            return process, base
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("our server did not start") from None
            time.sleep(0.5)


def process_tree(pid):
    """`pid` and its descendants."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


class MemorySampler(threading.Thread):
    """The peak RSS of each server's processes (sum, and largest process), sampled every 0.1 s."""

    def __init__(self, roots):
        super().__init__(daemon=True)
        self.roots = roots  # {label: root pid}
        self.peaks = {label: (0.0, 0.0) for label in roots}
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(0.1):
            for label, root in self.roots.items():
                sizes = [rss_mb(pid) for pid in process_tree(root)]
                total, largest = self.peaks[label]
                self.peaks[label] = (max(total, sum(sizes)), max(largest, max(sizes, default=0.0)))


# --- timing ------------------------------------------------------------------------------------


def routes(project, ours, artist_id):
    """(label, path, who): `who` is "admin" or "artist"."""
    project_id = project.id
    rows = json.loads(ours["admin"].get(f"/data/tasks?project_id={project_id}&page=1&limit=1"))["data"]
    task_id = rows[0]["id"]
    today = time.gmtime()
    return [
        ("auth/authenticated", "/auth/authenticated", "admin"),
        ("tasks/{id}", f"/data/tasks/{task_id}", "admin"),
        ("tasks/{id}/full", f"/data/tasks/{task_id}/full", "admin"),
        ("user/context", "/data/user/context", "admin"),
        ("user/tasks (artist's to-do)", "/data/user/tasks", "artist"),
        ("projects/{id}/news", f"/data/projects/{project_id}/news", "admin"),
        (
            "time spents day table",
            f"/data/persons/time-spents/day-table/{today.tm_year}/{today.tm_mon}",
            "admin",
        ),
        ("projects/{id}/episodes", f"/data/projects/{project_id}/episodes", "admin"),
        ("projects/{id}/shots", f"/data/projects/{project_id}/shots", "admin"),
        ("tasks/open-tasks?project_id=", f"/data/tasks/open-tasks?project_id={project_id}", "admin"),
        ("shots/with-tasks?project_id=", f"/data/shots/with-tasks?project_id={project_id}", "admin"),
        ("assets/with-tasks?project_id=", f"/data/assets/with-tasks?project_id={project_id}", "admin"),
        ("tasks?project_id=", f"/data/tasks?project_id={project_id}", "admin"),
    ]


def timed(client, route):
    start = time.perf_counter()
    body = client.get(route)
    return (time.perf_counter() - start) * 1000, len(body)


def warm_up(client, route, workers):
    """A first request, then, when the route is quick, a few at once: every process of a
    server answers it at least once before the timing (its connections, caches, lazy imports)."""
    ms, _ = timed(client, route)
    if ms < 250:
        throughput(client, route, workers, 4 * workers)


def throughput(client, route, concurrency, requests):
    """Requests per second of `requests` requests, `concurrency` at a time."""
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: client.get(route), range(requests)))
    return requests / (time.perf_counter() - start)


def floor_queries(project_id):
    """The two heaviest boards as one SQL statement each, JSON built by PostgreSQL."""
    task = """json_build_object(
        'id', t.id, 'entity_id', t.entity_id, 'task_type_id', t.task_type_id,
        'task_status_id', t.task_status_id, 'priority', t.priority, 'estimation', t.estimation,
        'duration', t.duration, 'retake_count', t.retake_count, 'real_start_date', t.real_start_date,
        'end_date', t.end_date, 'start_date', t.start_date, 'due_date', t.due_date,
        'done_date', t.done_date, 'last_comment_date', t.last_comment_date,
        'last_preview_file_id', t.last_preview_file_id, 'nb_assets_ready', t.nb_assets_ready,
        'difficulty', t.difficulty, 'nb_drawings', t.nb_drawings, 'data', t.data,
        'assignees', (SELECT coalesce(json_agg(l.person_id), '[]')
                      FROM task_person_link l WHERE l.task_id = t.id))"""
    tasks = f"(SELECT coalesce(json_agg({task}), '[]') FROM task t WHERE t.entity_id = e.id)"
    shots = f"""SELECT json_agg(json_build_object(
            'id', e.id, 'name', e.name, 'canceled', e.canceled, 'data', e.data,
            'description', e.description, 'entity_type_id', e.entity_type_id, 'nb_frames', e.nb_frames,
            'parent_id', e.parent_id, 'preview_file_id', e.preview_file_id, 'project_id', e.project_id,
            'project_name', p.name, 'sequence_name', sq.name, 'episode_id', ep.id, 'episode_name', ep.name,
            'source_id', e.source_id, 'nb_entities_out', e.nb_entities_out,
            'is_casting_standby', e.is_casting_standby, 'tasks', {tasks})
            ORDER BY ep.name, sq.name, e.name)
        FROM entity e JOIN project p ON p.id = e.project_id
        JOIN entity_type et ON et.id = e.entity_type_id AND et.name = 'Shot'
        JOIN entity sq ON sq.id = e.parent_id LEFT JOIN entity ep ON ep.id = sq.parent_id
        WHERE e.project_id = %s"""
    assets = f"""SELECT json_agg(json_build_object(
            'id', e.id, 'name', e.name, 'preview_file_id', e.preview_file_id,
            'description', e.description, 'asset_type_name', et.name, 'asset_type_id', et.id,
            'canceled', e.canceled, 'ready_for', e.ready_for, 'is_casting_standby', e.is_casting_standby,
            'is_shared', e.is_shared, 'data', e.data, 'tasks', {tasks})
            ORDER BY et.name, e.name)
        FROM entity e JOIN entity_type et ON et.id = e.entity_type_id
        WHERE e.project_id = %s
          AND et.name NOT IN ('Shot', 'Sequence', 'Episode', 'Scene', 'Edit', 'Concept')"""
    return [
        ("shots/with-tasks?project_id=", shots, project_id),
        ("assets/with-tasks?project_id=", assets, project_id),
    ]


def time_floor(sql, project_id, runs):
    timings, size = [], 0
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            start = time.perf_counter()
            cursor.execute(f"SELECT ({sql})::text", [project_id])
            size = len(cursor.fetchone()[0] or "")
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings[1:]), size


# --- the run -----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shots", type=int, default=8000)
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--task-types", type=int, default=10, help="per kind (asset, shot)")
    parser.add_argument("--comments", type=int, default=6000)
    parser.add_argument("--time-spents", type=int, default=6000)
    parser.add_argument("--name", default=None, help="the production's name (default from its size)")
    parser.add_argument("--runs", type=int, default=7, help="sequential requests per route and server")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--concurrent-requests", type=int, default=32, help="per route and server")
    parser.add_argument("--workers", type=int, default=3, help="our uvicorn processes")
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--app", default="kitsu_server.asgi:application")
    parser.add_argument("--ours", default=None, help="time our server running at this URL (…/api)")
    parser.add_argument("--ours-pid", type=int, default=None, help="with --ours: its main process")
    parser.add_argument("--reference", default="http://127.0.0.1:5000")
    parser.add_argument("--reference-db", default="postgresql://postgres@127.0.0.1:5432/zoudb")
    parser.add_argument("--reference-pid-file", default="/run/zou.pid")
    parser.add_argument("--only", default=None, help="only the routes whose label contains this")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of ours (kitsu_bench...).")

    project, artist = build(args)
    copied_to_reference(project, args)
    server = None
    if args.ours:
        base, ours_pid = args.ours, args.ours_pid
    else:
        server, base = serve_ours(args)
        ours_pid = server.pid
    try:
        run(args, project, artist, base, ours_pid)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)


def run(args, project, artist, base, ours_pid):
    reference_admin = Client(args.reference, ADMIN_EMAIL, ADMIN_PASSWORD)
    reference_admin.post(
        f"/actions/persons/{artist_in_reference(args, artist)}/change-password",
        {"password": ARTIST_PASSWORD, "password_2": ARTIST_PASSWORD},
    )
    ours = {
        "admin": Client(base, ADMIN_EMAIL, ADMIN_PASSWORD),
        "artist": Client(base, artist.email, ARTIST_PASSWORD),
    }
    reference = {"admin": reference_admin, "artist": Client(args.reference, artist.email, ARTIST_PASSWORD)}
    roots = {"reference": int(Path(args.reference_pid_file).read_text().strip())}
    if ours_pid:
        roots["ours"] = ours_pid
    sampler = MemorySampler(roots)
    sampler.start()
    table = [r for r in routes(project, ours, artist.id) if not args.only or args.only in r[0]]
    print(
        f"\n{project.name}: {args.runs} sequential requests per route and server (interleaved), "
        f"{args.concurrent_requests} at concurrency {args.concurrency}\n"
    )
    columns = ("ours p50", "ref p50", "ratio", "ours r/s", "ref r/s", "ours bytes", "ref bytes")
    widths = (9, 9, 6, 9, 8, 11, 11)
    print(
        f"{'route':34} " + " ".join(f"{name:>{width}}" for name, width in zip(columns, widths, strict=True))
    )
    for label, route, who in table:
        warm_up(ours[who], route, args.workers)
        warm_up(reference[who], route, args.workers)
        ours_ms, reference_ms = [], []
        for _ in range(args.runs):
            ms, ours_size = timed(ours[who], route)
            ours_ms.append(ms)
            ms, reference_size = timed(reference[who], route)
            reference_ms.append(ms)
        ours_p50, reference_p50 = statistics.median(ours_ms), statistics.median(reference_ms)
        ours_rps = throughput(ours[who], route, args.concurrency, args.concurrent_requests)
        reference_rps = throughput(reference[who], route, args.concurrency, args.concurrent_requests)
        print(
            f"{label:34} {ours_p50:9.1f} {reference_p50:9.1f} {ours_p50 / reference_p50:6.2f} "
            f"{ours_rps:9.1f} {reference_rps:8.1f} {ours_size:11d} {reference_size:11d}",
            flush=True,
        )
    sampler.stopped.set()
    sampler.join()
    print("\npeak RSS over the run (all processes / largest process):")
    for label, (total, largest) in sampler.peaks.items():
        print(f"  {label:10} {total:8.0f} MB / {largest:6.0f} MB")
    print("\none-SQL json_agg floor (our database, p50):")
    for label, sql, project_id in floor_queries(project.id):
        if args.only and args.only not in label:
            continue
        ms, size = time_floor(sql, project_id, args.runs)
        print(f"  {label:34} {ms:9.1f} ms {size:11d} bytes")


def artist_in_reference(args, artist):
    """The artist's id in the reference (persons are matched by email)."""
    import psycopg

    with psycopg.connect(args.reference_db) as target:
        return target.execute(
            "SELECT id FROM person WHERE lower(email) = lower(%s) ORDER BY created_at LIMIT 1",
            (artist.email,),
        ).fetchone()[0]


if __name__ == "__main__":
    main()
