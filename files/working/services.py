"""Writes of working and output files: a new revision with its path from the production's file
tree, a working file's comment and modification date, its stored binary. Each owns its
transaction and records its events."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from files.models import FileStatus, OutputFile, WorkingFile
from files.working import file_tree
from files.working.queries import last_output_revision, next_working_revision
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from tasks.models import TaskPersonLink

DEFAULT_FILE_STATUS = {"name": "To review", "color": "#FFFFFF"}  # the reference's default
DEFAULT_WORKING_SOFTWARE = {"name": "Blender", "short_name": "blender", "file_extension": ".blend"}
DEFAULT_PATH_SOFTWARE = {"name": "3ds Max", "short_name": "max", "file_extension": ".max"}
PATH_MAX_LENGTH = 400  # the path column


class FileTreeError(WrongParameter):
    """The production's file tree cannot render the path asked for (a 400 naming why)."""


def checked_path(path):
    if len(path) > PATH_MAX_LENGTH:
        raise WrongParameter(f"The generated path is longer than {PATH_MAX_LENGTH} characters.")
    return path


def assign_author(task, person):
    """The reference assigns whoever creates a working file to its task."""
    link, created = TaskPersonLink.objects.get_or_create(task_id=task.pk, person_id=person.pk)
    if created:
        data = {"task_id": str(task.pk), "person_id": str(person.pk)}
        record_event("task:assign", data, project_id=task.project_id, user=person)
        record_event("task:update", {"task_id": str(task.pk)}, project_id=task.project_id, user=person)


def software_or_default(software, default):
    """`software`, else the reference's default one (made when the studio has none)."""
    return software or file_tree.get_or_create_software(**default)


def rendered(render):
    """`render()`, a malformed tree a 400."""
    try:
        return render()
    except file_tree.MalformedFileTree as error:
        raise FileTreeError(str(error)) from None


@transaction.atomic
def working_file_path(task, software, name, mode, revision, sep):
    """(folder, file name) of a working file of the task; nothing is kept of the rows a template
    makes on the fly (a default software) when the tree cannot render it."""
    software = software_or_default(software, DEFAULT_PATH_SOFTWARE)
    revision = revision or next_working_revision(task, name)
    rendering = file_tree.working_rendering(task, software, name, revision)
    return rendered(
        lambda: (file_tree.folder_path(rendering, mode, sep), file_tree.file_name(rendering, mode))
    )


@transaction.atomic
def output_file_path(rendering, mode, sep, file_rendering=None):
    """{folder_path, file_name} of an output (the file name from `file_rendering` when given:
    the reference names the file with the computed revision, the folder with the one asked)."""
    return rendered(
        lambda: {
            "folder_path": file_tree.folder_path(rendering, mode, sep),
            "file_name": file_tree.file_name(file_rendering or rendering, mode),
        }
    )


@transaction.atomic
def new_working_file(task, author, person, software, name, mode="working", comment="", revision=0, sep="/"):
    """A new revision of the task's working file `name` (the next one when `revision` is 0),
    its path built from the working templates; the author becomes an assignee of the task."""
    software = software_or_default(software, DEFAULT_WORKING_SOFTWARE)
    assign_author(task, author)
    if revision == 0:
        revision = next_working_revision(task, name)
    rendering = file_tree.working_rendering(task, software=software, name=name, revision=revision)
    # The folder keeps the server's separator, the file name is joined with `sep`: the reference's.
    folder, file_name = rendered(
        lambda: (file_tree.folder_path(rendering, mode, "/"), file_tree.file_name(rendering, mode))
    )
    path = checked_path(f"{folder}{sep}{file_name}")
    twins = WorkingFile.objects.filter(
        name=name, task_id=task.pk, entity_id=task.entity_id, revision=revision
    )
    if twins.exists():
        raise WrongParameter("The given working file already exists.")
    try:
        with transaction.atomic():
            working_file = WorkingFile.objects.create(
                name=name,
                comment=comment,
                revision=revision,
                path=path,
                task_id=task.pk,
                entity_id=task.entity_id,
                software=software,
                person=person,
            )
    except IntegrityError:
        raise WrongParameter("The given working file already exists.") from None
    data = {"working_file_id": str(working_file.pk)}
    record_event("working-file:new", data, project_id=task.project_id, user=author)
    return working_file


def default_file_status():
    return FileStatus.objects.get_or_create(
        name=DEFAULT_FILE_STATUS["name"], defaults={"color": DEFAULT_FILE_STATUS["color"]}
    )[0]


@transaction.atomic
def new_output_file(author, entity, output_type, task_type, person, values, asset_instance=None,
                    temporal_entity=None):  # fmt: skip
    """A new output file of the entity (or of an asset instance in a shot or scene: then
    `entity` is the instance's asset), the next revision of its name, type and task type unless
    `values["revision"]` forces one; its path from the "output" templates. Returns the file and
    its (folder path, file name)."""
    name = values["name"]
    representation = values["representation"]
    instance_id = asset_instance.pk if asset_instance is not None else None
    temporal_id = temporal_entity.pk if temporal_entity is not None else None
    revision = values["revision"]
    if revision < 1:
        revision = 1 + last_output_revision(
            entity.pk, output_type.pk, task_type.pk, name, instance_id, temporal_id
        )
    if asset_instance is None:
        rendering = file_tree.output_rendering(entity, output_type, task_type, name, representation, revision)
    else:
        rendering = file_tree.instance_rendering(
            asset_instance, temporal_entity, output_type, task_type, name, representation, revision
        )
    sep = values["sep"]
    # The reference gives the range suffix to an entity's outputs only.
    elements = values["nb_elements"] if asset_instance is None else 1
    folder, name_of_file = rendered(
        lambda: (
            file_tree.folder_path(rendering, "output", sep),
            file_tree.file_name(rendering, "output", elements),
        )
    )
    path = checked_path(f"{folder}{sep}{name_of_file}{values['extension']}")
    key = {
        "name": name,
        "entity_id": entity.pk,
        "asset_instance_id": instance_id,
        "output_type_id": output_type.pk,
        "task_type_id": task_type.pk,
        "temporal_entity_id": temporal_id,
        "representation": representation,
        "revision": revision,
    }
    if OutputFile.objects.filter(**key).exists():
        raise WrongParameter("The given output file already exists.")
    try:
        with transaction.atomic():
            output_file = OutputFile.objects.create(
                **key,
                comment=values["comment"],
                extension=values["extension"],
                nb_elements=values["nb_elements"],
                person_id=person.pk,
                source_file_id=values.get("working_file_id"),
                file_status_id=values.get("file_status_id") or default_file_status().pk,
                path=path,
            )
    except IntegrityError:
        raise WrongParameter("The given output file already exists.") from None
    data = {"output_file_id": str(output_file.pk)}
    record_event("output-file:new", data, project_id=entity.project_id, user=author)
    return output_file, folder, name_of_file


@transaction.atomic
def update_working_file(working_file, author, **values):
    """Set the given columns (the comment; or nothing, to mark it modified now)."""
    for column, value in values.items():
        setattr(working_file, column, value)
    working_file.updated_at = timezone.now()
    working_file.save()
    project_id = working_file.task.project_id if working_file.task_id else None
    record_event("working-file:update", {"working_file_id": str(working_file.pk)}, project_id, author)
    return working_file
