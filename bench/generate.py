"""Generate big productions for benchmarks.

    python bench/generate.py --tasks 10000                 # the generic-list production
    python bench/generate.py --shots 5000 --assets 2000    # the breakdown production

Bulk inserts (a few seconds for 100k tasks on PostgreSQL), idempotent per project name.
`generate`: one project, sequences, shots and assets, 8 task types, one task per entity and
task type, one assignee per task. `generate_breakdown`: a TV show of episodes, sequences,
shots and assets of several types, 8 asset and 8 shot task types with a task each, and
every shot casting a few assets.
"""

import argparse
import datetime
import os
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from assets.models import Entity, EntityLink, EntityType  # noqa: E402
from people.models import Person  # noqa: E402
from productions.models import (  # noqa: E402
    Project,
    ProjectPersonLink,
    ProjectStatus,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
)
from productions.setup_data import init_data  # noqa: E402
from tasks.models import (  # noqa: E402
    Comment,
    News,
    Notification,
    Task,
    TaskPersonLink,
    TaskStatus,
    TaskType,
    TimeSpent,
)

TASK_TYPES_PER_ENTITY = 8


@transaction.atomic
def generate(name, nb_tasks, nb_artists=40):
    project = Project.objects.filter(name=name).first()
    if project is not None:
        print(f"{name}: already there ({Task.objects.filter(project=project).count()} tasks)")
        return project
    project = Project.objects.create(name=name, production_type="tvshow", project_status=open_status())
    shot_type, _ = EntityType.objects.get_or_create(name="Shot")
    sequence_type, _ = EntityType.objects.get_or_create(name="Sequence")
    asset_type, _ = EntityType.objects.get_or_create(name="Character")
    status, _ = TaskStatus.objects.get_or_create(
        short_name="todo", defaults={"name": "Todo", "color": "#f5f5f5"}
    )
    task_types = [
        TaskType.objects.get_or_create(name=f"Bench {i}", for_entity="Shot", defaults={"priority": i})[0]
        for i in range(TASK_TYPES_PER_ENTITY)
    ]
    artists = make_artists(project, nb_artists)
    nb_entities = max(1, nb_tasks // TASK_TYPES_PER_ENTITY)
    sequences = Entity.objects.bulk_create(
        [
            Entity(name=f"SQ{i:03d}", project=project, entity_type=sequence_type)
            for i in range(max(1, nb_entities // 50))
        ]
    )
    entities = Entity.objects.bulk_create(
        [
            Entity(
                name=f"SH{i:05d}",
                project=project,
                entity_type=shot_type if i % 3 else asset_type,
                parent=sequences[i % len(sequences)] if i % 3 else None,
                nb_frames=random.randint(24, 240),
                data={"frame_in": 1001, "frame_out": 1100},
            )
            for i in range(nb_entities)
        ],
        batch_size=2000,
    )
    tasks = Task.objects.bulk_create(
        [
            Task(name="main", project=project, entity=entity, task_type=task_type, task_status=status)
            for entity in entities
            for task_type in task_types
        ][:nb_tasks],
        batch_size=5000,
    )
    TaskPersonLink.objects.bulk_create(
        [TaskPersonLink(task=task, person=artists[i % len(artists)]) for i, task in enumerate(tasks)],
        batch_size=5000,
    )
    print(f"{name}: {len(entities)} entities, {len(tasks)} tasks, {len(artists)} artists")
    return project


def open_status():
    return ProjectStatus.objects.get_or_create(name="Open", defaults={"color": "#000000"})[0]


def make_artists(project, count):
    artists = Person.objects.bulk_create(
        [
            Person(first_name="Artist", last_name=f"{i}", email=f"bench-{uuid.uuid4().hex[:10]}@example.com")
            for i in range(count)
        ]
    )
    ProjectPersonLink.objects.bulk_create([ProjectPersonLink(project=project, person=a) for a in artists])
    return artists


@transaction.atomic
def generate_breakdown(name, nb_shots, nb_assets, nb_task_types=8, casting_per_shot=5, nb_artists=60):
    """A TV show: 10 episodes, sequences of 50 shots, `nb_assets` assets of 4 types, a task per
    entity and task type of its kind, each shot casting `casting_per_shot` assets."""
    project = Project.objects.filter(name=name).first()
    if project is not None:
        print(f"{name}: already there ({Task.objects.filter(project=project).count()} tasks)")
        return project
    rng = random.Random(42)
    init_data("3d")  # the reference's default lookups (statuses with their colors and flags...)
    project = Project.objects.create(name=name, production_type="tvshow", project_status=open_status())
    kinds = {kind: EntityType.objects.get_or_create(name=kind)[0] for kind in ("Episode", "Sequence", "Shot")}
    asset_types = [EntityType.objects.get_or_create(name=n)[0] for n in ("Character", "Prop", "Set", "FX")]
    statuses = [
        TaskStatus.objects.get_or_create(short_name=short, defaults={"name": label, "color": "#f5f5f5"})[0]
        for short, label in (("todo", "Todo"), ("wip", "Work In Progress"), ("done", "Done"))
    ]
    task_types = {
        kind: [
            TaskType.objects.get_or_create(
                name=f"Bench {kind} {i}", for_entity=kind, defaults={"priority": i}
            )[0]
            for i in range(nb_task_types)
        ]
        for kind in ("Asset", "Shot")
    }
    ProjectTaskTypeLink.objects.bulk_create(
        [
            ProjectTaskTypeLink(project=project, task_type=t, priority=t.priority)
            for ts in task_types.values()
            for t in ts
        ]
    )
    ProjectTaskStatusLink.objects.bulk_create(
        [ProjectTaskStatusLink(project=project, task_status=s, priority=i) for i, s in enumerate(statuses)]
    )
    artists = make_artists(project, nb_artists)
    episodes = Entity.objects.bulk_create(
        [
            Entity(name=f"E{i:02d}", project=project, entity_type=kinds["Episode"], data={})
            for i in range(1, 11)
        ]
    )
    nb_sequences = max(1, nb_shots // 50)
    sequences = Entity.objects.bulk_create(
        [
            Entity(
                name=f"SQ{i:03d}",
                project=project,
                entity_type=kinds["Sequence"],
                parent=episodes[i % 10],
                data={},
            )
            for i in range(nb_sequences)
        ]
    )
    shots = Entity.objects.bulk_create(
        [
            Entity(
                name=f"SH{i:05d}",
                project=project,
                entity_type=kinds["Shot"],
                parent=sequences[i % nb_sequences],
                nb_frames=rng.randint(24, 240),
                data={"frame_in": 1001, "frame_out": 1100},
            )
            for i in range(nb_shots)
        ],
        batch_size=2000,
    )
    assets = Entity.objects.bulk_create(
        [
            Entity(
                name=f"Asset {i:05d}", project=project, entity_type=asset_types[i % len(asset_types)], data={}
            )
            for i in range(nb_assets)
        ],
        batch_size=2000,
    )
    tasks = Task.objects.bulk_create(
        [
            Task(
                name="main",
                project=project,
                entity=entity,
                task_type=task_type,
                task_status=statuses[rng.randrange(len(statuses))],
            )
            for entities, kind in ((assets, "Asset"), (shots, "Shot"))
            for entity in entities
            for task_type in task_types[kind]
        ],
        batch_size=5000,
    )
    TaskPersonLink.objects.bulk_create(
        [TaskPersonLink(task=task, person=artists[i % len(artists)]) for i, task in enumerate(tasks)],
        batch_size=5000,
    )
    EntityLink.objects.bulk_create(
        [
            EntityLink(entity_in=shot, entity_out=asset, nb_occurences=rng.randint(1, 3))
            for shot in shots
            for asset in rng.sample(assets, min(casting_per_shot, len(assets)))
        ],
        batch_size=5000,
    )
    print(f"{name}: {len(shots)} shots, {len(assets)} assets, {len(tasks)} tasks, {len(artists)} artists")
    return project


@transaction.atomic
def add_activity(project, nb_comments, nb_time_spents, days=30):
    """What a production's artists have done: `nb_comments` comments on assigned tasks (each a
    status change with its news, and a notification to the task's assignee) and `nb_time_spents`
    time spents of the assignees on their tasks over the last `days` days. Once per project."""
    if Comment.objects.filter(object_id__in=Task.objects.filter(project=project).values("pk")).exists():
        print(f"{project.name}: activity already there")
        return
    rng = random.Random(7)
    links = list(
        TaskPersonLink.objects.filter(task__project=project)
        .order_by("task_id")
        .values_list("task_id", "person_id", "task__task_status_id")
    )
    if not links:
        return
    statuses = list(TaskStatus.objects.values_list("pk", flat=True))
    author = Person.objects.filter(role="admin", is_bot=False).order_by("created_at").first() or None
    comments, news, notifications = [], [], []
    for index in range(nb_comments):
        task_id, person_id, _ = links[(index * 7919) % len(links)]
        comment = Comment(
            object_id=task_id,
            object_type="Task",
            text=f"Comment {index}: looks good, one more pass on the silhouette.",
            task_status_id=rng.choice(statuses),
            person_id=person_id,
            links=[],
        )
        comments.append(comment)
        news.append(News(change=True, author_id=person_id, comment=comment, task_id=task_id))
        notify = author.pk if author is not None else person_id
        notifications.append(
            Notification(
                type="comment", person_id=notify, author_id=person_id, comment=comment, task_id=task_id
            )
        )
    Comment.objects.bulk_create(comments, batch_size=2000)
    News.objects.bulk_create(news, batch_size=2000)
    Notification.objects.bulk_create(notifications, batch_size=2000)
    today = datetime.date.today()
    seen = set()
    spents = []
    for index in range(nb_time_spents):
        task_id, person_id, _ = links[(index * 104729) % len(links)]
        day = today - datetime.timedelta(days=index % days)
        if (task_id, person_id, day) in seen:
            continue
        seen.add((task_id, person_id, day))
        spents.append(
            TimeSpent(task_id=task_id, person_id=person_id, date=day, duration=rng.choice([60, 120, 240]))
        )
    TimeSpent.objects.bulk_create(spents, batch_size=2000)
    print(f"{project.name}: {len(comments)} comments and news, {len(spents)} time spents")


def analyze():
    """Fresh planner statistics after the bulk inserts (autovacuum would get there later)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--shots", type=int, default=0, help="with --assets: the breakdown production")
    parser.add_argument("--assets", type=int, default=0)
    parser.add_argument("--name", default=None)
    args = parser.parse_args()
    if args.shots or args.assets:
        generate_breakdown(args.name or f"Breakdown {args.shots}x{args.assets}", args.shots, args.assets)
    else:
        generate(args.name or f"Bench {args.tasks}", args.tasks)
    analyze()
