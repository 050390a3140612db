"""Writes on a posted comment's thread: replies (with their attachments and notifications) and
acknowledgements, each with the events the reference records or broadcasts."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from assets.models import Entity
from files.models import AttachmentFile
from kitsu_server.api.json import text_or_none
from kitsu_server.api.params import is_uuid, uuid_or_none
from kitsu_server.core.events import record_event
from people.models import Person
from tasks.comments.attachments import FileWrites, remove_attachments, store_attachment
from tasks.comments.mentions import mentioned_department_ids, mentioned_person_ids
from tasks.comments.queries import reply_in
from tasks.comments.services import (
    _save_notifications,
    mentioned_recipient_ids,
    notification_recipient_ids,
    render_comment,
    short_person,
)
from tasks.models import (
    Comment,
    CommentAcknowledgement,
    Notification,
)
from tasks.services import announce

# --- replies ------------------------------------------------------------------------------------


@transaction.atomic
def reply_to_comment(comment, task, author, text, files=(), user=None):
    """A reply in the comment's thread (its mentions parsed), with its attachments; notifies the
    task's recipients, those who replied before and the comment's author. Records `comment:reply`.
    Returns the reply with its author's short form."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    text = text or ""
    now = _now_text()
    reply = {
        "id": str(uuid.uuid4()),
        "date": now,
        "person_id": str(author.pk),
        "text": text,
        "mentions": [str(pk) for pk in mentioned_person_ids(task.project_id, text)],
        "department_mentions": [str(pk) for pk in mentioned_department_ids(text)],
        "created_at": now,
    }
    previous_repliers = [r.get("person_id") for r in comment.replies or [] if isinstance(r, dict)]
    comment.replies = [*(comment.replies or []), reply]
    comment.save(update_fields=["replies"])
    with FileWrites() as writes:
        if files:
            attachments = [
                store_attachment(comment, uploaded, writes, reply_id=reply["id"]) for uploaded in files
            ]
            reply["attachment_files"] = [
                {**attachment, "reply_id": reply["id"]} for attachment in attachments
            ]
        record_event(
            "comment:reply",
            {"task_id": str(task.pk), "comment_id": str(comment.pk), "reply_id": reply["id"]},
            project_id=task.project_id,
            user=user,
        )
        notify_reply(task, comment, reply, previous_repliers, user)
    reply["person"] = short_person(author)
    return reply


def notify_reply(task, comment, reply, previous_repliers, user):
    """A `reply` notification for the task's recipients, those who replied and the comment's author;
    a `reply-mention` one for each person mentioned (the reply's author aside)."""
    author_id = reply["person_id"]
    parent_id = Entity.objects.filter(pk=task.entity_id).values_list("parent_id", flat=True).first()
    recipients = {str(pk) for pk in notification_recipient_ids(task, parent_id)}
    recipients.update(str(pk) for pk in previous_repliers if pk)
    recipients.discard(author_id)
    if author_id != str(comment.person_id):
        recipients.add(str(comment.person_id))
    created_at = timezone.now()
    notifications = [
        Notification(
            person_id=person_id,
            author_id=author_id,
            comment=comment,
            task=task,
            reply_id=reply["id"],
            type="reply",
            created_at=created_at,
        )
        for person_id in sorted(recipients)
        if is_uuid(person_id)
    ]
    mentioned = mentioned_recipient_ids(
        task.project_id, reply["mentions"], reply["department_mentions"], author_id
    )
    notifications += [
        Notification(
            person_id=person_id,
            author_id=author_id,
            comment=comment,
            task=task,
            reply_id=reply["id"],
            type="reply-mention",
        )
        for person_id in mentioned
        if str(person_id) != author_id
    ]
    existing = set(
        Person.objects.filter(pk__in=[n.person_id for n in notifications]).values_list("pk", flat=True)
    )
    _save_notifications(
        [n for n in notifications if uuid_or_none(n.person_id) in existing], task.project_id, user
    )


def find_reply(comment, reply_id):
    return reply_in(comment.replies, reply_id)


@transaction.atomic
def delete_reply(comment, reply_id, task, user=None):
    """Remove a reply with its attachments and the notifications it raised. Announces
    `comment:delete-reply`; returns the comment (no relations), as the reference does."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if is_uuid(reply_id):
        remove_attachments(AttachmentFile.objects.filter(comment=comment, reply_id=reply_id))
        Notification.objects.filter(reply_id=reply_id).delete()
    comment.replies = [
        reply
        for reply in comment.replies or []
        if not (isinstance(reply, dict) and reply.get("id") == str(reply_id))
    ]
    comment.save(update_fields=["replies"])
    announce(
        "comment:delete-reply",
        {
            "task_id": text_or_none(task.pk if task else comment.object_id),
            "comment_id": str(comment.pk),
            "reply_id": str(reply_id),
        },
        project_id=task.project_id if task else None,
        user=user,
    )
    return render_comment(comment, relations=False)


# --- acknowledgements ---------------------------------------------------------------------------


@transaction.atomic
def toggle_acknowledgement(comment, task, person):
    """`person` acknowledges the comment, or takes it back when already done. Announces
    `comment:acknowledge` or `comment:unacknowledge`; returns the comment with its relations."""
    Comment.objects.select_for_update().filter(pk=comment.pk).first()  # one toggle at a time
    links = CommentAcknowledgement.objects.filter(comment=comment, person=person)
    if links.exists():
        links.delete()
        name = "comment:unacknowledge"
    else:
        CommentAcknowledgement.objects.create(comment=comment, person=person)
        name = "comment:acknowledge"
    announce(
        name,
        {"comment_id": str(comment.pk), "person_id": str(person.pk)},
        project_id=task.project_id,
        user=person,
    )
    return render_comment(comment)


# --- helpers ------------------------------------------------------------------------------------


def _now_text():
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")
