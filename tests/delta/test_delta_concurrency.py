"""Delta reads miss nothing under concurrent writes (PostgreSQL, over a live server).

Writer threads commit changes, creations, deletions (with their tombstones, as the trash writes
them) and restores in a loop; some of their transactions stay open a while after stamping their
rows, others stamp their rows after a first read. A reader started before them follows the task
list and the asset board by delta reads only (each from the previous answer's `server_time`).
Once the writers are done, what the reader holds equals the full reads, row for row: no change
missed, no deleted row left, none restored lost. The margin is made tiny, so that it is the
open-transaction rule (pg_stat_activity), not the margin, that keeps the slow writers in.
"""

import random
import threading
import time

import pytest
import requests
from django.db import connection, transaction
from django.utils import timezone

from assets.models import Entity
from kitsu_server.core.delta import format_cursor
from kitsu_server.core.trash_models import TrashItem
from tasks.models import Task
from tests.delta.helpers import trash
from tests.factories import make_asset, make_asset_type, make_person, make_project, make_task, make_task_type

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 3
WRITE_SECONDS = 6


def writer(seed, project, task_type, stop, errors):
    rng = random.Random(seed)
    try:
        while not stop.is_set():
            tasks = list(Task.objects.filter(project=project).values_list("pk", flat=True))
            action = rng.random()
            with transaction.atomic():
                if action < 0.45 and tasks:
                    task = Task.objects.get(pk=rng.choice(tasks))
                    if rng.random() < 0.5:
                        time.sleep(rng.uniform(0, 0.2))  # a first read, then the stamp
                    task.priority = rng.randint(0, 5)
                    task.save()
                elif action < 0.6:
                    asset = Entity.objects.filter(project=project).order_by("?").first()
                    asset.description = f"v{rng.randint(0, 10**6)}"
                    asset.save()
                elif action < 0.8:
                    asset = Entity.objects.filter(project=project).order_by("?").first()
                    make_task(asset, task_type, name=f"t{rng.randint(0, 10**9)}")
                elif tasks:
                    task = Task.objects.get(pk=rng.choice(tasks))
                    trash(task, entity_id=task.entity_id)
                    if rng.random() < 0.3:  # restored: the tombstone goes, the row comes back fresh
                        TrashItem.objects.filter(object_id=task.pk).delete()
                        task.save(force_insert=True)
                if rng.random() < 0.4:
                    time.sleep(rng.uniform(0.2, 1.0))  # a slow transaction: stamped, committed later
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


def follow(session, url, state, cursor):
    """One delta read of `url` from `cursor` applied to `state`: the next cursor."""
    answer = session.get(url, params={"updated_since": cursor}, timeout=30)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    for row in body["rows"]:
        state[row["id"]] = row
    for deleted in body["deleted_ids"]:
        state.pop(deleted, None)
    return body["server_time"]


def test_deltas_add_up_to_the_final_state(live_server, settings):
    settings.DELTA_READ_MARGIN_SECONDS = 0.01
    admin = make_person(role="admin", email="delta-admin@example.com", password="secret-password")
    project = make_project(name="Delta")
    character = make_asset_type("Character")
    modeling = make_task_type("Modeling")
    for number in range(8):
        asset = make_asset(project, character, name=f"Asset{number}")
        for kind in range(3):
            make_task(asset, modeling, name=f"k{kind}")
    session = requests.Session()
    login = session.post(
        f"{live_server.url}/api/auth/login",
        json={"email": admin.email, "password": "secret-password"},
        timeout=30,
    )
    session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    tasks_url = f"{live_server.url}/api/data/tasks?project_id={project.pk}"
    board_url = f"{live_server.url}/api/data/assets/with-tasks?project_id={project.pk}"

    # The client's start: a cursor first, then the full reads.
    start = format_cursor(timezone.now())
    task_cursor = follow(session, tasks_url, {}, start)
    board_cursor = task_cursor
    tasks = {row["id"]: row for row in session.get(tasks_url, timeout=30).json()}
    board = {row["id"]: row for row in session.get(board_url, timeout=30).json()}

    stop, errors = threading.Event(), []
    threads = [
        threading.Thread(target=writer, args=(seed, project, modeling, stop, errors))
        for seed in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    deadline, reads = time.monotonic() + WRITE_SECONDS, 0
    while time.monotonic() < deadline:
        task_cursor = follow(session, tasks_url, tasks, task_cursor)
        board_cursor = follow(session, board_url, board, board_cursor)
        reads += 1
    stop.set()
    for thread in threads:
        thread.join()
    assert not errors, errors
    task_cursor = follow(session, tasks_url, tasks, task_cursor)
    board_cursor = follow(session, board_url, board, board_cursor)

    final_tasks = {row["id"]: row for row in session.get(tasks_url, timeout=30).json()}
    final_board = {row["id"]: row for row in session.get(board_url, timeout=30).json()}
    assert reads > 5
    assert set(tasks) == set(final_tasks)
    assert tasks == final_tasks
    assert board == final_board
