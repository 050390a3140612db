"""Writes of the `shots` area, each in one transaction with the events the reference records:
creating episodes, sequences, shots and scenes, updating a shot (its version history kept),
linking shots to scenes, removing entities (a shot holding tasks is canceled unless forced; an
episode or a sequence goes only when nothing hangs off it, or with everything when forced), and
setting shot lengths from their previews."""

import copy
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assets.entity_versions import record_shot_version
from assets.models import Entity
from assets.queries import (
    all_assets,
)
from assets.services import remove_entity, remove_tasks_of
from files.models import OutputFile, Playlist, WorkingFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core import deletion
from kitsu_server.core.events import record_event
from kitsu_server.core.trash.units import trashing
from productions.models import ScheduleItem
from shots.models import EntityVersion, Episode, Scene, Sequence, Shot
from shots.queries import project_fps, shots_with_last_preview_duration
from tasks.models import Subscription

EPISODE_STATUSES = ("running", "complete", "standby", "canceled")


# --- creation ----------------------------------------------------------------------------------
# get_or_create inserts in a savepoint: a request beaten to the name by a concurrent one (the
# unique keys entity_uc and entity_uc_without_parent) gets the row that one made.


def create_episode(project, *, name, status, description, data, user):
    """The production's episode of that name: the existing one, or a new one (`episode:new`).
    An unknown status reads "running". Returns (episode, created)."""
    with transaction.atomic():
        episode, created = Episode.objects.get_or_create(
            project=project,
            parent=None,
            name=name,
            defaults={
                "status": status if status in EPISODE_STATUSES else "running",
                "description": description,
                "data": data,
                "created_by": user,
            },
        )
        if created:
            record_event("episode:new", {"episode_id": str(episode.pk)}, project_id=project.pk, user=user)
    return episode, created


def create_sequence(project, episode, *, name, description, data, user):
    """The sequence of that name in the episode (or outside episodes): the existing one, or a
    new one (`sequence:new`)."""
    with transaction.atomic():
        sequence, created = Sequence.objects.get_or_create(
            project=project,
            parent=episode,
            name=name,
            defaults={"description": description, "data": data, "created_by": user},
        )
        if created:
            record_event("sequence:new", {"sequence_id": str(sequence.pk)}, project_id=project.pk, user=user)
    return sequence, created


def create_shot(project, sequence, *, name, data, nb_frames, description, user):
    """The shot of that name in the sequence: the existing one, or a new one with its frame range
    (`shot:new`, with the episode of its sequence)."""
    with transaction.atomic():
        shot, created = Shot.objects.get_or_create(
            project=project,
            parent=sequence,
            name=name,
            defaults={"data": data, "nb_frames": nb_frames, "description": description, "created_by": user},
        )
        if created:
            episode_id = sequence.parent_id if sequence is not None else None
            record_event(
                "shot:new",
                {"shot_id": str(shot.pk), "episode_id": str(episode_id) if episode_id else None},
                project_id=project.pk,
                user=user,
            )
    return shot, created


def create_scene(project, sequence, *, name, user):
    """The scene of that name in the sequence: the existing one, or a new one (`scene:new`)."""
    with transaction.atomic():
        scene, created = Scene.objects.get_or_create(
            project=project, parent=sequence, name=name, defaults={"data": {}, "created_by": user}
        )
        if created:
            record_event("scene:new", {"scene_id": str(scene.pk)}, project_id=project.pk, user=user)
    return scene, created


# --- shots -------------------------------------------------------------------------------------


def update_shot(shot, values, user):
    """Set the given columns of a shot (its custom fields replaced as a whole, as on the
    reference). A change of its name or frame range is kept in its version history. Records
    `shot:update`."""
    previous_name, previous_data = shot.name, copy.deepcopy(shot.data)
    with transaction.atomic():
        for field, value in values.items():
            setattr(shot, field, value)
        shot.save()
        record_shot_version(shot, previous_name, previous_data, user)
        record_event("shot:update", {"shot_id": str(shot.pk)}, project_id=shot.project_id, user=user)
    return shot


def set_shot_scene(scene, shot, user, add=True):
    """Link a shot to a scene (`add`) or unlink it: `shot:update`, then `shot:add-to-scene` or
    `shot:remove-from-scene`."""
    with transaction.atomic():
        shot.source = scene if add else None
        shot.save(update_fields=["source"])
        record_event("shot:update", {"shot_id": str(shot.pk)}, project_id=shot.project_id, user=user)
        record_event(
            "shot:add-to-scene" if add else "shot:remove-from-scene",
            {"scene_id": str(scene.pk), "shot_id": str(shot.pk)},
            project_id=shot.project_id,
            user=user,
        )
    return shot


def set_shots_nb_frames(project, task_type_id, episode_id=None):
    """Each shot of the production (of an episode) having a preview on its task of that type
    takes the length of the newest one, in frames at the production's frame rate. The reference
    records no event. Returns [{id, nb_frames}]."""
    fps = project_fps(project)
    updates = [
        {"id": str(shot_id), "nb_frames": round(duration * fps)}
        for shot_id, duration in shots_with_last_preview_duration(project.pk, task_type_id, episode_id)
    ]
    by_value = defaultdict(list)
    for update in updates:
        by_value[update["nb_frames"]].append(update["id"])
    now = timezone.now()
    with transaction.atomic():
        for nb_frames, shot_ids in by_value.items():
            Entity.objects.filter(pk__in=shot_ids).update(nb_frames=nb_frames, updated_at=now)
    return updates


# --- removal -----------------------------------------------------------------------------------


def remove_shot(shot, force=False, user=None):
    """Canceled while it holds tasks, unless forced: then removed with its tasks, casting,
    versions and files (see assets.services.remove_entity)."""
    remove_entity(shot, force=force, user=user)


def remove_scene(scene, user=None):
    """Deleted when nothing hangs off it, else canceled; `scene:delete` either way."""
    with transaction.atomic():
        try:
            with transaction.atomic(), trashing(scene, user):
                deletion.purge(Entity.objects.filter(pk=scene.pk), what="this scene")
        except WrongParameter:
            scene.canceled = True
            scene.save(update_fields=["canceled"])
        record_event("scene:delete", {"scene_id": str(scene.pk)}, project_id=scene.project_id, user=user)


def remove_sequence(sequence, force=False, user=None):
    """Without force, only a sequence nothing hangs off (no shot, no task...) goes. With force,
    its shots and their tasks go first, its scenes, then its own tasks, subscriptions, schedule
    items and files. Records `sequence:delete`."""
    with transaction.atomic(), trashing(sequence, user):
        if force:
            for shot in Shot.objects.filter(parent=sequence):
                remove_entity(shot, force=True, user=user)
            for scene in Scene.objects.filter(parent=sequence):
                remove_scene(scene, user=user)
            remove_tasks_of(sequence, user=user)
            remove_hangers_on(sequence)
        delete_entity(sequence, "this sequence")
        record_event(
            "sequence:delete", {"sequence_id": str(sequence.pk)}, project_id=sequence.project_id, user=user
        )


def remove_episode(episode, force=False, user=None):
    """Without force, only an episode nothing hangs off (no sequence, no asset, no task...) goes.
    With force, its sequences go (forced), the assets it is the main episode of, its tasks,
    playlists, versions, subscriptions, schedule items and files. Records `episode:delete`."""
    with transaction.atomic(), trashing(episode, user):
        if force:
            for sequence in Sequence.objects.filter(parent=episode):
                remove_sequence(sequence, force=True, user=user)
            for asset in all_assets().filter(source=episode):
                remove_entity(asset, force=True, user=user)
            remove_tasks_of(episode, user=user)
            deletion.remove_playlists(Playlist.objects.filter(episode=episode))
            remove_hangers_on(episode)
        delete_entity(episode, "this episode")
        record_event(
            "episode:delete", {"episode_id": str(episode.pk)}, project_id=episode.project_id, user=user
        )


def remove_hangers_on(entity):
    """What a forced removal takes along with an entity, besides its tasks: its versions,
    subscriptions, schedule items and files."""
    deletion.purge(EntityVersion.objects.filter(entity=entity))
    deletion.purge(Subscription.objects.filter(entity=entity))
    deletion.purge(ScheduleItem.objects.filter(object_id=entity.pk))
    working_files = WorkingFile.objects.filter(entity=entity)
    output_files = OutputFile.objects.filter(
        Q(entity=entity) | Q(temporal_entity=entity) | Q(source_file__in=working_files.values("pk"))
    )
    deletion.remove_output_files(output_files)
    deletion.purge(working_files)


def delete_entity(entity, what):
    """Delete the row, its casting and concept links with it; a 400 naming what still holds it."""
    deletion.purge(Entity.objects.filter(pk=entity.pk), what=what)
