"""Time `manage.py doctor` on a big production.

    DATABASE_URL=postgres://... python bench/doctor.py --shots 10000 --assets 2500 \
        --comments 60000 --previews 20000

Builds (or reuses, by name) the breakdown production of bench/generate.py (100,000 tasks with
these numbers), its comments (bulk-inserted: the tasks' last comment dates and retake counts are
left behind, as the casting stats are), and `--previews` ready picture previews whose files are
written to a scratch storage folder (every tenth without its original). Then prints each check's
time and count, the time of `--fix` and of the run after it. Everything runs in-process; the
database keeps the production (its fixes included) for the next run.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")
MEDIA_FOLDER = Path(tempfile.gettempdir(), "kitsu-bench-doctor-media")
os.environ["PREVIEW_FOLDER"] = str(MEDIA_FOLDER)  # the previews' files, written by this script

import django  # noqa: E402

django.setup()

from files.models import PreviewFile  # noqa: E402
from kitsu_server.core.doctor import fix_checks, load_checks, run_checks  # noqa: E402
from productions.models import Project  # noqa: E402
from tasks.models import Task  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402


def add_previews(project, count, folder):
    """`count` ready png previews on the production's tasks, their original and thumbnail files in
    `folder` (every tenth lacks its original)."""
    existing = PreviewFile.objects.filter(task__project=project).count()
    if existing < count:
        tasks = list(Task.objects.filter(project=project).order_by("pk").values_list("pk", flat=True)[:count])
        PreviewFile.objects.bulk_create(
            [
                PreviewFile(task_id=task_id, revision=1, extension="png", status="ready", name="bench")
                for task_id in tasks[existing:]
            ],
            batch_size=2000,
        )
    ids = PreviewFile.objects.filter(task__project=project).values_list("pk", flat=True)
    for index, pk in enumerate(ids.iterator(chunk_size=5000)):
        text = str(pk)
        for prefix in ("original", "thumbnails"):
            if prefix == "original" and index % 10 == 0:
                continue
            path = Path(folder, "pictures", prefix, text[:3], text[3:6], text)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x")


def timed_run(label, project=None):
    started = time.monotonic()
    findings = run_checks(project=project)
    total = time.monotonic() - started
    print(f"\n{label}: {total:.2f} s")
    for finding in findings:
        print(f"  {finding.name:26} {finding.seconds:7.3f} s  {finding.count:>7}")
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shots", type=int, default=10_000)
    parser.add_argument("--assets", type=int, default=2_500)
    parser.add_argument("--comments", type=int, default=60_000)
    parser.add_argument("--previews", type=int, default=20_000)
    parser.add_argument("--name", default=None)
    args = parser.parse_args()
    name = args.name or f"Breakdown {args.shots}x{args.assets}"
    generate.generate_breakdown(name, args.shots, args.assets)
    project = Project.objects.get(name=name)
    generate.add_activity(project, args.comments, 0)
    add_previews(project, args.previews, MEDIA_FOLDER)
    generate.analyze()
    print(
        f"{name}: {Task.objects.filter(project=project).count()} tasks, {args.comments} comments, "
        f"{PreviewFile.objects.filter(task__project=project).count()} previews ({connection_vendor()})"
    )
    load_checks()
    findings = timed_run("doctor")
    started = time.monotonic()
    repairs = fix_checks(findings=findings)
    print(f"\ndoctor --fix: {time.monotonic() - started:.2f} s")
    for repair in repairs:
        print(f"  {repair.name:26} {repair.done}")
    timed_run("doctor after the fix")
    timed_run(f"doctor --project {name!r}", project)


def connection_vendor():
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
