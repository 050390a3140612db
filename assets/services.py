"""Writes of the `assets` and `entities` routes, each in one transaction with the events the
reference records: asset creation and sharing, the casting of an asset (set dressing), asset
instances, task creation for an entity, and the removal of entities (canceled while they hold
tasks, deleted with everything hanging off them when forced)."""

import uuid

from django.db import transaction
from django.utils import timezone

from assets.breakdown.services import (
    CastEntry,
    CastTarget,
    numbered_instance,
    refresh_casting_stats,
    update_castings,
)
from assets.models import Entity, EntityLink, TaskTypeAssetTypeLink, entity_kind
from assets.queries import (
    all_assets,
)
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core import deletion
from kitsu_server.core.events import EventLog, record_event, record_events
from kitsu_server.core.trash.units import trashing
from productions.models import ProjectTaskTypeLink
from tasks.models import News, Task, TaskType
from tasks.services import default_task_status, insert_tasks, new_task

# Kinds an entity removal handles, and the word their events use.
REMOVABLE_KINDS = {"Asset": "asset", "Shot": "shot", "Edit": "edit", "Concept": "concept"}


# --- assets ------------------------------------------------------------------------------


def create_asset(project, asset_type, *, name, description, data, is_shared, episode_id, user):
    """The asset of that name and type in `project`: the existing one, as every creation route of
    an entity answers on the reference, or a new one (its main episode: `episode_id`) recording
    `asset:new`. Returns (asset, created)."""
    with transaction.atomic():
        # get_or_create inserts in a savepoint: a request beaten to the name by a concurrent one
        # (the unique key entity_uc_without_parent) gets the row that one made.
        asset, created = Entity.objects.get_or_create(
            project=project,
            entity_type=asset_type,
            parent=None,
            name=name,
            defaults={
                "description": description,
                "data": data,
                "is_shared": is_shared,
                "source_id": episode_id,
                "created_by": user,
            },
        )
        if created:
            record_event(
                "asset:new",
                {"asset_id": str(asset.pk), "asset_type": str(asset_type.pk)},
                project_id=project.pk,
                user=user,
            )
    return asset, created


def set_shared_assets(is_shared, project_id=None, asset_type_id=None, asset_ids=None):
    """Share (or stop sharing) assets: those of a production, of one of its types, or of a
    list of ids. Returns them (a queryset). The reference records no event here."""
    queryset = all_assets()
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    if asset_type_id is not None:
        queryset = queryset.filter(entity_type_id=asset_type_id)
    if asset_ids is not None:
        queryset = queryset.filter(pk__in=asset_ids)
    with transaction.atomic():
        queryset.update(is_shared=is_shared, updated_at=timezone.now())
    return queryset


# --- casting -----------------------------------------------------------------------------


def update_asset_casting(asset, entries, user=None):
    """Replace what an asset casts (its set dressing) by `entries` ({asset_id, nb_occurences,
    label}), the breakdown's way (see assets.breakdown.services.update_castings): its links and
    their events, then `asset:casting-update` with the added and removed assets. Ids of no
    entity are skipped, as on the reference. Returns the entries."""
    target = CastTarget(asset.pk, entity_kind(asset.entity_type_id), asset.project_id)
    cast = [CastEntry(entry["asset_id"], entry["nb_occurences"], entry["label"], True) for entry in entries]
    update_castings([(target, cast)], user=user)
    return [
        {"asset_id": str(entry["asset_id"]), "nb_occurences": entry["nb_occurences"], "label": entry["label"]}
        for entry in entries
    ]


def casting_shot_ids(asset_id):
    """The shots casting an asset (canceled ones aside), as the reference refreshes them."""
    links = EntityLink.objects.filter(
        entity_out_id=asset_id, entity_in__canceled=False, entity_in__entity_type__name="Shot"
    )
    return list(links.values_list("entity_in_id", flat=True))


# --- asset instances ---------------------------------------------------------------------


def add_asset_instance(asset, instantiated, description=None, user=None):
    """A new instance of `instantiated` inside `asset`, numbered after the last one there.
    Records `asset_instance:new` (no production, as on the reference)."""
    with transaction.atomic():
        instance = numbered_instance(instantiated, description, target_asset=asset)
        record_event(
            "asset_instance:new",
            {
                "asset_id": str(asset.pk),
                "asset_instantiated": str(instantiated.pk),
                "asset_instance_id": str(instance.pk),
            },
            user=user,
        )
    return instance


# --- tasks of an entity ------------------------------------------------------------------


def task_types_for_entity(entity, task_types):
    """The task types to create on `entity`: the given ones once checked (they fit its kind, are
    enabled in its production and, for an asset, in its type's workflow when it has one), or,
    none given, every task type that does."""
    kind = entity_kind(entity.entity_type_id)
    enabled = set(
        ProjectTaskTypeLink.objects.filter(project_id=entity.project_id).values_list(
            "task_type_id", flat=True
        )
    )
    workflow = None
    if kind == "Asset":
        workflow = (
            set(
                TaskTypeAssetTypeLink.objects.filter(asset_type_id=entity.entity_type_id).values_list(
                    "task_type_id", flat=True
                )
            )
            or None
        )
    if not task_types:
        candidates = enabled & workflow if workflow is not None else enabled
        return [
            task_type
            for task_type in TaskType.objects.filter(pk__in=candidates).order_by("priority", "name")
            if not task_type.for_entity or task_type.for_entity == kind
        ]
    for task_type in task_types:
        if task_type.for_entity and task_type.for_entity != kind:
            raise WrongParameter(
                f"Task type {task_type.pk} is for {task_type.for_entity} entities, got {kind}."
            )
        if task_type.pk not in enabled:
            raise WrongParameter(f"Task type {task_type.pk} is not enabled in project {entity.project_id}.")
        if workflow is not None and task_type.pk not in workflow:
            raise WrongParameter(
                f"Task type {task_type.pk} is not in the workflow of asset type {entity.entity_type_id}."
            )
    return task_types


def create_tasks_for_entity(entity, task_types, user=None):
    """The "main" task of each task type on `entity` (see task_types_for_entity), those it
    already has aside, on the default status and assigned by `user`. Records `task:new` each.
    Returns [(task, task type, status)]."""
    task_types = task_types_for_entity(entity, task_types)
    if not task_types:
        return []
    existing = set(
        Task.objects.filter(entity_id=entity.pk, task_type__in=task_types, name="main").values_list(
            "task_type_id", flat=True
        )
    )
    with transaction.atomic():
        status = default_task_status(for_concept=entity_kind(entity.entity_type_id) == "Concept")
        planned = []
        for task_type in task_types:
            if task_type.pk in existing:
                continue
            existing.add(task_type.pk)
            assigner = user if user is not None and user.is_authenticated else None
            planned.append((new_task(entity, task_type, status, assigner=assigner), task_type))
        # A task a concurrent request made meanwhile is answered as it stands, with no event.
        stored = insert_tasks([task for task, _ in planned])
        record_events(
            "task:new", [{"task_id": str(task.pk)} for task, made in stored if made], entity.project_id, user
        )
    task_types = [task_type for _, task_type in planned]
    return [
        (task, task_type, task.task_status) for (task, _), task_type in zip(stored, task_types, strict=True)
    ]


# --- removal -----------------------------------------------------------------------------


def remove_tasks_of(entity, user=None):
    """Every task of an entity with what hangs off them (comments, previews, files, time
    spents...). Records `news:delete` per news and `task:delete` per task."""
    tasks = Task.objects.filter(entity_id=entity.pk)
    task_rows = list(tasks.values_list("pk", "task_type_id"))
    news_ids = list(News.objects.filter(task__entity_id=entity.pk).values_list("pk", flat=True))
    deletion.remove_tasks(tasks, files_force=False, restore_main=False)
    record_events("news:delete", [{"news_id": str(news_id)} for news_id in news_ids], entity.project_id, user)
    record_events(
        "task:delete",
        [
            {"task_id": str(task_id), "entity_id": str(entity.pk), "task_type_id": str(task_type_id)}
            for task_id, task_type_id in task_rows
        ],
        entity.project_id,
        user,
    )


def remove_entity(entity, force=False, user=None):
    """Remove an asset, shot, edit or concept. Holding tasks and without `force`, it is only
    canceled (`<kind>:update`); otherwise its tasks go, then the entity with its casting, concept
    links, versions, subscriptions, instances and files (`<kind>:delete`). The shots casting a
    removed or canceled asset have their casting stats refreshed."""
    kind = entity_kind(entity.entity_type_id)
    word = REMOVABLE_KINDS[kind]
    event_data = {f"{word}_id": str(entity.pk)}
    shot_ids = casting_shot_ids(entity.pk) if kind == "Asset" else []
    with transaction.atomic(), trashing(entity, user):
        if not force and Task.objects.filter(entity_id=entity.pk).exists():
            entity.canceled = True
            entity.save(update_fields=["canceled"])
            record_event(f"{word}:update", event_data, project_id=entity.project_id, user=user)
        else:
            remove_tasks_of(entity, user=user)
            record_event(f"{word}:delete", event_data, project_id=entity.project_id, user=user)
            deletion.remove_entities(Entity.objects.filter(pk=entity.pk))
        log = EventLog(user)
        refresh_casting_stats(shot_ids, log)
        log.record()


def remove_entities(project_id, entity_ids, force=False, user=None):
    """Remove a batch of a production's entities, each its own way (see remove_entity): canceled
    ones and concepts are removed for real, entities of other productions, unknown ones and other
    kinds (sequences, episodes...) are skipped. Returns the ids of the entities removed."""
    entities = {str(entity.pk): entity for entity in Entity.objects.filter(pk__in=entity_ids)}
    planned = []
    seen = set()
    for entity_id in entity_ids:
        key = str(uuid.UUID(str(entity_id)))
        entity = entities.get(key)
        if entity is None or key in seen or entity.project_id != project_id:
            continue
        kind = entity_kind(entity.entity_type_id)
        if kind not in REMOVABLE_KINDS:
            continue
        seen.add(key)
        planned.append((entity_id, entity, force or bool(entity.canceled) or kind == "Concept"))
    with transaction.atomic():
        for _, entity, entity_force in planned:
            remove_entity(entity, force=entity_force, user=user)
    return [entity_id for entity_id, _, _ in planned]
