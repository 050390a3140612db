"""Writes of a production's settings: the team, the linked task types / statuses / asset types /
automations / backgrounds, the softwares of task types and the preview account (the metadata
descriptors are in productions.project_settings.descriptors).

Writes run in one transaction and record the events the reference emits: a change of a
project's settings is a `project:update` (clients refetch the project).
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound

from assets.models import EntityType
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from kitsu_server.core.teams import join_team
from people.models import Person, Software
from productions.models import (
    Project,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
)
from productions.project_settings.queries import LINKED_SETTINGS, preview_account, software_link_dict
from tasks.models import TaskStatus, TaskType

PREVIEW_OPEN_DURATION = datetime.timedelta(hours=1)
MIN_MOVIE_BITRATE = 1


def _highdef_bitrate():
    return int(getattr(settings, "MOVIE_HIGHDEF_BITRATE", 28))


def project_updated(project_id, user):
    """The event of every settings change: clients read the settings through the project."""
    record_event("project:update", {}, project_id=project_id, user=user)


def _touch(project):
    """The reference saves the project on each settings change: its `updated_at` moves."""
    project.updated_at = timezone.now()
    Project.objects.filter(pk=project.pk).update(updated_at=project.updated_at)


# --- the team ----------------------------------------------------------------------------------


def add_team_member(project, person_id, role=None, user=None):
    """Put a person in the team (nothing changes when they are in it already), with a role on
    this project when given. A preview account only joins its own project."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise WrongParameter(f"Person with id {person_id} not found")
    with transaction.atomic():
        join_team(project, person, user=user)
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


# --- linked settings ---------------------------------------------------------------------------


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


# --- the preview account ---------------------------------------------------------------------


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
