"""Tasks and the production loop: task types and statuses, assignations, comments,
time spents, news, notifications, subscriptions, chats and the API event log."""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel, LinkModel

NOTIFICATION_TYPES = [
    ("comment", "Comment"),
    ("mention", "Mention"),
    ("assignation", "Assignation"),
    ("reply", "Reply"),
    ("reply-mention", "Reply Mention"),
    ("playlist-ready", "Playlist Ready"),
]


class ChatParticipant(LinkModel):
    chat = models.ForeignKey("Chat", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "chat_participant"
        constraints = [
            models.UniqueConstraint(fields=["chat", "person"], name="chat_participant_uc"),
        ]

    def __str__(self):
        return f"{self.chat} - {self.person}"


class Chat(KitsuModel):
    object_id = models.UUIDField(db_index=True)
    object_type = models.CharField(max_length=80, default="entity", db_index=True)
    last_message = models.DateTimeField(null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ChatParticipant", related_name="chats", blank=True
    )

    class Meta:
        db_table = "chat"

    def __str__(self):
        return f"chat {self.object_type} {self.object_id}"


class ChatMessage(KitsuModel):
    reverse_relation_lists = ("attachment_files",)

    chat = models.ForeignKey("Chat", on_delete=models.PROTECT, related_name="chat_messages")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chat_messages"
    )
    text = models.TextField(null=True, blank=True)
    # `attachment_files`: the reverse side of a foreign key, declared there.

    class Meta:
        db_table = "chat_message"

    def __str__(self):
        return f"{self.person}: {(self.text or '')[:40]}"


class CommentPreviewLink(LinkModel):
    comment = models.ForeignKey("Comment", on_delete=models.CASCADE, db_column="comment", related_name="+")
    preview_file = models.ForeignKey(
        "files.PreviewFile", on_delete=models.CASCADE, db_column="preview_file", related_name="+"
    )

    class Meta:
        db_table = "comment_preview_link"
        constraints = [
            models.UniqueConstraint(fields=["comment", "preview_file"], name="comment_preview_link_uc"),
        ]

    def __str__(self):
        return f"{self.comment} - {self.preview_file}"


class Comment(KitsuModel):
    reverse_relation_lists = ("attachment_files",)

    shotgun_id = models.IntegerField(null=True, blank=True)
    object_id = models.UUIDField(db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    text = models.TextField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    replies = models.JSONField(null=True, blank=True, default=list)
    checklist = models.JSONField(null=True, blank=True, default=list)
    pinned = models.BooleanField(null=True, blank=True)
    for_client = models.BooleanField(null=True, blank=True, default=False)
    links = models.JSONField(null=True, blank=True)
    task_status = models.ForeignKey(
        "TaskStatus", on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="edited_comments",
    )
    preview_file = models.ForeignKey(
        "files.PreviewFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previews = models.ManyToManyField(
        "files.PreviewFile", through="CommentPreviewLink", related_name="comments", blank=True
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CommentMention", related_name="mentioned_in_comments", blank=True
    )
    department_mentions = models.ManyToManyField(
        "people.Department",
        through="CommentDepartmentMention",
        related_name="mentioned_in_comments",
        blank=True,
    )
    acknowledgements = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CommentAcknowledgement",
        related_name="acknowledged_comments",
        blank=True,
    )
    # `attachment_files`: the reverse side of a foreign key, declared there.

    class Meta:
        db_table = "comment"
        # The back-office lists the newest first: no sort of the whole table.
        indexes = [
            models.Index(fields=["created_at"], name="ix_comment_created_at"),
            # Delta reads of a production's comments (`?updated_since=`).
            models.Index(fields=["updated_at"], name="ix_comment_updated_at"),
        ]

    def __str__(self):
        return f"{self.person}: {(self.text or '')[:40]}"


class ApiEvent(KitsuModel):
    name = models.CharField(max_length=80, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="api_events"
    )
    project = models.ForeignKey(
        "productions.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="api_events"
    )
    data = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "api_event"
        indexes = [
            models.Index(fields=["created_at"], name="ix_api_event_created_at"),
            models.Index(fields=["project", "created_at"], name="ix_api_event_project_created"),
        ]

    def __str__(self):
        return f"{self.name} {self.created_at}"


class News(KitsuModel):
    change = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="news")
    comment = models.ForeignKey(
        "Comment", on_delete=models.PROTECT, null=True, blank=True, related_name="newses"
    )
    task = models.ForeignKey("Task", on_delete=models.PROTECT, related_name="newses")
    preview_file = models.ForeignKey(
        "files.PreviewFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "news"
        verbose_name = "news item"
        verbose_name_plural = "news"
        # The feeds' pages, newest first (created_at, id descending), walked from this index
        # until a page of the production's news is found, instead of every news sorted.
        indexes = [models.Index(fields=["created_at", "id"], name="news_created_at_id_index")]

    def __str__(self):
        return f"news {self.task_id}"


class Notification(KitsuModel):
    read = models.BooleanField(default=False)
    change = models.BooleanField(default=False)
    type = models.CharField(max_length=255, choices=NOTIFICATION_TYPES)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_notifications"
    )
    comment = models.ForeignKey(
        "Comment", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    task = models.ForeignKey(
        "Task", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    playlist = models.ForeignKey(
        "files.Playlist", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    reply_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "notification"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "author", "comment", "reply_id", "playlist", "type"], name="notification_uc"
            ),
        ]

    def __str__(self):
        return f"{self.type} for {self.person}"


class Subscription(KitsuModel):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subscriptions"
    )
    task = models.ForeignKey(
        "Task", on_delete=models.PROTECT, null=True, blank=True, related_name="subscriptions"
    )
    entity = models.ForeignKey(
        "assets.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="subscriptions"
    )
    task_type = models.ForeignKey(
        "TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="subscriptions"
    )

    class Meta:
        db_table = "subscription"
        constraints = [
            models.UniqueConstraint(fields=["person", "task"], name="subscription_task_uc"),
            models.UniqueConstraint(fields=["person", "task_type", "entity"], name="subscription_entity_uc"),
        ]

    def __str__(self):
        return f"{self.person} on {self.task_id or self.entity_id}"


class TaskPersonLink(LinkModel):
    task = models.ForeignKey("Task", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "task_person_link"
        constraints = [
            models.UniqueConstraint(fields=["task", "person"], name="task_person_link_uc"),
        ]

    def __str__(self):
        return f"{self.task} - {self.person}"


class Task(KitsuModel):
    name = models.CharField(max_length=80)
    description = models.TextField(null=True, blank=True)
    priority = models.IntegerField(null=True, blank=True, default=0)
    difficulty = models.IntegerField(default=3)
    duration = models.FloatField(null=True, blank=True, default=0)
    estimation = models.FloatField(null=True, blank=True, default=0)
    completion_rate = models.IntegerField(null=True, blank=True, default=0)
    retake_count = models.IntegerField(null=True, blank=True, default=0)
    sort_order = models.IntegerField(null=True, blank=True, default=0)
    start_date = models.DateTimeField(null=True, blank=True)
    due_date = models.DateTimeField(null=True, blank=True)
    real_start_date = models.DateTimeField(null=True, blank=True)
    end_date = models.DateTimeField(null=True, blank=True)
    done_date = models.DateTimeField(null=True, blank=True)
    last_comment_date = models.DateTimeField(null=True, blank=True)
    nb_assets_ready = models.IntegerField(null=True, blank=True, default=0)
    data = models.JSONField(null=True, blank=True)
    nb_drawings = models.IntegerField(null=True, blank=True, default=0)
    shotgun_id = models.IntegerField(null=True, blank=True)
    last_preview_file_id = models.UUIDField(null=True, blank=True)
    project = models.ForeignKey(
        "productions.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    task_type = models.ForeignKey(
        "TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    task_status = models.ForeignKey(
        "TaskStatus", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    entity = models.ForeignKey(
        "assets.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    assigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_by_me",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TaskPersonLink", related_name="assigned_tasks", blank=True
    )

    class Meta:
        db_table = "task"
        constraints = [
            models.UniqueConstraint(fields=["name", "project", "task_type", "entity"], name="task_uc"),
            models.CheckConstraint(
                condition=models.Q(difficulty__gt=0, difficulty__lt=6), name="check_difficulty"
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "project"], name="ix_task_entity_project"),
            # The back-office's task list: newest first, and late tasks (due before now).
            models.Index(fields=["created_at"], name="ix_task_created_at"),
            models.Index(fields=["due_date"], name="ix_task_due_date"),
            # Delta reads (`?updated_since=`): a production's tasks changed since a moment.
            models.Index(fields=["project", "updated_at"], name="ix_task_project_updated_at"),
        ]

    def __str__(self):
        return f"{self.entity} / {self.task_type} / {self.name}"


class TaskStatus(KitsuModel):
    name = models.CharField(max_length=40)
    archived = models.BooleanField(null=True, blank=True, default=False)
    short_name = models.CharField(max_length=10, unique=True)
    description = models.TextField(null=True, blank=True)
    color = models.CharField(max_length=7)
    priority = models.IntegerField(null=True, blank=True, default=1)
    is_done = models.BooleanField(null=True, blank=True, default=False, db_index=True)
    is_artist_allowed = models.BooleanField(null=True, blank=True, default=True)
    is_client_allowed = models.BooleanField(null=True, blank=True, default=True)
    is_retake = models.BooleanField(null=True, blank=True, default=False)
    is_feedback_request = models.BooleanField(null=True, blank=True, default=False, db_index=True)
    is_default = models.BooleanField(null=True, blank=True, default=False, db_index=True)
    is_wip = models.BooleanField(null=True, blank=True, default=False, db_index=True)
    shotgun_id = models.IntegerField(null=True, blank=True)
    for_concept = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "task_status"
        verbose_name_plural = "task statuses"

    def __str__(self):
        return self.name


class TaskType(KitsuModel):
    name = models.CharField(max_length=40)
    short_name = models.CharField(max_length=20, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    color = models.CharField(max_length=7, null=True, blank=True, default="#FFFFFF")
    priority = models.IntegerField(null=True, blank=True, default=1)
    for_entity = models.CharField(max_length=30, null=True, blank=True, default="Asset")
    allow_timelog = models.BooleanField(null=True, blank=True, default=True)
    archived = models.BooleanField(null=True, blank=True, default=False)
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)
    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="task_types"
    )

    class Meta:
        db_table = "task_type"
        constraints = [
            models.UniqueConstraint(fields=["name", "for_entity", "department"], name="task_type_uc"),
        ]

    def __str__(self):
        return self.name


class TimeSpent(KitsuModel):
    duration = models.FloatField()
    date = models.DateField()
    task = models.ForeignKey(
        "Task", on_delete=models.PROTECT, null=True, blank=True, related_name="time_spents"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="time_spents"
    )

    class Meta:
        db_table = "time_spent"
        constraints = [
            models.UniqueConstraint(fields=["person", "task", "date"], name="time_spent_uc"),
            models.CheckConstraint(condition=models.Q(duration__gt=0), name="check_duration_positive"),
        ]

    def __str__(self):
        return f"{self.person} {self.date} {self.duration}"


class CommentMention(LinkModel):
    """Link table `comment_mentions` of the reference (not a model class there)."""

    comment = models.ForeignKey("Comment", on_delete=models.CASCADE, db_column="comment", related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_column="person", related_name="+"
    )

    class Meta:
        db_table = "comment_mentions"
        constraints = [models.UniqueConstraint(fields=["comment", "person"], name="comment_mentions_uc")]

    def __str__(self):
        return f"{self.comment_id} - {self.person_id}"


class CommentDepartmentMention(LinkModel):
    """Link table `comment_department_mentions` of the reference (not a model class there)."""

    comment = models.ForeignKey("Comment", on_delete=models.CASCADE, db_column="comment", related_name="+")
    department = models.ForeignKey(
        "people.Department", on_delete=models.CASCADE, db_column="department", related_name="+"
    )

    class Meta:
        db_table = "comment_department_mentions"
        constraints = [
            models.UniqueConstraint(fields=["comment", "department"], name="comment_department_mentions_uc")
        ]

    def __str__(self):
        return f"{self.comment_id} - {self.department_id}"


class CommentAcknowledgement(LinkModel):
    """Link table `comment_acknoledgments` of the reference (not a model class there)."""

    comment = models.ForeignKey("Comment", on_delete=models.CASCADE, db_column="comment", related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_column="person", related_name="+"
    )

    class Meta:
        db_table = "comment_acknoledgments"
        constraints = [
            models.UniqueConstraint(fields=["comment", "person"], name="comment_acknoledgments_uc")
        ]

    def __str__(self):
        return f"{self.comment_id} - {self.person_id}"
