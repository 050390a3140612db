"""A production of 10,000 tasks (with comments, previews, assignations and casting) deleted by
force and restored whole: every row back, with the values it had. Its timing and peak memory are
printed (`-s`), not asserted."""

import os
import time
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.models import Entity, EntityLink
from files.models import PreviewFile, StoredFile
from kitsu_server.core import deletion
from kitsu_server.core.trash import services
from kitsu_server.core.trash_models import TrashItem
from productions.models import Project, ProjectPersonLink
from tasks.models import Comment, CommentPreviewLink, Task, TaskPersonLink
from tests import factories

pytestmark = pytest.mark.slow

# Tracing every allocation slows Python down threefold: the peaks are measured on demand.
MEASURE_MEMORY = bool(os.environ.get("TRASH_MEASURE_MEMORY"))
ASSETS, TASK_TYPES, COMMENTS, PREVIEWS = 1000, 10, 300, 100


def table_values(model, exclude=("updated_at",)):
    columns = [field.attname for field in model._meta.concrete_fields if field.attname not in exclude]
    return sorted(model._base_manager.values_list(*columns))


def build(project, artist):
    asset_type = factories.make_asset_type()
    assets = Entity.objects.bulk_create(
        Entity(project=project, entity_type=asset_type, name=f"Asset {n:04d}") for n in range(ASSETS)
    )
    shot = factories.make_shot(project, factories.make_sequence(project))
    EntityLink.objects.bulk_create(EntityLink(entity_in=shot, entity_out=asset) for asset in assets[:200])
    task_types = [factories.make_task_type(name=f"Step {n}") for n in range(TASK_TYPES)]
    status = factories.make_task_status(name="WIP")
    tasks = Task.objects.bulk_create(
        Task(project=project, entity=asset, task_type=task_type, task_status=status, name="main")
        for asset in assets
        for task_type in task_types
    )
    TaskPersonLink.objects.bulk_create(TaskPersonLink(task=task, person=artist) for task in tasks[:2000])
    previews = PreviewFile.objects.bulk_create(
        PreviewFile(task=task, name="v1", revision=1, extension="png", status="ready")
        for task in tasks[:PREVIEWS]
    )
    StoredFile.objects.bulk_create(
        StoredFile(bucket="pictures", key=f"original/{p.pk}", prefix="original", file_id=str(p.pk))
        for p in previews
    )
    comments = Comment.objects.bulk_create(
        Comment(object_id=task.pk, object_type="Task", person=artist, task_status=status, text=f"note {n}")
        for n, task in enumerate(tasks[:COMMENTS])
    )
    CommentPreviewLink.objects.bulk_create(
        CommentPreviewLink(comment=comment, preview_file=preview)
        for comment, preview in zip(comments, previews, strict=False)
    )
    for task, preview in zip(tasks, previews, strict=False):
        task.last_preview_file_id = preview.pk
    Task.objects.bulk_update(tasks[:PREVIEWS], ["last_preview_file_id"])
    return tasks


def test_a_trashed_project_of_10k_tasks_restores_whole(db, capsys):
    closed = factories.make_project_status(name="Closed")
    project = factories.make_project(name="Big show", project_status=closed)
    admin = factories.make_person("admin")
    artist = factories.join(project, factories.make_person("user"))
    build(project, artist)
    models = (Project, ProjectPersonLink, Entity, EntityLink, Task, TaskPersonLink, PreviewFile, Comment)
    models += (CommentPreviewLink,)
    before = {model: table_values(model) for model in models}
    assert len(before[Task]) == ASSETS * TASK_TYPES

    if MEASURE_MEMORY:
        tracemalloc.start()
    started = time.perf_counter()
    deletion.remove_project(project, force=True, user=admin)
    deleted = time.perf_counter()
    _, delete_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()  # (zeros when not tracing)
    assert not Task.objects.exists() and not Project.objects.filter(pk=project.pk).exists()
    item = TrashItem.objects.get()
    restore_started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        services.restore_item(item.pk, user=admin)
    restored = time.perf_counter()
    _, restore_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    for model, rows in before.items():
        assert table_values(model) == rows, model.__name__
    assert Task.objects.filter(updated_at__gte=item.trashed_at).count() == ASSETS * TASK_TYPES
    with capsys.disabled():
        memory = (
            f" (peaks: {delete_peak / 2**20:.0f} MiB deleting, {restore_peak / 2**20:.0f} MiB restoring)"
            if MEASURE_MEMORY
            else ""
        )
        print(
            f"\n{connection.vendor}: {item.row_count} rows trashed in {deleted - started:.1f} s, "
            f"restored in {restored - restore_started:.1f} s ({len(queries)} queries){memory}"
        )
