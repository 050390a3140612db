"""The back-office of preview files: their thumbnail in the list and on the page, their state and
processing error, and a reprocess action (files/admin.py imports this module)."""

from django.contrib import admin, messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html

from files.media.downloads import send_stored
from files.media.services import reprocess_preview
from files.media.storage import is_stored, media_key
from files.models import PreviewFile, PreviewFileStorageState
from kitsu_server.admin_base import LargeTableAdmin

# What Task.__str__ reads, for every list that shows a task through a foreign key.
TASK_RELATED = ("task", "task__entity", "task__task_type")


class PreviewFileStorageStateInline(admin.TabularInline):
    model = PreviewFileStorageState
    extra = 0


@admin.action(description="Reprocess the selected previews (build their variants again)")
def reprocess(modeladmin, request, queryset):
    queued, skipped = 0, 0
    for preview in queryset.select_related("task__project"):
        if reprocess_preview(preview, user=request.user):
            queued += 1
        else:
            skipped += 1
    modeladmin.message_user(request, f"{queued} preview(s) queued for processing.", messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            f"{skipped} preview(s) skipped: files kept as uploaded have nothing to process.",
            messages.WARNING,
        )


@admin.register(PreviewFile)
class PreviewFileAdmin(LargeTableAdmin):
    list_display = (
        "thumbnail",
        "name",
        "original_name",
        "revision",
        "task",
        "person",
        "extension",
        "status",
        "short_error",
        "validation_status",
        "created_at",
    )
    list_select_related = (*TASK_RELATED, "person")
    list_filter = ("status", "validation_status", "is_movie")
    search_fields = ("name", "original_name")
    autocomplete_fields = ("task", "person", "source_file")
    readonly_fields = ("picture", "status", "processing_error")
    inlines = (PreviewFileStorageStateInline,)
    actions = (reprocess,)

    def get_urls(self):
        thumbnail = self.admin_site.admin_view(self.thumbnail_file)
        return [
            path("<uuid:pk>/thumbnail.png", thumbnail, name="files_previewfile_thumbnail"),
            *super().get_urls(),
        ]

    def thumbnail_file(self, request, pk):
        """The preview's thumbnail for the back-office (its login, not the API's token)."""
        preview = PreviewFile.objects.filter(pk=pk).first()
        if preview is None or not self.has_view_permission(request, preview):
            raise Http404
        return send_stored(request, media_key("pictures", "thumbnails", pk), "image/png", preview.updated_at)

    def image_tag(self, preview, height):
        if preview.status != "ready" or preview.extension not in ("png", "mp4"):
            return "-"
        url = reverse("admin:files_previewfile_thumbnail", args=[preview.pk])
        return format_html('<img src="{}" alt="" height="{}" loading="lazy">', url, height)

    @admin.display(description="Thumbnail")
    def thumbnail(self, preview):
        return self.image_tag(preview, 40)

    @admin.display(description="Picture")
    def picture(self, preview):
        if preview.pk is None or not is_stored(media_key("pictures", "thumbnails", preview.pk)):
            return "-"
        return self.image_tag(preview, 100)

    @admin.display(description="Processing error")
    def short_error(self, preview):
        error = preview.processing_error or ""
        return error if len(error) <= 80 else f"{error[:77]}..."
