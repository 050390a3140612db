from types import SimpleNamespace

import pytest

from files.models import Playlist, PreviewFile
from tests import factories


@pytest.fixture
def world(show, team):
    """`show` with an episode, a sequence, two shots with a task and previews each (the first
    shot two revisions), an internal playlist and one shared with clients."""
    episode = factories.make_episode(show, name="E01")
    sequence = factories.make_sequence(show, episode, name="SQ01")
    shots = [factories.make_shot(show, sequence, name=name) for name in ("SH010", "SH020")]
    task_type = factories.make_task_type(name="Animation", for_entity="Shot")
    tasks = [factories.make_task(shot, task_type=task_type) for shot in shots]
    previews = [
        PreviewFile.objects.create(name="v1", task=tasks[0], revision=1, extension="mp4", status="ready"),
        PreviewFile.objects.create(name="v2", task=tasks[0], revision=2, extension="mp4", status="ready"),
        PreviewFile.objects.create(name="v1", task=tasks[1], revision=1, extension="png", status="ready"),
    ]
    for task, preview in ((tasks[0], previews[1]), (tasks[1], previews[2])):
        task.last_preview_file_id = preview.pk
        task.save()
    internal = Playlist.objects.create(
        name="Internal",
        project=show,
        episode=episode,
        shots=[{"entity_id": str(shots[0].pk), "preview_file_id": str(previews[1].pk)}],
    )
    shared = Playlist.objects.create(name="Client", project=show, episode=episode, for_client=True, shots=[])
    return SimpleNamespace(
        project=show,
        team=team,
        episode=episode,
        sequence=sequence,
        shots=shots,
        task_type=task_type,
        tasks=tasks,
        previews=previews,
        internal=internal,
        shared=shared,
    )


def as_(world, role):
    return factories.client_for(world.team[role])
