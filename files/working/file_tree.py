"""A production's file tree: the folder and file name templates of each mode ("working",
"output", "preview"...) rendered into paths, as the reference renders them.

A tree is the JSON of `Project.file_tree`:

    {"working": {"mountpoint": "/prod", "root": "projects",
                 "folder_path": {"shot": "<Project>/shots/<Sequence>/<Shot>/<TaskType>", ...,
                                 "style": "lowercase"},
                 "file_name": {"shot": "<Project>_<Shot>_<TaskType>_v<Version>", ...}}, ...}

A template has a `<Token>` (or `<Token.field>`, field among name, short_name, number, id) for each
value: the entity and its parents, the task and its type or department, the software, the output
type, the representation, the file's name and its revision. Values are slugified (`_` separator)
and put in the case of the mode's style; ids stay verbatim. Rendering reads a few rows; the
`FileTreeContext` keeps them for one request.
"""

import copy
import re

from rest_framework.exceptions import NotFound
from slugify import slugify

from assets.models import Entity, EntityType, entity_kind
from files.models import OutputType
from kitsu_server.core.events import record_event
from people.models import Department, Software

ALLOWED_FIELDS = {"short_name", "name", "number", "id"}
TOKEN = re.compile(r"<([\w\.]*)>")
# Version 4 ids, lowercase: what the reference puts back verbatim into a slugified file name.
UUID_PATTERN = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89aAbB][a-f0-9]{3}-[a-f0-9]{12}")
# The rows a template names when the request names none (the reference creates them on the fly).
DEFAULT_PATH_SOFTWARE = {"name": "3dsmax", "short_name": "max", "file_extension": ".max"}
DEFAULT_OUTPUT_TYPE = "Geometry"


class MalformedFileTree(Exception):
    """The tree misses the mode or template asked for, or names a token nobody knows (a 400)."""


def get_or_create_software(name, short_name, file_extension):
    """The software of that name, made (and its event recorded) when the studio has none."""
    software, created = Software.objects.get_or_create(
        name=name, defaults={"short_name": short_name, "file_extension": file_extension}
    )
    if created:
        record_event("software:new", {"software_id": str(software.pk)})
    return software


def get_or_create_output_type(name, short_name=""):
    output_type, created = OutputType.objects.get_or_create(name=name, defaults={"short_name": short_name})
    if created:
        record_event("output_type:new", {"output_type_id": str(output_type.pk)})
    return output_type


def apply_style(text, style):
    """The case a mode asks for; any other style than upper/lowercase leaves the text as it is."""
    if style == "uppercase":
        return text.upper()
    if style == "lowercase":
        return text.lower()
    return text


def join_path(left, right, sep):
    if left == "":
        return right
    if right == "":
        return left
    return f"{left}{sep}{right}"


def field_value(row, field):
    """`row.<field>` as a token reads it: the id as a string, a missing field malformed."""
    if row is None:
        raise MalformedFileTree(f"No value for field {field}.")
    if field == "id":
        return str(row.pk)
    if field not in {f.attname for f in row._meta.concrete_fields}:
        raise MalformedFileTree(f"{type(row).__name__} has no field {field}.")
    value = getattr(row, field)
    return None if value is None else str(value)


class FileTreeContext:
    """The tree of a production and the rows its tokens read, looked up once per request."""

    def __init__(self, project):
        self.project = project
        self.tree = project.file_tree
        self._entities = {}

    # --- the tree ------------------------------------------------------------------------------

    def mode(self, mode):
        if not isinstance(self.tree, dict):
            raise MalformedFileTree("No tree can be found for given project.")
        if mode not in self.tree:
            raise MalformedFileTree(f"Mode {mode} cannot be found on given tree.")
        section = self.tree[mode]
        if not isinstance(section, dict):
            raise MalformedFileTree(f"Can't find given mode ({mode}) in given tree.")
        return section

    def root_path(self, mode, sep):
        section = self.mode(mode)
        try:
            mountpoint, root = section["mountpoint"], section["root"]
        except KeyError:
            raise MalformedFileTree(f"Can't find given mode ({mode}) in given tree.") from None
        return f"{mountpoint}{sep}{root}{sep}" if root else f"{mountpoint}{sep}"

    def section(self, mode, name):
        section = self.mode(mode).get(name)
        if not isinstance(section, dict):
            raise MalformedFileTree(f"Can't find {name} of mode {mode} in given tree.")
        return section

    def style(self, mode, name):
        return self.section(mode, name).get("style", "")

    def template(self, mode, name, entity=None, asset_instance=None):
        """The template of `name` ("folder_path" or "file_name") for the kind of the entity, or
        of the asset instance (an instance of an asset in another asset has its own)."""
        if asset_instance is not None:
            key = "instance_asset" if asset_instance.target_asset_id is not None else "instance"
        else:
            kind = entity_kind(entity.entity_type_id)
            key = kind.lower() if kind in ("Shot", "Sequence", "Scene", "Episode") else "asset"
        template = self.section(mode, name).get(key)
        if not isinstance(template, str):
            raise MalformedFileTree(f"No {name} template for {key} in mode {mode}.")
        return template

    # --- rows the tokens read ------------------------------------------------------------------

    def entity(self, entity_id):
        if entity_id not in self._entities:
            self._entities[entity_id] = Entity.objects.filter(pk=entity_id).first()
        return self._entities[entity_id]

    def kind(self, entity):
        return entity_kind(entity.entity_type_id)

    def sequence_of(self, entity):
        """The sequence of a shot or a scene (a 404 when it has none, as the reference), of a
        sequence itself; None for anything else."""
        kind = self.kind(entity)
        if kind in ("Shot", "Scene"):
            sequence = self.entity(entity.parent_id) if entity.parent_id else None
            if sequence is None:
                raise NotFound("Wrong parent_id for given shot.")
            return sequence
        return entity if kind == "Sequence" else None

    def episode_of(self, entity):
        kind = self.kind(entity)
        if kind == "Episode":
            return entity
        sequence = None
        if kind in ("Shot", "Scene"):
            sequence = self.entity(entity.parent_id) if entity.parent_id else None
        elif kind == "Sequence":
            sequence = entity
        if sequence is None or sequence.parent_id is None:
            return None
        return self.entity(sequence.parent_id)


class Rendering:
    """What a template is filled with: the entity (temporal entity for an instance), the task or
    task type, software, output type, asset instance and its asset, name, representation and
    revision."""

    def __init__(self, context, entity, task=None, task_type=None, software=None, output_type=None,
                 asset_instance=None, asset=None, name="", representation="", revision=1):  # fmt: skip
        self.context = context
        self.entity = entity
        self.task = task
        self.task_type = task_type
        self.software = software
        self.output_type = output_type
        self.asset_instance = asset_instance
        self.asset = asset
        self.name = name
        self.representation = representation
        self.revision = revision

    def fill(self, template, style="lowercase"):
        """Every `<Token>` of the template replaced by its value, slugified and styled (ids
        verbatim); a token whose value is None is left as it is."""
        rendered = template
        for variable in TOKEN.findall(template):
            data_type, *fields = variable.split(".")
            field = fields[0] if fields and fields[0] in ALLOWED_FIELDS else "name"
            value = self.value(data_type, field)
            if value is None:
                continue
            if field != "id":
                value = apply_style(slugify(value, separator="_"), style)
            rendered = rendered.replace(f"<{variable}>", value)
        return rendered

    def value(self, data_type, field):
        reader = TOKEN_READERS.get(data_type)
        if reader is None:
            raise MalformedFileTree(f"Unknown data type: {data_type}.")
        return reader(self, field)

    # --- one reader per token ----------------------------------------------------------------

    def project_value(self, field):
        return field_value(self.context.project, field)

    def task_value(self, field):
        if self.task is None:
            raise MalformedFileTree("Given task is null.")
        return field_value(self.task, field)

    def task_type_value(self, field):
        if self.task_type is not None:
            return field_value(self.task_type, field)
        if self.task is not None:
            return field_value(self.task.task_type, field)
        return ""

    def department_value(self, field):
        task_type = self.task_type or (self.task.task_type if self.task is not None else None)
        if task_type is None:
            return ""
        department = Department.objects.filter(pk=task_type.department_id).first()
        if department is None:
            raise NotFound("Department not found.")
        return field_value(department, field)

    def entity_value(self, field):
        return field_value(self.entity, field)

    def temporal_entity_value(self, field):
        if self.entity is None:
            raise MalformedFileTree("Given temporal entity is null.")
        return field_value(self.entity, field)

    def temporal_entity_type_value(self, field):
        if self.entity is None:
            raise MalformedFileTree("Given temporal entity type is null.")
        value = field_value(EntityType.objects.get(pk=self.entity.entity_type_id), field)
        return None if value is None else value.lower()

    def asset_type_value(self, field):
        asset = self.asset or self.entity
        if asset is None:
            raise MalformedFileTree("Given asset is null.")
        return field_value(EntityType.objects.get(pk=asset.entity_type_id), field)

    def asset_value(self, field):
        asset = self.asset or self.entity
        return field_value(asset, field) if asset is not None else ""

    def sequence_value(self, field):
        sequence = self.context.sequence_of(self.entity)
        name = field_value(sequence, field) if sequence is not None else ""
        if name is not None and "Seq" in name:
            # The reference's rule: "Seq2" and "Seq02" land in the same folder, S002.
            name = f"S{name[3:].zfill(3)}"
        return name

    def episode_value(self, field):
        episode = self.context.episode_of(self.entity)
        if episode is None:
            return "e001"  # the reference's name for the episode of a production without any
        return field_value(episode, field)

    def software_value(self, field):
        software = self.software or get_or_create_software(**DEFAULT_PATH_SOFTWARE)
        return field_value(software, field)

    def output_type_value(self, field):
        output_type = self.output_type or get_or_create_output_type(DEFAULT_OUTPUT_TYPE)
        value = field_value(output_type, field)
        return None if value is None else value.lower()

    def instance_value(self, field):
        instance = self.asset_instance
        if instance is None:
            return ""
        number = str(instance.number if instance.number is not None else 0).zfill(4)
        if field == "name":
            return instance.name if instance.name is not None else number
        return number

    def representation_value(self, field):
        return self.representation

    def name_value(self, field):
        return self.name

    def revision_value(self, field):
        return str(self.revision).zfill(3)


TOKEN_READERS = {
    "Project": Rendering.project_value,
    "Task": Rendering.task_value,
    "TaskType": Rendering.task_type_value,
    "Department": Rendering.department_value,
    "Shot": Rendering.entity_value,
    "Scene": Rendering.entity_value,
    "TemporalEntity": Rendering.temporal_entity_value,
    "TemporalEntityType": Rendering.temporal_entity_type_value,
    "AssetType": Rendering.asset_type_value,
    "Sequence": Rendering.sequence_value,
    "Episode": Rendering.episode_value,
    "Asset": Rendering.asset_value,
    "Software": Rendering.software_value,
    "OutputType": Rendering.output_type_value,
    "Instance": Rendering.instance_value,
    "Representation": Rendering.representation_value,
    "Name": Rendering.name_value,
    "OutputFile": Rendering.name_value,
    "WorkingFile": Rendering.name_value,
    "Version": Rendering.revision_value,
    "Revision": Rendering.revision_value,
}


def folder_path(rendering, mode, sep):
    """The mode's root, then the folder template filled, its slashes turned into `sep`."""
    context = rendering.context
    root = context.root_path(mode, sep)
    style = context.style(mode, "folder_path")
    template = context.template(mode, "folder_path", rendering.entity, rendering.asset_instance)
    folder = rendering.fill(template, style).replace("/", sep)
    return join_path(root, folder, "")


def file_name(rendering, mode, nb_elements=1):
    """The file name template filled, then slugified whole in the mode's style (ids kept as
    they are, no representation); an output of several elements gets the `_[1-N]` range suffix."""
    context = rendering.context
    template = context.template(mode, "file_name", rendering.entity, rendering.asset_instance)
    # The reference names files without the representation (its folders carry it).
    rendering = copy.copy(rendering)
    rendering.representation = ""
    name = rendering.fill(template)  # the values lowercased first, as the reference does
    style = context.style(mode, "file_name")
    ids = UUID_PATTERN.findall(name)
    name = apply_style(slugify(name, separator="_"), style)
    for uuid in ids:
        name = name.replace(apply_style(slugify(uuid, separator="_"), style), uuid)
    if nb_elements > 1:
        name += f"_[1-{nb_elements}]"
    return name


def working_rendering(task, software=None, name="", revision=1):
    context = FileTreeContext(task.project)
    entity = context.entity(task.entity_id)
    return Rendering(context, entity, task=task, software=software, name=name, revision=revision)


def output_rendering(entity, output_type, task_type, name="", representation="", revision=1):
    context = FileTreeContext(entity.project)
    context._entities[entity.pk] = entity
    return Rendering(context, entity, task_type=task_type, output_type=output_type, name=name,
                     representation=representation, revision=revision)  # fmt: skip


def instance_rendering(asset_instance, temporal_entity, output_type, task_type, name="",
                       representation="", revision=1):  # fmt: skip
    """An instance's files live in the tree of the production of the shot or scene holding it."""
    context = FileTreeContext(temporal_entity.project)
    context._entities[temporal_entity.pk] = temporal_entity
    asset = context.entity(asset_instance.asset_id)
    return Rendering(context, temporal_entity, task_type=task_type, output_type=output_type,
                     asset_instance=asset_instance, asset=asset, name=name,
                     representation=representation, revision=revision)  # fmt: skip
