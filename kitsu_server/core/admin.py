"""Back-office of the job rows (read-only: the job runner writes them), the admin action that
starts a job on the selected projects, the trash (restore, purge now), and the kept answers of
Idempotency-Keys (read-only, for support: which request a person's key was used for and how it
ended; deleting one lets the person's next request with that key run again)."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from rest_framework.exceptions import APIException

from kitsu_server.admin_access import is_full_admin
from kitsu_server.admin_base import KitsuModelAdmin, refusal_message
from kitsu_server.core.models import IdempotentRequest, Job
from kitsu_server.core.trash import services as trash_services
from kitsu_server.core.trash.jobs import purge_trash_item
from kitsu_server.core.trash_models import TrashItem, TrashRow

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


# --- the trash ---------------------------------------------------------------------------------

TRASH_FIELDS = (
    "id",
    "model",
    "object_id",
    "name",
    "project_name",
    "project_id",
    "deleted_by",
    "state",
    "row_count",
    "trashed_at",
    "expires_at",
    "restored_at",
    "purged_at",
    "counts",
    "created_at",
    "updated_at",
)


@admin.register(TrashItem)
class TrashItemAdmin(KitsuModelAdmin):
    """The deletions kept for restore: who sees and restores what is the API's rule (admins all,
    managers their productions' items but a deleted production); purging now is for admins."""

    list_display = (
        "name",
        "model",
        "project_name",
        "state",
        "row_count",
        "deleted_by",
        "trashed_at",
        "expires_at",
    )
    list_select_related = ("deleted_by",)
    list_filter = ("state", "model")
    search_fields = ("name", "project_name")
    fields = TRASH_FIELDS
    readonly_fields = TRASH_FIELDS
    actions = ("restore", "purge_now")
    change_form_template = "kitsu_admin/trash_item_change_form.html"

    def visible_rows(self, request, queryset):
        return self.access(request).visible_trash_items(queryset)

    def check_row_read(self, request, obj):
        self.access(request).check_trash_read(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_full_admin(request):
            actions.pop("purge_now", None)
        return actions

    @admin.display(description="Rows per model")
    def counts(self, obj):
        rows = sorted(trash_services.counts_by_model(obj).items())
        return format_html_join(mark_safe("<br>"), "{}: {}", rows) or "-"  # noqa: S308

    @admin.action(description="Restore the selected deletions")
    def restore(self, request, queryset):
        access = self.access(request)
        restored, refused = 0, []
        for item in queryset:
            try:
                access.check_trash_restore(item)
                trash_services.restore_item(item.pk, user=request.user)
                restored += 1
            except APIException as error:
                refused.append(f"{item}: {refusal_message(error)}")
        if restored:
            self.message_user(request, f"{restored} deletion(s) restored.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Purge the selected deletions now (for good)")
    def purge_now(self, request, queryset):
        self.access(request).check_trash_purge()
        rows = []
        for item in queryset:
            try:
                trash_services.start_purge(item.pk)
            except APIException as error:
                self.message_user(request, f"{item}: {refusal_message(error)}", messages.ERROR)
                continue
            rows.append(purge_trash_item.enqueue(created_by=request.user, item_id=str(item.pk)))
        if rows:
            self.message_user(request, f"{len(rows)} deletion(s) being purged.", messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and ("_restore" in request.POST or "_purge" in request.POST):
            queryset = self.get_queryset(request).filter(pk=object_id)
            if not queryset.exists():
                return HttpResponseRedirect(reverse("admin:core_trashitem_changelist"))
            try:
                if "_restore" in request.POST:
                    self.restore(request, queryset)
                else:
                    self.purge_now(request, queryset)
            except APIException as error:
                self.message_user(request, refusal_message(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        extra_context = (extra_context or {}) | {"may_purge": is_full_admin(request)}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(TrashRow)
class TrashRowAdmin(KitsuModelAdmin):
    """The rows of the trash items (read-only: deletions write them), for admins."""

    list_display = ("item", "position", "action", "model", "object_id", "trashed_at")
    list_select_related = ("item",)
    list_filter = ("action",)
    fields = ("item", "position", "action", "model", "object_id", "project_id", "trashed_at", "data")
    readonly_fields = fields
    uuid_search_fields = ("object_id",)
    search_fields = ("model",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
