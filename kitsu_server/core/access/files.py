"""Who may reach previews, working and output files, attachments and playlists: the reference's rules."""

from django.db.models import Q
from rest_framework.exceptions import PermissionDenied

from kitsu_server.core.access.roles import MANAGER_ROLES, SUPERVISOR_ROLES
from kitsu_server.core.access.scopes import (
    is_assigned,
    open_team_project_ids,
    supervises_task_type,
    team_project_ids,
    works_on_entity,
)
from productions.models import ProjectPersonLink
from tasks.models import Comment, Task


def block_vendor(access):
    """Vendors list none of these rows (read on the global role: a list resolves no project)."""
    if access.role == "vendor":
        raise PermissionDenied


# --- previews ------------------------------------------------------------------------------


def visible_preview_files(access, queryset):
    """Previews of the tasks of open projects: a vendor's assigned tasks, others their team's."""
    if access.is_admin:
        return queryset
    open_tasks = access.visible_tasks(Task.objects.filter(project__project_status__name="Open"))
    return queryset.filter(task_id__in=open_tasks.values("pk"))


def check_preview_file_read(access, preview_file):
    """A vendor on the project reads the previews of their tasks; others need project access."""
    task = preview_file.task
    if task is None:
        access.check_admin()
        return
    if access.project_role(task.project_id) == "vendor":
        if not is_assigned(access.person, task.pk):
            raise PermissionDenied
        return
    access.check_project_access(task.project_id)


def check_preview_media_read(access, preview_file, thumbnail=False):
    """Download a preview's files: whoever reaches its task (project, and the entity for vendors),
    as the reference. A shared entity's main preview shows its thumbnails to anyone but vendors.
    Clients read only what is meant for them: no rejected preview, no preview of a comment they
    may not read (the entity's main preview's thumbnails aside)."""
    task = preview_file.task
    if task is None:
        access.check_admin()
        return
    entity = task.entity
    is_main = entity is not None and entity.preview_file_id == preview_file.pk
    if thumbnail and is_main and entity.is_shared and access.role != "vendor":
        return
    access.check_task_access(task)
    if access.project_role(task.project_id) != "client" or (thumbnail and is_main):
        return
    comments = Comment.objects.filter(previews=preview_file)
    if preview_file.validation_status == "rejected" or (
        comments.exists() and not access.visible_comments(comments).exists()
    ):
        raise PermissionDenied


def check_annotation_access(access, task):
    """Draw on a task's previews: the project's managers and clients, and its supervisors of the
    task's department (or of every department when they belong to none)."""
    role = access.check_project_access(task.project_id)
    if role in (*MANAGER_ROLES, "client"):
        return
    if role == "supervisor" and supervises_task_type(access.person, task.task_type_id):
        return
    raise PermissionDenied


def check_preview_file_update(access, preview_file):
    """Project managers; else the task's assignees, or the supervisors of its department."""
    task = preview_file.task
    if task is None:
        access.check_admin()
        return
    access.check_project_access(task.project_id)
    role = access.project_role(task.project_id)
    if role in MANAGER_ROLES or is_assigned(access.person, task.pk):
        return
    if not (role == "supervisor" and supervises_task_type(access.person, task.task_type_id)):
        raise PermissionDenied


def check_preview_file_delete(access, preview_file):
    if preview_file.task is None:
        access.check_admin()
    else:
        access.check_manager(preview_file.task.project_id)


# --- working and output files ----------------------------------------------------------------


def visible_working_files(access, queryset):
    """Files of the entities of the person's team projects, closed ones included."""
    access.block_vendor()
    if access.is_admin:
        return queryset
    return queryset.filter(entity__project_id__in=team_project_ids(access.person))


def visible_output_files(access, queryset):
    """Files of the entities of the open projects of the person's team."""
    access.block_vendor()
    if access.is_admin:
        return queryset
    return queryset.filter(entity__project_id__in=open_team_project_ids(access.person))


def check_output_file_read(access, output_file):
    entity = output_file.entity
    if entity is None:
        access.check_admin()
        return
    access.check_project_and_entity_access(entity.project_id, entity.pk)


def check_output_file_update(access, output_file):
    """Project managers, or whoever works on the file's (temporal) entity."""
    entity = output_file.entity
    if entity is None:
        access.check_admin()
        return
    if access.is_admin or (
        access.is_member(entity.project_id) and access.project_role(entity.project_id) in MANAGER_ROLES
    ):
        return
    if not works_on_entity(access.person, output_file.temporal_entity_id or output_file.entity_id):
        raise PermissionDenied


def check_working_file_task(access, working_file, rule):
    if working_file.task is None:
        access.check_admin()
    else:
        rule(access, working_file.task)


# --- attachments -----------------------------------------------------------------------------


def check_attachment_file_read(access, attachment_file):
    """The rule of the attachment routes (Access.check_attachment_read): the comment
    must be one the person reads, the chat's entity one they reach."""
    access.check_attachment_read(attachment_file)


# --- playlists -------------------------------------------------------------------------------


def visible_playlists(access, queryset):
    """Playlists of the person's team projects, each by the role held there: a client's only
    those shared with clients, a vendor's none."""
    access.block_vendor()
    if access.is_admin:
        return queryset
    roles = {}
    for project_id, role in ProjectPersonLink.objects.filter(person_id=access.person.pk).values_list(
        "project_id", "role"
    ):
        roles[project_id] = role if role not in (None, "admin") else access.role
    queryset = queryset.filter(project_id__in=team_project_ids(access.person))
    vendor_projects = [pk for pk, role in roles.items() if role == "vendor"]
    client_projects = [pk for pk, role in roles.items() if role == "client"]
    if vendor_projects:
        queryset = queryset.exclude(project_id__in=vendor_projects)
    if client_projects:
        queryset = queryset.filter(Q(for_client=True) | ~Q(project_id__in=client_projects))
    return queryset


def check_playlist_read(access, playlist):
    """Every member of the production but vendors; clients only the playlists shared with them."""
    access.check_project_access(playlist.project_id)
    role = access.project_role(playlist.project_id)
    if role == "vendor" or (role == "client" and not playlist.for_client):
        raise PermissionDenied


def check_playlist_update(access, playlist):
    """Project managers, or a supervisor of the project who made it (or when nobody did)."""
    if access.is_admin:
        return
    if access.is_member(playlist.project_id):
        role = access.project_role(playlist.project_id)
        if role in MANAGER_ROLES:
            return
        if role in SUPERVISOR_ROLES and playlist.created_by_id in (None, access.person.pk):
            return
    raise PermissionDenied


def check_playlist_access(access, playlist, supervisor_access=False):
    """Build jobs and downloads: the project's managers, clients for a playlist shared with them,
    its supervisors where `supervisor_access` (the reference's rule: artists never)."""
    access.check_project_access(playlist.project_id)
    role = access.project_role(playlist.project_id)
    if role in MANAGER_ROLES or (role == "client" and playlist.for_client):
        return
    if supervisor_access and role in SUPERVISOR_ROLES:
        return
    raise PermissionDenied
