"""The rules of comments, news and attachments: who reads which comment (clients, vendors,
isolated clients), who edits, deletes, replies, mentions."""

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from rest_framework.exceptions import NotFound, PermissionDenied

from assets.models import Entity
from files.models import AttachmentFile
from kitsu_server.core.access.roles import MANAGER_ROLES, SUPERVISOR_ROLES
from kitsu_server.core.access.scopes import (
    department_ids,
    is_assigned,
    pk_of,
    project_role_of,
    supervises_task_type,
    worked_entity_ids,
)
from kitsu_server.core.lookups import object_or_404
from productions.models import ProjectPersonLink
from tasks.models import (
    Comment,
    CommentDepartmentMention,
    CommentMention,
    Task,
    TaskPersonLink,
)


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
    comments = access.visible_comments(Comment.objects.all()).values("pk")
    bare = Q(pk__in=[])
    for role, project_ids in access.projects_by_role().items():
        if role == "vendor":
            bare |= Q(task__project_id__in=project_ids, task__entity_id__in=worked_entity_ids(access.person))
        elif role != "client":
            bare |= Q(task__project_id__in=project_ids)
    return queryset.filter(Q(comment_id__in=comments) | (Q(comment__isnull=True) & bare))


def check_project_news_read(access, project_id):
    """A project's news feed: its team, clients aside."""
    if access.check_project_access(project_id) == "client":
        raise PermissionDenied


def check_news_entry_read(access, project_id):
    """One news entry of a project: its team, vendors aside."""
    if access.check_project_access(project_id) == "vendor":
        raise PermissionDenied


def visible_attachment_files(access, queryset):
    """Attachments of the comments the person reads, and of the chats of the entities they reach;
    an attachment of neither is nobody's (admins aside)."""
    if access.is_admin:
        return queryset
    comments = access.visible_comments(Comment.objects.all()).values("pk")
    entities = Entity.objects.filter(access.reachable_entities()).values("pk")
    return queryset.filter(Q(comment_id__in=comments) | Q(chat_message__chat__object_id__in=entities))


def check_comment_access(access, comment, task):
    """Read a comment: project access (vendors: on an entity they work on), then the comment rule
    of visible_comments (clients only client-facing comments; others not what a client wrote)."""
    if access.is_admin:
        return
    if task is None:
        raise PermissionDenied
    access.check_task_access(task)
    if not access.visible_comments(Comment.objects.filter(pk=comment.pk)).exists():
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
    access.check_comment_access(comment, task)
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
    if "person_id" in data and pk_of(data["person_id"]) != me:
        raise PermissionDenied
    if "object_id" in data and data["object_id"] != comment.object_id:
        raise PermissionDenied
    if "task_status_id" in data:
        if pk_of(data["task_status_id"]) != comment.task_status_id:
            access.check_task_action_access(task)
        access.check_task_status_access(pk_of(data["task_status_id"]), task.project_id)


def check_comment_delete(access, comment, task):
    """Managers of the project delete any comment of it; anyone else only their own."""
    project_id = task.project_id if task is not None else None
    role = access.project_role(project_id) if project_id is not None else access.role
    if role in MANAGER_ROLES and project_id is not None:
        access.check_project_access(project_id)
    elif not (access.is_admin or comment.person_id == access.person.pk):
        raise PermissionDenied


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


def check_comment_post_access(access, task):
    """Comment on a task: who may act on it, or else who is mentioned on it. Returns whether they
    may change its status (those only mentioned comment without changing it)."""
    try:
        access.check_task_action_access(task)
    except PermissionDenied:
        access.check_task_mention_access(task)
        return False
    return True


def check_reply_access(access, comment, task):
    """Reply: the comment's author; whoever may act on the task, or was mentioned in it. A client
    does not answer another studio's client; in a thread with a client (a client's comment, or
    one meant for clients), only the managers answer for the studio."""
    role = access.project_role(task.project_id)
    if comment.person_id != access.person.pk:
        try:
            access.check_task_action_access(task)
        except PermissionDenied:
            access.check_task_mention_access(task)
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
        access.check_manager(task.project_id)


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
    if not access.visible_attachment_files(AttachmentFile.objects.filter(pk=attachment.pk)).exists():
        raise PermissionDenied


def batch_commentable_task_ids(access, project_id, tasks):
    """Of `tasks` (of the project), the ids of those the person may comment in a batch: managers
    any; others those they supervise (their departments, or all without department) or are
    assigned to."""
    if access.is_admin or (access.is_member(project_id) and access.project_role(project_id) in MANAGER_ROLES):
        return {task.pk for task in tasks}
    my_departments = department_ids(access.person)
    assigned = set(
        TaskPersonLink.objects.filter(
            task_id__in=[task.pk for task in tasks], person_id=access.person.pk
        ).values_list("task_id", flat=True)
    )
    supervisor = access.project_role(project_id) == "supervisor"
    kept = set()
    for task in tasks:
        department_id = task.task_type.department_id if task.task_type_id else None
        supervises = supervisor and (not my_departments or department_id in my_departments)
        if supervises or task.pk in assigned:
            kept.add(task.pk)
    return kept


def may_comment_for_others(access, project_id):
    """The project's managers may post a comment as someone else, at a given date, for the client."""
    return access.project_role(project_id) in MANAGER_ROLES


def check_chat_message_delete(access, message):
    """A chat message is deleted by its author or an admin."""
    if message.person_id != access.person.pk and not access.is_admin:
        raise PermissionDenied
