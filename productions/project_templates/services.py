"""Project templates: what a template holds, its link writes, snapshotting a project into a template
and applying a template to a project (the reference's project_templates_service).

A template is a production's configuration without production data: settings (fps, ratio, style,
client visibility...), task types and task statuses with their priorities (and bitrates, board
roles, client flags stored on the link), asset types, status automations, preview backgrounds with
a default one, and a snapshot of metadata descriptors (a JSON list: no descriptor row exists
without a project). Applying one to a project is additive: links the project already has are kept.

Every write runs in one transaction and records the reference's `project-template:<action>`
event; applying a template records `metadata-descriptor:new` per descriptor it creates, then
`project:update`. The reads are in productions.project_templates.queries.
"""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from people.models import Department
from productions.models import (
    METADATA_DESCRIPTOR_TYPES,
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    ProjectAssetTypeLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTemplate,
    ProjectTemplateAssetTypeLink,
    ProjectTemplatePreviewBackgroundFileLink,
    ProjectTemplateStatusAutomationLink,
    ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
)
from productions.project_settings.descriptors import field_name_of
from productions.project_templates.queries import background_entry, snapshot_descriptors
from tasks.models import TaskType

# The settings a template and a project share (copied both ways). Name, description, dates, team
# and production data never travel; file_tree and data are handled on their own.
PRODUCTION_SETTING_FIELDS = (
    "fps",
    "ratio",
    "resolution",
    "production_type",
    "production_style",
    "max_retakes",
    "is_clients_isolated",
    "is_preview_download_allowed",
    "is_set_preview_automated",
    "is_publish_default_for_artists",
    "homepage",
    "hd_bitrate_compression",
    "ld_bitrate_compression",
    "is_client_stats_visible",
    "is_client_task_list_visible",
    "is_client_task_panel_visible",
)
DUPLICATE_NAME = "A project template with this name already exists"
DESCRIPTOR_DATA_TYPES = {name for name, _ in METADATA_DESCRIPTOR_TYPES}
MIN_MOVIE_BITRATE = 1
UNSET = object()  # "not sent": a task status link's client flag keeps its value


def template_changed(template_id, user, action="update"):
    record_event(f"project-template:{action}", {"project_template_id": str(template_id)}, user=user)


# --- bitrates ------------------------------------------------------------------------------------


def highest_bitrate():
    return getattr(settings, "MOVIE_HIGHDEF_BITRATE", 28)


def check_bitrates(bitrates, template):
    """Bitrates a task type link sets: whole Mbit/s between 1 and the instance's high definition
    ceiling, the low definition one never above the high definition one it falls back on."""
    ceiling = highest_bitrate()
    for bitrate in bitrates.values():
        if bitrate is None:
            continue
        if (
            isinstance(bitrate, bool)
            or not isinstance(bitrate, int)
            or not MIN_MOVIE_BITRATE <= bitrate <= ceiling
        ):
            raise WrongParameter(
                f"Invalid bitrate {bitrate}. Expected an integer number of Mbit/s between "
                f"{MIN_MOVIE_BITRATE} and {ceiling}."
            )
    lowdef = bitrates.get("ld_bitrate_compression")
    if lowdef is None:
        return
    highdef = min(
        bitrates.get("hd_bitrate_compression") or template.hd_bitrate_compression or ceiling, ceiling
    )
    if lowdef > highdef:
        raise WrongParameter(
            f"The low definition bitrate ({lowdef}) cannot exceed the high definition one ({highdef})."
        )


# --- task types and task statuses ----------------------------------------------------------------


def add_task_type(template, task_type, priority=None, bitrates=None, is_client_visible=None, user=None):
    """Link a task type to the template, or update its link: the priority and client visibility
    when given, both bitrates when the body names either (the other one is then reset)."""
    if bitrates is not None:
        check_bitrates(bitrates, template)
    with transaction.atomic():
        link = _set_task_type_link(template, task_type, priority, bitrates, is_client_visible)
        template_changed(template.pk, user)
    return link


def _set_task_type_link(template, task_type, priority, bitrates=None, is_client_visible=None):
    changes = dict(bitrates or {})
    if priority is not None:
        changes["priority"] = priority
    if is_client_visible is not None:
        changes["is_client_visible"] = is_client_visible
    link = ProjectTemplateTaskTypeLink.objects.filter(project_template=template, task_type=task_type).first()
    if link is None:
        return ProjectTemplateTaskTypeLink.objects.create(
            project_template=template, task_type=task_type, **changes
        )
    if changes:
        for name, value in changes.items():
            setattr(link, name, value)
        link.save()
    return link


def remove_task_type(template_id, task_type_id, user=None):
    """Unlink a task type (nothing to do when it is not linked)."""
    with transaction.atomic():
        ProjectTemplateTaskTypeLink.objects.filter(
            project_template_id=template_id, task_type_id=task_type_id
        ).delete()
        template_changed(template_id, user)


def add_task_status(
    template, task_status, priority=None, roles_for_board=None, is_client_allowed=UNSET, user=None
):
    """Link a task status to the template, or update the link's fields that are given
    (`is_client_allowed=None` resets the flag to the status's own value)."""
    with transaction.atomic():
        link = _set_task_status_link(template, task_status, priority, roles_for_board, is_client_allowed)
        template_changed(template.pk, user)
    return link


def _set_task_status_link(template, task_status, priority, roles_for_board=None, is_client_allowed=UNSET):
    changes = {}
    if priority is not None:
        changes["priority"] = priority
    if roles_for_board is not None:
        changes["roles_for_board"] = list(roles_for_board)
    if is_client_allowed is not UNSET:
        changes["is_client_allowed"] = is_client_allowed
    link = ProjectTemplateTaskStatusLink.objects.filter(
        project_template=template, task_status=task_status
    ).first()
    if link is None:
        return ProjectTemplateTaskStatusLink.objects.create(
            project_template=template, task_status=task_status, **changes
        )
    if changes:
        for name, value in changes.items():
            setattr(link, name, value)
        link.save()
    return link


def remove_task_status(template_id, task_status_id, user=None):
    with transaction.atomic():
        ProjectTemplateTaskStatusLink.objects.filter(
            project_template_id=template_id, task_status_id=task_status_id
        ).delete()
        template_changed(template_id, user)


def _reorder(link_model, key, template, ordered, user):
    """Priority = 1-based position in `ordered` (rows); rows not linked yet get a link. Returns the
    links in the given order. A fixed number of queries, whatever the length."""
    linked_ids = [row.pk for row in ordered]
    with transaction.atomic():
        links = {
            getattr(link, f"{key}_id"): link
            for link in link_model.objects.filter(project_template=template, **{f"{key}_id__in": linked_ids})
        }
        missing = {}
        now = timezone.now()
        for priority, linked_id in enumerate(linked_ids, start=1):
            link = links.get(linked_id) or missing.get(linked_id)
            if link is None:
                link = link_model(project_template=template, **{f"{key}_id": linked_id})
                missing[linked_id] = link
            link.priority = priority
            link.updated_at = now
        existing = list(links.values())
        if existing:
            link_model.objects.bulk_update(existing, ["priority", "updated_at"])
        link_model.objects.bulk_create(missing.values())
        template_changed(template.pk, user)
    by_id = {**links, **missing}
    return [by_id[linked_id] for linked_id in linked_ids]


def reorder_task_types(template, task_types, user=None):
    """Set the priorities of the template's task types from their order (bitrates are kept)."""
    return _reorder(ProjectTemplateTaskTypeLink, "task_type", template, task_types, user)


def reorder_task_statuses(template, task_statuses, user=None):
    """Set the priorities of the template's task statuses from their order (board roles are kept)."""
    return _reorder(ProjectTemplateTaskStatusLink, "task_status", template, task_statuses, user)


# --- asset types, status automations, preview backgrounds ----------------------------------------


def add_asset_type(template, asset_type, user=None):
    with transaction.atomic():
        ProjectTemplateAssetTypeLink.objects.get_or_create(project_template=template, asset_type=asset_type)
        template_changed(template.pk, user)
    return {"id": str(asset_type.pk), "name": asset_type.name}


def remove_asset_type(template, asset_type_id, user=None):
    with transaction.atomic():
        ProjectTemplateAssetTypeLink.objects.filter(
            project_template=template, asset_type_id=asset_type_id
        ).delete()
        template_changed(template.pk, user)


def add_status_automation(template, automation, user=None):
    with transaction.atomic():
        ProjectTemplateStatusAutomationLink.objects.get_or_create(
            project_template=template, status_automation=automation
        )
        template_changed(template.pk, user)
    return automation


def remove_status_automation(template, automation_id, user=None):
    with transaction.atomic():
        ProjectTemplateStatusAutomationLink.objects.filter(
            project_template=template, status_automation_id=automation_id
        ).delete()
        template_changed(template.pk, user)


def add_preview_background_file(template, background, user=None):
    with transaction.atomic():
        ProjectTemplatePreviewBackgroundFileLink.objects.get_or_create(
            project_template=template, preview_background_file=background
        )
        template_changed(template.pk, user)
    return background_entry(
        {"id": background.pk, "name": background.name, "is_default": background.is_default}
    )


def remove_preview_background_file(template, background_id, user=None):
    """Unlink a preview background; the template's default is cleared when it was that one."""
    with transaction.atomic():
        ProjectTemplatePreviewBackgroundFileLink.objects.filter(
            project_template=template, preview_background_file_id=background_id
        ).delete()
        if template.default_preview_background_file_id == background_id:
            template.default_preview_background_file = None
            template.save(update_fields=["default_preview_background_file"])
        template_changed(template.pk, user)


def set_default_preview_background_file(template, background_id, user=None):
    """Make one of the template's preview backgrounds its default (None: no default)."""
    pk = None
    if background_id is not None:
        try:
            pk = uuid.UUID(str(background_id))
        except ValueError:
            pk = None
        linked = ProjectTemplatePreviewBackgroundFileLink.objects.filter(
            project_template=template, preview_background_file_id=pk
        )
        if pk is None or not linked.exists():
            raise WrongParameter("Preview background file is not linked to this template")
    with transaction.atomic():
        template.default_preview_background_file_id = pk
        template.save(update_fields=["default_preview_background_file"])
        template_changed(template.pk, user)
    return template


# --- metadata descriptors ------------------------------------------------------------------------


def clean_descriptor(descriptor):
    """One snapshot entry in its stable shape, whatever the caller sent."""
    name = descriptor.get("name", "")
    task_type_id = descriptor.get("task_type_id")
    return {
        "name": name,
        "field_name": descriptor.get("field_name") or field_name_of(name),
        "entity_type": descriptor.get("entity_type"),
        "task_type_id": str(task_type_id) if task_type_id else None,
        "data_type": descriptor.get("data_type"),
        "choices": descriptor.get("choices") or [],
        "for_client": bool(descriptor.get("for_client", False)),
        "departments": [str(dep_id) for dep_id in descriptor.get("departments") or [] if dep_id is not None],
        "position": descriptor.get("position"),
    }


def set_metadata_descriptors(template, descriptors, user=None):
    """Replace the template's descriptor snapshot (None clears it)."""
    if descriptors is None:
        descriptors = []
    if not isinstance(descriptors, list):
        raise WrongParameter("metadata_descriptors must be a list")
    if any(not isinstance(entry, dict) for entry in descriptors):
        raise WrongParameter("Each metadata descriptor must be an object")
    with transaction.atomic():
        template.metadata_descriptors = [clean_descriptor(entry) for entry in descriptors]
        template.save(update_fields=["metadata_descriptors"])
        template_changed(template.pk, user)
    return template


# --- snapshot a project into a template ----------------------------------------------------------


def create_template_from_project(project, name, description=None, user=None):
    """A new template from a project's configuration: settings, file tree, free data, task type and
    task status links (priorities and all), asset types, status automations, preview backgrounds
    and their default, descriptors. Team, dates and production data stay behind."""
    if ProjectTemplate.objects.filter(name=name).exists():
        raise WrongParameter(DUPLICATE_NAME)
    with transaction.atomic():
        template = ProjectTemplate(name=name, description=description)
        for field in PRODUCTION_SETTING_FIELDS:
            setattr(template, field, getattr(project, field))
        template.file_tree = project.file_tree or None  # an empty tree or data is no setting
        template.data = project.data or None
        template.metadata_descriptors = snapshot_descriptors(project)
        template.default_preview_background_file_id = project.default_preview_background_file_id
        template.save()
        ProjectTemplateTaskTypeLink.objects.bulk_create(
            ProjectTemplateTaskTypeLink(project_template=template, **values)
            for values in ProjectTaskTypeLink.objects.filter(project=project).values(
                "task_type_id",
                "priority",
                "hd_bitrate_compression",
                "ld_bitrate_compression",
                "is_client_visible",
            )
        )
        ProjectTemplateTaskStatusLink.objects.bulk_create(
            ProjectTemplateTaskStatusLink(project_template=template, **values)
            for values in ProjectTaskStatusLink.objects.filter(project=project).values(
                "task_status_id", "priority", "roles_for_board", "is_client_allowed"
            )
        )
        ProjectTemplateAssetTypeLink.objects.bulk_create(
            ProjectTemplateAssetTypeLink(project_template=template, asset_type_id=asset_type_id)
            for asset_type_id in ProjectAssetTypeLink.objects.filter(project=project).values_list(
                "asset_type_id", flat=True
            )
        )
        ProjectTemplateStatusAutomationLink.objects.bulk_create(
            ProjectTemplateStatusAutomationLink(project_template=template, status_automation_id=automation_id)
            for automation_id in ProjectStatusAutomationLink.objects.filter(project=project).values_list(
                "status_automation_id", flat=True
            )
        )
        ProjectTemplatePreviewBackgroundFileLink.objects.bulk_create(
            ProjectTemplatePreviewBackgroundFileLink(
                project_template=template, preview_background_file_id=bg_id
            )
            for bg_id in ProjectPreviewBackgroundFileLink.objects.filter(project=project).values_list(
                "preview_background_file_id", flat=True
            )
        )
        template_changed(template.pk, user, action="new")
    return template


# --- apply a template to a project ---------------------------------------------------------------


def _add_missing_links(link_model, project, template_links, key, copied=()):
    """Create on `project` the links of `template_links` (dicts with `key` and `copied` columns) that
    it lacks: one query to read what exists, one to insert."""
    existing = set(link_model.objects.filter(project=project).values_list(key, flat=True))
    link_model.objects.bulk_create(
        link_model(project=project, **{key: values[key]}, **{name: values[name] for name in copied})
        for values in template_links
        if values[key] not in existing
    )


def apply_template_to_project(project, template, user=None, keep=()):
    """Write the template's configuration into a project, additively: its settings (and file tree
    and free data) where the template sets them, the links the project lacks, its default preview
    background when the project has none, and its descriptors the project lacks. The settings in
    `keep` stay as they are (those a new project's creator gave explicitly)."""
    with transaction.atomic():
        changed = []
        for field in PRODUCTION_SETTING_FIELDS:
            value = getattr(template, field)
            if value is not None and field not in keep:
                setattr(project, field, value)
                changed.append(field)
        for field in ("file_tree", "data"):
            value = getattr(template, field)
            if value is not None and field not in keep:
                setattr(project, field, value)
                changed.append(field)
        _add_missing_links(
            ProjectTaskTypeLink,
            project,
            ProjectTemplateTaskTypeLink.objects.filter(project_template=template).values(
                "task_type_id",
                "priority",
                "hd_bitrate_compression",
                "ld_bitrate_compression",
                "is_client_visible",
            ),
            "task_type_id",
            ("priority", "hd_bitrate_compression", "ld_bitrate_compression", "is_client_visible"),
        )
        _add_missing_links(
            ProjectTaskStatusLink,
            project,
            ProjectTemplateTaskStatusLink.objects.filter(project_template=template).values(
                "task_status_id", "priority", "roles_for_board", "is_client_allowed"
            ),
            "task_status_id",
            ("priority", "roles_for_board", "is_client_allowed"),
        )
        _add_missing_links(
            ProjectAssetTypeLink,
            project,
            ProjectTemplateAssetTypeLink.objects.filter(project_template=template).values("asset_type_id"),
            "asset_type_id",
        )
        _add_missing_links(
            ProjectStatusAutomationLink,
            project,
            ProjectTemplateStatusAutomationLink.objects.filter(project_template=template).values(
                "status_automation_id"
            ),
            "status_automation_id",
        )
        _add_missing_links(
            ProjectPreviewBackgroundFileLink,
            project,
            ProjectTemplatePreviewBackgroundFileLink.objects.filter(project_template=template).values(
                "preview_background_file_id"
            ),
            "preview_background_file_id",
        )
        if template.default_preview_background_file_id and project.default_preview_background_file_id is None:
            project.default_preview_background_file_id = template.default_preview_background_file_id
            changed.append("default_preview_background_file")
        if changed:
            project.save(update_fields=changed)
        for descriptor in _descriptors_to_create(project, template.metadata_descriptors or []):
            record_event(
                "metadata-descriptor:new",
                {"metadata_descriptor_id": str(descriptor.pk)},
                project_id=project.pk,
                user=user,
            )
        record_event("project:update", {}, project_id=project.pk, user=user)
    return project


def _descriptors_to_create(project, snapshot):
    """Create the snapshot's descriptors the project lacks; return them. An entry without name or
    entity type, a task descriptor without task type, or one that would clash with an existing
    descriptor's name or field name is skipped, as are unknown task types and data types."""
    entries = [
        entry
        for entry in snapshot
        if isinstance(entry, dict) and entry.get("name") and entry.get("entity_type")
    ]
    entries = [
        entry
        for entry in entries
        if not (entry["entity_type"] == "Task" and entry.get("task_type_id") is None)
    ]
    if not entries:
        return []
    taken_names, taken_fields = set(), set()
    for existing in MetadataDescriptor.objects.filter(project=project).values(
        "entity_type", "task_type_id", "name", "field_name"
    ):
        task_type_id = existing["task_type_id"]
        key = (existing["entity_type"], str(task_type_id) if task_type_id else None)
        taken_names.add((*key, existing["name"]))
        taken_fields.add((*key, existing["field_name"]))
    task_type_ids = {
        str(pk)
        for pk in TaskType.objects.filter(pk__in=_uuids(e.get("task_type_id") for e in entries)).values_list(
            "pk", flat=True
        )
    }
    department_ids = {
        str(pk)
        for pk in Department.objects.filter(
            pk__in=_uuids(dep for e in entries for dep in (e.get("departments") or []))
        ).values_list("pk", flat=True)
    }
    created, department_links = [], []
    for entry in entries:
        task_type_id = str(entry["task_type_id"]) if entry.get("task_type_id") else None
        data_type = entry.get("data_type")
        if task_type_id is not None and task_type_id not in task_type_ids:
            continue
        if data_type is not None and data_type not in DESCRIPTOR_DATA_TYPES:
            continue
        key = (entry["entity_type"], task_type_id)
        name = entry["name"]
        field_name = field_name_of(name)
        if (*key, name) in taken_names or (*key, field_name) in taken_fields:
            continue
        taken_names.add((*key, name))
        taken_fields.add((*key, field_name))
        descriptor = MetadataDescriptor(
            project=project,
            entity_type=entry["entity_type"],
            task_type_id=task_type_id,
            name=name,
            field_name=field_name,
            data_type=data_type,
            choices=entry.get("choices") or [],
            for_client=bool(entry.get("for_client", False)),
        )
        created.append(descriptor)
        department_links += [
            DepartmentMetadataDescriptorLink(metadata_descriptor=descriptor, department_id=dep)
            for dep in dict.fromkeys(str(dep) for dep in entry.get("departments") or [] if dep is not None)
            if dep in department_ids
        ]
    MetadataDescriptor.objects.bulk_create(created)
    DepartmentMetadataDescriptorLink.objects.bulk_create(department_links)
    return created


def _uuids(values):
    result = set()
    for value in values:
        try:
            result.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    return result
