"""Time what an artist loads first (context, to-do, done tasks, time) on a big production.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/user_lists.py --tasks 100000 --runs 5

The production of bench/generate.py `generate` (100,000 tasks, 40 artists: each has 2,500
tasks, far more than a real to-do list). In-process, the routes are called as the artist with
the most tasks and as a supervisor of the project (tasks to check); with --url, as the person
of --email/--password on a running server holding the same production.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench.generate import analyze, generate  # noqa: E402
from bench.harness import add_server_arguments, local_fetcher, remote_fetcher, time_routes  # noqa: E402
from people.models import Person  # noqa: E402
from productions.models import ProjectPersonLink  # noqa: E402

ARTIST_ROUTES = [
    "/data/user/context",
    "/data/user/projects/open",
    "/data/user/tasks",
    "/data/user/done-tasks",
    "/data/user/time-spents",
    "/data/user/notifications",
]
SUPERVISOR_ROUTES = ["/data/user/tasks-to-check"]


def busiest_artist(project):
    return (
        Person.objects.filter(assigned_tasks__project=project)
        .annotate(nb_tasks=Count("assigned_tasks"))
        .order_by("-nb_tasks")
        .first()
    )


def supervisor_of(project):
    supervisor = Person.objects.filter(email="bench-supervisor@example.com").first()
    if supervisor is None:
        supervisor = Person.objects.create_user(
            "bench-supervisor@example.com", "bench-password", role="supervisor"
        )
    ProjectPersonLink.objects.get_or_create(project=project, person=supervisor)
    return supervisor


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    add_server_arguments(parser)
    args = parser.parse_args()
    if args.url:
        fetch = remote_fetcher(args.url, args.email, args.password)
        time_routes(fetch, [(route, route) for route in ARTIST_ROUTES + SUPERVISOR_ROUTES], args.runs)
        return
    call_command("migrate", verbosity=0)
    project = generate(f"Bench {args.tasks}", args.tasks)
    analyze()
    artist = busiest_artist(project)
    print(f"as {artist.email} ({artist.assigned_tasks.count()} tasks)")
    time_routes(local_fetcher(artist), [(route, route) for route in ARTIST_ROUTES], args.runs)
    print("as a supervisor of the project")
    time_routes(local_fetcher(supervisor_of(project)), [(r, r) for r in SUPERVISOR_ROUTES], args.runs)


if __name__ == "__main__":
    main()
