"""Back-office of the production loop: tasks and their assignees, task types and
statuses, comments and their mentions, time spents, news, notifications,
subscriptions, chats and the API event log."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from rest_framework.exceptions import PermissionDenied

from kitsu_server.admin_access import is_full_admin, readable_project_ids
from kitsu_server.admin_base import KitsuInline, KitsuModelAdmin, LargeTableAdmin, is_uuid
from kitsu_server.core.access.tasks import SUPERVISOR_TASK_COLUMNS
from people.models import Person
from productions.models import Project
from tasks import services
from tasks.admin_actions import TaskActionForm, assign_to_person, change_status, unassign
from tasks.admin_filters import (
    ENTITY_NAME_RELATED,
    AssigneeFilter,
    DepartmentFilter,
    EpisodeFilter,
    LateFilter,
    SequenceFilter,
    TaskTypeFilter,
    entity_full_name,
    hours,
    person_names,
    search_tasks,
    status_badge,
)
from tasks.comments.services import post_comment
from tasks.crud import check_assignable, task_of
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


class TaskPersonLinkInline(KitsuInline):
    model = TaskPersonLink
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "assignee"
    verbose_name_plural = "assignees"
    staff_writes = True  # checked as the API's assignations (TaskAdmin.save_related)


class TaskForm(forms.ModelForm):
    status_comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Posted with a status change: a status changes through a comment, as in Kitsu.",
    )


# Written by the comments and time spents of the task, never by hand (as on the web UI).
TASK_COMPUTED_FIELDS = (
    "duration",
    "retake_count",
    "real_start_date",
    "end_date",
    "done_date",
    "last_comment_date",
    "assigner",
    "last_preview_file_id",
)
TASK_FIELDSETS = (
    (None, {"fields": ("project", "entity", "task_type", "name")}),
    ("Status", {"fields": ("task_status", "status_comment")}),
    (
        "Planning",
        {"fields": ("start_date", "due_date", "estimation", "priority", "difficulty", "description")},
    ),
    (
        "Computed",
        {
            "classes": ("collapse",),
            "fields": TASK_COMPUTED_FIELDS,
        },
    ),
    (
        "More",
        {
            "classes": ("collapse",),
            "fields": (
                "completion_rate",
                "sort_order",
                "nb_assets_ready",
                "nb_drawings",
                "shotgun_id",
                "data",
            ),
        },
    ),
)


@admin.register(Task)
class TaskAdmin(LargeTableAdmin):
    """The task list a production manager works in (columns and filters: tasks/admin_filters.py).
    A status change is a comment (news, notifications, dates, events, as the API's comment
    route); assignees edited inline are assignations (events, notifications); a deletion is the
    API's forced task deletion."""

    form = TaskForm
    fieldsets = TASK_FIELDSETS
    list_display = (
        "entity_name",
        "task_type",
        "status",
        "assignee_names",
        "due_date",
        "estimate_vs_spent",
        "project",
        "updated_at",
    )
    list_display_links = ("entity_name",)
    list_select_related = ("task_type", "task_status", "project", *ENTITY_NAME_RELATED)
    list_filter = (
        "project",
        EpisodeFilter,
        SequenceFilter,
        TaskTypeFilter,
        "task_status",
        AssigneeFilter,
        DepartmentFilter,
        LateFilter,
    )
    search_fields = (
        "entity__name",
        "entity__parent__name",
        "entity__parent__parent__name",
        "entity__entity_type__name",
        "task_type__name",
        "task_status__name",
        "task_status__short_name",
        "assignees__first_name",
        "assignees__last_name",
        "assignees__email",
    )
    autocomplete_fields = ("project", "task_type", "task_status", "entity", "assigner")
    readonly_fields = TASK_COMPUTED_FIELDS
    inlines = (TaskPersonLinkInline,)
    action_form = TaskActionForm
    actions = (assign_to_person, unassign, change_status)
    delete_params = {"force": "true"}  # the web UI's deletion: the task with what hangs off it

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignees")

    def get_readonly_fields(self, request, obj=None):
        """A supervisor plans the tasks of their departments (the API's update rule: planning
        columns only) and changes their status by a comment: the rest is read-only for them."""
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is None or is_full_admin(request):
            return readonly
        if self.access(request).project_role(obj.project_id) != "supervisor":
            return readonly
        editable = {*SUPERVISOR_TASK_COLUMNS, "task_status", "status_comment"}
        fixed = [name for name in flatten_fieldsets(TASK_FIELDSETS) if name not in editable]
        return tuple(dict.fromkeys((*readonly, *fixed)))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip() or is_uuid(search_term):
            return super().get_search_results(request, queryset, search_term)
        return search_tasks(queryset, search_term), False

    @admin.display(description="entity", ordering="entity__name")
    def entity_name(self, task):
        return entity_full_name(task.entity)

    @admin.display(description="status", ordering="task_status__priority")
    def status(self, task):
        return status_badge(task.task_status)

    @admin.display(description="assignees")
    def assignee_names(self, task):
        return person_names(task.assignees.all())

    @admin.display(description="estimate / spent (h)", ordering="estimation")
    def estimate_vs_spent(self, task):
        over = (task.duration or 0) > (task.estimation or 0) > 0
        return format_html(
            '<span class="{}">{} / {}</span>',
            "kitsu-over" if over else "",
            hours(task.estimation),
            hours(task.duration),
        )

    def save_model(self, request, obj, form, change):
        new_status = form.cleaned_data.get("task_status")
        status_changed = change and "task_status" in form.changed_data and new_status is not None
        if status_changed:  # written by the comment below, not as a column
            form.changed_data.remove("task_status")
        super().save_model(request, obj, form, change)
        if status_changed:
            access = self.access(request)
            task = Task.objects.select_related("project", "entity").get(pk=obj.pk)
            if not access.check_comment_post_access(task):
                raise PermissionDenied
            access.check_task_status_access(new_status.pk, task.project_id)
            text = form.cleaned_data.get("status_comment") or ""
            post_comment(task, new_status, request.user, request.user, text=text)
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        task = form.instance
        previous = set(task.assignees.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        current = set(task.assignees.values_list("pk", flat=True))
        if current != previous:
            access = self.access(request)
            for person in Person.objects.filter(pk__in=current - previous):
                access.check_assignment(task, person)
            for person_id in previous - current:
                if not access.unassignable_tasks([task], person_id):
                    raise PermissionDenied
            check_assignable(list(current - previous))
            # What `PUT /data/tasks/{id}` with `assignees` records: the (un)assignations, the update.
            services.record_assignation_changes(task, previous, request.user)
            policy = self.write_policy()
            policy.emit("update", policy.render(task, access=access), request.user)

    def delete_queryset(self, request, queryset):
        access = self.access(request)
        for project_id in set(queryset.values_list("project_id", flat=True)):
            access.check_manager(project_id)
        services.delete_tasks(queryset, request.user)


class EntityTasksInline(KitsuInline):
    """An entity's tasks on its page (a shot's, an asset's), read-only: each links to its own
    page, where a status change or an assignation goes through the services."""

    model = Task
    fk_name = "entity"
    saved_rows_only = True  # a new entity has no task yet
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("task_link", "status", "assignee_names", "due_date", "estimate_vs_spent")
    readonly_fields = fields
    verbose_name = "task"
    verbose_name_plural = "tasks"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        related = super().get_queryset(request).select_related("task_type", "task_status", "entity")
        return related.prefetch_related("assignees").order_by("task_type__priority", "task_type__name")

    @admin.display(description="task type")
    def task_link(self, task):
        url = reverse("admin:tasks_task_change", args=[task.pk])
        return format_html('<a href="{}">{}</a>', url, task.task_type)

    status = TaskAdmin.status
    assignee_names = TaskAdmin.assignee_names
    estimate_vs_spent = TaskAdmin.estimate_vs_spent


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

    def visible_rows(self, request, queryset):
        """The time the API shows the person: their own, and their productions' (its `/data` list
        is the admins' only)."""
        return self.access(request).visible_time_spents(queryset)

    def check_row_read(self, request, obj):
        self.check_listed(request, obj)


@admin.register(Subscription)
class SubscriptionAdmin(LargeTableAdmin):
    list_display = ("person", "task", "entity", "task_type", "created_at")
    list_select_related = ("person", *TASK_RELATED, "entity", "task_type")
    search_fields = ("person__email",)
    autocomplete_fields = ("person", "task", "entity", "task_type")


# --- Comments -------------------------------------------------------------------


class FollowsTheTextInline(KitsuInline):
    """Mentions follow the comment's text (`@name`, as on the API, which takes no mention of its
    own): shown, never written by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommentMentionInline(FollowsTheTextInline):
    model = CommentMention
    fields = readonly_fields = ("person",)
    verbose_name = "mention"
    verbose_name_plural = "mentions"


class CommentDepartmentMentionInline(FollowsTheTextInline):
    model = CommentDepartmentMention
    fields = readonly_fields = ("department",)
    verbose_name = "department mention"
    verbose_name_plural = "department mentions"


class CommentAcknowledgementInline(KitsuInline):
    model = CommentAcknowledgement
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "acknowledgement"
    verbose_name_plural = "acknowledgements"


class CommentPreviewLinkInline(KitsuInline):
    model = CommentPreviewLink
    extra = 0
    autocomplete_fields = ("preview_file",)
    verbose_name = "preview"
    verbose_name_plural = "previews"


class CommentChangeList(ChangeList):
    """The comment list with each comment's task (a comment names it by `object_id`, no foreign
    key): one query for the tasks of the page."""

    def get_results(self, request):
        super().get_results(request)
        task_ids = {comment.object_id for comment in self.result_list}
        tasks = Task.objects.select_related("task_type", *ENTITY_NAME_RELATED).in_bulk(task_ids)
        for comment in self.result_list:
            comment.task_row = tasks.get(comment.object_id)


class CommentProjectFilter(admin.SimpleListFilter):
    title = "project"
    parameter_name = "project"

    def lookups(self, request, model_admin):
        projects = Project.objects.order_by("name")
        project_ids = readable_project_ids(request)
        if project_ids is not None:
            projects = projects.filter(pk__in=project_ids)
        return [(str(pk), name) for pk, name in projects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(object_id__in=Task.objects.filter(project_id=self.value()).values("pk"))


class CommentAuthorFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        persons = Person.objects.filter(is_bot=False).order_by("first_name", "last_name")
        return [
            (str(pk), f"{first} {last}".strip())
            for pk, first, last in persons.values_list("pk", "first_name", "last_name")[:500]
        ]

    def queryset(self, request, queryset):
        return queryset.filter(person_id=self.value()) if self.value() else queryset


class PostedFilter(admin.SimpleListFilter):
    title = "posted"
    parameter_name = "posted"
    DAYS = {"today": 1, "week": 7, "month": 30}

    def lookups(self, request, model_admin):
        return [("today", "Last 24 hours"), ("week", "Last 7 days"), ("month", "Last 30 days")]

    def queryset(self, request, queryset):
        days = self.DAYS.get(self.value())
        if days is None:
            return queryset
        return queryset.filter(created_at__gte=timezone.now() - timezone.timedelta(days=days))


@admin.register(Comment)
class CommentAdmin(LargeTableAdmin):
    list_display = ("short_text", "task", "person", "status", "for_client", "created_at")
    list_select_related = ("person", "task_status")
    list_filter = (
        CommentProjectFilter,
        CommentAuthorFilter,
        "task_status",
        PostedFilter,
        "for_client",
        "pinned",
    )
    search_fields = ("text", "person__first_name", "person__last_name", "person__email")
    uuid_search_fields = ("pk", "object_id")
    autocomplete_fields = ("task_status", "person", "editor", "preview_file")
    inlines = (
        CommentMentionInline,
        CommentDepartmentMentionInline,
        CommentAcknowledgementInline,
        CommentPreviewLinkInline,
    )

    def get_changelist(self, request, **kwargs):
        return CommentChangeList

    def visible_rows(self, request, queryset):
        """The comments the API lets the person read on their tasks' pages (its `/data` list is
        the admins' only)."""
        return self.access(request).visible_comments(queryset)

    def check_row_read(self, request, obj):
        self.access(request).check_comment_access(obj, task_of(obj))

    @admin.display(description="text")
    def short_text(self, comment):
        return truncatechars(comment.text or "", 80) or "(no text)"

    @admin.display(description="task")
    def task(self, comment):
        task = getattr(comment, "task_row", None)
        if task is None:
            return ""
        url = reverse("admin:tasks_task_change", args=[task.pk])
        return format_html('<a href="{}">{} / {}</a>', url, entity_full_name(task.entity), task.task_type)

    @admin.display(description="status set", ordering="task_status__priority")
    def status(self, comment):
        return status_badge(comment.task_status)


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

    def visible_rows(self, request, queryset):
        """The news the API's feeds show the person (its `/data` list is the admins' only)."""
        return self.access(request).visible_news(queryset)

    def check_row_read(self, request, obj):
        self.check_listed(request, obj)


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


class ChatParticipantInline(KitsuInline):
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
