"""Writes of the user's inbox: reading notifications, subscribing to tasks and sequences, entity
chats (joining, leaving, posting and deleting messages with their attachments).

Each write is one transaction. Events follow the reference: notification reads are stored in the
event log (`record_event`); chat events are only broadcast to the live stream once the transaction
commits (`announce`), as the reference does not persist them. Subscriptions emit nothing.
"""

from django.db import IntegrityError, transaction

from files.models import AttachmentFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_value
from kitsu_server.core.events import record_event
from tasks.comments.attachments import FileWrites, remove_attachments, store_uploaded_attachment
from tasks.inbox.queries import render_chat, render_chat_message, render_notification, render_subscription
from tasks.models import Chat, ChatMessage, ChatParticipant, Notification, Subscription
from tasks.services import announce

# --- notifications ------------------------------------------------------------------------------


@transaction.atomic
def set_notification_read(notification, read, user):
    """Mark one notification read or unread: `notification:read` / `notification:unread`."""
    notification.read = read
    notification.save(update_fields=["read", "updated_at"])
    record_event(
        "notification:read" if read else "notification:unread",
        {"person_id": str(user.pk), "notification_id": str(notification.pk)},
        user=user,
    )
    return render_notification(notification)


@transaction.atomic
def mark_all_notifications_read(user):
    """Every unread notification of `user` read, in one update: `notification:all-read`."""
    count = Notification.objects.filter(person_id=user.pk, read=False).update(read=True)
    record_event("notification:all-read", {"person_id": str(user.pk)}, user=user)
    return count


# --- subscriptions ------------------------------------------------------------------------------


def _subscribe(person, **target):
    """The subscription of `person` to `target`, created when missing (a concurrent request
    creating it first is no error: its row is returned)."""
    existing = Subscription.objects.filter(person_id=person.pk, **target).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Subscription.objects.create(person_id=person.pk, **target)
    except IntegrityError:
        existing = Subscription.objects.filter(person_id=person.pk, **target).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def subscribe_to_tasks(person, tasks):
    """Subscribe `person` to each task (idempotent): their subscriptions, in order."""
    return [render_subscription(_subscribe(person, task_id=task.pk)) for task in tasks]


@transaction.atomic
def unsubscribe_from_tasks(person, task_ids):
    """Drop the subscriptions of `person` to the tasks (those that exist)."""
    return Subscription.objects.filter(person_id=person.pk, task_id__in=task_ids).delete()[0]


@transaction.atomic
def subscribe_to_sequence(person, sequence, task_type):
    return render_subscription(_subscribe(person, entity_id=sequence.pk, task_type_id=task_type.pk))


@transaction.atomic
def unsubscribe_from_sequence(person, sequence_id, task_type_id):
    return Subscription.objects.filter(
        person_id=person.pk, entity_id=sequence_id, task_type_id=task_type_id
    ).delete()[0]


# --- chats --------------------------------------------------------------------------------------


def chat_of(entity):
    """The chat of an entity, created on first use as the reference does (even by a read)."""
    chat = Chat.objects.filter(object_id=entity.pk).order_by("created_at", "pk").first()
    if chat is None:
        with transaction.atomic():
            chat = Chat.objects.create(object_id=entity.pk, object_type="entity")
    return chat


def is_participant(chat, person):
    return ChatParticipant.objects.filter(chat_id=chat.pk, person_id=person.pk).exists()


@transaction.atomic
def join_chat(entity, person):
    """`person` takes part in the entity's chat (idempotent): `chat:joined`. The chat, without its
    participants."""
    chat = chat_of(entity)
    ChatParticipant.objects.get_or_create(chat_id=chat.pk, person_id=person.pk)
    announce("chat:joined", {"chat_id": str(chat.pk), "person_id": str(person.pk)}, user=person)
    return render_chat(chat, relations=False)


@transaction.atomic
def leave_chat(entity, person):
    """`person` leaves the entity's chat (a no-op when not in it): `chat:left`."""
    chat = chat_of(entity)
    ChatParticipant.objects.filter(chat_id=chat.pk, person_id=person.pk).delete()
    announce("chat:left", {"chat_id": str(chat.pk), "person_id": str(person.pk)}, user=person)


def post_chat_message(chat, person, text, files=()):
    """A message of `person` in `chat`, with the uploaded `files` as attachments: one transaction,
    the stored files removed again if it fails. `chat:new-message`. The message as the reference
    answers it (its attachments' short forms only when files were sent)."""
    if not is_participant(chat, person):
        raise WrongParameter("You are not a participant of this chat")
    with FileWrites() as writes, transaction.atomic():
        message = ChatMessage.objects.create(chat=chat, person=person, text=text)
        chat.last_message = message.created_at
        chat.save(update_fields=["last_message", "updated_at"])
        data = render_chat_message(message)
        if files:
            data["attachment_files"] = [
                store_chat_attachment(message, uploaded, writes) for uploaded in files
            ]
        announce(
            "chat:new-message",
            {
                "chat_id": str(chat.pk),
                "chat_message_id": data["id"],
                "last_message": serialize_value(message.created_at),
            },
            user=person,
        )
        return data


def store_chat_attachment(message, uploaded_file, writes):
    """An attachment of a chat message from an uploaded file, stored in the default storage the
    way comment attachments are. Returns its short form."""
    return store_uploaded_attachment(uploaded_file, writes, "chat attachment", chat_message=message)


@transaction.atomic
def delete_chat_message(message, user):
    """Remove a message and its attachments (their files go once committed):
    `chat:deleted-message`."""
    chat_id, message_id = message.chat_id, message.pk
    remove_attachments(AttachmentFile.objects.filter(chat_message_id=message_id))
    message.delete()
    announce("chat:deleted-message", {"chat_id": str(chat_id), "chat_message_id": str(message_id)}, user=user)
