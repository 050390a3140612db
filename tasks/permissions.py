"""Who may reach tasks and what hangs off them: the reference's project, entity and task rules.

Every rule takes the request's `Access` (kitsu_server.api.permissions),
which knows the person, their global role and their role on each project of
their team. "Role on a project" follows the reference: a member's team role
when set, else their global role; admin is global only. Rules used by
several apps (entity access for vendors, task access, the open projects of
a team) live here because tasks are what every production row hangs off.

List scopes are subqueries (`..._ids(person)`), so a list stays one query
however many projects or tasks a person has.
"""

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from rest_framework.exceptions import NotFound, PermissionDenied

from assets.models import Entity
from files.models import AttachmentFile
from kitsu_server.api.permissions import MANAGER_ROLES, SUPERVISOR_ROLES
from kitsu_server.api.views import object_or_404
from people.models import DepartmentLink
from productions.models import ProjectPersonLink, ProjectTaskStatusLink
from tasks.models import (
    Comment,
    CommentDepartmentMention,
    CommentMention,
    Task,
    TaskPersonLink,
    TaskStatus,
    TaskType,
)

OPEN_PROJECT_STATUS = "Open"

# --- list scopes (subqueries) ------------------------------------------------------


def open_team_project_ids(person):
    """The open projects whose team holds `person` (the reference's "related projects")."""
    return ProjectPersonLink.objects.filter(
        person_id=person.pk, project__project_status__name=OPEN_PROJECT_STATUS
    ).values("project_id")


def team_project_ids(person):
    """Every project whose team holds `person`, open or not."""
    return ProjectPersonLink.objects.filter(person_id=person.pk).values("project_id")


def assigned_task_ids(person):
    return TaskPersonLink.objects.filter(person_id=person.pk).values("task_id")


def worked_entity_ids(person):
    """The entities on which `person` is assigned a task: all a vendor reaches of a production."""
    return TaskPersonLink.objects.filter(person_id=person.pk).values("task__entity_id")


# --- what lists show: one rule per kind of row ---------------------------------------------------
#
# Each rule narrows a queryset to the rows the person may see, by the role they hold on each
# production of their team (one person may be a client on one and an artist on another). Every
# route that lists or reads such rows goes through its rule, so that a client, a vendor or an
# artist sees the same rows whichever route asks; the per-object checks below agree with them.
# Each is a filter of subqueries: the list stays one query however large the team.


def reachable_entities(access):
    """Q on entities: those of the team's productions; where the person is a vendor, only the
    entities they hold a task on."""
    seen = Q(pk__in=[])
    for role, project_ids in access.projects_by_role().items():
        if role == "vendor":
            seen |= Q(project_id__in=project_ids, pk__in=worked_entity_ids(access.person))
        else:
            seen |= Q(project_id__in=project_ids)
    return seen


def visible_tasks(access, queryset):
    """Tasks of the open productions of the person's team; where they are a vendor, only the tasks
    assigned to them (a vendor by the global role: theirs wherever, as on the reference)."""
    if access.is_admin:
        return queryset
    if access.role == "vendor":
        return queryset.filter(pk__in=assigned_task_ids(access.person))
    by_role = access.projects_by_role()
    vendor_projects = by_role.pop("vendor", [])
    other_projects = [project_id for project_ids in by_role.values() for project_id in project_ids]
    seen = Q(project_id__in=other_projects) | Q(
        project_id__in=vendor_projects, pk__in=assigned_task_ids(access.person)
    )
    return queryset.filter(seen, project_id__in=open_team_project_ids(access.person))


def comment_author_role():
    """The role a comment's author holds on the commented task's project: team role, else global."""
    team_role = ProjectPersonLink.objects.filter(
        person_id=OuterRef("person_id"), project__tasks=OuterRef("object_id")
    ).values("role")[:1]
    return Coalesce(Subquery(team_role), F("person__role"))


def visible_comments(access, queryset):
    """The comments this person reads (the list form of check_comment_access). On a production
    of their team: managers and supervisors every comment; artists all but the clients'; vendors
    those of the entities they work on, the clients' aside; clients the comments meant for
    clients, plus their own where clients are isolated from each other, else the clients'."""
    if access.is_admin:
        return queryset
    queryset = queryset.annotate(seen_author_role=comment_author_role())
    by_client = Q(seen_author_role="client")
    seen = Q(pk__in=[])
    for role, project_ids in access.projects_by_role().items():
        tasks = Task.objects.filter(project_id__in=project_ids)
        on_tasks = Q(object_id__in=tasks.values("pk"))
        if role in SUPERVISOR_ROLES:
            seen |= on_tasks
        elif role == "client":
            isolated = tasks.filter(project__is_clients_isolated=True).values("pk")
            shared = tasks.exclude(project__is_clients_isolated=True).values("pk")
            seen |= on_tasks & Q(for_client=True)
            seen |= Q(object_id__in=isolated, person_id=access.person.pk)
            seen |= Q(object_id__in=shared) & by_client
        elif role == "vendor":
            worked = tasks.filter(entity_id__in=worked_entity_ids(access.person)).values("pk")
            seen |= Q(object_id__in=worked) & ~by_client
        else:
            seen |= on_tasks & ~by_client
    return queryset.filter(seen)


def visible_news(access, queryset):
    """News entries whose comment the person reads (visible_comments). An entry without comment
    follows its task: every role but clients, vendors on the entities they work on."""
    if access.is_admin:
        return queryset
    comments = visible_comments(access, Comment.objects.all()).values("pk")
    bare = Q(pk__in=[])
    for role, project_ids in access.projects_by_role().items():
        if role == "vendor":
            bare |= Q(task__project_id__in=project_ids, task__entity_id__in=worked_entity_ids(access.person))
        elif role != "client":
            bare |= Q(task__project_id__in=project_ids)
    return queryset.filter(Q(comment_id__in=comments) | (Q(comment__isnull=True) & bare))


def visible_attachment_files(access, queryset):
    """Attachments of the comments the person reads, and of the chats of the entities they reach;
    an attachment of neither is nobody's (admins aside)."""
    if access.is_admin:
        return queryset
    comments = visible_comments(access, Comment.objects.all()).values("pk")
    entities = Entity.objects.filter(reachable_entities(access)).values("pk")
    return queryset.filter(Q(comment_id__in=comments) | Q(chat_message__chat__object_id__in=entities))


def visible_persons(access, queryset):
    """The persons one lists or reads: the studio's directory, except for a client (by the global
    role, as the reference), who meets the members of the teams of their open productions, and
    themselves."""
    if access.role != "client":
        return queryset
    teams = ProjectPersonLink.objects.filter(project_id__in=open_team_project_ids(access.person))
    return queryset.filter(Q(pk__in=teams.values("person_id")) | Q(pk=access.person.pk))


# Roles that read only their own time on a production: its vendors and its clients.
OWN_TIME_ROLES = ("vendor", "client")


def others_time_project_ids(access):
    """The productions of the team where the person reads the time others log: all but those
    where they are a vendor or a client."""
    return [
        project_id
        for role, project_ids in access.projects_by_role().items()
        if role not in OWN_TIME_ROLES
        for project_id in project_ids
    ]


def visible_time_spents(access, queryset):
    """Time spents one reads: one's own, and the others' on the productions of
    others_time_project_ids (the reference shows a production's whole time to its vendors)."""
    if access.is_admin:
        return queryset
    return queryset.filter(
        Q(person_id=access.person.pk) | Q(task__project_id__in=others_time_project_ids(access))
    )


# --- facts about a person -------------------------------------------------------------


def department_ids(person):
    return set(DepartmentLink.objects.filter(person_id=person.pk).values_list("department_id", flat=True))


def project_role_of(person, project_id):
    """The role `person` (any person, not the requester) holds on a project: team role, else global."""
    role = (
        ProjectPersonLink.objects.filter(project_id=project_id, person_id=person.pk)
        .values_list("role", flat=True)
        .first()
    )
    return role or person.role


def is_assigned(person, task_id):
    return TaskPersonLink.objects.filter(task_id=task_id, person_id=person.pk).exists()


def works_on_entity(person, entity_id):
    """True when `person` is assigned a task of the entity."""
    return TaskPersonLink.objects.filter(task__entity_id=entity_id, person_id=person.pk).exists()


def supervises_task_type(person, task_type_id):
    """A supervisor without department supervises every task type; else those of their departments."""
    departments = department_ids(person)
    if not departments:
        return True
    department_id = TaskType.objects.filter(pk=task_type_id).values_list("department_id", flat=True).first()
    return department_id in departments


# --- project and entity access ------------------------------------------------------------


def check_manager_project_access(access, project_id):
    """Admin, or a member of the project who manages it."""
    if access.is_admin:
        return
    if not access.is_member(project_id) or access.project_role(project_id) not in MANAGER_ROLES:
        raise PermissionDenied


def check_supervisor_project_access(access, project_id):
    if access.is_admin:
        return
    if not access.is_member(project_id) or access.project_role(project_id) not in SUPERVISOR_ROLES:
        raise PermissionDenied


def check_entity_access(access, entity_id, role):
    """A vendor (with `role`, the role read for this request) reaches only entities they work on."""
    if role == "vendor" and not works_on_entity(access.person, entity_id):
        raise PermissionDenied


def check_project_and_entity_access(access, project_id, entity_id):
    access.check_project_access(project_id)
    check_entity_access(access, entity_id, access.project_role(project_id))


def check_task_access(access, task):
    check_project_and_entity_access(access, task.project_id, task.entity_id)


def check_task_action_access(access, task):
    """Act on a task: managers and clients of its project, its assignees, its department's
    supervisors, and the creator of its entity."""
    if access.is_admin:
        return
    if not access.is_member(task.project_id):
        raise PermissionDenied
    role = access.project_role(task.project_id)
    if role in (*MANAGER_ROLES, "client") or is_assigned(access.person, task.pk):
        return
    if role == "supervisor" and supervises_task_type(access.person, task.task_type_id):
        return
    if task.entity_id is not None and task.entity.created_by_id == access.person.pk:
        return
    raise PermissionDenied


# Columns a supervisor may change on the tasks of their departments.
SUPERVISOR_TASK_COLUMNS = {"priority", "start_date", "due_date", "estimation", "difficulty", "data"}


def check_supervisor_task_access(access, task, data):
    """Update a task: its project's managers; its department's supervisors for planning columns only."""
    if access.is_admin:
        return
    if access.is_member(task.project_id):
        role = access.project_role(task.project_id)
        if role in MANAGER_ROLES:
            return
        if (
            role == "supervisor"
            and set(data) <= SUPERVISOR_TASK_COLUMNS
            and supervises_task_type(access.person, task.task_type_id)
        ):
            return
    raise PermissionDenied


def check_task_status_access(access, task_status_id, project_id):
    """Artists and clients of the project may only use the statuses open to them."""
    role = access.project_role(project_id) if access.is_member(project_id) else access.role
    is_artist = role == "user" and access.is_member(project_id)
    if not is_artist and role != "client":
        return
    status = TaskStatus.objects.filter(pk=task_status_id).first()
    if status is None:
        return
    if is_artist and not status.is_artist_allowed:
        raise PermissionDenied
    if role == "client":
        override = (
            ProjectTaskStatusLink.objects.filter(project_id=project_id, task_status_id=task_status_id)
            .values_list("is_client_allowed", flat=True)
            .first()
        )
        if not (override if override is not None else status.is_client_allowed):
            raise PermissionDenied


def check_time_spent_access(access, task, person_id):
    """A time spent is removed by its assignee, or by an admin or a manager, and only if assigned."""
    if task is None or person_id is None or not is_assigned_id(person_id, task.pk):
        raise PermissionDenied
    if person_id == access.person.pk or access.is_admin:
        return
    if access.is_member(task.project_id) and access.project_role(task.project_id) in MANAGER_ROLES:
        return
    raise PermissionDenied


def is_assigned_id(person_id, task_id):
    return TaskPersonLink.objects.filter(task_id=task_id, person_id=person_id).exists()


# --- comments --------------------------------------------------------------------------------


def check_comment_access(access, comment, task):
    """Read a comment: project access (vendors: on an entity they work on), then the comment rule
    of visible_comments (clients only client-facing comments; others not what a client wrote)."""
    if access.is_admin:
        return
    if task is None:
        raise PermissionDenied
    check_task_access(access, task)
    if not visible_comments(access, Comment.objects.filter(pk=comment.pk)).exists():
        raise PermissionDenied


def check_comment_update(access, comment, task, data):
    """Edit a comment: managers anything; others their own text, and pins and checklists
    within their reach; nobody but managers flips `for_client`."""
    if access.is_admin:
        return
    if task is None or not access.is_member(task.project_id):
        raise PermissionDenied
    if access.project_role(task.project_id) in MANAGER_ROLES:
        return
    check_comment_access(access, comment, task)
    me = access.person.pk
    changes = lambda name: name in data and data[name] != getattr(comment, name)  # noqa: E731
    if "for_client" in data and data["for_client"] != (comment.for_client or False):
        raise PermissionDenied
    is_supervisor = access.project_role(task.project_id) == "supervisor"
    in_department = supervises_task_type(access.person, task.task_type_id)
    assigned = is_assigned(access.person, task.pk)
    own = comment.person_id == me
    if changes("pinned") and not (is_supervisor and in_department):
        raise PermissionDenied
    may_check = own or ((in_department or assigned) if is_supervisor else assigned)
    if changes("checklist") and not may_check:
        raise PermissionDenied
    if not own and set(data) - {"pinned", "checklist"}:
        raise PermissionDenied
    if "person_id" in data and _pk(data["person_id"]) != me:
        raise PermissionDenied
    if "object_id" in data and data["object_id"] != comment.object_id:
        raise PermissionDenied
    if "task_status_id" in data:
        if _pk(data["task_status_id"]) != comment.task_status_id:
            check_task_action_access(access, task)
        check_task_status_access(access, _pk(data["task_status_id"]), task.project_id)


def check_comment_delete(access, comment, task):
    """Managers of the project delete any comment of it; anyone else only their own."""
    project_id = task.project_id if task is not None else None
    role = access.project_role(project_id) if project_id is not None else access.role
    if role in MANAGER_ROLES and project_id is not None:
        access.check_project_access(project_id)
    elif not (access.is_admin or comment.person_id == access.person.pk):
        raise PermissionDenied


def _pk(value):
    """A validated foreign key value (a model instance) or a raw id, as an id."""
    return getattr(value, "pk", value)


# --- what a client sees of a task ------------------------------------------------------------

# Studio fields of a task a client reads blank (the reference's CLIENT_BLANK_TASK_VALUES).
CLIENT_BLANK_TASK_VALUES = {
    "assignees": [],
    "assigner_id": None,
    "completion_rate": 0,
    "difficulty": None,
    "done_date": None,
    "due_date": None,
    "duration": 0,
    "end_date": None,
    "estimation": 0,
    "last_comment_date": None,
    "nb_assets_ready": 0,
    "nb_drawings": 0,
    "priority": 0,
    "real_start_date": None,
    "retake_count": 0,
    "start_date": None,
}


def blank_task_for_client(data):
    for name, value in CLIENT_BLANK_TASK_VALUES.items():
        if name in data:
            data[name] = list(value) if isinstance(value, list) else value
    return data


# --- assignations and main previews (tasks area) --------------------------------------------


def check_not_bot(person, project=None):
    """Bots take no task, unless the project lets them collaborate."""
    if person.is_bot and not (project is not None and project.is_bot_collaboration_enabled):
        raise PermissionDenied


def may_assign(access, task, person, my_departments, their_departments):
    """Admins; in the project: managers, supervisors (of the task's department, assigning someone
    of their own departments, or without department), and anyone of the task's department who
    assigns themselves."""
    if access.is_admin:
        return True
    if not access.is_member(task.project_id):
        return False
    role = access.project_role(task.project_id)
    department_id = task.task_type.department_id if task.task_type_id else None
    if role in MANAGER_ROLES:
        return True
    if role == "supervisor" and (
        not my_departments or (department_id in my_departments and my_departments & their_departments)
    ):
        return True
    return department_id in my_departments and person.pk == access.person.pk


def may_unassign(access, task, person_id, my_departments, assignee_ids):
    """Admins; in the project: managers, supervisors of the task's department (or without
    department), and assignees removing themselves."""
    if access.is_admin:
        return True
    if not access.is_member(task.project_id):
        return False
    role = access.project_role(task.project_id)
    if role in MANAGER_ROLES:
        return True
    department_id = task.task_type.department_id if task.task_type_id else None
    if role == "supervisor" and (not my_departments or department_id in my_departments):
        return True
    me = access.person.pk
    return me in assignee_ids and person_id == me


def check_main_preview_access(access, task):
    """Set a task's preview as its entity's: whoever reaches the task, clients aside."""
    check_task_access(access, task)
    if access.project_role(task.project_id) == "client":
        raise PermissionDenied


# --- comments: mentions, replies, attachments -----------------------------------------------


def is_mentioned_on_task(person, task_id):
    """Whether `person` was named in the task's conversation: in a comment or a reply, by name or
    through one of their departments."""
    departments = department_ids(person)
    if CommentMention.objects.filter(comment__object_id=task_id, person_id=person.pk).exists():
        return True
    if (
        departments
        and CommentDepartmentMention.objects.filter(
            comment__object_id=task_id, department_id__in=departments
        ).exists()
    ):
        return True
    me, my_departments = str(person.pk), {str(pk) for pk in departments}
    for replies in Comment.objects.filter(object_id=task_id, replies__isnull=False).values_list(
        "replies", flat=True
    ):
        for reply in replies or []:
            if not isinstance(reply, dict):
                continue
            if me in (reply.get("mentions") or []) or my_departments & set(
                reply.get("department_mentions") or []
            ):
                return True
    return False


def check_task_mention_access(access, task):
    """Someone mentioned in a task's conversation may answer in it (nothing more): a member of the
    project, not a vendor there."""
    if not access.is_member(task.project_id) or access.project_role(task.project_id) == "vendor":
        raise PermissionDenied
    if not is_mentioned_on_task(access.person, task.pk):
        raise PermissionDenied


def check_reply_access(access, comment, task):
    """Reply: the comment's author; whoever may act on the task, or was mentioned in it. A client
    does not answer another studio's client; in a thread with a client (a client's comment, or
    one meant for clients), only the managers answer for the studio."""
    role = access.project_role(task.project_id)
    if comment.person_id != access.person.pk:
        try:
            check_task_action_access(access, task)
        except PermissionDenied:
            check_task_mention_access(access, task)
        if role == "client":
            author = comment.person
            if (
                access.person.studio_id != author.studio_id
                and project_role_of(author, task.project_id) == "client"
            ):
                raise PermissionDenied
    if role not in (*MANAGER_ROLES, "client") and is_client_thread(comment, task):
        raise PermissionDenied


def is_client_thread(comment, task):
    return bool(comment.for_client) or project_role_of(comment.person, task.project_id) == "client"


def check_attachment_write(access, task_id, comment):
    """Add or remove a comment's attachments: its author, or a manager of the task's project."""
    if comment.person_id != access.person.pk:
        task = object_or_404(Task, task_id)
        check_manager_project_access(access, task.project_id)


def check_attachment_read(access, attachment):
    """Read an attachment (its row or its file): one of visible_attachment_files (a client reads
    no attachment of an internal comment). 404 when its comment's task or its chat's entity is
    gone; an attachment of neither is nobody's."""
    if attachment.comment_id is not None:
        object_id = (
            Comment.objects.filter(pk=attachment.comment_id).values_list("object_id", flat=True).first()
        )
        if not Task.objects.filter(pk=object_id).exists():
            raise NotFound("Task not found.")
    elif attachment.chat_message_id is not None:
        if not Entity.objects.filter(pk=attachment.chat_message.chat.object_id).exists():
            raise NotFound("Entity not found.")
    else:
        raise PermissionDenied  # not even an admin's, as on the reference
    if not visible_attachment_files(access, AttachmentFile.objects.filter(pk=attachment.pk)).exists():
        raise PermissionDenied
