"""Reads of a production's settings: the team as each role sees it, the linked settings, the
softwares of its task types, its preview account, its metadata descriptors, and the project lists
("open" and "all") with their extras: a few flat queries for the whole list, never one per row.
"""

import datetime
import uuid
from collections import defaultdict

from django.db.models import F, Q
from django.utils import timezone
from rest_framework.exceptions import NotFound

from assets.models import Entity, EntityType
from files.models import PreviewBackgroundFile
from kitsu_server.core.rendering import render, render_rows
from people.models import Person, full_name
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
from tasks.models import TaskStatus, TaskType

# Statuses the reference reads as open in its studio-wide lists; a person's own lists know
# only "Open" (its get_open_status).
OPEN_STATUS_NAMES = ("Active", "open", "Open")
OPEN_STATUS = "Open"


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


def linked_rows(project, kind):
    """The rows of one setting of the project (its task types, statuses...), in their /data shape."""
    model, link_model, column = LINKED_SETTINGS[kind]
    linked = link_model.objects.filter(project_id=project.pk).values(column)
    order = "created_at" if model is StatusAutomation else "name"
    return render_rows(model.objects.filter(pk__in=linked).order_by(order, "pk"))


def software_link_dict(project_id, task_type_id, software_id):
    return {"project_id": str(project_id), "task_type_id": str(task_type_id), "software_id": str(software_id)}


def task_type_software_rows(project):
    links = ProjectTaskTypeSoftwareLink.objects.filter(project=project).order_by(
        "task_type_id", "software_id"
    )
    return [
        software_link_dict(link["project_id"], link["task_type_id"], link["software_id"])
        for link in links.values("project_id", "task_type_id", "software_id")
    ]


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


# --- metadata descriptors ------------------------------------------------------------------


def in_column_order(descriptors):
    """Descriptors by position (unplaced ones last), then name: the order of the columns."""
    return descriptors.order_by("project_id", F("position").asc(nulls_last=True), "name", "pk")


def ordered_descriptors(project_ids, entity_type):
    return in_column_order(
        MetadataDescriptor.objects.filter(project_id__in=project_ids, entity_type=entity_type)
    )


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


def project_descriptors_read_by(project, access, role):
    """The descriptors of a project that the person of `access`, holding `role` there, reads, in
    column order."""
    descriptors = MetadataDescriptor.objects.filter(project=project)
    narrowing = access.descriptor_narrowing(role)
    if narrowing is not None:
        descriptors = descriptors.filter(narrowing)
    return in_column_order(descriptors)


def managed_open_project_ids(access):
    """The open projects a studio-wide descriptor change reaches: every open one for an admin,
    else the open projects of the person's team where they are manager."""
    if access.is_admin:
        return list(
            Project.objects.filter(project_status__name__in=OPEN_STATUS_NAMES)
            .order_by("name")
            .values_list("pk", flat=True)
        )
    team_projects = (
        ProjectPersonLink.objects.filter(
            person_id=access.person.pk, project__project_status__name=OPEN_STATUS
        )
        .order_by("project__name")
        .values_list("project_id", flat=True)
    )
    return [project_id for project_id in team_projects if access.project_role(project_id) == "manager"]


# --- the project lists and their extras ------------------------------------------------


def _first_episodes(project_ids):
    """{project id: id of the episode a TV show opens on}: its first running episode by name,
    else its first episode."""
    if not project_ids:
        return {}
    episodes = (
        Entity.objects.filter(project_id__in=project_ids, entity_type__name="Episode")
        .order_by("project_id", "name")
        .values("project_id", "id", "status")
    )
    first_running, first_any = {}, {}
    for episode in episodes:
        first_any.setdefault(episode["project_id"], episode["id"])
        if episode["status"] == "running":
            first_running.setdefault(episode["project_id"], episode["id"])
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
    descriptors = descriptor_dicts(access.visible_project_descriptors(project_ids))
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


def _uuid(value):
    return uuid.UUID(value)
