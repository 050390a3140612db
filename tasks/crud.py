"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from kitsu_server.api.crud import CrudPolicy, register
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    Comment,
    News,
    Notification,
    Subscription,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)


@register
class TasksPolicy(CrudPolicy):
    model = Task
    path = "tasks"


@register
class TaskTypesPolicy(CrudPolicy):
    model = TaskType
    path = "task-types"


@register
class TaskStatusPolicy(CrudPolicy):
    model = TaskStatus
    path = "task-status"


@register
class CommentsPolicy(CrudPolicy):
    model = Comment
    path = "comments"


@register
class TimeSpentsPolicy(CrudPolicy):
    model = TimeSpent
    path = "time-spents"


@register
class NewsPolicy(CrudPolicy):
    model = News
    path = "news"


@register
class NotificationsPolicy(CrudPolicy):
    model = Notification
    path = "notifications"


@register
class SubscriptionsPolicy(CrudPolicy):
    model = Subscription
    path = "subscriptions"


@register
class EventsPolicy(CrudPolicy):
    model = ApiEvent
    path = "events"


@register
class ChatsPolicy(CrudPolicy):
    model = Chat
    path = "chats"


@register
class ChatMessagesPolicy(CrudPolicy):
    model = ChatMessage
    path = "chat-messages"
