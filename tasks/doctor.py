"""The doctor's checks of tasks and comments (kitsu_server.core.doctor): what the database
constraints cannot say about them."""

from collections import defaultdict

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from assets.models import Entity
from files.models import PreviewFile
from kitsu_server.core.deletion import THUMBNAIL_EXTENSIONS
from kitsu_server.core.doctor import ERROR, WARNING, Check, register
from kitsu_server.core.doctor.registry import TASK_LABEL_RELATED, distinct_sql, task_label
from productions.models import ProjectTaskStatusLink, ProjectTaskTypeLink
from tasks.models import Chat, Comment, Task


def project_tasks(project):
    tasks = Task.objects.all()
    return tasks if project is None else tasks.filter(project=project)


@register
class TaskEntityInAnotherProject(Check):
    """A task whose entity belongs to another production (or a task without production whose
    entity has one): that production's lists, boards and stats miss it. Report-only: whether
    the task or its entity is in the wrong production is a person's call."""

    name = "task-entity-project"
    title = "Tasks whose entity is in another production"
    severity = ERROR

    def problems(self, project):
        tasks = Task.objects.filter(entity__isnull=False).filter(
            Q(project__isnull=True) | ~Q(project_id=F("entity__project_id"))
        )
        if project is not None:
            tasks = tasks.filter(Q(project=project) | Q(entity__project=project))
        return tasks.select_related(*TASK_LABEL_RELATED, "entity__project").order_by("pk")

    def example(self, task):
        return f"{task_label(task)}: its entity is in {task.entity.project.name}"


@register
class TaskOutsideProjectSettings(Check):
    """A task whose task type or status is not among its production's (project settings), while
    the production lists some: the web UI hides the task's column or cannot show its status.
    Report-only: add the type or status to the production, or move the task."""

    name = "task-project-settings"
    title = "Tasks whose type or status is not in their production's settings"
    severity = WARNING

    def problems(self, project):
        types = ProjectTaskTypeLink.objects.filter(project_id=OuterRef("project_id"))
        statuses = ProjectTaskStatusLink.objects.filter(project_id=OuterRef("project_id"))
        tasks = project_tasks(project).filter(project__isnull=False)
        tasks = tasks.filter(
            (
                Q(project_id__in=ProjectTaskTypeLink.objects.values("project_id"))
                & ~Exists(types.filter(task_type_id=OuterRef("task_type_id")))
            )
            | (
                Q(project_id__in=ProjectTaskStatusLink.objects.values("project_id"))
                & ~Exists(statuses.filter(task_status_id=OuterRef("task_status_id")))
            )
        )
        return tasks.select_related(*TASK_LABEL_RELATED, "task_status").order_by("pk")

    def example(self, task):
        status = task.task_status.name if task.task_status_id else "(none)"
        return f"{task_label(task)}, status {status}: not both in the production's settings"


@register
class CommentWithoutTask(Check):
    """A comment whose task is gone (`comment.object_id` is no foreign key). Report-only: it is
    what a person wrote."""

    name = "comment-orphans"
    title = "Comments whose task does not exist"
    severity = ERROR
    studio_wide = True

    def problems(self, project):
        return (
            Comment.objects.filter(~Exists(Task.objects.filter(pk=OuterRef("object_id"))))
            .select_related("person")
            .order_by("pk")
        )

    def example(self, comment):
        text = (comment.text or "").strip().replace("\n", " ")[:40]
        written = f"by {comment.person} ({comment.created_at:%Y-%m-%d})"
        return f"comment {comment.pk} {written} on task {comment.object_id}: {text!r}"


@register
class ChatWithoutEntity(Check):
    """A chat whose entity is gone (`chat.object_id` is no foreign key). Report-only: its
    messages are what persons wrote."""

    name = "chat-orphans"
    title = "Chats whose entity does not exist"
    severity = WARNING
    studio_wide = True

    def problems(self, project):
        return Chat.objects.filter(~Exists(Entity.objects.filter(pk=OuterRef("object_id")))).order_by("pk")

    def example(self, chat):
        return f"chat {chat.pk} on {chat.object_type} {chat.object_id}"


# --- counters -------------------------------------------------------------------------------


# Tasks whose last comment date is not their newest status comment's: one pass over the comments
# grouped by task, joined to the tasks (a correlated subquery would run once per task).
WRONG_LAST_COMMENT_SQL = f"""
SELECT t.id FROM task t
LEFT JOIN (
    SELECT object_id, MAX(created_at) AS newest FROM comment
    WHERE task_status_id IS NOT NULL GROUP BY object_id
) c ON c.object_id = t.id
WHERE {distinct_sql("t.last_comment_date", "c.newest")}
"""


def newest_status_comment():
    """The date of a task's newest comment with a status (what `reset_task_data` takes)."""
    return (
        Comment.objects.filter(object_id=OuterRef("pk"), task_status__isnull=False)
        .order_by("-created_at")
        .values("created_at")[:1]
    )


@register
class TaskLastCommentDate(Check):
    """`task.last_comment_date` is not the date of the task's newest comment (the to-do lists and
    boards sort on it). Fix: set from the comments."""

    name = "task-last-comment-date"
    title = "Tasks whose last comment date is not their newest comment's"

    def problems(self, project):
        return (
            project_tasks(project)
            .filter(pk__in=RawSQL(WRONG_LAST_COMMENT_SQL, ()))
            .annotate(newest_comment=Subquery(newest_status_comment()))
            .select_related(*TASK_LABEL_RELATED)
            .order_by("pk")
        )

    def example(self, task):
        return f"{task_label(task)}: {task.last_comment_date} instead of {task.newest_comment}"

    def fix(self, project):
        wrong = project_tasks(project).filter(pk__in=RawSQL(WRONG_LAST_COMMENT_SQL, ()))
        count = wrong.update(last_comment_date=Subquery(newest_status_comment()), updated_at=timezone.now())
        return f"{count} tasks' last comment date set from their comments"


# The retakes a task's status comments count, as `reset_task_data` counts them: a comment moving
# the task into a retake status from a status that was none (a run of retakes counts once).
RETAKES_SQL = """
SELECT w.object_id AS task_id,
       SUM(CASE WHEN w.is_retake AND NOT COALESCE(w.previous_is_retake, FALSE) THEN 1 ELSE 0 END) AS retakes
FROM (
    SELECT c.object_id, s.is_retake,
           LAG(s.is_retake) OVER (PARTITION BY c.object_id ORDER BY c.created_at) AS previous_is_retake
    FROM comment c JOIN task_status s ON s.id = c.task_status_id
) w
GROUP BY w.object_id
"""
WRONG_RETAKES_SQL = f"""
SELECT t.id AS task_id, COALESCE(r.retakes, 0) AS retakes
FROM task t LEFT JOIN ({RETAKES_SQL}) r ON r.task_id = t.id
WHERE COALESCE(t.retake_count, 0) <> COALESCE(r.retakes, 0)
"""


@register
class TaskRetakeCount(Check):
    """`task.retake_count` is not the number of times its comments moved it into a retake
    status (the production's retake stats and the retake cap read it). Fix: recount from the
    comments, as `reset_task_data` does."""

    name = "task-retake-count"
    title = "Tasks whose retake count does not match their comments"

    def problems(self, project):
        wrong = RawSQL(f"SELECT task_id FROM ({WRONG_RETAKES_SQL}) wrong", ())
        return project_tasks(project).filter(pk__in=wrong).select_related(*TASK_LABEL_RELATED).order_by("pk")

    def example(self, task):
        return f"{task_label(task)}: retake count {task.retake_count or 0}"

    def fix(self, project):
        with connection.cursor() as cursor:
            cursor.execute(WRONG_RETAKES_SQL)
            rows = cursor.fetchall()
        by_count = defaultdict(list)
        field = Task._meta.pk
        for task_id, retakes in rows:
            by_count[int(retakes)].append(field.to_python(task_id))
        now, count = timezone.now(), 0
        for retakes, task_ids in by_count.items():
            for start in range(0, len(task_ids), 2000):
                batch = task_ids[start : start + 2000]
                count += (
                    project_tasks(project).filter(pk__in=batch).update(retake_count=retakes, updated_at=now)
                )
        return f"{count} tasks' retake count recounted from their comments"


def newest_main_preview(task_ref="pk"):
    """A task's newest ready main preview (what a deleted preview's task falls back on)."""
    return (
        PreviewFile.objects.filter(
            task_id=OuterRef(task_ref), position=1, status="ready", extension__in=THUMBNAIL_EXTENSIONS
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )


def wrong_last_preview_sql():
    extensions = ", ".join(f"'{extension}'" for extension in THUMBNAIL_EXTENSIONS)
    return f"""
SELECT t.id FROM task t
LEFT JOIN (
    SELECT task_id, id FROM (
        SELECT p.task_id, p.id,
               ROW_NUMBER() OVER (PARTITION BY p.task_id ORDER BY p.created_at DESC, p.id DESC) AS n
        FROM preview_file p
        WHERE p.task_id IS NOT NULL AND p.position = 1 AND p.status = 'ready'
          AND p.extension IN ({extensions})
    ) ranked WHERE n = 1
) newest ON newest.task_id = t.id
WHERE {distinct_sql("t.last_preview_file_id", "newest.id")}
"""


@register
class TaskLastPreview(Check):
    """`task.last_preview_file_id` (no foreign key) is not the task's newest ready main preview:
    it names a preview that is gone or of another task, or is empty while the task has one.
    Playlists add an entity's latest preview from it. Fix: set to the newest ready main preview."""

    name = "task-last-preview"
    title = "Tasks whose last preview is not their newest main preview"

    def problems(self, project):
        return (
            project_tasks(project)
            .filter(pk__in=RawSQL(wrong_last_preview_sql(), ()))
            .annotate(newest_preview=Subquery(newest_main_preview()))
            .select_related(*TASK_LABEL_RELATED)
            .order_by("pk")
        )

    def example(self, task):
        stored, newest = task.last_preview_file_id or "none", task.newest_preview or "none"
        return f"{task_label(task)}: {stored} instead of {newest}"

    def fix(self, project):
        wrong = project_tasks(project).filter(pk__in=RawSQL(wrong_last_preview_sql(), ()))
        count = wrong.update(last_preview_file_id=Subquery(newest_main_preview()), updated_at=timezone.now())
        return f"{count} tasks' last preview set to their newest main preview"
