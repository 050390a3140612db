"""Time the heavy generic lists on a generated production; prints medians.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/crud_lists.py --tasks 10000 --runs 7

Runs in-process through Django's test client (no network), as an admin
with a real JWT. To compare with the reference server, run the same routes
against it with --url (e.g. --url http://127.0.0.1:5000 for the reference,
--url http://127.0.0.1:8000/api for ours served by `make serve`) on the
same data; compare medians as a ratio, the machines are noisy.
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
from django.test import Client  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402

from bench.generate import generate  # noqa: E402
from people.models import Person  # noqa: E402

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
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--url", default=None, help="time a running server instead (with --email/--password)")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")
    args = parser.parse_args()

    if args.url:
        import json
        import urllib.request

        login = urllib.request.Request(
            args.url.rstrip("/") + "/auth/login",
            data=json.dumps({"email": args.email, "password": args.password}).encode(),
            headers={"Content-Type": "application/json"},
        )
        token = json.loads(urllib.request.urlopen(login).read())["access_token"]

        def fetch(route):
            request = urllib.request.Request(
                args.url.rstrip("/") + route, headers={"Authorization": f"Bearer {token}"}
            )
            return len(urllib.request.urlopen(request).read())
    else:
        call_command("migrate", verbosity=0)
        generate(f"Bench {args.tasks}", args.tasks)
        admin = Person.objects.filter(role="admin", is_bot=False).first() or Person.objects.create_user(
            "bench-admin@example.com", "bench-password", role="admin"
        )
        client = Client(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(admin).access_token}")

        def fetch(route):
            response = client.get("/api" + route)
            assert response.status_code == 200, (route, response.status_code, response.content[:200])
            return len(response.content)

    print(f"{'route':50} {'median ms':>10} {'bytes':>12}")
    for route in ROUTES:
        size = fetch(route)  # warm-up
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            fetch(route)
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{route:50} {statistics.median(timings):10.1f} {size:12d}")


if __name__ == "__main__":
    main()
