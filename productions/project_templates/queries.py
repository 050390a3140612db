"""Reads of project templates: the template of a URL, the rows a body names, a template's links
of each kind (a fixed number of queries each) and a project's descriptors as snapshot entries."""

import uuid

from django.db.models import Value
from django.db.models.functions import Coalesce

from assets.models import EntityType
from files.models import PreviewBackgroundFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.rendering import render_rows
from productions.models import (
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    ProjectTemplate,
    ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
    StatusAutomation,
)
from tasks.models import TaskStatus, TaskType


class TemplateNotFound(LookupError):
    """No template of that id (raised where the reference checks, for the view to answer 404)."""


def parse_template_id(value):
    """The template id of a URL; a malformed one names no template (404, as on the reference)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise TemplateNotFound from None


def get_template(template_id):
    template = ProjectTemplate.objects.filter(pk=parse_template_id(template_id)).first()
    if template is None:
        raise TemplateNotFound
    return template


def linked_row(model, value, field_name, label):
    """The row a body's `<field_name>` names, or the reference's 400 when malformed or missing."""
    try:
        pk = uuid.UUID(str(value)) if value else None
    except ValueError:
        pk = None
    if pk is None:
        raise WrongParameter(f"{field_name} is required and must be a valid UUID")
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise WrongParameter(f"{label} {value} does not exist")
    return row


def linked_rows(model, values, field_name, label):
    """Every row of `values` in their order (one query), with `linked_row`'s errors."""
    pks = []
    for value in values:
        try:
            pks.append(uuid.UUID(str(value)) if value else None)
        except ValueError:
            pks.append(None)
        if pks[-1] is None:
            raise WrongParameter(f"{field_name} is required and must be a valid UUID")
    found = model.objects.in_bulk(set(pks))
    for value, pk in zip(values, pks, strict=True):
        if pk not in found:
            raise WrongParameter(f"{label} {value} does not exist")
    return [found[pk] for pk in pks]


# --- a template's links -------------------------------------------------------------------------


def template_task_types(template):
    """The template's task types, each with its link's priority, bitrates and client visibility,
    by priority then name (3 queries with the template's)."""
    links = (
        ProjectTemplateTaskTypeLink.objects.filter(project_template=template)
        .order_by(Coalesce("priority", Value(0)), "task_type__name", "task_type_id")
        .values(
            "task_type_id",
            "priority",
            "hd_bitrate_compression",
            "ld_bitrate_compression",
            "is_client_visible",
        )
    )
    rows = {row["id"]: row for row in render_rows(TaskType.objects.filter(project_templates=template))}
    result = []
    for link in links:
        row = rows[str(link["task_type_id"])]
        row["priority"] = link["priority"]
        row["hd_bitrate_compression"] = link["hd_bitrate_compression"]
        row["ld_bitrate_compression"] = link["ld_bitrate_compression"]
        row["is_client_visible"] = link["is_client_visible"]
        result.append(row)
    return result


def template_task_statuses(template):
    """The template's task statuses, each with its link's priority, board roles and client flag
    (`link_is_client_allowed`: null inherits the status's own), by priority then name."""
    links = (
        ProjectTemplateTaskStatusLink.objects.filter(project_template=template)
        .order_by(Coalesce("priority", Value(0)), "task_status__name", "task_status_id")
        .values("task_status_id", "priority", "roles_for_board", "is_client_allowed")
    )
    rows = {row["id"]: row for row in render_rows(TaskStatus.objects.filter(project_templates=template))}
    result = []
    for link in links:
        row = rows[str(link["task_status_id"])]
        row["priority"] = link["priority"]
        row["roles_for_board"] = list(link["roles_for_board"] or [])
        row["link_is_client_allowed"] = link["is_client_allowed"]
        result.append(row)
    return result


def asset_type_entry(asset_type):
    return {"id": str(asset_type["id"]), "name": asset_type["name"]}


def template_asset_types(template):
    """`{id, name}` of the template's asset types, by name."""
    rows = EntityType.objects.filter(project_templates=template).order_by("name", "pk").values("id", "name")
    return [asset_type_entry(row) for row in rows]


def template_status_automations(template):
    """The template's status automations, in their /data shape, oldest first."""
    return render_rows(
        StatusAutomation.objects.filter(project_templates=template).order_by("created_at", "pk")
    )


def background_entry(background):
    return {
        "id": str(background["id"]),
        "name": background["name"],
        "is_default": bool(background["is_default"]),
    }


def template_preview_background_files(template):
    """`{id, name, is_default}` of the template's preview backgrounds, by name."""
    rows = (
        PreviewBackgroundFile.objects.filter(project_templates=template)
        .order_by("name", "pk")
        .values("id", "name", "is_default")
    )
    return [background_entry(row) for row in rows]


def snapshot_descriptors(project):
    """The project's descriptors as template snapshot entries (2 queries)."""
    descriptors = list(
        MetadataDescriptor.objects.filter(project=project)
        .order_by("created_at", "pk")
        .values(
            "id",
            "name",
            "field_name",
            "entity_type",
            "task_type_id",
            "data_type",
            "choices",
            "for_client",
            "position",
        )
    )
    departments = {}
    for descriptor_id, department_id in DepartmentMetadataDescriptorLink.objects.filter(
        metadata_descriptor__project=project
    ).values_list("metadata_descriptor_id", "department_id"):
        departments.setdefault(descriptor_id, []).append(str(department_id))
    return [
        {
            "name": row["name"],
            "field_name": row["field_name"],
            "entity_type": row["entity_type"],
            "task_type_id": str(row["task_type_id"]) if row["task_type_id"] is not None else None,
            "data_type": row["data_type"],
            "choices": row["choices"] or [],
            "for_client": bool(row["for_client"]),
            "departments": departments.get(row["id"], []),
            "position": row["position"],
        }
        for row in descriptors
    ]
