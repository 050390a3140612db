"""Generate a big production for benchmarks: `python bench/generate.py --tasks 10000`.

Bulk inserts (a few seconds for 100k tasks on PostgreSQL): one project,
asset types, sequences, shots, assets, 8 task types, one task per entity and
task type, one assignee per task. Idempotent per project name.
"""

import argparse
import os
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from assets.models import Entity, EntityType  # noqa: E402
from people.models import Person  # noqa: E402
from productions.models import Project, ProjectPersonLink  # noqa: E402
from tasks.models import Task, TaskPersonLink, TaskStatus, TaskType  # noqa: E402

TASK_TYPES_PER_ENTITY = 8


@transaction.atomic
def generate(name, nb_tasks, nb_artists=40):
    project = Project.objects.filter(name=name).first()
    if project is not None:
        print(f"{name}: already there ({Task.objects.filter(project=project).count()} tasks)")
        return project
    project = Project.objects.create(name=name, production_type="tvshow")
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
    artists = Person.objects.bulk_create(
        [
            Person(first_name="Artist", last_name=f"{i}", email=f"bench-{uuid.uuid4().hex[:10]}@example.com")
            for i in range(nb_artists)
        ]
    )
    ProjectPersonLink.objects.bulk_create([ProjectPersonLink(project=project, person=a) for a in artists])
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--name", default=None)
    args = parser.parse_args()
    generate(args.name or f"Bench {args.tasks}", args.tasks)
