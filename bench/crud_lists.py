"""Time the heavy generic lists on a generated production; prints medians.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/crud_lists.py --tasks 10000 --runs 7

In-process by default; with --url against a running server (e.g. --url http://127.0.0.1:5000
for the reference, --url http://127.0.0.1:8000/api for ours behind `make serve`) on the same
data. Compare medians as a ratio.
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

from bench.generate import analyze, generate  # noqa: E402
from bench.harness import add_server_arguments, fetcher, time_routes  # noqa: E402

ROUTES = [
    "/data/tasks?relations=true",
    "/data/tasks",
    "/data/tasks?page=1&limit=100&relations=true",
    "/data/entities",
    "/data/persons",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    add_server_arguments(parser)
    args = parser.parse_args()
    if not args.url:
        call_command("migrate", verbosity=0)
        generate(f"Bench {args.tasks}", args.tasks)
        analyze()
    time_routes(fetcher(args), [(route, route) for route in ROUTES], args.runs)


if __name__ == "__main__":
    main()
