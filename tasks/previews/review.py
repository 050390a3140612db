"""Review data of a preview: its annotations (drawings per frame time), its position among the
previews of its revision, the entity's main preview (optionally from a frame of a movie), and the
previews still processing or broken."""

import os
import uuid

from django.db import transaction
from django.utils import timezone
from PIL import Image

from files.media import annotations as annotations_module
from files.media import movies, pictures
from files.media.naming import preview_download_name
from files.media.processing import movie_settings, store_variants
from files.media.storage import copy_to_local, media_key, store_path
from files.models import PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance, serialize_rows
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.events import record_event
from kitsu_server.core.jobs import workspace
from tasks.previews.services import show_preview_on_entity
from tasks.queries import full_entity_names

RUNNING_STATUSES = ("broken", "missing", "processing")
ANNOTATED_PICTURE_EXTENSIONS = ("jpg", "jpeg", "jpe", "png")
OPEN_STATUS_NAMES = ("Active", "open", "Open")


def render_preview(preview):
    return serialize_instance(preview, shape=REGISTRY["preview-files"].shape)


# --- annotations ----------------------------------------------------------------------------


def objects_of(annotation):
    drawing = annotation.get("drawing")
    if not isinstance(drawing, dict):
        drawing = annotation["drawing"] = {}
    objects = drawing.get("objects")
    if not isinstance(objects, list):
        objects = drawing["objects"] = []
    return objects


def with_id(drawing_object):
    """Every drawing object carries an id, so that later updates and deletions can name it."""
    if isinstance(drawing_object, dict) and not drawing_object.get("id"):
        drawing_object["id"] = str(uuid.uuid4())
    return drawing_object


def merge_annotations(current, additions, updates, deletions):
    """The annotations once `additions` (new times, or new objects at a time: never overwriting
    an object of the same id), `updates` (objects replaced by id at their time) and `deletions`
    ({time, objects: [ids]}) are applied; times left without objects go."""
    by_time = {}
    annotations = []
    for annotation in current or []:
        if isinstance(annotation, dict) and "time" in annotation:
            for drawing_object in objects_of(annotation):
                with_id(drawing_object)
            by_time[annotation["time"]] = annotation
            annotations.append(annotation)
    for addition in additions:
        new_objects = [with_id(item) for item in objects_of(addition)]
        existing = by_time.get(addition["time"])
        if existing is None:
            by_time[addition["time"]] = addition
            annotations.append(addition)
            continue
        objects = objects_of(existing)
        known = {item.get("id") for item in objects if isinstance(item, dict)}
        objects.extend(item for item in new_objects if item.get("id") not in known)
    for update in updates:
        existing = by_time.get(update["time"])
        if existing is None:
            continue
        replacements = {
            item["id"]: item for item in objects_of(update) if isinstance(item, dict) and "id" in item
        }
        objects_of(existing)[:] = [
            replacements.get(item.get("id"), item) if isinstance(item, dict) else item
            for item in objects_of(existing)
        ]
    for deletion in deletions:
        existing = by_time.get(deletion["time"])
        if existing is None:
            continue
        doomed = set(deletion.get("objects") or [])
        objects_of(existing)[:] = [
            item for item in objects_of(existing) if not (isinstance(item, dict) and item.get("id") in doomed)
        ]
    return [annotation for annotation in annotations if objects_of(annotation)]


def update_annotations(preview, user, additions, updates, deletions):
    """Apply the changes to the preview's annotations (the row locked meanwhile, so that two
    reviewers drawing at once both keep their strokes). Records `preview-file:annotation-update`."""
    with transaction.atomic():
        locked = PreviewFile.objects.select_for_update().get(pk=preview.pk)
        locked.annotations = merge_annotations(locked.annotations, additions, updates, deletions)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["annotations", "updated_at"])
        data = {
            "preview_file_id": str(locked.pk),
            "person_id": str(user.pk),
            "updated_at": render_preview(locked)["updated_at"],
        }
        record_event("preview-file:annotation-update", data, project_id=preview.task.project_id, user=user)
    return render_preview(locked)


# --- positions and main previews --------------------------------------------------------------


@transaction.atomic
def move_preview(preview, position):
    """`preview` takes `position` (1 for the first) among the previews of its task's revision,
    the others following in their order; a position out of range changes nothing. The
    revision's previews, in their order."""
    siblings = list(
        PreviewFile.objects.select_for_update()
        .filter(task_id=preview.task_id, revision=preview.revision)
        .order_by("position", "created_at", "pk")
    )
    if 0 < position <= len(siblings):
        siblings = [row for row in siblings if row.pk != preview.pk]
        siblings.insert(position - 1, preview)
        now = timezone.now()
        for number, row in enumerate(siblings, start=1):
            if row.position != number:
                PreviewFile.objects.filter(pk=row.pk).update(position=number, updated_at=now)
    return serialize_rows(
        PreviewFile.objects.filter(pk__in=[row.pk for row in siblings]).order_by("position", "created_at"),
        shape=REGISTRY["preview-files"].shape,
    )


def set_main_preview(preview, user, frame_number=None):
    """The preview becomes its entity's main preview; with `frame_number`, a movie's thumbnails
    are first made from that frame (a picture has no frames: 400)."""
    if frame_number is not None:
        if preview.extension != "mp4":
            raise WrongParameter("Can't use a given frame on non movie preview")
        thumbnails_from_frame(preview, frame_number)
    return show_preview_on_entity(preview.task.entity_id, preview, user)


def thumbnails_from_frame(preview, frame_number):
    """The preview's picture variants made again from frame `frame_number` of its movie."""
    with workspace("frame") as folder:
        frame = extract_frame(preview, frame_number, folder)
        store_variants(pictures.open_picture(frame), preview.pk, folder)


def playable_movie(preview, folder):
    """A local copy of the preview's movie (the normalised one, else the upload); None when
    nothing is stored."""
    for prefix in ("previews", "source"):
        try:
            return copy_to_local(
                media_key("movies", prefix, preview.pk), os.path.join(folder, f"{prefix}.mp4")
            )
        except FileNotFoundError:
            continue
    return None


def extract_frame(preview, frame_number, folder):
    """Frame `frame_number` (1 for the first) of the preview's movie as a PNG in `folder`; None
    when the movie is not stored. A picture preview's frame is its original."""
    if preview.extension != "mp4":
        try:
            return copy_to_local(
                media_key("pictures", "original", preview.pk), os.path.join(folder, "original.png")
            )
        except FileNotFoundError:
            return None
    movie = playable_movie(preview, folder)
    if movie is None:
        return None
    info = movies.probe(movie)
    frame_number = min(max(1, frame_number), max(1, info.frames))
    return movies.frame_at(movie, os.path.join(folder, f"frame-{frame_number}.png"), frame_number, info.fps)


def extract_tile(preview, folder):
    """The tile strip of the preview's movie made again and stored; its path in `folder`, None
    without a movie."""
    movie = playable_movie(preview, folder)
    if movie is None:
        return None
    tile = movies.tile_strip(movie, os.path.join(folder, "tile.png"), movies.probe(movie))
    store_path(media_key("pictures", "tiles", preview.pk), tile)
    return tile


# --- running previews -----------------------------------------------------------------------


def running_previews(cursor_id=None, limit=None):
    """Previews of open productions still processing, missing or broken, newest first, from
    before the cursor's preview; each with its project, task type and full entity name."""
    queryset = PreviewFile.objects.filter(
        status__in=RUNNING_STATUSES, task__project__project_status__name__in=OPEN_STATUS_NAMES
    ).order_by("-created_at", "-pk")
    if cursor_id is not None:
        cursor = PreviewFile.objects.filter(pk=cursor_id).values_list("created_at", flat=True).first()
        if cursor is None:
            raise WrongParameter(f"No preview file found with id: {cursor_id}")
        queryset = queryset.filter(created_at__lt=cursor)
    if limit is not None:
        queryset = queryset[: max(0, limit)]
    rows = serialize_rows(queryset, shape=REGISTRY["preview-files"].shape)
    extra = {
        str(pk): values
        for pk, *values in PreviewFile.objects.filter(pk__in=[row["id"] for row in rows]).values_list(
            "pk", "task__project_id", "task__task_type_id", "task__entity_id"
        )
    }
    names = full_entity_names({entity_id for _, _, entity_id in extra.values() if entity_id})
    for row in rows:
        project_id, task_type_id, entity_id = extra[row["id"]]
        row["project_id"] = str(project_id)
        row["task_type_id"] = str(task_type_id)
        row["full_entity_name"] = names.get(entity_id, ("", None))[0]
    return rows


# --- annotated frames -----------------------------------------------------------------------

NO_FRAME_EXTRACTED = "No annotated frame could be extracted from this preview"


def preview_fps(preview):
    return movie_settings(preview)[0]


def annotated_frame(preview, frame_number, folder):
    """The frame of a movie (`frame_number` required) or the picture itself, with its annotation
    burnt in, as a PNG path in `folder`; None when the media is not stored."""
    annotations = preview.annotations or []
    if preview.extension == "mp4":
        if frame_number is None:
            raise WrongParameter("frame_number is required for movie previews")
        annotation = annotations_module.annotation_at(annotations, frame_number, preview_fps(preview))
        if annotation is None:
            raise WrongParameter(f"No annotation found for frame {frame_number}")
    elif preview.extension in ANNOTATED_PICTURE_EXTENSIONS:
        if not annotations:
            raise WrongParameter("No annotation found on picture preview")
        annotation = annotations[0]
    else:
        raise WrongParameter(
            f"Cannot extract annotated frame from preview with extension {preview.extension!r}"
        )
    frame = extract_frame(preview, frame_number or 1, folder)
    if frame is None:
        return None
    path = os.path.join(folder, "annotated.png")
    annotations_module.render(Image.open(frame), annotation).save(path, "PNG")
    return path


def annotated_frames(preview, folder):
    """[(name, picture)] of every annotated frame (a picture: its annotations one by one); None
    when the media is not stored."""
    annotations = [item for item in preview.annotations or [] if isinstance(item, dict)]
    if not annotations:
        raise WrongParameter("Preview file has no annotations")
    if preview.extension not in ("mp4", *ANNOTATED_PICTURE_EXTENSIONS):
        raise WrongParameter(
            f"Cannot extract annotated frames from preview with extension {preview.extension!r}"
        )
    base = os.path.splitext(preview_download_name(preview))[0]
    fps = preview_fps(preview)
    entries = []
    for index, annotation in enumerate(annotations, start=1):
        if preview.extension == "mp4":
            time = annotations_module.frame_time(annotation)
            if time is None:
                continue
            number = max(1, round(time * fps) + 1)
        else:
            number = index
        frame = extract_frame(preview, number if preview.extension == "mp4" else 1, folder)
        if frame is None:
            return None
        entries.append(
            (f"{base}_frame_{number}.png", annotations_module.render(Image.open(frame), annotation))
        )
    if not entries:
        raise WrongParameter(NO_FRAME_EXTRACTED)
    return entries


def annotated_bundle(preview, folder, kind):
    """The annotated frames as a `zip` or a `pdf` in `folder`: (path, download name); None when
    the media is not stored."""
    entries = annotated_frames(preview, folder)
    if entries is None:
        return None
    base = os.path.splitext(preview_download_name(preview))[0]
    path = os.path.join(folder, f"bundle.{kind}")
    if kind == "zip":
        annotations_module.zip_bundle(entries, path)
    else:
        annotations_module.pdf_bundle(entries, path)
    return path, f"{base}_annotated_frames.{kind}"
