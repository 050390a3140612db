"""What the benchmark scripts share: a `fetch(route)` in-process or against a running server,
and medians printed per route.

In-process, routes go through Django's test client (no network) as an admin with a real JWT.
With --url they go to a running server (ours behind `make serve`, or the reference), so both
can be timed on the same data and compared as a ratio: the machines are noisy.
"""

import json
import statistics
import time
import urllib.parse
import urllib.request


def add_server_arguments(parser):
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--url", default=None, help="time a running server instead (with --email/--password)")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")


def remote_fetcher(url, email, password):
    base = url.rstrip("/")
    login = urllib.request.Request(
        base + "/auth/login",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    token = json.loads(urllib.request.urlopen(login).read())["access_token"]

    def fetch(route):
        request = urllib.request.Request(base + route, headers={"Authorization": f"Bearer {token}"})
        return urllib.request.urlopen(request).read()

    return fetch


def local_fetcher(person=None):
    """Routes called as `person` (an admin when None) through Django's test client."""
    from django.test import Client
    from rest_framework_simplejwt.tokens import RefreshToken

    from people.models import Person

    if person is None:
        person = Person.objects.filter(role="admin", is_bot=False, active=True).first()
    if person is None:
        person = Person.objects.create_user("bench-admin@example.com", "bench-password", role="admin")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(person).access_token}")

    def fetch(route):
        response = client.get("/api" + route)
        assert response.status_code == 200, (route, response.status_code, response.content[:200])
        return response.content

    return fetch


def fetcher(args):
    if args.url:
        return remote_fetcher(args.url, args.email, args.password)
    return local_fetcher()


def project_id_by_name(fetch, name):
    rows = json.loads(fetch("/data/projects?name=" + urllib.parse.quote(name)))
    if not rows:
        raise SystemExit(f"No project named {name!r} on this server: generate it first.")
    return rows[0]["id"]


def time_routes(fetch, routes, runs):
    print(f"{'route':70} {'median ms':>10} {'bytes':>12}")
    for label, route in routes:
        size = len(fetch(route))  # warm-up
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            fetch(route)
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{label:70} {statistics.median(timings):10.1f} {size:12d}")
