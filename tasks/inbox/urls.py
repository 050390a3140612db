"""Kitsu routes of the user's inbox (notifications, subscriptions, chats), of the chats of entities
and of a project's notifications and subscriptions.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.inbox import views

# A viewset serves an entity's chat: the verbs of each path and the action they call.
CHAT = {"get": "chat"}
CHAT_MESSAGES = {"get": "list", "post": "create"}
CHAT_MESSAGE = {"get": "retrieve", "delete": "destroy"}
SEQUENCE_TASK_TYPE = "sequences/{sequence_id}/task-types/{task_type_id}"

urlpatterns = [
    # user: notifications
    kitsu_path("/data/user/notifications", views.UserNotificationsView.as_view(), name="user-notifications"),
    kitsu_path(
        "/data/user/notifications/{notification_id}",
        views.UserNotificationView.as_view(),
        name="user-notification",
    ),
    kitsu_path(
        "/actions/user/notifications/mark-all-as-read",
        views.MarkAllNotificationsReadView.as_view(),
        name="user-notifications-mark-all-as-read",
    ),
    # user: subscriptions
    kitsu_path(
        "/data/user/tasks/{task_id}/subscribed",
        views.TaskSubscribedView.as_view(),
        name="user-task-subscribed",
    ),
    kitsu_path(
        "/actions/user/tasks/subscribe", views.TasksSubscribeView.as_view(), name="user-tasks-subscribe"
    ),
    kitsu_path(
        "/actions/user/tasks/unsubscribe", views.TasksUnsubscribeView.as_view(), name="user-tasks-unsubscribe"
    ),
    kitsu_path(
        "/actions/user/tasks/{task_id}/subscribe",
        views.TaskSubscribeView.as_view(),
        name="user-task-subscribe",
    ),
    kitsu_path(
        "/actions/user/tasks/{task_id}/unsubscribe",
        views.TaskUnsubscribeView.as_view(),
        name="user-task-unsubscribe",
    ),
    kitsu_path(
        f"/data/user/{SEQUENCE_TASK_TYPE}/subscribed",
        views.SequenceSubscribedView.as_view(),
        name="user-sequence-subscribed",
    ),
    # The reference's deprecated alias of the route above.
    kitsu_path(
        "/data/user/entities/{sequence_id}/task-types/{task_type_id}/subscribed",
        views.SequenceSubscribedView.as_view(),
        name="user-entity-subscribed",
    ),
    kitsu_path(
        f"/actions/user/{SEQUENCE_TASK_TYPE}/subscribe",
        views.SequenceSubscribeView.as_view(),
        name="user-sequence-subscribe",
    ),
    kitsu_path(
        f"/actions/user/{SEQUENCE_TASK_TYPE}/unsubscribe",
        views.SequenceUnsubscribeView.as_view(),
        name="user-sequence-unsubscribe",
    ),
    # user: chats
    kitsu_path("/data/user/chats", views.UserChatsView.as_view(), name="user-chats"),
    kitsu_path("/actions/user/chats/{entity_id}/join", views.JoinChatView.as_view(), name="user-chat-join"),
    # chats
    kitsu_path("/data/entities/{entity_id}/chat", views.EntityChatViewSet.as_view(CHAT), name="entity-chat"),
    kitsu_path(
        "/data/entities/{entity_id}/chat/messages",
        views.EntityChatViewSet.as_view(CHAT_MESSAGES),
        name="entity-chat-messages",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/chat/messages/{chat_message_id}",
        views.EntityChatViewSet.as_view(CHAT_MESSAGE),
        name="entity-chat-message",
    ),
    # a project's notifications and subscriptions
    kitsu_path(
        "/data/projects/{project_id}/notifications",
        views.ProjectNotificationsView.as_view(),
        name="project-notifications",
    ),
    kitsu_path(
        "/data/projects/{project_id}/subscriptions",
        views.ProjectSubscriptionsView.as_view(),
        name="project-subscriptions",
    ),
]
