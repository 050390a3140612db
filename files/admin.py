"""Back-office of files: previews and their storage states, working and output files,
attachments, stored files, playlists with their share links and build jobs."""

from django.contrib import admin

from files.media import admin as media_admin  # noqa: F401 (registers PreviewFile's admin)
from files.models import (
    AttachmentFile,
    BuildJob,
    DataImportError,
    FileStatus,
    OutputFile,
    OutputType,
    Playlist,
    PlaylistShareLink,
    PreviewBackgroundFile,
    PreviewFileStorageState,
    StoredFile,
    WorkingFile,
)
from files.playlists.admin import PlaylistBuildJobAdmin
from kitsu_server.admin_base import KitsuModelAdmin, LargeTableAdmin

# What Task.__str__ reads, for every list that shows a task through a foreign key.
TASK_RELATED = ("task", "task__entity", "task__task_type")


# --- Previews -----------------------------------------------------------------


@admin.register(PreviewFileStorageState)
class PreviewFileStorageStateAdmin(LargeTableAdmin):
    list_display = ("preview_file", "bucket", "prefix", "state", "updated_at")
    list_select_related = ("preview_file",)
    list_filter = ("state",)
    autocomplete_fields = ("preview_file",)


@admin.register(PreviewBackgroundFile)
class PreviewBackgroundFileAdmin(KitsuModelAdmin):
    list_display = ("name", "original_name", "extension", "file_size", "is_default", "archived")
    list_filter = ("is_default", "archived")
    search_fields = ("name", "original_name")
    ordering = ("name",)


# --- Working and output files ---------------------------------------------------------


@admin.register(FileStatus)
class FileStatusAdmin(KitsuModelAdmin):
    list_display = ("name", "color")
    search_fields = ("name",)
    ordering = ("name",)


@admin.register(OutputType)
class OutputTypeAdmin(KitsuModelAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name", "short_name")
    ordering = ("name",)


@admin.register(WorkingFile)
class WorkingFileAdmin(LargeTableAdmin):
    list_display = (
        "name",
        "revision",
        "task",
        "entity",
        "person",
        "software",
        "validation_status",
        "created_at",
    )
    list_select_related = (*TASK_RELATED, "entity", "person", "software")
    list_filter = ("validation_status",)
    search_fields = ("name", "path")
    autocomplete_fields = ("task", "entity", "person", "software")


@admin.register(OutputFile)
class OutputFileAdmin(LargeTableAdmin):
    list_display = (
        "name",
        "revision",
        "representation",
        "entity",
        "task_type",
        "output_type",
        "file_status",
        "person",
        "created_at",
    )
    list_select_related = ("entity", "task_type", "output_type", "file_status", "person")
    list_filter = ("file_status", "output_type", "task_type", "canceled")
    search_fields = ("name", "path")
    autocomplete_fields = (
        "file_status",
        "entity",
        "asset_instance",
        "output_type",
        "task_type",
        "person",
        "source_file",
        "temporal_entity",
    )


@admin.register(AttachmentFile)
class AttachmentFileAdmin(LargeTableAdmin):
    list_display = ("name", "extension", "mimetype", "size", "comment", "created_at")
    list_select_related = ("comment__person",)
    search_fields = ("name",)
    autocomplete_fields = ("comment", "chat_message")


@admin.register(StoredFile)
class StoredFileAdmin(LargeTableAdmin):
    list_display = ("bucket", "key", "size", "deleted_at", "purge_forced", "purged_at", "purge_attempts")
    list_filter = ("purge_forced",)
    search_fields = ("key", "file_id")
    # The purge worker appends to the journal; it is a record, not a setting.
    readonly_fields = ("journal", "last_error")


@admin.register(DataImportError)
class DataImportErrorAdmin(KitsuModelAdmin):
    list_display = ("source", "created_at")
    list_filter = ("source",)


# --- Playlists ------------------------------------------------------------------


class BuildJobInline(admin.TabularInline):
    model = BuildJob
    extra = 0
    fields = ("job_type", "status", "ended_at", "message")


@admin.register(Playlist)
class PlaylistAdmin(KitsuModelAdmin):
    list_display = ("name", "project", "episode", "task_type", "for_entity", "for_client", "created_at")
    list_select_related = ("project", "episode", "task_type")
    list_filter = ("for_entity", "for_client", "is_for_all", "project")
    search_fields = ("name",)
    autocomplete_fields = ("project", "episode", "task_type", "created_by")
    inlines = (BuildJobInline,)


@admin.register(PlaylistShareLink)
class PlaylistShareLinkAdmin(KitsuModelAdmin):
    list_display = ("playlist", "created_by", "is_active", "can_comment", "expiration_date", "created_at")
    list_select_related = ("playlist", "created_by")
    list_filter = ("is_active", "can_comment")
    search_fields = ("playlist__name",)
    autocomplete_fields = ("playlist", "created_by")
    exclude = ("password",)  # the share's secret: set through the API, never shown here


# A build's progress and error, and the cancel action, with the playlists area.
admin.site.register(BuildJob, PlaylistBuildJobAdmin)
