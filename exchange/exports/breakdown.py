"""The rows of a production's CSV exports: its assets, shots and edits with their tasks, and its
casting, in the reference's columns and order.

An entity export's columns depend on the whole production (its metadata descriptors, the task
types its entities have tasks of), read first in two queries; then the entities are read a batch
at a time, each batch with its tasks and their assignees (two queries), so a big production is
never whole in memory."""

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from assets.models import NON_ASSET_TYPE_NAMES, Entity, EntityLink
from exchange.exports.queries import BATCH, ascending, assignee_names, batches
from exchange.exports.writer import by_codepoint
from productions.models import MetadataDescriptor
from tasks.models import Task

ENTITY_FIELDS = ("pk", "name", "description", "data", "nb_frames")


def descriptor_columns(project, kind):
    """(name, field name, data type) of the production's metadata columns for `kind`."""
    return list(
        MetadataDescriptor.objects.filter(project=project, entity_type=kind)
        .order_by(*ascending("=position", "name"))
        .values_list("name", "field_name", "data_type")
    )


def task_type_columns(entities):
    """Names of the task types the entities have tasks of, by priority then name."""
    rows = (
        Task.objects.filter(entity__in=entities.values("pk"))
        .values("task_type__name", "task_type__priority")
        .distinct()
    )
    found = {row["task_type__name"]: row["task_type__priority"] or 0 for row in rows}
    return sorted(found, key=lambda name: (found[name], name))


def time_spent_days(tasks):
    """The tasks' time (minutes) in 8-hour days, two decimals."""
    minutes = sum(task["duration"] or 0 for task in tasks)
    return f"{minutes / 8.0 / 60.0 if minutes > 0 else 0:.2f}"


def metadata_cells(data, descriptors):
    cells = []
    for _, field_name, data_type in descriptors:
        value = (data or {}).get(field_name, "")
        if data_type == "boolean":
            value = "true" if str(value).lower() == "true" else "false"
        cells.append(value)
    return cells


def task_cells(tasks, columns, assignees):
    """Two cells per task type column: the status short name and the assignees, blank when the
    entity has no task of it."""
    by_type = {task["task_type__name"]: task for task in tasks}
    cells = []
    for name in columns:
        task = by_type.get(name)
        if task is None:
            cells += ["", ""]
        else:
            cells += [task["task_status__short_name"], assignees.get(task["pk"], "")]
    return cells


def entity_rows(project, kind, entities, headers, fixed_cells):
    """A header row then one row per entity of `entities` (a values() queryset in export order):
    `fixed_cells(entity, tasks)`, its metadata cells, its task cells."""
    descriptors = descriptor_columns(project, kind)
    columns = task_type_columns(entities)
    header = headers + [name for name, _, _ in descriptors]
    for name in columns:
        header += [name, "Assignations"]
    yield header
    for batch in batches(entities.iterator(chunk_size=BATCH)):
        tasks_by_entity = {}
        tasks = Task.objects.filter(entity_id__in=[row["pk"] for row in batch]).values(
            "pk", "entity_id", "task_type__name", "task_status__short_name", "duration"
        )
        for task in tasks:
            tasks_by_entity.setdefault(task["entity_id"], []).append(task)
        assignees = assignee_names([task["pk"] for tasks in tasks_by_entity.values() for task in tasks], ",")
        for entity in batch:
            tasks = tasks_by_entity.get(entity["pk"], [])
            yield [
                *fixed_cells(entity, tasks),
                *metadata_cells(entity["data"], descriptors),
                *task_cells(tasks, columns, assignees),
            ]


def assets_rows(project, episode_id=None):
    entities = Entity.objects.filter(project=project).exclude(entity_type__name__in=NON_ASSET_TYPE_NAMES)
    if episode_id == "main":
        entities = entities.filter(source__isnull=True)
    elif episode_id not in (None, "all"):
        cast_in_episode = EntityLink.objects.filter(entity_in_id=episode_id, entity_out_id=OuterRef("pk"))
        entities = entities.filter(Q(source_id=episode_id) | Exists(cast_in_episode))
    entities = entities.values(*ENTITY_FIELDS, "entity_type__name").order_by(
        by_codepoint("entity_type__name"), by_codepoint("name")
    )

    def cells(asset, tasks):
        return [
            project.name,
            asset["entity_type__name"],
            asset["name"],
            asset["description"],
            time_spent_days(tasks),
        ]

    return entity_rows(
        project, "Asset", entities, ["Project", "Type", "Name", "Description", "Time Spent"], cells
    )


SHOT_HEADERS = [
    "Project",
    "Episode",
    "Sequence",
    "Name",
    "Description",
    "Time Spent",
    "Frames",
    "Frame In",
    "Frame Out",
    "FPS",
]


def shots_rows(project, episode_id=None):
    """The shots of the production's sequences (a shot outside any sequence is not listed, as
    with the reference), by episode, sequence and name."""
    entities = Entity.objects.filter(project=project, entity_type__name="Shot", parent__isnull=False)
    if episode_id not in (None, "all"):
        entities = entities.filter(parent__parent_id=episode_id)
    entities = entities.annotate(
        episode_name=Coalesce("parent__parent__name", Value("")),
        sequence_name=Coalesce("parent__name", Value("")),
    )
    entities = entities.values(*ENTITY_FIELDS, "episode_name", "sequence_name").order_by(
        by_codepoint("episode_name"), by_codepoint("sequence_name"), by_codepoint("name")
    )

    def cells(shot, tasks):
        data = shot["data"] or {}
        return [
            project.name,
            shot["episode_name"],
            shot["sequence_name"],
            shot["name"],
            shot["description"],
            time_spent_days(tasks),
            shot["nb_frames"],
            data.get("frame_in", ""),
            data.get("frame_out", ""),
            data.get("fps", ""),
        ]

    return entity_rows(project, "Shot", entities, SHOT_HEADERS, cells)


def edits_rows(project):
    entities = (
        Entity.objects.filter(project=project, entity_type__name="Edit")
        .annotate(episode_name=Coalesce("parent__name", Value("")))
        .values(*ENTITY_FIELDS, "episode_name")
        .order_by(by_codepoint("episode_name"), by_codepoint("name"))
    )

    def cells(edit, tasks):
        return [project.name, edit["episode_name"], edit["name"], edit["description"], time_spent_days(tasks)]

    return entity_rows(
        project, "Edit", entities, ["Project", "Episode", "Name", "Description", "Time Spent"], cells
    )


# --- casting ---------------------------------------------------------------------------------

CASTING_HEADERS = ["Parent", "Name", "Asset Type", "Asset", "Occurences", "Label"]
LINK_FIELDS = {
    "parent_type": "entity_in__entity_type__name",
    "parent": "entity_in__name",
    "asset_type": "entity_out__entity_type__name",
    "asset": "entity_out__name",
    "nb_occurences": "nb_occurences",
    "label": "label",
}


def casting_links(project, filters, order, extra=None):
    """The production's casting links matching `filters`, as dicts keyed by LINK_FIELDS (and
    `extra` {key: column}), in `order` (keys)."""
    fields = {**LINK_FIELDS, **(extra or {})}
    links = EntityLink.objects.filter(entity_in__project=project).filter(filters).values(*fields.values())
    links = links.order_by(*ascending(*(fields[key] for key in order)))
    for link in links.iterator(chunk_size=BATCH):
        yield {key: link[column] for key, column in fields.items()}


def casting_cells(link):
    return [link["asset_type"], link["asset"], link["nb_occurences"], link["label"] or ""]


def casting_rows(project, episode_id=None, is_shot_casting=False):
    """The reference's casting sheet: shots' casting (by sequence, and episode in a TV show), or
    the casting of assets in assets (per episode, "MP" for the main pack), or of episodes
    (`episode_id="all"`)."""
    is_tv_show = project.production_type == "tvshow"
    with_episode = is_tv_show and episode_id != "all"
    yield (["Episode"] if with_episode else []) + CASTING_HEADERS
    asset_order = ("parent_type", "parent", "asset_type", "asset")
    if episode_id == "main":
        for link in casting_links(project, main_pack_filter(), asset_order):
            yield ["MP", link["parent_type"], link["parent"], *casting_cells(link)]
    elif episode_id == "all":
        for link in casting_links(project, Q(entity_in__entity_type__name="Episode"), asset_order):
            yield [link["parent_type"], link["parent"], *casting_cells(link)]
    elif is_shot_casting:
        shot_filter = Q(entity_in__entity_type__name="Shot", entity_in__parent__isnull=False)
        sequence = {"sequence": "entity_in__parent__name"}
        if is_tv_show:
            shot_filter &= Q(entity_in__parent__parent__isnull=False)
            if episode_id is not None:
                shot_filter &= Q(entity_in__parent__parent_id=episode_id)
            extra = {**sequence, "episode": "entity_in__parent__parent__name"}
            order = ("episode", "sequence", "parent", "asset_type", "asset")
            for link in casting_links(project, shot_filter, order, extra):
                yield [
                    link["episode"] or "",
                    link["sequence"] or "Shot",
                    link["parent"],
                    *casting_cells(link),
                ]
        else:
            for link in casting_links(
                project, shot_filter, ("sequence", "parent", "asset_type", "asset"), sequence
            ):
                yield [link["sequence"] or "Shot", link["parent"], *casting_cells(link)]
    else:
        asset_filter = ~Q(entity_in__entity_type__name="Shot")
        if is_tv_show:
            asset_filter &= Q(entity_in__source__isnull=False)
            if episode_id is not None:
                asset_filter &= Q(entity_in__source_id=episode_id)
            extra = {"episode": "entity_in__source__name"}
            order = ("episode", *asset_order)
            for link in casting_links(project, asset_filter, order, extra):
                yield [link["episode"] or "", link["parent_type"], link["parent"], *casting_cells(link)]
            for link in casting_links(project, main_pack_filter(), asset_order):
                yield ["MP", link["parent_type"], link["parent"], *casting_cells(link)]
        else:
            for link in casting_links(project, asset_filter, asset_order):
                yield [link["parent_type"], link["parent"], *casting_cells(link)]


def main_pack_filter():
    """Links from the entities of no episode that are neither shots nor episodes."""
    return Q(entity_in__source__isnull=True) & ~Q(entity_in__entity_type__name__in=("Shot", "Episode"))
