"""Project settings: the team, the linked task types / statuses / asset types / automations /
backgrounds, the softwares of task types, metadata descriptors and the preview account.

Writes run in one transaction and record the events the reference emits: a change of a
project's settings is a `project:update` (clients refetch the project), a descriptor change is
`metadata-descriptor:new|update|delete`. The reads the project lists need ("open" and "all"
with their extras) are at the end: a few flat queries for the whole list, never one per row.
"""

import datetime
import secrets
import uuid
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, F, Func, JSONField, Q
from django.utils import timezone
from rest_framework.exceptions import NotFound
from slugify import slugify

from assets.models import NON_ASSET_TYPE_NAMES, Entity, EntityType
from files.models import PreviewBackgroundFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from kitsu_server.core.rendering import render, render_rows
from people.models import DepartmentLink, Person, Software
from productions.models import (
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    Project,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    StatusAutomation,
)
from tasks.models import Task, TaskStatus, TaskType

# Statuses the reference reads as open in its studio-wide lists; a person's own lists know
# only "Open" (its get_open_status).
OPEN_STATUS_NAMES = ("Active", "open", "Open")
OPEN_STATUS = "Open"
# Entity types that are no asset type (their descriptors are not the assets').
NOT_ASSET_KINDS = NON_ASSET_TYPE_NAMES
TEMPORAL_KINDS = ("Shot", "Scene", "Sequence", "Episode", "Edit")
PREVIEW_OPEN_DURATION = datetime.timedelta(hours=1)
MIN_MOVIE_BITRATE = 1


def _highdef_bitrate():
    return int(getattr(settings, "MOVIE_HIGHDEF_BITRATE", 28))


def project_updated(project_id, user):
    """The event of every settings change: clients read the settings through the project."""
    record_event("project:update", {}, project_id=project_id, user=user)


def full_name(first_name, last_name):
    """The reference's `full_name`: both names with a space, or whichever is set."""
    if first_name and last_name:
        return f"{first_name} {last_name}"
    return f"{first_name or ''}{last_name or ''}"


# --- the team ----------------------------------------------------------------------------------


def add_team_member(project, person_id, role=None, user=None):
    """Put a person in the team (nothing changes when they are in it already), with a role on
    this project when given. A preview account only joins its own project."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise WrongParameter(f"Person with id {person_id} not found")
    if person.preview_project_id is not None and person.preview_project_id != project.pk:
        raise WrongParameter("A preview account can only belong to its own project")
    with transaction.atomic():
        _, created = ProjectPersonLink.objects.get_or_create(project=project, person=person)
        if created:
            _touch(project)
            project_updated(project.pk, user)
        if role is not None:
            update_team_member_role(project, person_id, role, user=user)
    return project


def remove_team_member(project, person_id, user=None):
    """Take a person out of the team; the reference answers the same whether they were in it."""
    with transaction.atomic():
        ProjectPersonLink.objects.filter(project=project, person_id=person_id).delete()
        _touch(project)
        project_updated(project.pk, user)


def update_team_member_role(project, person_id, role, user=None):
    """The role of a member on this project only; None restores their global role."""
    if role == "admin":
        raise WrongParameter("admin is a global role and cannot be set per project")
    if Person.objects.filter(pk=person_id, preview_project__isnull=False).exists():
        raise WrongParameter("A preview account keeps its client role")
    with transaction.atomic():
        updated = ProjectPersonLink.objects.filter(project=project, person_id=person_id).update(role=role)
        if not updated:
            raise WrongParameter("Person is not a member of the project team")
        project_updated(project.pk, user)
    return {"project_id": str(project.pk), "person_id": str(person_id), "role": role}


def team_rows(project, role):
    """The team as the reference shows it to `role` (the reader's role on the project): managers
    read every safe column, clients a name card, everyone else a minimal card."""
    roles = dict(ProjectPersonLink.objects.filter(project=project).values_list("person_id", "role"))
    members = Person.objects.filter(pk__in=list(roles)).order_by("first_name", "last_name", "pk")
    project_roles = {str(person_id): team_role for person_id, team_role in roles.items()}
    if role in ("admin", "manager"):
        rows = render_rows(members, relations=True)
        for row in rows:
            row["full_name"] = full_name(row["first_name"], row["last_name"])
            row["project_role"] = project_roles.get(row["id"])
        return rows
    columns = ["id", "first_name", "last_name", "has_avatar", "active", "role", "is_bot"]
    if role != "client":
        columns += ["studio_id", "desktop_login"]
    rows = []
    for values in members.values(*columns):
        row = {
            "id": str(values["id"]),
            "type": "Person",
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "full_name": full_name(values["first_name"], values["last_name"]),
            "has_avatar": values["has_avatar"],
            "active": values["active"],
        }
        if role != "client":
            # The reference's minimal card never loads the departments: always an empty list.
            row["departments"] = []
            row["studio_id"] = str(values["studio_id"]) if values["studio_id"] else None
        row["role"] = values["role"]
        if role != "client":
            row["desktop_login"] = values["desktop_login"]
        row["is_bot"] = values["is_bot"]
        row["project_role"] = project_roles.get(row["id"])
        rows.append(row)
    return rows


# --- linked settings ---------------------------------------------------------------------------

# kind: (model linked, link model, link column)
LINKED_SETTINGS = {
    "asset_types": (EntityType, ProjectAssetTypeLink, "asset_type_id"),
    "task_statuses": (TaskStatus, ProjectTaskStatusLink, "task_status_id"),
    "status_automations": (StatusAutomation, ProjectStatusAutomationLink, "status_automation_id"),
    "preview_background_files": (
        PreviewBackgroundFile,
        ProjectPreviewBackgroundFileLink,
        "preview_background_file_id",
    ),
    "task_types": (TaskType, ProjectTaskTypeLink, "task_type_id"),
}


def _touch(project):
    """The reference saves the project on each settings change: its `updated_at` moves."""
    project.updated_at = timezone.now()
    Project.objects.filter(pk=project.pk).update(updated_at=project.updated_at)


def add_setting(project, kind, linked_id, user=None):
    """Link a row to the project (an asset type, a task status...); a row linked already changes
    nothing and records no event, as on the reference."""
    model, link_model, column = LINKED_SETTINGS[kind]
    if not model.objects.filter(pk=linked_id).exists():
        raise WrongParameter(f"{model.__name__} with id {linked_id} not found")
    with transaction.atomic():
        _, created = link_model.objects.get_or_create(project_id=project.pk, **{column: linked_id})
        if created:
            _touch(project)
            project_updated(project.pk, user)
    return project


def remove_setting(project, kind, linked_id, user=None):
    """Unlink a row from the project; the reference saves and notifies even when it was not linked."""
    _, link_model, column = LINKED_SETTINGS[kind]
    with transaction.atomic():
        link_model.objects.filter(project_id=project.pk, **{column: linked_id}).delete()
        _touch(project)
        project_updated(project.pk, user)


def linked_rows(project, kind):
    """The rows of one setting of the project (its task types, statuses...), in their /data shape."""
    model, link_model, column = LINKED_SETTINGS[kind]
    linked = link_model.objects.filter(project_id=project.pk).values(column)
    order = "created_at" if model is StatusAutomation else "name"
    return render_rows(model.objects.filter(pk__in=linked).order_by(order, "pk"))


def check_movie_bitrates(bitrates, project):
    """The reference's bounds on the bitrates a change sets (Mbit/s): each within 1 and the
    high-definition ceiling, the low-definition one not above the high-definition one the
    movies will get (the change's, else the project's, else the ceiling)."""
    ceiling = _highdef_bitrate()
    for value in bitrates.values():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_MOVIE_BITRATE <= value <= ceiling:
            raise WrongParameter(
                f"Invalid bitrate {value}. Expected an integer number of Mbit/s between "
                f"{MIN_MOVIE_BITRATE} and {ceiling}."
            )
    lowdef = bitrates.get("ld_bitrate_compression")
    if lowdef is None:
        return
    highdef = min(
        bitrates.get("hd_bitrate_compression") or project.hd_bitrate_compression or ceiling, ceiling
    )
    if lowdef > highdef:
        raise WrongParameter(
            f"The low definition bitrate ({lowdef}) cannot exceed the high definition one ({highdef})."
        )


def add_task_type_setting(
    project, task_type_id, priority=None, bitrates=None, is_client_visible=None, user=None
):
    """Link a task type to the project. A link there already keeps its priority and takes the
    bitrates and the client visibility when given. The project is saved (and notified) anyway."""
    if not TaskType.objects.filter(pk=task_type_id).exists():
        raise WrongParameter(f"TaskType with id {task_type_id} not found")
    if bitrates is not None:
        check_movie_bitrates(bitrates, project)
    changes = dict(bitrates or {})
    if is_client_visible is not None:
        changes["is_client_visible"] = is_client_visible
    with transaction.atomic():
        link = ProjectTaskTypeLink.objects.filter(project=project, task_type_id=task_type_id).first()
        if link is None:
            ProjectTaskTypeLink.objects.create(
                project=project, task_type_id=task_type_id, priority=priority, **changes
            )
        elif changes:
            for name, value in changes.items():
                setattr(link, name, value)
            link.save()
        _touch(project)
        project_updated(project.pk, user)
    return project


def set_task_status_client_allowed(project, task_status_id, value, user=None):
    """Whether the project's clients may set a status (None: the studio's value). The status
    must be one of the project's: else 404, as on the reference."""
    link = ProjectTaskStatusLink.objects.filter(project=project, task_status_id=task_status_id).first()
    if link is None:
        raise NotFound("TaskStatus not found.")
    with transaction.atomic():
        link.is_client_allowed = value
        link.save()
        project_updated(project.pk, user)
    return link


def update_project_settings(
    project, task_types=(), task_status_ids=(), asset_type_ids=(), replace_task_types=False, user=None
):
    """Several settings in one call: task types (with priority and client visibility; a link
    there already takes a given priority), task statuses and asset types. Unknown ids are
    skipped. With `replace_task_types`, the task types given are the whole wanted set: other
    links go. A handful of queries whatever the number of ids."""
    wanted = {}
    for entry in task_types:
        wanted[entry["task_type_id"]] = entry  # the last entry of an id wins
    with transaction.atomic():
        links = {link.task_type_id: link for link in ProjectTaskTypeLink.objects.filter(project=project)}
        known = set(TaskType.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
        new_links, changed = [], []
        for task_type_id, entry in wanted.items():
            priority, visible = entry.get("priority"), entry.get("is_client_visible")
            link = links.get(task_type_id)
            if link is None:
                if task_type_id in known:
                    visibility = {} if visible is None else {"is_client_visible": visible}
                    new_links.append(
                        ProjectTaskTypeLink(
                            project=project, task_type_id=task_type_id, priority=priority, **visibility
                        )
                    )
                continue
            dirty = False
            if visible is not None and link.is_client_visible != visible:
                link.is_client_visible, dirty = visible, True
            if priority is not None and link.priority != priority:
                link.priority, dirty = priority, True
            if dirty:
                link.updated_at = timezone.now()
                changed.append(link)
        ProjectTaskTypeLink.objects.bulk_create(new_links)
        ProjectTaskTypeLink.objects.bulk_update(changed, ["priority", "is_client_visible", "updated_at"])
        if replace_task_types:
            ProjectTaskTypeLink.objects.filter(project=project).exclude(
                task_type_id__in=list(wanted)
            ).delete()
        _link_missing(project, TaskStatus, ProjectTaskStatusLink, "task_status_id", task_status_ids)
        _link_missing(project, EntityType, ProjectAssetTypeLink, "asset_type_id", asset_type_ids)
        _touch(project)
        project_updated(project.pk, user)
    return project


def _link_missing(project, model, link_model, column, ids):
    ids = list(dict.fromkeys(ids))
    if not ids:
        return
    existing = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    linked = set(link_model.objects.filter(project=project).values_list(column, flat=True))
    link_model.objects.bulk_create(
        [link_model(project=project, **{column: pk}) for pk in ids if pk in existing and pk not in linked]
    )


# --- softwares of the task types of a project ------------------------------------------------


def software_link_dict(project_id, task_type_id, software_id):
    return {"project_id": str(project_id), "task_type_id": str(task_type_id), "software_id": str(software_id)}


def task_type_software_rows(project):
    links = ProjectTaskTypeSoftwareLink.objects.filter(project=project).order_by(
        "task_type_id", "software_id"
    )
    return [
        software_link_dict(project_id, task_type_id, software_id)
        for project_id, task_type_id, software_id in links.values_list(
            "project_id", "task_type_id", "software_id"
        )
    ]


def add_task_type_software(project, task_type_id, software_id, user=None):
    """Give a task type of the project a software (not an archived one); a link there already
    is answered as is, without event."""
    if not ProjectTaskTypeLink.objects.filter(project=project, task_type_id=task_type_id).exists():
        raise WrongParameter("The task type is not a task type of the project.")
    software = Software.objects.filter(pk=software_id).first()
    if software is None:
        raise NotFound("Software not found.")
    if software.archived:
        raise WrongParameter("The software is archived.")
    with transaction.atomic():
        _, created = ProjectTaskTypeSoftwareLink.objects.get_or_create(
            project=project, task_type_id=task_type_id, software=software
        )
        if created:
            project_updated(project.pk, user)
    return software_link_dict(project.pk, task_type_id, software_id)


def remove_task_type_software(project, task_type_id, software_id, user=None):
    with transaction.atomic():
        deleted, _ = ProjectTaskTypeSoftwareLink.objects.filter(
            project=project, task_type_id=task_type_id, software_id=software_id
        ).delete()
        if deleted:
            project_updated(project.pk, user)


# --- metadata descriptors ------------------------------------------------------------------------

DESCRIPTOR_ENTITY_TYPES = ("Asset", "Shot", "Edit", "Episode", "Sequence", "Project", "Task")
ALL_PROJECTS_ENTITY_TYPES = ("Asset", "Shot", "Edit", "Episode", "Sequence", "Project")


def field_name_of(name):
    """The key a descriptor's values take in `data`: its name as a lower-case ASCII slug with
    underscores ("Difficulty Level" -> "difficulty_level", "Сцена" -> "stsena"), as the reference."""
    return slugify(name, separator="_")


class _JSONFunc(Func):
    """A JSON column expression written per database (PostgreSQL's jsonb, SQLite's JSON text)."""

    def __init__(self, column, *keys, **extra):
        super().__init__(F(column), **extra)
        self.keys = keys

    @staticmethod
    def path(key):
        return f'$."{key}"'

    def as_sql(self, compiler, connection, **extra):  # SQLite
        column, params = compiler.compile(self.source_expressions[0])
        return self.sqlite_sql(column), [*params, *self.sqlite_params()]

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return self.postgresql_sql(column), [*params, *self.postgresql_params()]

    def sqlite_params(self):
        return [self.path(key) for key in self.keys]

    def postgresql_params(self):
        return list(self.keys)


class JSONHasValue(_JSONFunc):
    """True where `data` holds `key` with a value other than null."""

    output_field = BooleanField()

    def sqlite_sql(self, column):
        return f"(json_type({column}, %s) <> 'null')"

    def postgresql_sql(self, column):
        return f"(jsonb_typeof({column} -> %s::text) <> 'null')"


class JSONHasKey(_JSONFunc):
    output_field = BooleanField()

    def sqlite_sql(self, column):
        return f"(json_type({column}, %s) IS NOT NULL)"

    def postgresql_sql(self, column):
        return f"(({column} -> %s::text) IS NOT NULL)"


class JSONWithoutKey(_JSONFunc):
    output_field = JSONField()

    def sqlite_sql(self, column):
        return f"json_remove({column}, %s)"

    def postgresql_sql(self, column):
        return f"({column} - %s::text)"


class JSONWithKeyRenamed(_JSONFunc):
    """`data` with the value of `old` moved to `new` (keys: old, new)."""

    output_field = JSONField()

    def sqlite_sql(self, column):
        return f"json_set(json_remove({column}, %s), %s, {column} -> %s)"

    def sqlite_params(self):
        old, new = self.keys
        return [self.path(old), self.path(new), self.path(old)]

    def postgresql_sql(self, column):
        return f"(({column} - %s::text) || jsonb_build_object(%s::text, {column} -> %s::text))"

    def postgresql_params(self):
        old, new = self.keys
        return [old, new, old]


def described_rows(descriptor):
    """The rows whose `data` holds the values of a descriptor: the project itself, the tasks of
    its task type, or the entities of its kind (every asset type for "Asset"); None for a kind
    that has no rows."""
    kind = descriptor.entity_type
    if kind == "Project":
        return Project.objects.filter(pk=descriptor.project_id)
    if kind == "Task":
        return Task.objects.filter(project_id=descriptor.project_id, task_type_id=descriptor.task_type_id)
    entities = Entity.objects.filter(project_id=descriptor.project_id)
    if kind == "Asset":
        return entities.exclude(entity_type__name__in=NOT_ASSET_KINDS)
    if kind in TEMPORAL_KINDS:
        return entities.filter(entity_type__name=kind)
    return None


def move_descriptor_values(descriptor, new_field_name):
    """Rename the key of a descriptor's values in every row that holds one: one UPDATE, however
    many rows (a null value stays under its old key, as on the reference)."""
    rows = described_rows(descriptor)
    if rows is None:
        return 0
    old = descriptor.field_name
    return rows.filter(JSONHasValue("data", old)).update(
        data=JSONWithKeyRenamed("data", old, new_field_name), updated_at=timezone.now()
    )


def strip_descriptor_values(descriptor):
    """Remove a descriptor's values from every row that holds one: one UPDATE."""
    rows = described_rows(descriptor)
    if rows is None:
        return 0
    key = descriptor.field_name
    return rows.filter(JSONHasKey("data", key)).update(
        data=JSONWithoutKey("data", key), updated_at=timezone.now()
    )


def _department_ids(department_ids):
    """The departments among `department_ids` that exist (unknown ones are dropped, as the
    reference does)."""
    from people.models import Department

    return list(
        Department.objects.filter(pk__in=[pk for pk in department_ids if pk]).values_list("pk", flat=True)
    )


def _check_descriptor_name(project_id, entity_type, task_type_id, name, field_name, exclude_id=None):
    length = MetadataDescriptor._meta.get_field("name").max_length
    if len(name) > length or len(field_name) > MetadataDescriptor._meta.get_field("field_name").max_length:
        raise WrongParameter("Metadata descriptor name is too long.")
    twins = MetadataDescriptor.objects.filter(project_id=project_id, entity_type=entity_type).filter(
        Q(name=name) | Q(field_name=field_name)
    )
    twins = twins.filter(task_type_id=task_type_id) if task_type_id else twins.filter(task_type__isnull=True)
    if exclude_id is not None:
        twins = twins.exclude(pk=exclude_id)
    if twins.exists():
        raise WrongParameter("Metadata descriptor already exists.")


def add_metadata_descriptor(
    project_id,
    entity_type,
    name,
    data_type,
    choices,
    for_client,
    departments=(),
    task_type_id=None,
    user=None,
):
    """A custom field of `entity_type` in a project: its values go to the `data` of the project,
    of the tasks of `task_type_id` ("Task"), or of the entities of that kind."""
    field_name = field_name_of(name)
    _check_descriptor_name(project_id, entity_type, task_type_id, name, field_name)
    department_ids = _department_ids(departments)
    try:
        with transaction.atomic():
            descriptor = MetadataDescriptor.objects.create(
                project_id=project_id,
                entity_type=entity_type,
                task_type_id=task_type_id,
                name=name,
                data_type=data_type,
                choices=choices,
                for_client=for_client,
                field_name=field_name,
            )
            descriptor.departments.set(department_ids)
            record_event(
                "metadata-descriptor:new",
                {"metadata_descriptor_id": str(descriptor.pk)},
                project_id=project_id,
                user=user,
            )
    except IntegrityError:
        raise WrongParameter("Metadata descriptor already exists.") from None
    return descriptor


def update_metadata_descriptor(descriptor, changes, user=None):
    """Apply `changes` (for_client, data_type, choices, departments and, when set, a new name).
    A new name renames the field: its values move to the new key in the same transaction."""
    changes = dict(changes)
    if not changes.get("name"):
        changes.pop("name", None)
    with transaction.atomic():
        if "name" in changes:
            field_name = field_name_of(changes["name"])
            _check_descriptor_name(
                descriptor.project_id,
                descriptor.entity_type,
                descriptor.task_type_id,
                changes["name"],
                field_name,
                exclude_id=descriptor.pk,
            )
            if field_name != descriptor.field_name:
                move_descriptor_values(descriptor, field_name)
            changes["field_name"] = field_name
        departments = changes.pop("departments", None)
        for column, value in changes.items():
            setattr(descriptor, column, value)
        descriptor.save()
        if departments is not None:
            descriptor.departments.set(_department_ids(departments))
        record_event(
            "metadata-descriptor:update",
            {"metadata_descriptor_id": str(descriptor.pk)},
            project_id=descriptor.project_id,
            user=user,
        )
    return descriptor


def remove_metadata_descriptor(descriptor, user=None):
    """Delete a descriptor and its values in every row that held one."""
    descriptor_id, project_id = str(descriptor.pk), descriptor.project_id
    with transaction.atomic():
        strip_descriptor_values(descriptor)
        descriptor.delete()
        record_event(
            "metadata-descriptor:delete",
            {"metadata_descriptor_id": descriptor_id},
            project_id=project_id,
            user=user,
        )
    return descriptor_id


def in_column_order(descriptors):
    """Descriptors by position (unplaced ones last), then name: the order of the columns."""
    return descriptors.order_by("project_id", F("position").asc(nulls_last=True), "name", "pk")


def ordered_descriptors(project_ids, entity_type):
    return in_column_order(
        MetadataDescriptor.objects.filter(project_id__in=project_ids, entity_type=entity_type)
    )


def reorder_metadata_descriptors(project_id, entity_type, descriptor_ids):
    """Positions 1, 2, 3... in the given order; the descriptors not listed follow, by name.
    The reference records no event for it."""
    descriptors = list(MetadataDescriptor.objects.filter(project_id=project_id, entity_type=entity_type))
    by_id = {str(descriptor.pk): descriptor for descriptor in descriptors}
    for descriptor_id in descriptor_ids:
        if descriptor_id not in by_id:
            raise WrongParameter(
                f"Descriptor {descriptor_id} not found for project {project_id} and entity type {entity_type}"
            )
    _set_positions(descriptors, descriptor_ids)
    return ordered_descriptors([project_id], entity_type)


def _set_positions(descriptors, descriptor_ids):
    by_id = {str(descriptor.pk): descriptor for descriptor in descriptors}
    listed = list(dict.fromkeys(descriptor_ids))
    rest = sorted((d for d in descriptors if str(d.pk) not in listed), key=lambda d: d.name)
    now = timezone.now()
    ordered = [by_id[descriptor_id] for descriptor_id in listed] + rest
    for position, descriptor in enumerate(ordered, start=1):
        descriptor.position, descriptor.updated_at = position, now
    with transaction.atomic():
        MetadataDescriptor.objects.bulk_update(ordered, ["position", "updated_at"])


# --- metadata descriptors shared by every project a manager runs -------------------------------


def managed_open_project_ids(access):
    """The open projects a studio-wide descriptor change reaches: every open one for an admin,
    else the open projects of the person's team where they are manager."""
    if access.is_admin:
        return list(
            Project.objects.filter(project_status__name__in=OPEN_STATUS_NAMES)
            .order_by("name")
            .values_list("pk", flat=True)
        )
    memberships = (
        ProjectPersonLink.objects.filter(
            person_id=access.person.pk, project__project_status__name=OPEN_STATUS
        )
        .order_by("project__name")
        .values_list("project_id", "role")
    )
    return [
        project_id
        for project_id, role in memberships
        if (role if role not in (None, "admin") else access.role) == "manager"
    ]


def add_metadata_descriptor_to_projects(
    project_ids, entity_type, name, data_type, choices, for_client, departments, user=None
):
    """The same descriptor in each project that has none of that field name for that kind."""
    field_name = field_name_of(name)
    owners = set(
        MetadataDescriptor.objects.filter(
            project_id__in=project_ids, entity_type=entity_type, field_name=field_name
        ).values_list("project_id", flat=True)
    )
    with transaction.atomic():
        return [
            add_metadata_descriptor(
                project_id, entity_type, name, data_type, choices, for_client, departments, user=user
            )
            for project_id in project_ids
            if project_id not in owners
        ]


def update_metadata_descriptor_on_projects(project_ids, entity_type, field_name, changes, user=None):
    """Every descriptor of that field name and kind in the projects; a new name is checked on
    all of them first, so that a refusal leaves them all as they were."""
    descriptors = list(
        MetadataDescriptor.objects.filter(
            project_id__in=project_ids, entity_type=entity_type, field_name=field_name
        )
    )
    name = changes.get("name")
    if name:
        new_field_name = field_name_of(name)
        for descriptor in descriptors:
            _check_descriptor_name(
                descriptor.project_id,
                descriptor.entity_type,
                descriptor.task_type_id,
                name,
                new_field_name,
                exclude_id=descriptor.pk,
            )
    with transaction.atomic():
        return [update_metadata_descriptor(descriptor, changes, user=user) for descriptor in descriptors]


def remove_metadata_descriptor_from_projects(project_ids, entity_type, field_name, user=None):
    descriptors = MetadataDescriptor.objects.filter(
        project_id__in=project_ids, entity_type=entity_type, field_name=field_name
    )
    with transaction.atomic():
        return [remove_metadata_descriptor(descriptor, user=user) for descriptor in list(descriptors)]


def reorder_metadata_descriptors_on_projects(project_ids, entity_type, field_order):
    """The same column order (by field name) in each project; the descriptors of each project
    that are not listed follow, by name. Projects with none of the fields are left alone."""
    by_project = defaultdict(list)
    for descriptor in MetadataDescriptor.objects.filter(project_id__in=project_ids, entity_type=entity_type):
        by_project[descriptor.project_id].append(descriptor)
    touched = []
    with transaction.atomic():
        for project_id in project_ids:
            descriptors = by_project.get(project_id, [])
            by_field = {descriptor.field_name: str(descriptor.pk) for descriptor in descriptors}
            ordered = [by_field[name] for name in field_order if name in by_field]
            if ordered:
                _set_positions(descriptors, ordered)
                touched.append(project_id)
    # Each project's descriptors in order, the projects in the order they were given.
    rank = {project_id: index for index, project_id in enumerate(touched)}
    rows = render_rows(ordered_descriptors(touched, entity_type), relations=True)
    return sorted(rows, key=lambda row: rank[_uuid(row["project_id"])])


def _uuid(value):
    return uuid.UUID(value)


# --- the preview account ---------------------------------------------------------------------


def preview_account_dict(person):
    until = person.preview_open_until
    if until is not None and timezone.is_aware(until):
        until = timezone.make_naive(until, datetime.UTC)
    return {
        "id": str(person.pk),
        "email": person.email,
        "full_name": full_name(person.first_name, person.last_name),
        "preview_open_until": until.isoformat() if until is not None else None,
    }


def preview_account(project):
    return Person.objects.filter(preview_project=project).first()


def create_or_reset_preview_account(project, user=None):
    """Create the project's preview account (a client of its team), or give it a new password.
    Its access window is closed in both cases. Returns the account and its clear password."""
    if getattr(settings, "AUTH_STRATEGY", "auth_local_classic") != "auth_local_classic":
        raise WrongParameter("Preview accounts require the local authentication strategy")
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        person = preview_account(project)
        if person is None:
            person = Person.objects.create_user(
                email=f"preview-{secrets.token_hex(6)}@preview.kitsu.invalid",
                password=password,
                first_name="Preview",
                last_name=project.name,
                role="client",
                preview_project=project,
            )
            add_team_member(project, person.pk, user=user)
        else:
            person.set_password(password)
            person.preview_opened_at = None
            person.preview_open_until = None
            person.save()
    return person, password


def set_preview_account_open(project, is_open):
    """Open the access window for an hour (an open one is extended), or close it."""
    person = preview_account(project)
    if person is None:
        raise NotFound("No preview account for this project")
    if is_open:
        now = timezone.now()
        if person.preview_open_until is None or person.preview_open_until < now:
            person.preview_opened_at = now
        person.preview_open_until = now + PREVIEW_OPEN_DURATION
    else:
        person.preview_opened_at = None
        person.preview_open_until = None
    with transaction.atomic():
        person.save()
    return person


def delete_preview_account(project, user=None):
    from kitsu_server.core.deletion import remove_preview_account

    with transaction.atomic():
        remove_preview_account(project, user=user)


# --- reads: the project lists and their extras ------------------------------------------------


def descriptor_dicts(criteria):
    """{project id: [descriptor as the project lists embed it]}: two queries for all projects."""
    rows = list(
        MetadataDescriptor.objects.filter(criteria)
        .order_by(F("position").asc(nulls_last=True), "name", "pk")
        .values(
            "id",
            "project_id",
            "name",
            "field_name",
            "data_type",
            "choices",
            "for_client",
            "entity_type",
            "task_type_id",
            "position",
        )
    )
    departments = defaultdict(list)
    links = DepartmentMetadataDescriptorLink.objects.filter(
        metadata_descriptor_id__in=[row["id"] for row in rows]
    )
    for descriptor_id, department_id in links.values_list("metadata_descriptor_id", "department_id"):
        departments[descriptor_id].append(str(department_id))
    by_project = defaultdict(list)
    for row in rows:
        by_project[str(row["project_id"])].append(
            {
                "id": str(row["id"]),
                "name": row["name"],
                "field_name": row["field_name"],
                "data_type": row["data_type"],
                "choices": row["choices"],
                "for_client": row["for_client"] or False,
                "entity_type": row["entity_type"],
                "task_type_id": str(row["task_type_id"]) if row["task_type_id"] else None,
                "position": row["position"],
                "departments": departments.get(row["id"], []),
            }
        )
    return by_project


def descriptor_visibility(role, person):
    """What narrows the descriptors a `role` reads (None: nothing): clients the ones published
    to clients, vendors the ones of their departments or of no department."""
    if role == "client":
        return Q(for_client=True)
    if role == "vendor":
        linked = DepartmentMetadataDescriptorLink.objects.values("metadata_descriptor_id")
        mine = linked.filter(
            department_id__in=DepartmentLink.objects.filter(person_id=person.pk).values("department_id")
        )
        return ~Q(pk__in=linked) | Q(pk__in=mine)
    return None


def visible_descriptors(project, role, person):
    """The descriptors of a project that `person`, holding `role` there, reads, in column order."""
    descriptors = MetadataDescriptor.objects.filter(project=project)
    narrowing = descriptor_visibility(role, person)
    if narrowing is not None:
        descriptors = descriptors.filter(narrowing)
    return in_column_order(descriptors)


def _visible_descriptors_criteria(access, project_ids):
    """One criterion per role held on the listed projects (a role can be set per project)."""
    if access.is_admin:
        return Q(project_id__in=project_ids)
    roles = dict(
        ProjectPersonLink.objects.filter(person_id=access.person.pk, project_id__in=project_ids).values_list(
            "project_id", "role"
        )
    )
    by_role = defaultdict(list)
    for project_id in project_ids:
        role = roles.get(project_id)
        by_role[role if role not in (None, "admin") else access.role].append(project_id)
    criteria = Q(pk__in=[])
    for role, ids in by_role.items():
        criterion = Q(project_id__in=ids)
        narrowing = descriptor_visibility(role, access.person)
        criteria |= criterion & narrowing if narrowing is not None else criterion
    return criteria


def _first_episodes(project_ids):
    """{project id: id of the episode a TV show opens on}: its first running episode by name,
    else its first episode."""
    if not project_ids:
        return {}
    episodes = (
        Entity.objects.filter(project_id__in=project_ids, entity_type__name="Episode")
        .order_by("project_id", "name")
        .values_list("project_id", "id", "status")
    )
    first_running, first_any = {}, {}
    for project_id, episode_id, status in episodes:
        first_any.setdefault(project_id, episode_id)
        if status == "running":
            first_running.setdefault(project_id, episode_id)
    return {
        str(project_id): str(first_running.get(project_id, episode_id))
        for project_id, episode_id in first_any.items()
    }


def open_project_rows(access, name=None):
    """The open projects the person reaches (admins: all), each with its relations, its
    descriptors (narrowed on the role held there), its task type and status links and, for a
    TV show, its first episode. About ten queries for the whole list."""
    if access.is_admin:
        projects = Project.objects.filter(project_status__name__in=OPEN_STATUS_NAMES)
    else:
        projects = Project.objects.filter(
            project_status__name=OPEN_STATUS,
            pk__in=ProjectPersonLink.objects.filter(person_id=access.person.pk).values("project_id"),
        )
    if name is not None:
        projects = projects.filter(name=name)
    return with_project_extras(access, render_rows(projects.order_by("name"), relations=True))


def with_project_extras(access, rows):
    """Project rows with what the web UI reads along with them: the descriptors (narrowed on
    the role held on each project), the task type and status links and, for a TV show, its
    first episode. Six queries whatever the number of rows."""
    if not rows:
        return rows
    project_ids = [_uuid(row["id"]) for row in rows]
    descriptors = descriptor_dicts(_visible_descriptors_criteria(access, project_ids))
    task_type_links = defaultdict(dict)
    for link in ProjectTaskTypeLink.objects.filter(project_id__in=project_ids).values(
        "project_id",
        "task_type_id",
        "priority",
        "hd_bitrate_compression",
        "ld_bitrate_compression",
        "is_client_visible",
    ):
        task_type_links[str(link["project_id"])][str(link["task_type_id"])] = {
            "priority": link["priority"],
            "hd_bitrate_compression": link["hd_bitrate_compression"],
            "ld_bitrate_compression": link["ld_bitrate_compression"],
            "is_client_visible": link["is_client_visible"],
        }
    task_status_links = defaultdict(dict)
    for link in ProjectTaskStatusLink.objects.filter(project_id__in=project_ids).values(
        "project_id", "task_status_id", "priority", "roles_for_board", "is_client_allowed"
    ):
        task_status_links[str(link["project_id"])][str(link["task_status_id"])] = {
            "priority": link["priority"],
            "roles_for_board": link["roles_for_board"],
            "is_client_allowed": link["is_client_allowed"],
        }
    first_episodes = _first_episodes([_uuid(row["id"]) for row in rows if row["production_type"] == "tvshow"])
    for row in rows:
        project_id = row["id"]
        row["descriptors"] = descriptors.get(project_id, [])
        row["task_type_links"] = task_type_links.get(project_id, {})
        row["task_types_priority"] = {
            task_type_id: link["priority"] for task_type_id, link in row["task_type_links"].items()
        }
        row["task_statuses_link"] = task_status_links.get(project_id, {})
        if project_id in first_episodes:
            row["first_episode_id"] = first_episodes[project_id]
    return rows


def all_project_rows(access, name=None):
    """Every project (admins, with its status name and its project descriptors), or those of
    the person's team (plain rows). With `name` (case-insensitive): that one project, or a 404."""
    if access.is_admin:
        projects = Project.objects.all()
    else:
        projects = Project.objects.filter(
            pk__in=ProjectPersonLink.objects.filter(person_id=access.person.pk).values("project_id")
        )
    if name is not None:
        project = projects.filter(name__iexact=name).order_by("name").first()
        if project is None:
            raise NotFound("Project not found.")
        return [render(project, relations=False)]
    projects = projects.filter(project_status__isnull=False).order_by("name")
    rows = render_rows(projects)
    if not access.is_admin or not rows:
        return rows
    status_names = dict(projects.values_list("pk", "project_status__name"))
    descriptors = descriptor_dicts(Q(entity_type="Project"))
    for row in rows:
        row["project_status_name"] = status_names.get(_uuid(row["id"]))
        row["descriptors"] = descriptors.get(row["id"], [])
    return rows
