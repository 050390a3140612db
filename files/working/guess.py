"""What a file path names: the folder templates of a production's file tree it matches, and the
rows its tokens name (`guess_from_path`), as the reference guesses them.

Each template is split into folders and lined up with the path's folders (after the mode's root);
a folder holding a token (`v<Version>` around its prefix and suffix) gives the token's value,
underscores read as spaces. The values are then looked up left to right, each narrowed by the
ones found before it (a shot by its sequence, a task by its entity and task type), and the
lookup stops at the first token that names nothing.
"""

import re

from assets.models import Entity, EntityType
from files.models import OutputType
from files.working.file_tree import FileTreeContext, MalformedFileTree, apply_style
from people.models import Department
from productions.models import Project
from tasks.models import Task, TaskType

TOKEN_IN_FOLDER = re.compile(r"(?P<prefix>\w*)<(?P<token>\w*)>(?P<suffix>\w*)")


class PathMismatch(Exception):
    pass


def token_values(folders, template_folders):
    """{token: value} of the path's folders read through the template's (the first value of a
    token wins); PathMismatch when a plain folder of the template differs."""
    values = {}
    for template_folder, folder in zip(template_folders, folders, strict=False):
        match = TOKEN_IN_FOLDER.search(template_folder)
        if match is None:
            if template_folder != folder:
                raise PathMismatch
            continue
        value = folder.replace("_", " ")
        value = value[len(match.group("prefix")) : len(value) - len(match.group("suffix"))]
        if not values.get(match.group("token")):
            values[match.group("token")] = value
    return values


def entity_type_named(name):
    return EntityType.objects.filter(name=name).first()


def _named(queryset, value):
    return queryset.filter(name__iexact=value).order_by("created_at").first()


def _kind_id(name):
    entity_type = entity_type_named(name)
    return entity_type.pk if entity_type is not None else None


def _child(value, kind, found, parent_token):
    """An entity of `kind` of the production, under the parent found before it when there is one."""
    if not found.get("Project"):
        return None
    criteria = {"entity_type_id": _kind_id(kind), "project_id": found["Project"]}
    if found.get(parent_token):
        criteria["parent_id"] = found[parent_token]
    return _named(Entity.objects.filter(**criteria), value)


def _asset(value, found):
    if not found.get("Project") or not found.get("AssetType"):
        return None
    return _named(
        Entity.objects.filter(entity_type_id=found["AssetType"], project_id=found["Project"]), value
    )


def _episode(value, found):
    if not found.get("Project"):
        return None
    return _named(
        Entity.objects.filter(entity_type_id=_kind_id("Episode"), project_id=found["Project"]), value
    )


def _shot(value, found):
    if not found.get("Project") or not found.get("Sequence"):
        return None
    shots = Entity.objects.filter(
        entity_type_id=_kind_id("Shot"), parent_id=found["Sequence"], project_id=found["Project"]
    )
    return _named(shots, value)


def _task(value, found):
    if not found.get("Project") or not found.get("TaskType"):
        return None
    entity_id = next((found[token] for token in ("Scene", "Asset", "Shot") if found.get(token)), None)
    if entity_id is None:
        return None
    tasks = Task.objects.filter(
        task_type_id=found["TaskType"], project_id=found["Project"], entity_id=entity_id
    )
    return _named(tasks, value)


def _temporal_entity(value, found):
    if not found.get("Project") or not found.get("TemporalEntityType"):
        return None
    entities = Entity.objects.filter(entity_type_id=found["TemporalEntityType"], project_id=found["Project"])
    return _named(entities, value)


def _version(value, found):
    try:
        return int(value)
    except ValueError:
        return None


LOOKUPS = {
    "Asset": _asset,
    "AssetType": lambda value, found: _named(EntityType.objects.all(), value),
    "Department": lambda value, found: _named(Department.objects.all(), value),
    "Episode": _episode,
    "Sequence": lambda value, found: _child(value, "Sequence", found, "Episode"),
    "Scene": lambda value, found: _child(value, "Scene", found, "Sequence"),
    "OutputType": lambda value, found: _named(OutputType.objects.all(), value),
    "Shot": _shot,
    "Task": _task,
    "TaskType": lambda value, found: _named(TaskType.objects.all(), value),
    "Project": lambda value, found: _named(Project.objects.all(), value),
    "Name": lambda value, found: value,
    "Representation": lambda value, found: value,
    "Version": _version,
    "TemporalEntityType": lambda value, found: _named(EntityType.objects.all(), value),
    "TemporalEntity": _temporal_entity,
    # The reference looks instances up by an episode column they do not have: nothing matches.
}


def template_data(project, template, template_folders, values):
    """{"Template": name, token: id or value...} for the tokens found left to right."""
    found = {"Template": template}
    for template_folder in template_folders:
        token = next((token for token in values if f"<{token}>" in template_folder), None)
        if token is None:
            continue
        lookup = LOOKUPS.get(token)
        data = lookup(values[token], found) if lookup is not None else None
        if not data:
            break
        # A path naming another production is someone else's: none of its ids come back.
        if token == "Project" and data.pk != project.pk:
            break
        found[token] = str(data) if isinstance(data, str | int) else str(data.pk)
    return found


def in_stored_order(mapping):
    """The keys of a JSON object in the order PostgreSQL's jsonb keeps them (shorter first, then
    bytewise), the order the reference walks its trees in, whatever the database."""
    return sorted(mapping, key=lambda key: (len(key.encode()), key.encode()))


def guess_from_path(project, file_path, sep="/"):
    """[{"Template": "shot", "Project": id, "Sequence": id...}] for each template of the
    production's tree the path matches."""
    context = FileTreeContext(project)
    if not isinstance(context.tree, dict):
        raise MalformedFileTree("No tree can be found for given project.")
    matches = []
    for mode in in_stored_order(context.tree):
        folder_templates = context.section(mode, "folder_path")
        style = folder_templates.get("style", "")
        root = apply_style(context.root_path(mode, sep), style)
        path = apply_style(file_path, style)
        if not path.startswith(root):
            continue
        folders = path[len(root) :].split(sep)
        for template in in_stored_order(folder_templates):
            template_path = folder_templates[template]
            if not isinstance(template_path, str):
                continue
            template_folders = template_path.split(sep)
            try:
                values = token_values(folders, template_folders)
            except PathMismatch:
                continue
            if not values:
                continue
            data = template_data(project, template, template_folders, values)
            if data not in matches:
                matches.append(data)
    return matches
