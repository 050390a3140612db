"""Back-office of the production loop: tasks and their assignees, task types and
statuses, comments and their mentions, time spents, news, notifications,
subscriptions, chats and the API event log."""

from django.contrib import admin
from django.template.defaultfilters import truncatechars

from kitsu_server.admin_base import KitsuModelAdmin, LargeTableAdmin
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    ChatParticipant,
    Comment,
    CommentAcknowledgement,
    CommentDepartmentMention,
    CommentMention,
    CommentPreviewLink,
    News,
    Notification,
    Subscription,
    Task,
    TaskPersonLink,
    TaskStatus,
    TaskType,
    TimeSpent,
)

# What Task.__str__ reads, for every list that shows a task through a foreign key.
TASK_RELATED = ("task", "task__entity", "task__task_type")


# --- Task types and statuses ------------------------------------------------------


@admin.register(TaskType)
class TaskTypeAdmin(KitsuModelAdmin):
    list_display = ("name", "short_name", "for_entity", "department", "priority", "allow_timelog", "archived")
    list_select_related = ("department",)
    list_filter = ("for_entity", "department", "allow_timelog", "archived")
    search_fields = ("name", "short_name")
    ordering = ("for_entity", "priority", "name")
    autocomplete_fields = ("department",)


@admin.register(TaskStatus)
class TaskStatusAdmin(KitsuModelAdmin):
    list_display = (
        "name",
        "short_name",
        "color",
        "priority",
        "is_default",
        "is_done",
        "is_wip",
        "is_retake",
        "is_feedback_request",
        "archived",
    )
    list_filter = (
        "is_default",
        "is_done",
        "is_wip",
        "is_retake",
        "is_feedback_request",
        "for_concept",
        "archived",
    )
    search_fields = ("name", "short_name")
    ordering = ("priority", "name")


# --- Tasks --------------------------------------------------------------------


class TaskPersonLinkInline(admin.TabularInline):
    model = TaskPersonLink
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "assignee"
    verbose_name_plural = "assignees"


@admin.register(Task)
class TaskAdmin(LargeTableAdmin):
    list_display = (
        "name",
        "entity",
        "task_type",
        "task_status",
        "project",
        "priority",
        "start_date",
        "due_date",
        "updated_at",
    )
    list_select_related = ("entity", "task_type", "task_status", "project")
    list_filter = ("task_status", "task_type", "project")
    search_fields = ("name", "entity__name")
    autocomplete_fields = ("project", "task_type", "task_status", "entity", "assigner")
    inlines = (TaskPersonLinkInline,)


@admin.register(TaskPersonLink)
class TaskPersonLinkAdmin(LargeTableAdmin):
    list_display = ("task", "person")
    list_select_related = (*TASK_RELATED, "person")
    search_fields = ("task__name", "task__entity__name", "person__email")
    autocomplete_fields = ("task", "person")


@admin.register(TimeSpent)
class TimeSpentAdmin(LargeTableAdmin):
    list_display = ("person", "task", "date", "duration")
    list_select_related = ("person", *TASK_RELATED)
    list_filter = ("date",)
    search_fields = ("person__email", "person__last_name", "task__entity__name")
    autocomplete_fields = ("task", "person")
    ordering = ("-date",)


@admin.register(Subscription)
class SubscriptionAdmin(LargeTableAdmin):
    list_display = ("person", "task", "entity", "task_type", "created_at")
    list_select_related = ("person", *TASK_RELATED, "entity", "task_type")
    search_fields = ("person__email",)
    autocomplete_fields = ("person", "task", "entity", "task_type")


# --- Comments -------------------------------------------------------------------


class CommentMentionInline(admin.TabularInline):
    model = CommentMention
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "mention"
    verbose_name_plural = "mentions"


class CommentDepartmentMentionInline(admin.TabularInline):
    model = CommentDepartmentMention
    extra = 0
    autocomplete_fields = ("department",)
    verbose_name = "department mention"
    verbose_name_plural = "department mentions"


class CommentAcknowledgementInline(admin.TabularInline):
    model = CommentAcknowledgement
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "acknowledgement"
    verbose_name_plural = "acknowledgements"


class CommentPreviewLinkInline(admin.TabularInline):
    model = CommentPreviewLink
    extra = 0
    autocomplete_fields = ("preview_file",)
    verbose_name = "preview"
    verbose_name_plural = "previews"


@admin.register(Comment)
class CommentAdmin(LargeTableAdmin):
    list_display = (
        "short_text",
        "person",
        "task_status",
        "object_type",
        "for_client",
        "pinned",
        "created_at",
    )
    list_select_related = ("person", "task_status")
    list_filter = ("task_status", "for_client", "pinned")
    search_fields = ("text",)
    uuid_search_fields = ("pk", "object_id")
    autocomplete_fields = ("task_status", "person", "editor", "preview_file")
    inlines = (
        CommentMentionInline,
        CommentDepartmentMentionInline,
        CommentAcknowledgementInline,
        CommentPreviewLinkInline,
    )

    @admin.display(description="text")
    def short_text(self, comment):
        return truncatechars(comment.text or "", 80)


@admin.register(CommentMention)
class CommentMentionAdmin(LargeTableAdmin):
    list_display = ("comment", "person")
    list_select_related = ("comment__person", "person")
    autocomplete_fields = ("comment", "person")


@admin.register(CommentDepartmentMention)
class CommentDepartmentMentionAdmin(LargeTableAdmin):
    list_display = ("comment", "department")
    list_select_related = ("comment__person", "department")
    list_filter = ("department",)
    autocomplete_fields = ("comment", "department")


@admin.register(CommentAcknowledgement)
class CommentAcknowledgementAdmin(LargeTableAdmin):
    list_display = ("comment", "person")
    list_select_related = ("comment__person", "person")
    autocomplete_fields = ("comment", "person")


@admin.register(CommentPreviewLink)
class CommentPreviewLinkAdmin(LargeTableAdmin):
    list_display = ("comment", "preview_file")
    list_select_related = ("comment__person", "preview_file")
    autocomplete_fields = ("comment", "preview_file")


# --- News, notifications, events -------------------------------------------------------


@admin.register(News)
class NewsAdmin(LargeTableAdmin):
    list_display = ("task", "author", "change", "created_at")
    list_select_related = (*TASK_RELATED, "author")
    list_filter = ("change",)
    search_fields = ("task__entity__name", "author__email")
    autocomplete_fields = ("author", "comment", "task", "preview_file")


@admin.register(Notification)
class NotificationAdmin(LargeTableAdmin):
    list_display = ("type", "person", "author", "task", "read", "change", "created_at")
    list_select_related = ("person", "author", *TASK_RELATED)
    list_filter = ("type", "read", "change")
    search_fields = ("person__email", "author__email")
    autocomplete_fields = ("person", "author", "comment", "task", "playlist")


@admin.register(ApiEvent)
class ApiEventAdmin(LargeTableAdmin):
    list_display = ("name", "user", "project", "created_at")
    list_select_related = ("user", "project")
    search_fields = ("name",)
    autocomplete_fields = ("user", "project")


# --- Chats --------------------------------------------------------------------


class ChatParticipantInline(admin.TabularInline):
    model = ChatParticipant
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "participant"
    verbose_name_plural = "participants"


@admin.register(Chat)
class ChatAdmin(LargeTableAdmin):
    list_display = ("object_type", "object_id", "last_message", "created_at")
    search_fields = ("object_type",)
    uuid_search_fields = ("pk", "object_id")
    inlines = (ChatParticipantInline,)


@admin.register(ChatParticipant)
class ChatParticipantAdmin(LargeTableAdmin):
    list_display = ("chat", "person")
    list_select_related = ("chat", "person")
    autocomplete_fields = ("chat", "person")


@admin.register(ChatMessage)
class ChatMessageAdmin(LargeTableAdmin):
    list_display = ("short_text", "person", "chat", "created_at")
    list_select_related = ("person", "chat")
    search_fields = ("text",)
    autocomplete_fields = ("chat", "person")

    @admin.display(description="text")
    def short_text(self, message):
        return truncatechars(message.text or "", 80)
