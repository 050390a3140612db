"""Routes of the user's inbox (notifications, subscriptions, the chats they take part in), of an
entity's chat and its messages, and of a project's notifications and subscriptions (admins).

Everything here is the requester's own: nobody reads or changes another person's notifications
or subscriptions. Entity chats follow the entity: project access, and for a vendor only the
entities they hold a task on.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import KitsuView, UserView
from kitsu_server.api.params import parse_uuid, uuid_or_none
from kitsu_server.api.requests import query_id, query_int, query_text, validated
from kitsu_server.api.schema import rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import object_or_404, task_or_404
from kitsu_server.core.scoped import READER, EntityScopedView
from productions.models import Project
from shots.models import Sequence
from tasks.inbox import queries, services
from tasks.inputs import INT_MESSAGE, uploaded_files
from tasks.models import ChatMessage, TaskType
from tasks.schemas import PAGE_PARAMETERS, AttachmentShortSchema

USER_DATA_TAGS = ["data/user"]
USER_ACTION_TAGS = ["actions/user"]
CHAT_TAGS = ["chats"]

# --- request and response schemas -----------------------------------------------------------------


class NotificationRow(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField(default="Notification")
    notification_type = serializers.CharField()
    author_id = serializers.UUIDField()
    comment_id = serializers.UUIDField(allow_null=True)
    task_id = serializers.UUIDField(allow_null=True)
    task_type_id = serializers.UUIDField(allow_null=True)
    task_status_id = serializers.UUIDField(allow_null=True)
    mentions = serializers.ListField(child=serializers.UUIDField())
    department_mentions = serializers.ListField(child=serializers.UUIDField())
    reply_mentions = serializers.ListField(child=serializers.UUIDField())
    reply_department_mentions = serializers.ListField(child=serializers.UUIDField())
    preview_file_id = serializers.UUIDField(allow_null=True)
    project_id = serializers.UUIDField(allow_null=True)
    project_name = serializers.CharField(allow_null=True)
    comment_text = serializers.CharField(allow_null=True)
    reply_text = serializers.CharField(allow_null=True)
    created_at = serializers.CharField()
    read = serializers.BooleanField()
    change = serializers.BooleanField()
    full_entity_name = serializers.CharField()
    episode_id = serializers.UUIDField(allow_null=True)
    entity_preview_file_id = serializers.UUIDField(allow_null=True)
    subscription_id = serializers.UUIDField(allow_null=True)
    playlist_id = serializers.UUIDField(allow_null=True)
    playlist_name = serializers.CharField()
    playlist_for_entity = serializers.CharField(allow_null=True)
    playlist_is_for_all = serializers.BooleanField(allow_null=True)


class NotificationSchema(output_serializer(REGISTRY["notifications"])):
    notification_type = serializers.CharField()


class NotificationUpdateBody(serializers.Serializer):
    read = serializers.BooleanField()


class SuccessSchema(serializers.Serializer):
    success = serializers.BooleanField()


class SubscribeTasksBody(serializers.Serializer):
    task_ids = serializers.ListField(child=serializers.CharField(), min_length=1)


SUBSCRIPTION_SCHEMA = output_serializer(REGISTRY["subscriptions"])
CHAT_SCHEMA = output_serializer(REGISTRY["chats"])


class ChatMessageRow(output_serializer(REGISTRY["chat-messages"])):
    attachment_files = serializers.ListField(child=serializers.DictField(), help_text="{id, name, extension}")


class ChatWithMessages(CHAT_SCHEMA):
    messages = ChatMessageRow(many=True)


class PostedChatMessage(output_serializer(REGISTRY["chat-messages"])):
    attachment_files = AttachmentShortSchema(many=True, required=False)


class ChatMessageBody(serializers.Serializer):
    message = serializers.CharField(allow_blank=True, trim_whitespace=False)


class ChatMessageUploadBody(ChatMessageBody):
    file = serializers.FileField(required=False, help_text="Attachments, under any field names")


class UserChatRow(serializers.Serializer):
    id = serializers.UUIDField()
    object_id = serializers.UUIDField()
    last_message = serializers.CharField(allow_null=True)
    entity_name = serializers.CharField()
    project_id = serializers.UUIDField()
    preview_file_id = serializers.UUIDField(allow_null=True)


NOTIFICATION_FILTERS = [
    OpenApiParameter("after", str, description="Created after this date or datetime (UTC)"),
    OpenApiParameter("before", str, description="Created before this date or datetime (UTC)"),
    OpenApiParameter("task_type_id", OpenApiTypes.UUID),
    OpenApiParameter("task_status_id", OpenApiTypes.UUID),
    OpenApiParameter("type", str, description="Notification type (comment, mention, assignation...)"),
    OpenApiParameter("read", bool),
    OpenApiParameter("watching", bool, description="Only notifications of the tasks subscribed to"),
]

# --- request helpers ------------------------------------------------------------------------------


UUID_MESSAGE = "Invalid UUID format for {name}: {value}"


def query_flag(request, name):
    """A boolean query parameter as the reference reads it ("true" or not), None when absent."""
    value = request.query_params.get(name)
    return None if value is None else value.lower() == "true"


def notification_criteria(request):
    after, before = query_text(request, "after"), query_text(request, "before")
    return queries.NotificationCriteria(
        after=queries.parse_moment(after) if after is not None else None,
        before=queries.parse_moment(before) if before is not None else None,
        task_type_id=query_id(request, "task_type_id", UUID_MESSAGE),
        task_status_id=query_id(request, "task_status_id", UUID_MESSAGE),
        notification_type=query_text(request, "type"),
        read=query_flag(request, "read"),
        watching=query_flag(request, "watching"),
    )


def own_notification(request, notification_id):
    """One of the requester's notifications (400 malformed, 404 absent or someone else's)."""
    pk = parse_uuid(notification_id, f"Invalid UUID format for notification_id: {notification_id}")
    access = access_for(request)
    notification = queries.visible_notifications(request.user, access.is_admin).filter(pk=pk).first()
    if notification is None:
        raise NotFound("Notification not found.")
    return notification


def message_of_chat(chat, chat_message_id):
    """A message of the URL, which must be one of the chat's (403 otherwise, as the reference)."""
    message = object_or_404(ChatMessage, chat_message_id)
    if message.chat_id != chat.pk:
        raise PermissionDenied
    return message


# --- notifications --------------------------------------------------------------------------------


class UserNotificationsView(UserView):
    """`GET /data/user/notifications`: the requester's 100 newest notifications, with the task,
    entity or playlist each points at; filtered by date, task type, task status, type, read and
    watching (subscribed tasks)."""

    @extend_schema(tags=USER_DATA_TAGS, parameters=NOTIFICATION_FILTERS, responses=NotificationRow(many=True))
    def get(self, request):
        criteria = notification_criteria(request)
        access = access_for(request)
        return Response(queries.list_notifications(request.user, access.is_admin, criteria))


class UserNotificationView(UserView):
    """`GET|PUT /data/user/notifications/{notification_id}`: one of the requester's notifications;
    PUT marks it read or unread (`notification:read` / `notification:unread`)."""

    @extend_schema(tags=USER_DATA_TAGS, responses=NotificationRow)
    def get(self, request, notification_id):
        notification = own_notification(request, notification_id)
        access = access_for(request)
        rows = queries.list_notifications(request.user, access.is_admin, notification_id=notification.pk)
        if not rows:
            raise NotFound("Notification not found.")
        return Response(rows[0])

    @extend_schema(tags=USER_DATA_TAGS, request=NotificationUpdateBody, responses=NotificationSchema)
    def put(self, request, notification_id):
        notification = own_notification(request, notification_id)
        body = validated(NotificationUpdateBody, request.data)
        return Response(services.set_notification_read(notification, body["read"], request.user))


class MarkAllNotificationsReadView(UserView):
    """`POST /actions/user/notifications/mark-all-as-read`: every notification of the requester
    read (`notification:all-read`)."""

    @extend_schema(tags=USER_ACTION_TAGS, request=None, responses=SuccessSchema)
    def post(self, request):
        services.mark_all_notifications_read(request.user)
        return Response({"success": True})


# --- subscriptions --------------------------------------------------------------------------------


class TaskSubscribedView(UserView):
    """`GET /data/user/tasks/{task_id}/subscribed`: whether the requester follows the task."""

    @extend_schema(tags=USER_DATA_TAGS, responses=OpenApiTypes.BOOL)
    def get(self, request, task_id):
        return Response(queries.has_task_subscription(request.user, uuid_or_none(task_id)))


class TaskSubscribeView(UserView):
    """`POST /actions/user/tasks/{task_id}/subscribe`: follow a task of a project of the
    requester's team. 201 and the subscription (the existing one when already following)."""

    @extend_schema(
        tags=USER_ACTION_TAGS,
        request=None,
        responses={201: SUBSCRIPTION_SCHEMA},
        operation_id="user_task_subscribe",
    )
    def post(self, request, task_id):
        task = task_or_404(task_id)
        access_for(request).check_project_access(task.project_id)
        return Response(services.subscribe_to_tasks(request.user, [task])[0], status=201)


class TaskUnsubscribeView(UserView):
    """`DELETE /actions/user/tasks/{task_id}/unsubscribe`: stop following a task. 204, whether
    or not the requester followed it."""

    @extend_schema(tags=USER_ACTION_TAGS, request=None, responses={204: None})
    def delete(self, request, task_id):
        task_id = uuid_or_none(task_id)
        if task_id is not None:
            services.unsubscribe_from_tasks(request.user, [task_id])
        return Response(status=204)


class TasksSubscribeView(UserView):
    """`POST /actions/user/tasks/subscribe` `{"task_ids": [...]}`: follow several tasks; every
    one is checked (404, 403) before any is followed. 201 and the subscriptions."""

    @extend_schema(
        tags=USER_ACTION_TAGS, request=SubscribeTasksBody, responses={201: SUBSCRIPTION_SCHEMA(many=True)}
    )
    def post(self, request):
        body = validated(SubscribeTasksBody, request.data)
        access = access_for(request)
        tasks = []
        for task_id in body["task_ids"]:  # all checked before any is followed
            tasks.append(task_or_404(task_id))
            access.check_project_access(tasks[-1].project_id)
        return Response(services.subscribe_to_tasks(request.user, tasks), status=201)


class TasksUnsubscribeView(UserView):
    """`POST /actions/user/tasks/unsubscribe` `{"task_ids": [...]}`: stop following several
    tasks. 200 and the ids as given."""

    @extend_schema(
        tags=USER_ACTION_TAGS,
        request=SubscribeTasksBody,
        responses={200: {"type": "array", "items": {"type": "string"}}},
    )
    def post(self, request):
        body = validated(SubscribeTasksBody, request.data)
        task_ids = [pk for pk in map(uuid_or_none, body["task_ids"]) if pk is not None]
        services.unsubscribe_from_tasks(request.user, task_ids)
        return Response(body["task_ids"])


class SequenceSubscribedView(UserView):
    """`GET /data/user/sequences/{sequence_id}/task-types/{task_type_id}/subscribed` (and its
    deprecated `/data/user/entities/...` alias): whether the requester follows the sequence's
    tasks of that type."""

    @extend_schema(tags=USER_DATA_TAGS, responses=OpenApiTypes.BOOL)
    def get(self, request, sequence_id, task_type_id):
        subscribed = queries.has_sequence_subscription(
            request.user, uuid_or_none(sequence_id), uuid_or_none(task_type_id)
        )
        return Response(subscribed)


class SequenceSubscribeView(UserView):
    """`POST /actions/user/sequences/{sequence_id}/task-types/{task_type_id}/subscribe`: follow
    the tasks of a type on a sequence's shots, in a project of the requester's team. 201 and the
    subscription."""

    @extend_schema(tags=USER_ACTION_TAGS, request=None, responses={201: SUBSCRIPTION_SCHEMA})
    def post(self, request, sequence_id, task_type_id):
        pk = uuid_or_none(sequence_id)
        sequence = Sequence.objects.filter(pk=pk).first() if pk is not None else None
        if sequence is None:
            raise NotFound("Sequence not found.")
        access_for(request).check_project_access(sequence.project_id)
        task_type = object_or_404(TaskType, task_type_id)
        return Response(services.subscribe_to_sequence(request.user, sequence, task_type), status=201)


class SequenceUnsubscribeView(UserView):
    """`DELETE /actions/user/sequences/{sequence_id}/task-types/{task_type_id}/unsubscribe`: stop
    following them. 204, whether or not the requester did."""

    @extend_schema(tags=USER_ACTION_TAGS, request=None, responses={204: None})
    def delete(self, request, sequence_id, task_type_id):
        sequence_id, task_type_id = uuid_or_none(sequence_id), uuid_or_none(task_type_id)
        if sequence_id is not None and task_type_id is not None:
            services.unsubscribe_from_sequence(request.user, sequence_id, task_type_id)
        return Response(status=204)


# --- the requester's chats ------------------------------------------------------------------------


class UserChatsView(UserView):
    """`GET /data/user/chats`: the chats the requester takes part in, on entities of the open
    projects of their team, with the entity's full name, project and preview."""

    @extend_schema(tags=USER_DATA_TAGS, responses=UserChatRow(many=True))
    def get(self, request):
        return Response(queries.chats_of(request.user, access_for(request).is_admin))


class JoinChatView(EntityScopedView):
    """`POST|DELETE /actions/user/chats/{entity_id}/join`: take part in an entity's chat (200 and
    the chat) or leave it (204); `chat:joined` / `chat:left`."""

    permission_classes = UserView.permission_classes  # about the person calling: no bot tokens
    rules = {"POST": READER, "DELETE": READER}

    @extend_schema(tags=USER_ACTION_TAGS, request=None, responses=CHAT_SCHEMA)
    def post(self, request, entity_id):
        return Response(services.join_chat(self.entity, request.user))

    @extend_schema(tags=USER_ACTION_TAGS, request=None, responses={204: None})
    def delete(self, request, entity_id):
        services.leave_chat(self.entity, request.user)
        return Response(status=204)


# --- entity chats ---------------------------------------------------------------------------------


class EntityChatViewSet(ViewSetMixin, EntityScopedView):
    """An entity's chat (created on first use), for whoever reaches the entity: the chat
    (`/data/entities/{entity_id}/chat`), its messages (`.../chat/messages`), one message
    (`.../chat/messages/{chat_message_id}`)."""

    rules = {"chat": READER, "list": READER, "create": READER, "retrieve": READER, "destroy": READER}

    @extend_schema(tags=CHAT_TAGS, responses=ChatWithMessages, operation_id="data_entities_chat_retrieve")
    def chat(self, request, entity_id):
        """`GET /data/entities/{entity_id}/chat`: the entity's chat, with its participants and its
        messages."""
        chat = services.chat_of(self.entity)
        data = queries.render_chat(chat)
        data["messages"] = queries.chat_messages(chat.pk)
        return Response(data)

    @extend_schema(
        tags=CHAT_TAGS, responses=ChatMessageRow(many=True), operation_id="data_entities_chat_messages_list"
    )
    def list(self, request, entity_id):
        """`GET /data/entities/{entity_id}/chat/messages`: the chat's messages, oldest first."""
        chat = services.chat_of(self.entity)
        return Response(queries.chat_messages(chat.pk))

    @extend_schema(
        tags=CHAT_TAGS,
        request={"application/json": ChatMessageBody, "multipart/form-data": ChatMessageUploadBody},
        responses={201: PostedChatMessage},
        operation_id="data_entities_chat_messages_create",
    )
    def create(self, request, entity_id):
        """`POST /data/entities/{entity_id}/chat/messages`: a participant posts one (`message`, with
        attachments when sent as a multipart form): 201 and the message (`chat:new-message`)."""
        body = validated(ChatMessageBody, request.data)
        chat = services.chat_of(self.entity)
        message = services.post_chat_message(chat, request.user, body["message"], uploaded_files(request))
        return Response(message, status=201)

    @extend_schema(
        tags=CHAT_TAGS, responses=ChatMessageRow, operation_id="data_entities_chat_messages_retrieve"
    )
    def retrieve(self, request, entity_id, chat_message_id):
        """`GET /data/entities/{entity_id}/chat/messages/{chat_message_id}`: one message of the chat."""
        chat = services.chat_of(self.entity)
        message = message_of_chat(chat, chat_message_id)
        return Response(queries.chat_message(chat.pk, message.pk))

    @extend_schema(
        tags=CHAT_TAGS,
        request=None,
        responses={204: None},
        operation_id="data_entities_chat_messages_destroy",
    )
    def destroy(self, request, entity_id, chat_message_id):
        """`DELETE /data/entities/{entity_id}/chat/messages/{chat_message_id}`: its author or an admin
        deletes it with its attachments (204, `chat:deleted-message`)."""
        chat = services.chat_of(self.entity)
        message = message_of_chat(chat, chat_message_id)
        self.access.check_chat_message_delete(message)
        services.delete_chat_message(message, request.user)
        return Response(status=204)


class ProjectNotificationsView(KitsuView):
    """`GET /data/projects/{project_id}/notifications`: admins only."""

    @extend_schema(parameters=PAGE_PARAMETERS[:1], responses={200: rows_or_page()}, tags=["data/projects"])
    def get(self, request, project_id):
        access_for(request).check_admin()
        project = object_or_404(Project, project_id)
        return Response(
            queries.project_notifications(project, query_int(request, "page", -1, message=INT_MESSAGE))
        )


class ProjectSubscriptionsView(KitsuView):
    """`GET /data/projects/{project_id}/subscriptions`: admins only."""

    @extend_schema(responses={200: SUBSCRIPTION_SCHEMA(many=True)}, tags=["data/projects"])
    def get(self, request, project_id):
        access_for(request).check_admin()
        project = object_or_404(Project, project_id)
        return Response(queries.project_subscriptions(project))
