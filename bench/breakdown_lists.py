"""Time the boards and casting reads of a big TV show; prints medians.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/breakdown_lists.py --shots 5000 --assets 2000 --runs 5

The production (bench/generate.py `generate_breakdown`): 5,000 shots and 2,000 assets with 8
task types each, every shot casting 5 assets. In-process by default; with --url against a
running server holding the same production (copied into the reference's database, say), the
project, a sequence, an episode and an asset type found by name there.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench.generate import analyze, generate_breakdown  # noqa: E402
from bench.harness import add_server_arguments, fetcher, project_id_by_name, time_routes  # noqa: E402


def first(fetch, route, **match):
    rows = json.loads(fetch(route))
    return next(row["id"] for row in rows if all(row.get(k) == v for k, v in match.items()))


def routes_of(fetch, name):
    project = project_id_by_name(fetch, name)
    episode = first(fetch, f"/data/projects/{project}/episodes", name="E01")
    sequence = first(fetch, f"/data/projects/{project}/sequences", name="SQ000")
    asset_type = first(fetch, f"/data/projects/{project}/asset-types", name="Character")
    return [
        ("shots/with-tasks (project)", f"/data/shots/with-tasks?project_id={project}"),
        ("assets/with-tasks (project)", f"/data/assets/with-tasks?project_id={project}"),
        ("sequences/with-tasks (project)", f"/data/sequences/with-tasks?project_id={project}"),
        ("shots/with-tasks (episode)", f"/data/shots/with-tasks?project_id={project}&episode_id={episode}"),
        ("project shots", f"/data/projects/{project}/shots"),
        ("project assets", f"/data/projects/{project}/assets"),
        ("casting of all sequences", f"/data/projects/{project}/sequences/all/casting"),
        ("casting of a sequence", f"/data/projects/{project}/sequences/{sequence}/casting"),
        ("casting of an asset type", f"/data/projects/{project}/asset-types/{asset_type}/casting"),
        ("casting of the episodes", f"/data/projects/{project}/episodes/casting"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shots", type=int, default=5000)
    parser.add_argument("--assets", type=int, default=2000)
    add_server_arguments(parser)
    args = parser.parse_args()
    name = f"Breakdown {args.shots}x{args.assets}"
    if not args.url:
        call_command("migrate", verbosity=0)
        generate_breakdown(name, args.shots, args.assets)
        analyze()
    fetch = fetcher(args)
    time_routes(fetch, routes_of(fetch, name), args.runs)


if __name__ == "__main__":
    main()
