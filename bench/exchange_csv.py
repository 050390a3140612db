"""Time a big CSV import and a big CSV export over HTTP, with the server's peak memory.

    # ours (uvicorn on 8130) and the reference (:5000), same machine:
    .venv/bin/python bench/exchange_csv.py --url http://127.0.0.1:8130/api --pid UVICORN_PID --shots 10000
    .venv/bin/python bench/exchange_csv.py --url http://127.0.0.1:5000 --pid $(cat /run/zou.pid) --shots 10000

1. import: a new TV show production (named with the time) gets a CSV of --shots shots (10
   episodes, 20 sequences each, a Layout status column) through /import/csv/projects/{id}/shots;
2. export: /export/csv/tasks.csv read to its end as it streams (for 100k tasks, first make the
   production: `bench/generate.py --tasks 100000`, and `bench/copy_to_reference.py` for the
   reference).

Time is the wall clock of the request; peak memory is the highest resident set size of --pid
(and of its children: gunicorn and uvicorn workers) sampled every 20 ms during the request,
above what it held before. Not a test: run it by hand, heavy.
"""

import argparse
import threading
import time
from pathlib import Path

import requests


def login(url, email, password):
    session = requests.Session()
    answer = session.post(f"{url}/auth/login", json={"email": email, "password": password})
    answer.raise_for_status()
    session.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return session


def resident_kib(pid):
    """The resident memory of a process and its children, in KiB (Linux /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total


class PeakMemory:
    """The peak resident memory of `pid` while the block runs, above its level at the start."""

    def __init__(self, pid):
        self.pid, self.peak, self.start = pid, 0, 0
        self._stop = threading.Event()

    def __enter__(self):
        if self.pid:
            self.start = self.peak = resident_kib(self.pid)
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, resident_kib(self.pid))

    def __exit__(self, *exc):
        self._stop.set()
        if self.pid:
            self._thread.join()

    def __str__(self):
        return (
            f"+{(self.peak - self.start) / 1024:.0f} MiB (peak {self.peak / 1024:.0f} MiB)"
            if self.pid
            else "n/a"
        )


def shots_csv(count):
    lines = ["Episode;Sequence;Name;Description;Frame In;Frame Out;Layout"]
    for n in range(count):
        episode, sequence = n // (count // 10 or 1), n // (count // 200 or 1)
        lines.append(f"E{episode:02d};SQ{sequence:03d};SH{n:05d};Plan « {n} »;{n * 10};{n * 10 + 9};todo")
    return ("\n".join(lines) + "\n").encode()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--url", required=True, help="the API root: http://127.0.0.1:8130/api, http://127.0.0.1:5000"
    )
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")
    parser.add_argument("--pid", type=int, default=0, help="the server's process id, for its memory")
    parser.add_argument("--shots", type=int, default=10_000)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    session = login(args.url, args.email, args.password)

    if not args.skip_import:
        name = f"Bench CSV {time.strftime('%H%M%S')}"
        project = session.post(f"{args.url}/data/projects", json={"name": name, "production_type": "tvshow"})
        project.raise_for_status()
        project_id = project.json()["id"]
        layout = [row for row in session.get(f"{args.url}/data/task-types").json() if row["name"] == "Layout"]
        if layout:
            session.post(
                f"{args.url}/data/projects/{project_id}/settings/task-types",
                json={"task_type_id": layout[0]["id"]},
            )
        content = shots_csv(args.shots)
        with PeakMemory(args.pid) as memory:
            started = time.perf_counter()
            answer = session.post(
                f"{args.url}/import/csv/projects/{project_id}/shots",
                files={"file": ("shots.csv", content, "text/csv")},
            )
            elapsed = time.perf_counter() - started
        print(f"import {args.shots} shots: {answer.status_code} in {elapsed:.1f} s, memory {memory}")

    with PeakMemory(args.pid) as memory:
        started = time.perf_counter()
        size = lines = 0
        with session.get(f"{args.url}/export/csv/tasks.csv", stream=True) as answer:
            for chunk in answer.iter_content(chunk_size=65536):
                size += len(chunk)
                lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
    print(
        f"export tasks.csv: {answer.status_code}, {lines - 1} tasks, {size / 1e6:.1f} MB"
        f" in {elapsed:.1f} s, memory {memory}"
    )


if __name__ == "__main__":
    main()
