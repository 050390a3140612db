"""Back-office of the job rows (read-only: the job runner writes them), the admin action that
starts a job on the selected projects, and the kept answers of Idempotency-Keys (read-only, for
support: which request a person's key was used for and how it ended; deleting one lets the
person's next request with that key run again)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from kitsu_server.admin_base import KitsuModelAdmin
from kitsu_server.core.models import IdempotentRequest, Job

JOB_FIELDS = (
    "id",
    "name",
    "key",
    "state",
    "progress_done",
    "progress_total",
    "attempts",
    "project",
    "created_by",
    "params",
    "result",
    "error",
    "created_at",
    "updated_at",
    "started_at",
    "finished_at",
)


@admin.register(Job)
class JobAdmin(KitsuModelAdmin):
    list_display = ("name", "state", "progress", "project", "created_at")
    list_select_related = ("project",)
    list_filter = ("state", "name")
    search_fields = ("name", "key")
    fields = JOB_FIELDS
    readonly_fields = JOB_FIELDS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def project_job_action(kind, description):
    """An admin action on projects: `kind` enqueued for each selected project (its `project_id`
    parameter), and a message linking to the jobs."""

    def start_jobs(modeladmin, request, queryset):
        rows = [
            (project, kind.enqueue(project=project, created_by=request.user, project_id=str(project.pk)))
            for project in queryset
        ]
        for _, row in rows:
            row.refresh_from_db()  # without a worker (no Redis), it ran when enqueued
        listing = format_html_join(
            ", ",
            '{}: <a href="{}">{} ({})</a>',
            (
                (project.name, reverse("admin:core_job_change", args=[row.pk]), row.state, row.progress)
                for project, row in rows
            ),
        )
        modeladmin.message_user(request, format_html("{}: {}", description, listing))

    start_jobs.__name__ = f"start_{kind.name.replace('.', '_').replace('-', '_')}"
    return admin.action(description=description)(start_jobs)


IDEMPOTENT_REQUEST_FIELDS = (
    "id",
    "person",
    "key",
    "method",
    "path",
    "state",
    "status_code",
    "content_type",
    "body_size",
    "body_kept",
    "fingerprint",
    "created_at",
    "updated_at",
    "expires_at",
)


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(KitsuModelAdmin):
    """The answers kept for retries (kitsu_server.core.idempotency), without their bodies (an
    answer may hold what only its person may read)."""

    list_display = ("key", "person", "method", "path", "state", "status_code", "created_at", "expires_at")
    list_select_related = ("person",)
    list_filter = ("state", "method")
    search_fields = ("key", "path", "person__email")
    uuid_search_fields = ("pk", "person_id")
    fields = IDEMPOTENT_REQUEST_FIELDS
    readonly_fields = IDEMPOTENT_REQUEST_FIELDS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
