"""Shot versions: the history of a shot's name and frame range.

Each change of a shot's name or of its `data.frame_in` / `data.frame_out`
records an `EntityVersion` holding the shot's former name and its new data,
signed by the person who made it. Editors send one request per field, or
per keystroke, so a burst of changes by one person lands in one version: the
latest version is updated instead of a new one made when

- the same person recorded it, and it is the shot's latest;
- it was last changed at most a minute ago and made at most five minutes ago;
- it does not mix histories: the frame values this change keeps are the
  ones it holds, and a frame change follows a version recorded under the
  shot's current name.
"""

import datetime

from django.utils import timezone

from shots.models import EntityVersion

FOLD_DELAY = datetime.timedelta(seconds=60)
FOLD_MAX_DURATION = datetime.timedelta(minutes=5)


def frame_range(data):
    data = data if isinstance(data, dict) else {}  # a row may hold another JSON kind
    return data.get("frame_in", 0), data.get("frame_out", 0)


def record_shot_version(shot, previous_name, previous_data, person):
    """The version recording this change of `shot` (saved already), or None when neither its name
    nor its frame range changed."""
    frames, previous_frames = frame_range(shot.data), frame_range(previous_data)
    if frames == previous_frames and shot.name == previous_name:
        return None
    version = _foldable_version(shot, previous_name, frames, previous_frames, person)
    if version is None:
        return EntityVersion.objects.create(entity=shot, name=previous_name, data=shot.data, person=person)
    version.data = shot.data
    version.save(update_fields=["data", "updated_at"])
    return version


def _foldable_version(shot, previous_name, frames, previous_frames, person):
    version = EntityVersion.objects.filter(entity=shot).order_by("-created_at").first()
    if version is None or person is None or version.person_id != person.pk:
        return None
    if frames != previous_frames and version.name != previous_name:
        return None
    version_frames = frame_range(version.data)
    for new, old, held in zip(frames, previous_frames, version_frames, strict=True):
        if new == old and held != old:
            return None
    now = timezone.now()
    if now - version.updated_at > FOLD_DELAY or now - version.created_at > FOLD_MAX_DURATION:
        return None
    return version
