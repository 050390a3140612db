"""Writes of comments: posting one (with its status change, mentions, attachments, notifications,
news and the project's status automations), copying client comments, moving and deleting one,
each with the events the reference records (replies and acknowledgements: tasks.comments.replies;
stored files: tasks.comments.attachments).

Posting a comment is one transaction. The task row is locked first (`select_for_update`), so two
comments on the same task are applied one after the other: the later one sees the status, retake
count and dates the first one left, and nothing is lost. Attachments are written to the default
storage inside that transaction; if anything fails afterwards the files written so far are removed
again (`FileWrites`), so a failed write leaves neither rows nor files behind.

Events the reference only broadcasts (`notification:new`, `comment:acknowledge`...) are published
to the live stream after the commit without being stored (`announce`).
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from assets.models import NON_ASSET_TYPE_NAMES, Entity
from files.models import AttachmentFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance, text_or_none
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.events import record_event
from kitsu_server.core.trash.units import trashing
from people.models import Person, full_name
from productions.models import ProjectTaskTypeLink, StatusAutomation
from tasks.comments.attachments import FileWrites, store_attachment
from tasks.comments.mentions import (
    department_team_ids,
    hashtags_of,
    mentioned_department_ids,
    mentioned_person_ids,
)
from tasks.models import (
    Comment,
    CommentDepartmentMention,
    CommentMention,
    News,
    Notification,
    Subscription,
    Task,
    TaskPersonLink,
    TaskStatus,
    TaskType,
)
from tasks.outbox.services import queue_notifications_out
from tasks.queries import render_person
from tasks.services import announce, remove_comment, reset_task_data
from tasks.signals import asset_ready_for_changed

logger = logging.getLogger(__name__)
# Status automations may chain (a comment they post fires the next one); this bounds a cycle that
# the reference's pipeline-order guard lets through (two task types of the same priority).
MAX_AUTOMATION_DEPTH = 10


# --- rendering ---------------------------------------------------------------------------------


def comment_shape():
    return REGISTRY["comments"].shape


def render_comment(comment, relations=True):
    """A comment as the reference's `serialize(relations=...)` writes it: with relations, the id
    lists of its previews, mentions, acknowledgements and attachments."""
    data = serialize_instance(comment, relations=relations, shape=comment_shape())
    if relations:
        data["attachment_files"] = [
            str(pk) for pk in AttachmentFile.objects.filter(comment=comment).values_list("pk", flat=True)
        ]
    return data


def short_person(person):
    return {
        "id": str(person.pk),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "full_name": full_name(person.first_name, person.last_name),
        "has_avatar": person.has_avatar,
        "role": person.role,
    }


# --- posting a comment -------------------------------------------------------------------------


@dataclass
class CommentRun:
    """What one request's comments share: who writes, the files stored so far, and the status
    automations already fired (a cycle stops at the first repeat)."""

    user: Person
    writes: FileWrites
    automated: set = field(default_factory=set)
    depth: int = 0


def post_comment(
    task,
    task_status,
    author,
    user,
    text="",
    checklist=None,
    links=None,
    files=(),
    created_at=None,
    for_client=False,
):
    """Comment on `task`, moving it to `task_status`: one transaction (see the module). Returns the
    comment as the reference answers it (with its status, its author and its attachments)."""
    with FileWrites() as writes, transaction.atomic():
        run = CommentRun(user=user, writes=writes)
        return _post_comment(
            run,
            task.pk,
            task_status,
            author,
            text=text,
            checklist=checklist,
            links=links,
            files=files,
            created_at=created_at,
            for_client=for_client,
        )


def post_comments(items, author, user):
    """Several comments in one transaction: `items` are (task, task status, text, links)."""
    with FileWrites() as writes, transaction.atomic():
        run = CommentRun(user=user, writes=writes)
        return [
            _post_comment(run, task.pk, task_status, author, text=text, links=links)
            for task, task_status, text, links in items
        ]


def lock_task(task_id):
    """The task row, locked until the transaction ends: one comment at a time per task."""
    return Task.objects.select_for_update(of=("self",)).select_related("project").get(pk=task_id)


def _post_comment(
    run,
    task_id,
    task_status,
    author,
    text="",
    checklist=None,
    links=None,
    files=(),
    created_at=None,
    for_client=False,
    with_hashtags=True,
):
    task = lock_task(task_id)
    check_retake_cap(task, task_status)
    text = text or ""
    comment = Comment(
        object_id=task.pk,
        object_type="Task",
        task_status=task_status,
        person=author,
        text=text,
        checklist=list(checklist or []),
        links=list(links or []),
        for_client=bool(for_client),
        replies=[],
    )
    if created_at is not None:
        comment.created_at = created_at
    comment.save()
    mention_ids = mentioned_person_ids(task.project_id, text)
    department_ids = mentioned_department_ids(text)
    CommentMention.objects.bulk_create([CommentMention(comment=comment, person_id=pk) for pk in mention_ids])
    CommentDepartmentMention.objects.bulk_create(
        [CommentDepartmentMention(comment=comment, department_id=pk) for pk in department_ids]
    )
    attachments = [store_attachment(comment, uploaded, run.writes) for uploaded in files]
    record_event(
        "comment:new",
        {
            "comment_id": str(comment.pk),
            "task_id": str(task.pk),
            "task_status_id": str(task_status.pk),
            "person_id": str(author.pk),
            "for_client": comment.for_client,
        },
        project_id=task.project_id,
        user=run.user,
    )
    if with_hashtags:
        _comment_tagged_tasks(run, task, author, text)
    changed = apply_status_change(task, task_status, comment, run.user)
    entity = Entity.objects.filter(pk=task.entity_id).values("parent_id", "entity_type__name").first()
    notify_comment(task, comment, changed, mention_ids, department_ids, entity, run.user)
    if entity is None or entity["entity_type__name"] != "Concept":
        add_news(task, comment, changed, run.user)
    data = render_comment(comment)
    data["attachment_files"] = attachments
    data["task_status"] = serialize_instance(task_status, shape=REGISTRY["task-status"].shape)
    data["person"] = render_person(author)
    _run_status_automations(run, task, author)
    return data


def check_retake_cap(task, task_status):
    """A retake over the cap (the entity's `max_retakes` data, else the project's) is refused."""
    if not task_status.is_retake:
        return
    project_cap = (task.project.max_retakes or 0) if task.project_id else 0
    if project_cap <= 0:
        return
    entity_data = Entity.objects.filter(pk=task.entity_id).values_list("data", flat=True).first() or {}
    cap = project_cap
    if isinstance(entity_data, dict) and entity_data.get("max_retakes"):
        try:
            cap = int(entity_data["max_retakes"])
        except (TypeError, ValueError):
            cap = project_cap
    if cap > 0 and (task.retake_count or 0) >= cap:
        raise WrongParameter("No more retakes allowed on this task")


def apply_status_change(task, task_status, comment, user):
    """The task follows its newest comment: status, last comment date, retakes, start, end and done
    dates. An older comment (imported with its date) replays the whole history instead.
    Records `task:update`, and `task:status-changed` (`task:to-review` too for a feedback request)
    when the status moved. Returns whether it moved."""
    if task.last_comment_date is not None and task.last_comment_date > comment.created_at:
        reset_task_data(task, user=user)
        return False
    previous_status_id = task.task_status_id
    changed = task_status.pk != previous_status_id
    task.task_status = task_status
    task.last_comment_date = comment.created_at
    if changed:
        now = timezone.now()
        if task_status.is_retake:
            task.retake_count = (task.retake_count or 0) + 1
        if task_status.is_wip and task.real_start_date is None:
            task.real_start_date = now
        if task_status.is_feedback_request:
            task.end_date = now
        elif not task_status.is_done:
            task.end_date = None
        task.done_date = now if task_status.is_done else None
    task.save()
    record_event("task:update", {"task_id": str(task.pk)}, project_id=task.project_id, user=user)
    if changed:
        data = {
            "task_id": str(task.pk),
            "new_task_status_id": str(task_status.pk),
            "previous_task_status_id": text_or_none(previous_status_id),
            "person_id": str(comment.person_id),
        }
        record_event("task:status-changed", data, project_id=task.project_id, user=user)
        if task_status.is_feedback_request:
            record_event(
                "task:to-review",
                {**data, "comment_id": str(comment.pk)},
                project_id=task.project_id,
                user=user,
            )
    return changed


def notification_recipient_ids(task, parent_id, reply_person_ids=()):
    """Who hears of a task's conversation: its assignees, its subscribers, the subscribers of its
    sequence for its task type, and (for a reply) who replied before."""
    recipients = set(TaskPersonLink.objects.filter(task_id=task.pk).values_list("person_id", flat=True))
    subscriptions = Subscription.objects.filter(task_id=task.pk)
    if parent_id is not None:
        subscriptions = subscriptions | Subscription.objects.filter(
            task_type_id=task.task_type_id, entity_id=parent_id
        )
    recipients.update(subscriptions.values_list("person_id", flat=True))
    recipients.update(reply_person_ids)
    return recipients


def mentioned_recipient_ids(project_id, mention_ids, department_ids, author_id):
    """The people mentioned by name or through their department, the author aside, once each."""
    ids = [*mention_ids, *department_team_ids(project_id, department_ids)]
    return [pk for pk in dict.fromkeys(ids) if pk != author_id]


def notify_comment(task, comment, changed, mention_ids, department_ids, entity, user):
    """A `comment` notification for each recipient of the task (the author aside), a `mention` one
    for each person mentioned."""
    parent_id = entity["parent_id"] if entity else None
    recipients = notification_recipient_ids(task, parent_id) - {comment.person_id}
    notifications = [
        Notification(
            person_id=person_id,
            author_id=comment.person_id,
            comment=comment,
            task=task,
            type="comment",
            change=changed,
        )
        for person_id in sorted(recipients, key=str)
    ]
    notifications += [
        Notification(
            person_id=person_id, author_id=comment.person_id, comment=comment, task=task, type="mention"
        )
        for person_id in mentioned_recipient_ids(
            task.project_id, mention_ids, department_ids, comment.person_id
        )
    ]
    _save_notifications(notifications, task.project_id, user)


def _save_notifications(notifications, project_id, user):
    Notification.objects.bulk_create(notifications)
    queue_notifications_out(notifications, project_id, user)
    for notification in notifications:
        data = {"notification_id": str(notification.pk), "person_id": str(notification.person_id)}
        announce("notification:new", data, project_id=project_id, user=user)


def add_news(task, comment, changed, user):
    """The news feed entry of a comment (concepts have none). Records `news:new`."""
    news = News.objects.create(
        change=changed,
        author_id=comment.person_id,
        comment=comment,
        task=task,
        preview_file_id=comment.preview_file_id,
        created_at=comment.created_at,
    )
    record_event(
        "news:new",
        {
            "news_id": str(news.pk),
            "task_status_id": text_or_none(comment.task_status_id),
            "task_type_id": text_or_none(task.task_type_id),
        },
        project_id=task.project_id,
        user=user,
    )
    return news


def _comment_tagged_tasks(run, task, author, text):
    """`#modeling` (or `#all`) in a comment posts it on the entity's tasks of those types too,
    each keeping its status."""
    tags = hashtags_of(text)
    if not tags or task.entity_id is None:
        return
    own_type = TaskType.objects.filter(pk=task.task_type_id).values_list("name", flat=True).first() or ""
    siblings = Task.objects.filter(entity_id=task.entity_id, task_status__isnull=False).order_by(
        "created_at", "pk"
    )
    statuses = {}
    for sibling_id, type_name, status_id in siblings.values_list("pk", "task_type__name", "task_status_id"):
        type_name = (type_name or "").lower()
        if type_name == own_type.lower() or ("all" not in tags and type_name not in tags):
            continue
        if status_id not in statuses:
            statuses[status_id] = TaskStatus.objects.get(pk=status_id)
        _post_comment(
            run,
            sibling_id,
            statuses[status_id],
            author,
            text=f"{text}\n\n____\nFrom {own_type} task",
            with_hashtags=False,
        )


# --- status automations -----------------------------------------------------------------------


def _run_status_automations(run, task, author):
    """The project's status automations triggered by the task's new status: another task of the
    entity moves to a status (with a comment saying why), or the asset becomes ready for a step.
    A rollback (towards an earlier step of the pipeline) is not applied."""
    automations = (
        StatusAutomation.objects.filter(
            projects=task.project_id,
            in_task_type_id=task.task_type_id,
            in_task_status_id=task.task_status_id,
        )
        .exclude(archived=True)
        .select_related("in_task_type", "in_task_status", "out_task_status")
    )
    automations = list(automations.order_by("created_at", "pk"))
    if not automations or task.entity_id is None:
        return
    entity = Entity.objects.select_related("entity_type").get(pk=task.entity_id)
    kind = entity.entity_type.name
    for automation in automations:
        wanted = (automation.entity_type or "").lower()
        if wanted == "asset":
            if kind in NON_ASSET_TYPE_NAMES:
                continue
        elif kind.lower() != wanted:
            continue
        if automation.out_field_type != "ready_for" and _is_rollback(task.project_id, automation):
            continue
        if automation.out_field_type == "status":
            _automate_status(run, task, author, automation)
        elif automation.out_field_type == "ready_for":
            _automate_ready_for(run, task, entity, automation)


def _is_rollback(project_id, automation):
    priorities = dict(
        ProjectTaskTypeLink.objects.filter(
            project_id=project_id, task_type__for_entity=(automation.entity_type or "").capitalize()
        ).values_list("task_type_id", "priority")
    )
    in_priority = priorities.get(automation.in_task_type_id) or 0
    out_priority = priorities.get(automation.out_task_type_id) or 0
    return in_priority > out_priority


def _automate_status(run, task, author, automation):
    target = (
        Task.objects.filter(entity_id=task.entity_id, task_type_id=automation.out_task_type_id)
        .order_by("name", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if target is None or automation.out_task_status is None:
        return
    key = (target, automation.out_task_status_id)
    if key in run.automated or run.depth >= MAX_AUTOMATION_DEPTH:
        return
    run.automated.add(key)
    run.depth += 1
    try:
        in_type = automation.in_task_type.name if automation.in_task_type else ""
        in_status = automation.in_task_status.name if automation.in_task_status else ""
        _post_comment(
            run,
            target,
            automation.out_task_status,
            author,
            text=f"Change triggered by {in_type} set to {in_status}",
        )
    finally:
        run.depth -= 1


def _automate_ready_for(run, task, entity, automation):
    if entity.entity_type.name in NON_ASSET_TYPE_NAMES:
        return
    Entity.objects.filter(pk=entity.pk).update(
        ready_for_id=automation.out_task_type_id, updated_at=timezone.now()
    )
    record_event(
        "asset:update",
        {"asset_id": str(entity.pk), "data": {"ready_for": text_or_none(automation.out_task_type_id)}},
        project_id=task.project_id,
        user=run.user,
    )
    asset_ready_for_changed.send(sender=Entity, entity=entity, user=run.user)


# --- copying client comments ------------------------------------------------------------------


def copy_client_comments(comments_by_task, author, user, prefix=""):
    """Post again, as `author`, the last client comment of each task (`comments_by_task`: task,
    comment), the task keeping its status, so that the studio's artists read it."""
    with FileWrites() as writes, transaction.atomic():
        run = CommentRun(user=user, writes=writes)
        result = []
        for task, client_comment in comments_by_task:
            task = lock_task(task.pk)
            text = client_comment.text or ""
            if prefix:
                text = f"{prefix}\n\n{text}"
            status = TaskStatus.objects.get(pk=task.task_status_id)
            result.append(_post_comment(run, task.pk, status, author, text=text))
        return result


# --- moving a comment -------------------------------------------------------------------------


@transaction.atomic
def move_comment(comment, source, target, user):
    """Move a comment to another task of the same entity, keeping its date, text, attachments,
    mentions and status. Its notifications and news go, and come again for the target task as for
    a new comment; both tasks are recomputed. Records `news:delete`, `task:update` (each task),
    `comment:delete`, `comment:new` and `news:new`. Returns the comment with its relations."""
    if source.pk == target.pk:
        raise WrongParameter("Source and target tasks must be different.")
    if source.entity_id != target.entity_id:
        raise WrongParameter("A comment can only be moved between tasks of the same entity.")
    if comment.preview_file_id is not None or comment.previews.exists():
        raise WrongParameter("A comment attached to a preview revision cannot be moved.")
    locked = {
        task.pk: task
        for task in Task.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    Notification.objects.filter(comment=comment).delete()
    for news_id in list(News.objects.filter(comment=comment).values_list("pk", flat=True)):
        News.objects.filter(pk=news_id).delete()
        record_event("news:delete", {"news_id": str(news_id)}, project_id=source.project_id, user=user)
    comment.object_id = target.pk
    comment.save(update_fields=["object_id"])
    reset_task_data(source, user=user)
    reset_task_data(target, user=user)
    data = render_comment(comment)
    record_event(
        "comment:delete",
        {"comment_id": str(comment.pk), "task_id": str(source.pk)},
        project_id=source.project_id,
        user=user,
    )
    record_event(
        "comment:new",
        {
            "comment_id": str(comment.pk),
            "task_id": str(target.pk),
            "task_status_id": data["task_status_id"],
            "person_id": data["person_id"],
            "for_client": data["for_client"],
        },
        project_id=target.project_id,
        user=user,
    )
    entity = Entity.objects.filter(pk=target.entity_id).values("parent_id", "entity_type__name").first()
    mention_ids = list(CommentMention.objects.filter(comment=comment).values_list("person_id", flat=True))
    department_ids = list(
        CommentDepartmentMention.objects.filter(comment=comment).values_list("department_id", flat=True)
    )
    notify_comment(target, comment, False, mention_ids, department_ids, entity, user)
    if entity is None or entity["entity_type__name"] != "Concept":
        add_news(target, comment, False, user)
    return data


@transaction.atomic
def delete_comment(comment, task, user):
    """Remove a comment with what hangs off it and recompute its task (see remove_comment).
    Records `comment:delete`."""
    comment_id = str(comment.pk)
    with trashing(comment, user):
        remove_comment(comment, task, user=user)
    record_event(
        "comment:delete",
        {"comment_id": comment_id, "task_id": str(task.pk)},
        project_id=task.project_id,
        user=user,
    )
