"""Writes of the `breakdown` area: castings (which assets an entity casts, how many times, under
which label) and asset instances of scenes and shots.

A casting change goes the reference's way, with its events:

- each link created records `entity-link:new`, each link changed `entity-link:update`;
- casting an asset in a shot of an episode casts it in the episode too (an "auto" link, flagged
  in its `data`, `asset:update`), and dropping it from the last shot of the episode that cast it
  drops that auto link again (`episode:casting-update`, `asset:update`);
- dropping an asset from an episode's casting drops it from the episode's shots;
- the casting entity's `nb_entities_out` is recounted (live assets only) and its
  `shot:casting-update`, `episode:casting-update` or `asset:casting-update` (every other kind)
  carries the assets added and removed;
- the shots' casting stats (each task's `nb_assets_ready`) are refreshed.

Everything is set-based: a casting of 500 shots is a fixed number of queries, in one
transaction, whatever the number of shots and links.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Max, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from slugify import slugify

from assets.models import AssetInstance, AssetInstanceLink, Entity, EntityLink, EntityType, entity_kind
from kitsu_server.core.events import EventLog
from productions.models import ProjectTaskTypeLink
from tasks.models import Task

# The casting-update event of each kind of casting entity (every other kind speaks of assets).
CASTING_EVENTS = {"Shot": "shot", "Episode": "episode"}


@dataclass(frozen=True)
class CastEntry:
    """One entry of a casting as sent: `nb_occurences` None when the entry lacks it (the
    reference skips such entries but still counts their asset as kept)."""

    asset_id: object
    nb_occurences: int | None
    label: str | None
    complete: bool


@dataclass(frozen=True)
class CastTarget:
    """A casting entity, with what the casting rules need to know of it."""

    id: object
    kind: str
    project_id: object
    episode_id: object = None  # a shot's episode (its sequence's parent)

    @property
    def key(self):
        return str(self.id)


def casting_targets(entity_ids):
    """{entity id: CastTarget} of the entities that exist among `entity_ids`. One query."""
    rows = Entity.objects.filter(pk__in=entity_ids).values_list(
        "pk", "entity_type_id", "project_id", "parent__parent_id"
    )
    targets = {}
    for pk, entity_type_id, project_id, grand_parent_id in rows:
        kind = entity_kind(entity_type_id)
        targets[pk] = CastTarget(pk, kind, project_id, grand_parent_id if kind == "Shot" else None)
    return targets


@dataclass
class CastingChange:
    """What a write did to the casting of its targets, for `announce`."""

    added: dict = field(default_factory=lambda: defaultdict(list))  # target id -> asset ids
    removed: dict = field(default_factory=lambda: defaultdict(list))


# --- replacing castings -----------------------------------------------------------------------


def update_castings(castings, user=None):
    """Replace the casting of each target by its entries: `castings` is [(CastTarget, [CastEntry
    or None])]. Entries without `nb_occurences` and assets that don't exist are skipped, as on
    the reference. The episodes of the batch are handled before the other entities."""
    castings = sorted(castings, key=lambda item: item[0].kind != "Episode")
    targets = [target for target, _ in castings]
    log = EventLog(user)
    change = CastingChange()
    with transaction.atomic():
        lock_castings(targets)
        previous = cast_asset_ids([target.id for target in targets])
        asset_ids = {entry.asset_id for _, entries in castings for entry in entries if entry}
        existing = set(Entity.objects.filter(pk__in=asset_ids).values_list("pk", flat=True))
        removals = {}
        for target, entries in castings:
            kept = {entry.asset_id for entry in entries if entry}
            new = {entry.asset_id for entry in entries if entry and entry.complete}
            change.added[target.id] = sorted(str(pk) for pk in new - previous[target.id])
            change.removed[target.id] = sorted(str(pk) for pk in previous[target.id] - new)
            if target.kind == "Episode":
                removals[target] = previous[target.id] - kept
        drop_from_episode_shots(removals, log)
        EntityLink.objects.filter(entity_in_id__in=[target.id for target in targets]).delete()
        links = []
        for target, entries in castings:
            by_asset = {}
            for entry in entries:
                if not entry or not entry.complete or entry.asset_id not in existing:
                    continue
                link = by_asset.get(entry.asset_id)
                if link is None:
                    link = EntityLink(
                        entity_in_id=target.id,
                        entity_out_id=entry.asset_id,
                        nb_occurences=entry.nb_occurences,
                        label=entry.label,
                    )
                    by_asset[entry.asset_id] = link
                    links.append((target, link, entry.label))
                    log_new_link(log, target, link)
                else:  # the same asset twice: the later entry updates the link
                    link.nb_occurences = entry.nb_occurences
                    link.label = entry.label
                    log_link_update(log, target, link)
            for entry in entries:
                if entry and entry.complete and entry.asset_id in existing and target.kind == "Episode":
                    log.add("asset:update", {"asset_id": str(entry.asset_id)}, target.project_id)
        create_links(links, log)
        announce(targets, change, log)
        log.record()


def lock_castings(targets):
    """Writes of the same castings go one after the other: each locks the casting entities and
    the episodes of the shots among them (whose casting follows theirs) before reading any link,
    all in one order, so none deadlocks. Without it, two writers of one casting both delete its
    links then both insert them (a unique key conflict), and two shots of an episode both add
    the same auto link to it. `no_key`: inserting links that point to these rows stays free."""
    ids = {target.id for target in targets} | {t.episode_id for t in targets if t.episode_id is not None}
    list(Entity.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))


def cast_asset_ids(entity_ids):
    """{entity id: set of the ids of the assets it casts, canceled ones included}."""
    result = defaultdict(set)
    for entity_id, asset_id in EntityLink.objects.filter(entity_in_id__in=entity_ids).values_list(
        "entity_in_id", "entity_out_id"
    ):
        result[entity_id].add(asset_id)
    return result


def create_links(links, log):
    """Insert new casting links ([(target, unsaved link, label of its entry)]), the shots' auto
    links to their episode first."""
    cast_in_episodes([(target, link.entity_out_id, label) for target, link, label in links], log)
    EntityLink.objects.bulk_create([link for _, link, _ in links], batch_size=1000)


def log_new_link(log, target, link):
    log.add(
        "entity-link:new",
        {
            "entity_link_id": str(link.pk),
            "entity_in_id": str(target.id),
            "entity_out_id": str(link.entity_out_id),
            "nb_occurences": link.nb_occurences,
        },
        target.project_id,
    )


def log_link_update(log, target, link):
    log.add(
        "entity-link:update",
        {"entity_link_id": str(link.pk), "nb_occurences": link.nb_occurences},
        target.project_id,
    )


def cast_in_episodes(casts, log):
    """An asset cast in a shot is cast in the shot's episode too, when it isn't yet: one
    occurrence, the label of the shot's entry, flagged `auto` (`asset:update` each). The
    episodes' `nb_entities_out` follow."""
    wanted = {}
    for target, asset_id, label in casts:
        if target.kind == "Shot" and target.episode_id is not None:
            wanted.setdefault((target.episode_id, asset_id), (label, target.project_id))
    if not wanted:
        return
    episode_ids = {episode_id for episode_id, _ in wanted}
    asset_ids = {asset_id for _, asset_id in wanted}
    existing = set(
        EntityLink.objects.filter(entity_in_id__in=episode_ids, entity_out_id__in=asset_ids).values_list(
            "entity_in_id", "entity_out_id"
        )
    )
    links, added = [], defaultdict(int)
    for (episode_id, asset_id), (label, project_id) in wanted.items():
        if (episode_id, asset_id) in existing:
            continue
        links.append(
            EntityLink(
                entity_in_id=episode_id,
                entity_out_id=asset_id,
                nb_occurences=1,
                label=label,
                data={"auto": True},
            )
        )
        added[episode_id] += 1
        log.add("asset:update", {"asset_id": str(asset_id)}, project_id)
    EntityLink.objects.bulk_create(links, batch_size=1000)
    shift_link_counts(added)


def shift_link_counts(shifts):
    """Add each episode's shift to its `nb_entities_out` (never below 0): one update per
    distinct shift."""
    by_shift = defaultdict(list)
    for entity_id, shift in shifts.items():
        by_shift[shift].append(entity_id)
    now = timezone.now()
    for shift, entity_ids in by_shift.items():
        Entity.objects.filter(pk__in=entity_ids).update(
            nb_entities_out=Greatest(Coalesce(F("nb_entities_out"), Value(0)) + shift, Value(0)),
            updated_at=now,
        )


def drop_from_episode_shots(removals, log):
    """Assets dropped from an episode's casting leave the casting of its shots: their stats are
    refreshed, and each shot records `shot:casting-update` with the asset removed."""
    condition = Q()
    for episode, asset_ids in removals.items():
        if asset_ids:
            condition |= Q(entity_in__parent__parent_id=episode.id, entity_out_id__in=asset_ids)
    if not condition:
        return
    links = EntityLink.objects.filter(condition, entity_in__entity_type__name="Shot")
    dropped = list(links.values("pk", "entity_in_id", "entity_out_id", "entity_in__project_id"))
    if not dropped:
        return
    EntityLink.objects.filter(pk__in=[link["pk"] for link in dropped]).delete()
    shot_ids = {link["entity_in_id"] for link in dropped}
    refresh_casting_stats(shot_ids, log)
    counts = dict(Entity.objects.filter(pk__in=shot_ids).values_list("pk", "nb_entities_out"))
    for link in dropped:
        log.add(
            "shot:casting-update",
            {
                "shot_id": str(link["entity_in_id"]),
                "nb_entities_out": counts.get(link["entity_in_id"]),
                "added_asset_ids": [],
                "removed_asset_ids": [str(link["entity_out_id"])],
            },
            link["entity_in__project_id"],
        )


def announce(targets, change, log):
    """After the links of `targets` changed: their live link count, their casting-update event
    with what was added and removed, the shots' casting stats, and the auto episode links no
    shot of the episode needs anymore."""
    ids = [target.id for target in targets]
    counts = dict(
        live_link_rows(ids)
        .values("entity_in_id")
        .annotate(count=Count("pk"))
        .values_list("entity_in_id", "count")
    )
    now = timezone.now()
    Entity.objects.bulk_update(
        [Entity(pk=pk, nb_entities_out=counts.get(pk, 0), updated_at=now) for pk in ids],
        ["nb_entities_out", "updated_at"],
        batch_size=1000,
    )
    # An asset's board row shows the episodes casting it: its delta reads must see the change.
    episode_assets = {
        asset_id
        for target in targets
        if target.kind == "Episode"
        for asset_id in (*change.added.get(target.id, []), *change.removed.get(target.id, []))
    }
    if episode_assets:
        Entity.objects.filter(pk__in=episode_assets).touch()
    for target in targets:
        word = CASTING_EVENTS.get(target.kind, "asset")
        log.add(
            f"{word}:casting-update",
            {
                f"{word}_id": target.key,
                "nb_entities_out": counts.get(target.id, 0),
                "added_asset_ids": list(change.added.get(target.id, [])),
                "removed_asset_ids": list(change.removed.get(target.id, [])),
            },
            target.project_id,
        )
    shots = [target for target in targets if target.kind == "Shot"]
    refresh_casting_stats([shot.id for shot in shots], log)
    unused = {
        (shot.episode_id, asset_id, shot.project_id)
        for shot in shots
        if shot.episode_id is not None
        for asset_id in change.removed.get(shot.id, [])
    }
    detach_from_episodes(unused, log)


def refresh_casting_stats(shot_ids, log):
    """The casting stats of shots: their count of live cast assets (`shot:casting-update` when it
    moves) and, on each of their tasks, how many cast assets are ready for it (the readiness rule
    of is_asset_ready). Set-based: a fixed number of reads, the counts written in
    batches, the tasks one update per distinct new value."""
    shot_ids = list(shot_ids)
    if not shot_ids:
        return
    now = timezone.now()
    shots = {
        pk: (project_id, nb)
        for pk, project_id, nb in Entity.objects.filter(pk__in=shot_ids).values_list(
            "pk", "project_id", "nb_entities_out"
        )
    }
    live = dict(
        live_link_rows(shot_ids)
        .values("entity_in_id")
        .annotate(count=Count("pk"))
        .values_list("entity_in_id", "count")
    )
    moved = {pk: live.get(pk, 0) for pk, (_, nb) in shots.items() if live.get(pk, 0) != nb}
    Entity.objects.bulk_update(
        [Entity(pk=pk, nb_entities_out=count, updated_at=now) for pk, count in moved.items()],
        ["nb_entities_out", "updated_at"],
        batch_size=1000,
    )
    for pk, count in moved.items():
        log.add(
            "shot:casting-update",
            {"shot_id": str(pk), "nb_entities_out": count, "added_asset_ids": [], "removed_asset_ids": []},
            shots[pk][0],
        )
    cast_by_shot = defaultdict(list)
    for shot_id, *cast in EntityLink.objects.filter(entity_in_id__in=shot_ids).values_list(
        "entity_in_id",
        "entity_out__canceled",
        "entity_out__is_shared",
        "entity_out__project_id",
        "entity_out__ready_for",
    ):
        cast_by_shot[shot_id].append(tuple(cast))
    priorities = defaultdict(dict)
    project_ids = {project_id for project_id, _ in shots.values()}
    for project_id, task_type_id, priority in ProjectTaskTypeLink.objects.filter(
        project_id__in=project_ids, task_type__for_entity="Shot"
    ).values_list("project_id", "task_type_id", "priority"):
        priorities[project_id][task_type_id] = priority
    changed = defaultdict(list)
    for task_id, shot_id, project_id, task_type_id, nb_ready in Task.objects.filter(
        entity_id__in=shot_ids
    ).values_list("pk", "entity_id", "project_id", "task_type_id", "nb_assets_ready"):
        count = sum(
            is_asset_ready(cast, (project_id, task_type_id), priorities) for cast in cast_by_shot[shot_id]
        )
        if count != nb_ready:
            changed[count].append(task_id)
    for count, task_ids in changed.items():
        Task.objects.filter(pk__in=task_ids).update(nb_assets_ready=count, updated_at=now)


def live_link_rows(entity_ids):
    return EntityLink.objects.filter(entity_in_id__in=entity_ids, entity_out__canceled=False)


def detach_from_episodes(candidates, log):
    """Drop the auto links of episodes to assets none of their shots casts anymore (links set
    from the episode's own breakdown stay): `episode:casting-update` and `asset:update` each."""
    if not candidates:
        return
    episode_ids = {episode_id for episode_id, _, _ in candidates}
    asset_ids = {asset_id for _, asset_id, _ in candidates}
    still_cast = {
        (episode_id, str(asset_id))
        for episode_id, asset_id in EntityLink.objects.filter(
            entity_in__entity_type__name="Shot",
            entity_in__parent__parent_id__in=episode_ids,
            entity_out_id__in=asset_ids,
        ).values_list("entity_in__parent__parent_id", "entity_out_id")
    }
    auto_links = {
        (episode_id, str(asset_id)): (pk, data)
        for pk, episode_id, asset_id, data in EntityLink.objects.filter(
            entity_in_id__in=episode_ids, entity_out_id__in=asset_ids
        ).values_list("pk", "entity_in_id", "entity_out_id", "data")
    }
    counts = dict(Entity.objects.filter(pk__in=episode_ids).values_list("pk", "nb_entities_out"))
    dropped, dropped_assets, shifts = [], set(), defaultdict(int)
    for episode_id, asset_id, project_id in sorted(candidates, key=lambda item: (str(item[0]), item[1])):
        if (episode_id, asset_id) in still_cast:
            continue
        link = auto_links.get((episode_id, asset_id))
        if link is None or not (link[1] or {}).get("auto"):
            continue
        dropped.append(link[0])
        dropped_assets.add(asset_id)
        shifts[episode_id] -= 1
        counts[episode_id] = max((counts.get(episode_id) or 0) - 1, 0)
        log.add(
            "episode:casting-update",
            {
                "episode_id": str(episode_id),
                "nb_entities_out": counts[episode_id],
                "added_asset_ids": [],
                "removed_asset_ids": [asset_id],
            },
            project_id,
        )
        log.add("asset:update", {"asset_id": asset_id}, project_id)
    EntityLink.objects.filter(pk__in=dropped).delete()
    Entity.objects.filter(pk__in=dropped_assets).touch()  # their board rows list the episodes
    shift_link_counts(shifts)


# --- one asset in several entities ---------------------------------------------------------------


def cast_asset(targets, asset_id, nb_occurences=None, label=None, user=None):
    """Cast one asset in each target, leaving the rest of their casting as it is. A count or a
    label of None keeps the current one (one occurrence and no label for a new link)."""
    log = EventLog(user)
    change = CastingChange()
    with transaction.atomic():
        lock_castings(targets)
        current = {
            link.entity_in_id: link
            for link in EntityLink.objects.filter(
                entity_in_id__in=[t.id for t in targets], entity_out_id=asset_id
            )
        }
        new_links, changed = [], []
        for target in targets:
            link = current.get(target.id)
            if link is None:
                link = EntityLink(
                    entity_in_id=target.id,
                    entity_out_id=asset_id,
                    nb_occurences=1 if nb_occurences is None else nb_occurences,
                    label="" if label is None else label,
                )
                new_links.append((target, link, link.label))
                log_new_link(log, target, link)
                change.added[target.id] = [str(asset_id)]
            else:
                link.nb_occurences = link.nb_occurences if nb_occurences is None else nb_occurences
                link.label = link.label if label is None else label
                changed.append(link)
                log_link_update(log, target, link)
            if target.kind == "Episode":
                log.add("asset:update", {"asset_id": str(asset_id)}, target.project_id)
        now = timezone.now()
        for link in changed:
            link.updated_at = now
        EntityLink.objects.bulk_update(changed, ["nb_occurences", "label", "updated_at"], batch_size=1000)
        create_links(new_links, log)
        announce(targets, change, log)
        log.record()


def uncast_asset(targets, asset_id, cascade_to_shots=True, user=None):
    """Remove one asset from the casting of each target (nothing for those not casting it). On
    an episode, the asset also leaves its shots, unless `cascade_to_shots` is False."""
    log = EventLog(user)
    change = CastingChange()
    with transaction.atomic():
        lock_castings(targets)
        links = dict(
            EntityLink.objects.filter(
                entity_in_id__in=[target.id for target in targets], entity_out_id=asset_id
            ).values_list("entity_in_id", "pk")
        )
        casting = [target for target in targets if target.id in links]
        if not casting:
            return
        if cascade_to_shots:
            drop_from_episode_shots({t: {asset_id} for t in casting if t.kind == "Episode"}, log)
        EntityLink.objects.filter(pk__in=links.values()).delete()
        for target in casting:
            change.removed[target.id] = [str(asset_id)]
        announce(casting, change, log)
        log.record()


def remove_entity_link(link, user=None):
    """Delete one casting link through the uncasting above (the shots of an episode keep their
    casting). Returns the link's target."""
    target = casting_targets([link.entity_in_id])[link.entity_in_id]
    uncast_asset([target], link.entity_out_id, cascade_to_shots=False, user=user)
    return target


# --- asset instances ---------------------------------------------------------------------------


def add_asset_instance_to_scene(scene, asset, description=None, user=None):
    """A new instance of `asset` in `scene`, numbered after the last one there. Records
    `asset_instance:new` (no production, as on the reference)."""
    with transaction.atomic():
        instance = numbered_instance(asset, description, scene=scene)
        log = EventLog(user)
        log.add(
            "asset_instance:new",
            {"scene_id": str(scene.pk), "asset_id": str(asset.pk), "asset_instance_id": str(instance.pk)},
            None,
        )
        log.record()
    return instance


def add_asset_instance_to_shot(shot, instance, user=None):
    """Cast an asset instance in a shot (once): `asset_instance:add-to-shot`."""
    with transaction.atomic():
        AssetInstanceLink.objects.get_or_create(entity=shot, asset_instance=instance)
        shot.save(update_fields=["updated_at"])
        _record_instance_event("asset_instance:add-to-shot", shot, instance, user)
    return shot


def remove_asset_instance_from_shot(shot, instance, user=None):
    """Take an asset instance out of a shot's instance casting: `asset_instance:remove-from-shot`."""
    with transaction.atomic():
        AssetInstanceLink.objects.filter(entity=shot, asset_instance=instance).delete()
        shot.save(update_fields=["updated_at"])
        _record_instance_event("asset_instance:remove-from-shot", shot, instance, user)
    return shot


def _record_instance_event(name, shot, instance, user):
    log = EventLog(user)
    log.add(name, {"shot_id": str(shot.pk), "asset_instance_id": str(instance.pk)}, None)
    log.record()


def camera_type(user=None):
    """The "Camera" asset type, created on first use as the reference does (`asset-type:new`)."""
    with transaction.atomic():
        camera = EntityType.objects.filter(name__iexact="Camera").first()
        if camera is None:
            camera = EntityType.objects.create(name="Camera")
            entity_kind.forget()
            log = EventLog(user)
            log.add("asset-type:new", {"asset_type_id": str(camera.pk)}, None)
            log.record()
    return camera


def is_asset_ready(cast, task, priorities):
    """A cast asset is ready for a shot task when it is not canceled and either shared from
    another production or ready for a step at or after the task's own in the pipeline."""
    canceled, is_shared, asset_project_id, ready_for = cast
    task_project_id, task_type_id = task
    if canceled:
        return False
    if is_shared and asset_project_id != task_project_id:
        return True
    if ready_for is None:
        return False
    project_priorities = priorities.get(task_project_id, {})
    priority_ready = project_priorities.get(ready_for, -1) or -1
    priority_task = project_priorities.get(task_type_id, 0) or 0
    return priority_task <= priority_ready


def numbered_instance(asset, description=None, **place):
    """A new instance of `asset` at `place` (`scene=` or `target_asset=`), numbered after the
    last one of that asset there."""
    last = AssetInstance.objects.filter(asset=asset, **place).aggregate(last=Max("number"))["last"]
    number = (last or 0) + 1
    return AssetInstance.objects.create(
        asset=asset, number=number, name=instance_name(asset.name, number), description=description, **place
    )


def instance_name(asset_name, number):
    """ "Hero Sword", 3 -> "Hero_Sword_0003": the asset's name as an identifier, then the number."""
    return f"{slugify(asset_name, separator='_', lowercase=False)}_{str(number).zfill(4)}"
