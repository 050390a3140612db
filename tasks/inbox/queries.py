"""Reads of the user's inbox: notifications (with what each one is about), subscriptions and chats,
and a project's notifications and subscriptions.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery, UUIDField
from django.utils.dateparse import parse_date, parse_datetime

from assets.models import Entity
from files.models import AttachmentFile, Playlist
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import (
    serialize_instance,
    serialize_rows,
    serialize_value,
)
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, team_project_ids
from kitsu_server.core.data.policies import REGISTRY
from tasks.comments.queries import reply_in
from tasks.models import (
    Chat,
    ChatMessage,
    CommentDepartmentMention,
    CommentMention,
    CommentPreviewLink,
    Notification,
    Subscription,
)
from tasks.queries import RenamedColumnShape, full_entity_names, paginated, shape_of

NOTIFICATIONS_LIMIT = 100  # the reference lists the 100 newest
REPLY_TYPES = ("reply", "reply-mention")

# --- notifications ------------------------------------------------------------------------------


@dataclass
class NotificationCriteria:
    """The reference's filters of the notification list (all optional)."""

    after: datetime.datetime | None = None
    before: datetime.datetime | None = None
    task_type_id: object = None
    task_status_id: object = None
    notification_type: str | None = None
    read: bool | None = None
    watching: bool | None = None


def parse_moment(value, name="after or before"):
    """A date or a datetime (ISO, UTC when it carries no zone), or a 400 as the reference words it."""
    moment = None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None:
        raise WrongParameter(f"Wrong date format for {name}.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def visible_notifications(person, is_admin):
    """The person's own notifications; outside an admin, only those of their team's projects (or
    tied to no project at all)."""
    queryset = Notification.objects.filter(person_id=person.pk)
    if is_admin:
        return queryset
    team = team_project_ids(person)
    return queryset.filter(
        Q(task__project_id__in=team)
        | Q(task__isnull=True, playlist__project_id__in=team)
        | Q(task__isnull=True, playlist__isnull=True)
    )


def filtered(queryset, criteria):
    if criteria.after is not None:
        queryset = queryset.filter(created_at__gt=criteria.after)
    if criteria.before is not None:
        queryset = queryset.filter(created_at__lt=criteria.before)
    if criteria.task_type_id is not None:
        queryset = queryset.filter(task__task_type_id=criteria.task_type_id)
    if criteria.task_status_id is not None:
        queryset = queryset.filter(task__task_status_id=criteria.task_status_id)
    if criteria.notification_type is not None:
        queryset = queryset.filter(type=criteria.notification_type)
    if criteria.read is not None:
        queryset = queryset.filter(read=criteria.read)
    if criteria.watching is not None:
        queryset = queryset.filter(subscription_id__isnull=not criteria.watching)
    return queryset


NOTIFICATION_COLUMNS = (
    "pk",
    "type",
    "author_id",
    "author__role",
    "comment_id",
    "comment__task_status_id",
    "comment__text",
    "comment__replies",
    "task_id",
    "task__task_type_id",
    "task__project_id",
    "task__project__name",
    "task__entity_id",
    "task__entity__preview_file_id",
    "playlist_id",
    "reply_id",
    "created_at",
    "read",
    "change",
    "subscription_id",
)


def list_notifications(person, is_admin, criteria=None, notification_id=None):
    """The person's newest notifications (100 at most) as the reference's inbox rows: the task,
    entity or playlist each points at and the text of the comment or reply behind it. Six queries
    at most, whatever the count."""
    criteria = criteria or NotificationCriteria()
    subscription = Subscription.objects.filter(task_id=OuterRef("task_id"), person_id=person.pk)
    queryset = visible_notifications(person, is_admin).annotate(
        subscription_id=Subquery(subscription.values("pk")[:1])
    )
    if notification_id is not None:
        queryset = queryset.filter(pk=notification_id)
    queryset = filtered(queryset, criteria).order_by("-created_at", "-pk")
    rows = list(queryset.values(*NOTIFICATION_COLUMNS)[:NOTIFICATIONS_LIMIT])
    context = NotificationContext.load(rows)
    blank_client_text = person.role == "user"
    return [context.render(row, blank_client_text) for row in rows]


@dataclass
class NotificationContext:
    """What the rows point at, read in one query per kind: mentions, previews, playlists, entity
    names."""

    mentions: dict
    department_mentions: dict
    previews: dict
    playlists: dict
    entity_names: dict

    @classmethod
    def load(cls, rows):
        comment_ids = {row["comment_id"] for row in rows if row["comment_id"] is not None}
        playlist_ids = {row["playlist_id"] for row in rows if row["playlist_id"] is not None}
        entity_ids = {
            row["task__entity_id"]
            for row in rows
            if row["playlist_id"] is None and row["task__entity_id"] is not None
        }
        mentions, department_mentions, previews, playlists = (
            defaultdict(list),
            defaultdict(list),
            {},
            {},
        )
        if comment_ids:
            pairs = CommentMention.objects.filter(comment_id__in=comment_ids).order_by("person_id")
            for comment_id, person_id in pairs.values_list("comment_id", "person_id"):
                mentions[comment_id].append(str(person_id))
            pairs = CommentDepartmentMention.objects.filter(comment_id__in=comment_ids).order_by(
                "department_id"
            )
            for comment_id, department_id in pairs.values_list("comment_id", "department_id"):
                department_mentions[comment_id].append(str(department_id))
            links = CommentPreviewLink.objects.filter(comment_id__in=comment_ids).order_by(
                "preview_file__created_at", "preview_file_id"
            )
            for comment_id, preview_file_id in links.values_list("comment_id", "preview_file_id"):
                previews.setdefault(comment_id, str(preview_file_id))
        if playlist_ids:
            for values in Playlist.objects.filter(pk__in=playlist_ids).values(
                "pk", "name", "project_id", "project__name", "episode_id", "for_entity", "is_for_all"
            ):
                playlists[values["pk"]] = values
        return cls(mentions, department_mentions, previews, playlists, full_entity_names(entity_ids))

    def render(self, row, blank_client_text):
        comment_id = row["comment_id"]
        project_id, project_name = row["task__project_id"], row["task__project__name"]
        full_entity_name, episode_id, entity_preview_file_id = "", None, None
        playlist_name, playlist_for_entity, playlist_is_for_all = "", "", False
        playlist = self.playlists.get(row["playlist_id"])
        if row["playlist_id"] is None:
            if row["task__entity_id"] in self.entity_names:
                full_entity_name, episode_id = self.entity_names[row["task__entity_id"]]
                entity_preview_file_id = row["task__entity__preview_file_id"]
        elif playlist is not None:
            project_id, project_name = playlist["project_id"], playlist["project__name"]
            episode_id = playlist["episode_id"]
            playlist_name = playlist["name"]
            playlist_for_entity = playlist["for_entity"]
            playlist_is_for_all = playlist["is_for_all"]

        comment_text, reply_text = row["comment__text"], ""
        reply_mentions, reply_department_mentions = [], []
        if row["type"] in REPLY_TYPES:
            reply = reply_in(row["comment__replies"], row["reply_id"])
            if reply is not None:
                reply_text = reply.get("text")
                reply_mentions = reply.get("mentions") or []
                reply_department_mentions = reply.get("department_mentions") or []
        if blank_client_text and row["author__role"] == "client":
            comment_text, reply_text = "", ""

        return {
            "id": str(row["pk"]),
            "type": "Notification",
            "notification_type": row["type"],
            "author_id": str(row["author_id"]),
            "comment_id": serialize_value(comment_id),
            "task_id": serialize_value(row["task_id"]),
            "task_type_id": serialize_value(row["task__task_type_id"]),
            "task_status_id": serialize_value(row["comment__task_status_id"]),
            "mentions": self.mentions.get(comment_id, []),
            "department_mentions": self.department_mentions.get(comment_id, []),
            "reply_mentions": reply_mentions,
            "reply_department_mentions": reply_department_mentions,
            "preview_file_id": self.previews.get(comment_id),
            "project_id": serialize_value(project_id),
            "project_name": project_name,
            "comment_text": comment_text,
            "reply_text": reply_text,
            "created_at": serialize_value(row["created_at"]),
            "read": row["read"],
            "change": row["change"],
            "full_entity_name": full_entity_name,
            "episode_id": serialize_value(episode_id),
            "entity_preview_file_id": serialize_value(entity_preview_file_id),
            "subscription_id": serialize_value(row["subscription_id"]),
            "playlist_id": serialize_value(row["playlist_id"]),
            "playlist_name": playlist_name,
            "playlist_for_entity": playlist_for_entity,
            "playlist_is_for_all": playlist_is_for_all,
        }


def render_notification(notification):
    """A notification as the reference's `serialize()` writes it: its columns, typed
    "Notification", its own `type` under `notification_type`."""
    data = serialize_instance(notification, shape=REGISTRY["notifications"].shape)
    data["notification_type"] = notification.type
    return data


# --- subscriptions ------------------------------------------------------------------------------


def has_task_subscription(person, task_id):
    return task_id is not None and Subscription.objects.filter(person_id=person.pk, task_id=task_id).exists()


def has_sequence_subscription(person, sequence_id, task_type_id):
    if sequence_id is None or task_type_id is None:
        return False
    return Subscription.objects.filter(
        person_id=person.pk, entity_id=sequence_id, task_type_id=task_type_id
    ).exists()


def render_subscription(subscription):
    return serialize_instance(subscription, shape=REGISTRY["subscriptions"].shape)


# --- chats --------------------------------------------------------------------------------------


def render_chat(chat, relations=True):
    """A chat as the reference serializes it (with its participants' ids when `relations`)."""
    return serialize_instance(chat, relations=relations, shape=REGISTRY["chats"].shape)


def render_chat_message(message):
    """A message as the reference serializes it: its columns, without its attachments."""
    return serialize_instance(message, shape=REGISTRY["chat-messages"].shape)


def chat_messages(chat_id, message_id=None):
    """The chat's messages, oldest first, each with its attachments' short forms: two queries."""
    queryset = ChatMessage.objects.filter(chat_id=chat_id).order_by("created_at", "pk")
    if message_id is not None:
        queryset = queryset.filter(pk=message_id)
    rows = serialize_rows(queryset, shape=REGISTRY["chat-messages"].shape)
    attachments = defaultdict(list)
    if rows:
        files = AttachmentFile.objects.filter(chat_message_id__in=[row["id"] for row in rows]).order_by(
            "created_at", "pk"
        )
        for message_id_, pk, name, extension in files.values_list(
            "chat_message_id", "pk", "name", "extension"
        ):
            attachments[str(message_id_)].append({"id": str(pk), "name": name, "extension": extension})
    for row in rows:
        row["attachment_files"] = attachments.get(row["id"], [])
    return rows


def chat_message(chat_id, message_id):
    rows = chat_messages(chat_id, message_id)
    return rows[0] if rows else None


def chats_of(person, is_admin):
    """The chats `person` takes part in, on entities of open projects (of their team, outside an
    admin): the chat, the entity's full name, project and preview. Two queries."""
    entities = Entity.objects.filter(project__project_status__name=OPEN_PROJECT_STATUS)
    if not is_admin:
        entities = entities.filter(project_id__in=team_project_ids(person))
    entity = Entity.objects.filter(pk=OuterRef("object_id"))
    rows = list(
        Chat.objects.filter(participants=person, object_id__in=entities.values("pk"))
        .annotate(
            project_id=Subquery(entity.values("project_id")[:1], output_field=UUIDField()),
            preview_file_id=Subquery(entity.values("preview_file_id")[:1], output_field=UUIDField()),
        )
        .order_by("created_at", "pk")
        .values("pk", "object_id", "last_message", "project_id", "preview_file_id")
    )
    names = full_entity_names({row["object_id"] for row in rows})
    return [
        {
            "id": str(row["pk"]),
            "object_id": str(row["object_id"]),
            "last_message": serialize_value(row["last_message"]),
            "entity_name": names.get(row["object_id"], ("", None))[0],
            "project_id": serialize_value(row["project_id"]),
            "preview_file_id": serialize_value(row["preview_file_id"]),
        }
        for row in rows
    ]


NOTIFICATION_SHAPE = RenamedColumnShape(Notification, {"type": "notification_type"})


def project_notifications(project, page):
    queryset = Notification.objects.filter(task__project=project).order_by("-updated_at", "pk")
    return paginated(queryset, page, None, lambda rows: serialize_rows(rows, shape=NOTIFICATION_SHAPE))


def project_subscriptions(project):
    queryset = Subscription.objects.filter(task__project=project).order_by("created_at", "pk")
    return serialize_rows(queryset, shape=shape_of("subscriptions"))
