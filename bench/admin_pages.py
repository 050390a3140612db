"""Time the back-office's changelists, change pages and production landing page on a big
production; prints medians and flags the pages over the 500 ms budget.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kitsu_bench \
        .venv/bin/python bench/admin_pages.py --shots 5000 --assets 2000 --runs 5

5,000 shots and 2,000 assets make the 56,000-task production of `breakdown_lists.py`;
--shots 10000 --assets 2500 makes 100,000 tasks. A comment is added on every tenth task
(once), so that the comment list has rows. In-process, through Django's test client logged in
as an admin (the pages render their templates: what a browser waits for, less the network).
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
from django.urls import reverse  # noqa: E402

from assets.models import Entity  # noqa: E402
from bench.generate import analyze, generate_breakdown  # noqa: E402
from people.models import Person  # noqa: E402
from tasks.models import Comment, Task, TaskPersonLink  # noqa: E402

BUDGET_MS = 500


def add_comments(project, every=10):
    """A comment on every `every`-th task of the project (once)."""
    tasks = Task.objects.filter(project=project)
    if Comment.objects.filter(object_id__in=tasks.values("pk")[:1]).exists():
        return
    author = Person.objects.filter(projects=project).first()
    rows = tasks.order_by("pk").values_list("pk", "task_status_id")
    Comment.objects.bulk_create(
        [
            Comment(object_id=pk, object_type="Task", task_status_id=status, person=author, text="Bench note")
            for index, (pk, status) in enumerate(rows.iterator())
            if index % every == 0
        ],
        batch_size=5000,
    )


def pages(project):
    """(label, url) of every page timed."""
    task = Task.objects.filter(project=project).order_by("pk").first()
    shot = Entity.objects.filter(project=project, entity_type__name="Shot").order_by("pk").first()
    episode = Entity.objects.filter(project=project, entity_type__name="Episode").order_by("name").first()
    assignee = (
        TaskPersonLink.objects.filter(task__project=project).values_list("person_id", flat=True).first()
    )
    person = Person.objects.get(pk=assignee)
    comment = Comment.objects.filter(object_id=task.pk).first() or Comment.objects.first()
    tasks = reverse("admin:tasks_task_changelist")
    in_project = f"?project__id__exact={project.pk}"
    return [
        ("tasks: changelist", tasks),
        ("tasks: project", tasks + in_project),
        ("tasks: project + assignee", f"{tasks}{in_project}&assignee={assignee}"),
        ("tasks: project + episode + late", f"{tasks}{in_project}&episode={episode.pk}&late=yes"),
        ("tasks: search a shot name", f"{tasks}?q={shot.name}"),
        ("tasks: search an assignee", f"{tasks}?q={person.first_name}"),
        ("tasks: sorted by due date", f"{tasks}{in_project}&o=5"),
        ("task: change page", reverse("admin:tasks_task_change", args=[task.pk])),
        ("shots: changelist", reverse("admin:shots_shot_changelist")),
        ("shots: search", reverse("admin:shots_shot_changelist") + f"?q={shot.name}"),
        ("shot: change page (with its tasks)", reverse("admin:shots_shot_change", args=[shot.pk])),
        ("assets: changelist", reverse("admin:assets_asset_changelist")),
        ("entities: changelist", reverse("admin:assets_entity_changelist")),
        ("comments: changelist", reverse("admin:tasks_comment_changelist")),
        ("comments: by author", reverse("admin:tasks_comment_changelist") + f"?author={comment.person_id}"),
        ("comment: change page", reverse("admin:tasks_comment_change", args=[comment.pk])),
        ("persons: changelist", reverse("admin:people_person_changelist")),
        ("person: change page", reverse("admin:people_person_change", args=[person.pk])),
        ("project: change page", reverse("admin:productions_project_change", args=[project.pk])),
        ("project: landing page", reverse("admin:productions_project_dashboard", args=[project.pk])),
        ("events: changelist", reverse("admin:tasks_apievent_changelist")),
        ("notifications: changelist", reverse("admin:tasks_notification_changelist")),
        ("time spents: changelist", reverse("admin:tasks_timespent_changelist")),
        ("index", reverse("admin:index")),
    ]


def time_pages(client, pages, runs):
    print(f"{'page':45} {'median ms':>10} {'bytes':>10}")
    over = []
    for label, url in pages:
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (label, url, response.status_code)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        flag = "  OVER" if median > BUDGET_MS else ""
        print(f"{label:45} {median:10.1f} {len(response.content):10d}{flag}")
        if flag:
            over.append(label)
    return over


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shots", type=int, default=5000)
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    project = generate_breakdown(f"Breakdown {args.shots}x{args.assets}", args.shots, args.assets)
    add_comments(project)
    analyze()
    admin = Person.objects.filter(role="admin", is_bot=False, active=True).first()
    if admin is None:
        admin = Person.objects.create_user("bench-admin@example.com", "bench-password", role="admin")
    client = Client()
    client.force_login(admin)
    print(f"{project.name}: {Task.objects.filter(project=project).count()} tasks")
    over = time_pages(client, pages(project), args.runs)
    if over:
        print(f"over {BUDGET_MS} ms: {', '.join(over)}")


if __name__ == "__main__":
    main()
