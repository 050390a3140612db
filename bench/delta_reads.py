"""Time delta reads (`?updated_since=`) against full reads on a big production; prints medians,
the ratio and the queries of one delta.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/delta_reads.py --shots 10000 --assets 2500 --runs 7

The production (bench/generate.py `generate_breakdown`): shots and assets with 8 task types each
(10,000 shots and 2,500 assets: 100,000 tasks). A cursor is taken, 3 tasks change (and one asset
description), then each route is read in full and as a delta from the cursor, in-process.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from assets.models import Entity  # noqa: E402
from bench.generate import analyze, generate_breakdown  # noqa: E402
from bench.harness import local_fetcher  # noqa: E402
from kitsu_server.core.delta import format_cursor  # noqa: E402
from tasks.models import Task  # noqa: E402


def streaming_fetcher():
    """`local_fetcher`'s client, reading streamed answers (long boards and lists) to their end."""
    from django.test import Client
    from rest_framework_simplejwt.tokens import RefreshToken

    from people.models import Person

    person = Person.objects.filter(role="admin", is_bot=False, active=True).first()
    if person is None:
        local_fetcher()  # makes the bench admin
        person = Person.objects.filter(role="admin", is_bot=False, active=True).first()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(person).access_token}")

    def fetch(route):
        response = client.get("/api" + route)
        assert response.status_code == 200, (route, response.status_code)
        return b"".join(response.streaming_content) if response.streaming else response.content

    return fetch


def count_queries(fetch, route):
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        fetch(route)
    return len(queries)


def median_ms(fetch, route, runs):
    fetch(route)  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fetch(route)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--assets", type=int, default=250)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    name = f"Breakdown {args.shots}x{args.assets}"
    call_command("migrate", verbosity=0)
    project = generate_breakdown(name, args.shots, args.assets)
    analyze()
    fetch = streaming_fetcher()
    cursor = format_cursor(timezone.now())
    time.sleep(0.01)
    for task in Task.objects.filter(project=project).order_by("?")[:3]:
        task.priority = (task.priority or 0) + 1
        task.save()
    asset = Entity.objects.filter(project=project, entity_type__name="Character").first()
    asset.save()
    nb_tasks = Task.objects.filter(project=project).count()
    print(f"{name}: {nb_tasks} tasks; 3 tasks and 1 asset changed since the cursor ({connection.vendor})")
    routes = [
        ("shots/with-tasks", f"/data/shots/with-tasks?project_id={project.pk}"),
        ("assets/with-tasks", f"/data/assets/with-tasks?project_id={project.pk}"),
        ("/data/tasks?project_id=", f"/data/tasks?project_id={project.pk}"),
        ("projects/{id}/tasks", f"/data/projects/{project.pk}/tasks"),
        ("projects/{id}/shots", f"/data/projects/{project.pk}/shots"),
        ("projects/{id}/assets", f"/data/projects/{project.pk}/assets"),
    ]
    columns = ("full ms", "delta ms", "ratio", "full bytes", "delta bytes", "queries")
    widths = (9, 9, 7, 11, 11, 7)
    print(
        f"{'route':28} "
        + " ".join(f"{column:>{width}}" for column, width in zip(columns, widths, strict=True))
    )
    for label, route in routes:
        delta_route = f"{route}&updated_since={cursor}" if "?" in route else f"{route}?updated_since={cursor}"
        full = median_ms(fetch, route, args.runs)
        delta = median_ms(fetch, delta_route, args.runs)
        queries = count_queries(fetch, delta_route)
        delta_bytes = len(fetch(delta_route))
        full_bytes = len(fetch(route))
        print(
            f"{label:28} {full:9.1f} {delta:9.1f} {full / delta:6.0f}x {full_bytes:11d} {delta_bytes:11d}"
            f" {queries:7d}"
        )


if __name__ == "__main__":
    main()
