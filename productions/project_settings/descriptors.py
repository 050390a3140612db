"""Writes of a production's metadata descriptors (its custom fields), one project's or the same
field across every project a manager runs. Each runs in one transaction and records the
reference's `metadata-descriptor:new|update|delete`; a rename or a removal moves the values
stored in the rows' `data` in the same transaction (productions.project_settings.descriptor_values).
"""

import uuid
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from slugify import slugify

from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from kitsu_server.core.rendering import render_rows
from productions.models import MetadataDescriptor
from productions.project_settings.descriptor_values import move_descriptor_values, strip_descriptor_values
from productions.project_settings.queries import ordered_descriptors

DESCRIPTOR_ENTITY_TYPES = ("Asset", "Shot", "Edit", "Episode", "Sequence", "Project", "Task")
ALL_PROJECTS_ENTITY_TYPES = ("Asset", "Shot", "Edit", "Episode", "Sequence", "Project")


def field_name_of(name):
    """The key a descriptor's values take in `data`: its name as a lower-case ASCII slug with
    underscores ("Difficulty Level" -> "difficulty_level", "Сцена" -> "stsena"), as the reference."""
    return slugify(name, separator="_")


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
    return sorted(rows, key=lambda row: rank[uuid.UUID(row["project_id"])])
