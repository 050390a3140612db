"""The OTIO import of an edit into shots (/import/otio/projects/{id}[/episodes/{id}]), through the
`opentimelineio` package and its adapters (OTIO, EDL, FCP XML, AAF...): each clip of the
timeline's video tracks is a shot, found by the name the naming convention gives it
(`${project_name}_${sequence_name}-${shot_name}` by default, with `${episode_name}` in an
episode), else created (its sequence too) from the parts the convention reads in the clip's name;
its frame in and out are the clip's place in the edit, its length the clip's. A clip is a row of
the import machinery: dry run, job, errors per clip."""

import os
import re
import tempfile
from string import Template

import opentimelineio as otio

from assets.models import Entity
from exchange.csv_imports.columns import project_task_types
from exchange.rows import Importer, ImportFileError, RowError, RowPlan, in_batches, rendered_in_order
from shots.models import Shot
from shots.queries import project_fps
from shots.services import create_sequence, create_shot, update_shot
from tasks.services import create_tasks

PATTERNS = {
    name: rf"(?P<{name}>\w*)" for name in ("project_name", "episode_name", "sequence_name", "shot_name")
}
DEFAULT_CONVENTION = "${project_name}_${sequence_name}-${shot_name}"
EPISODE_CONVENTION = "${project_name}_${episode_name}-${sequence_name}-${shot_name}"


def convention_regex(convention):
    pattern = convention
    for name, group in PATTERNS.items():
        pattern = pattern.replace("${" + name + "}", group).replace("$" + name, group)
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ImportFileError(
            f"The naming convention is no valid pattern: {exc}", column="naming_convention"
        ) from None


def clip_name(clip):
    """The clip's name without extension, else its media's."""
    name = os.path.splitext(clip.name or "")[0]
    media = clip.media_reference
    for attribute in ("name_prefix", "name", "target_url"):
        if name:
            break
        value = getattr(media, attribute, None)
        if value:
            name = os.path.splitext(os.path.basename(value) if attribute == "target_url" else value)[0]
    return name


def clip_frames(clip):
    """(frame in, frame out, nb frames) of a clip, None where the timeline does not say."""
    frame_in = frame_out = nb_frames = None
    for place in (clip.range_in_parent, clip.trimmed_range):
        try:
            time_range = place()
            frame_in, frame_out = (
                time_range.start_time.to_frames(),
                time_range.end_time_inclusive().to_frames(),
            )
            break
        except Exception:  # noqa: BLE001 - a clip out of any track, or without a range: the next way
            continue
    try:
        nb_frames = clip.source_range.duration.to_frames()
    except AttributeError:
        nb_frames = None
    return frame_in, frame_out, nb_frames


def read_timeline(uploaded, fps):
    """The timeline of an uploaded edit (its adapter chosen by its suffix: OTIO, EDL at the
    production's frame rate, FCP XML, AAF...)."""
    suffix = os.path.splitext(uploaded.name or "")[1].lstrip(".").lower()
    supported = otio.adapters.suffixes_with_defined_adapters(read=True)
    if suffix not in supported:
        raise ImportFileError(
            f"Unsupported file type '.{suffix}'. Supported formats: {', '.join(sorted(supported))}."
        )
    with tempfile.NamedTemporaryFile(suffix=f".{suffix}") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            options = {"rate": fps, "ignore_timecode_mismatch": True} if suffix == "edl" else {}
            return otio.adapters.read_from_file(handle.name, **options)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the file's fault: a 400
            raise ImportFileError(f"Failed to parse OTIO file: {exc}") from None


class OtioImporter(Importer):
    name = "otio-import.shots"

    def __init__(self, user, project, episode=None, naming_convention=None, match_case=True):
        super().__init__(user, project, update=True)
        self.episode = episode
        self.convention = naming_convention or (
            EPISODE_CONVENTION if episode is not None else DEFAULT_CONVENTION
        )
        self.match_case = match_case

    def read(self, uploaded):
        """One row per clip of the video tracks: {"name", "frame_in", "frame_out", "nb_frames"}."""
        timeline = read_timeline(uploaded, project_fps(self.project))
        rows = []
        for track in timeline.video_tracks():
            for item in track:
                if isinstance(item, otio.schema.Clip):
                    frame_in, frame_out, nb_frames = clip_frames(item)
                    row = {
                        "name": clip_name(item),
                        "frame_in": frame_in,
                        "frame_out": frame_out,
                        "nb_frames": nb_frames,
                    }
                    rows.append((len(rows) + 1, row))
        return ["name"], rows

    def prepare(self, header):
        super().prepare(header)
        self.regex = convention_regex(self.convention)
        self.task_types = project_task_types(self.project, "Shot")
        shots = Shot.objects.filter(project=self.project, parent__isnull=False)
        if self.episode is not None:
            shots = shots.filter(parent__parent=self.episode)
        template = Template(self.convention)
        self.shots = {}
        for shot in shots.select_related("parent"):
            names = {
                "project_name": self.project.name,
                "sequence_name": shot.parent.name,
                "shot_name": shot.name,
            }
            if self.episode is not None:
                names["episode_name"] = self.episode.name
            self.shots[self.folded(template.safe_substitute(names))] = shot
        self.planned = {}

    def folded(self, name):
        return name if self.match_case else name.lower()

    def plan(self, line, row):
        name = row["name"]
        shot = self.shots.get(self.folded(name))
        if shot is not None:
            sequence_name, shot_name = shot.parent.name, shot.name
        else:
            found = self.regex.match(name)
            if found is None:
                raise RowError(f"{name}: no match of the naming convention {self.convention}", "name")
            parts = found.groupdict()
            if not parts.get("sequence_name") or not parts.get("shot_name"):
                raise RowError(f"{name}: no sequence or shot name found with {self.convention}", "name")
            sequence_name, shot_name = parts["sequence_name"], parts["shot_name"]
        data = dict((shot.data if shot is not None else None) or {})
        for key in ("frame_in", "frame_out"):
            if row[key] is not None:
                data[key] = row[key]
        values = {"data": data}
        if row["nb_frames"] is not None:
            values["nb_frames"] = row["nb_frames"]
        plan = RowPlan(
            line, name, "create", values={"sequence": sequence_name, "shot": shot_name, "values": values}
        )
        if shot is None:
            plan.changes = {key: [None, value] for key, value in values.items()}
            return plan
        plan.changes = {
            key: [getattr(shot, key), value] for key, value in values.items() if getattr(shot, key) != value
        }
        plan.action = "update" if plan.changes else "unchanged"
        return plan

    def apply(self, plans, report):
        sequences, created, updated = {}, [], []
        for batch in in_batches(plans, report):
            made = []
            for plan in batch:
                name = plan.values["sequence"]
                if name not in sequences:
                    sequences[name] = create_sequence(
                        self.project, self.episode, name=name, description=None, data={}, user=self.user
                    )[0]
                values = plan.values["values"]
                shot, is_new = create_shot(
                    self.project,
                    sequences[name],
                    name=plan.values["shot"],
                    data=values["data"],
                    nb_frames=values.get("nb_frames"),
                    description=None,
                    user=self.user,
                )
                if is_new:
                    made.append(shot)
                    created.append(shot.pk)
                else:
                    changed = {key: value for key, value in values.items() if getattr(shot, key) != value}
                    if changed:
                        update_shot(shot, changed, self.user)
                    updated.append(shot.pk)
            for task_type in self.task_types:
                create_tasks(task_type, made, self.user)
        return {
            "updated_shots": rendered_in_order(Entity, updated),
            "created_shots": rendered_in_order(Entity, created),
        }
