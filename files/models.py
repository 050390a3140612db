"""Files: previews and their storage states, attachments, working and output files,
stored files, playlists and their build jobs, import errors."""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel

PREVIEW_FILE_STATUSES = [
    ("processing", "Processing"),
    ("ready", "Ready"),
    ("broken", "Broken"),
    ("missing", "Missing"),
]
VALIDATION_STATUSES = [("validated", "Validated"), ("rejected", "Rejected"), ("neutral", "Neutral")]
QUALITIES = [("low", "Low"), ("mid", "Mid"), ("high", "High")]
STORAGE_STATES = [("ok", "Ok"), ("missing", "Missing"), ("failed", "Failed")]
BUILD_JOB_STATUSES = [("running", "Running"), ("failed", "Failed"), ("succeeded", "Succeeded")]
BUILD_JOB_TYPES = [("archive", "Archive"), ("movie", "Movie")]
IMPORT_SOURCES = [("csv", "csv"), ("shotgun", "shotgun"), ("kitsu", "kitsu")]


class AttachmentFile(KitsuModel):
    name = models.CharField(max_length=250, null=True, blank=True)
    size = models.BigIntegerField(null=True, blank=True, default=1)
    extension = models.CharField(max_length=6, null=True, blank=True)
    mimetype = models.CharField(max_length=255, null=True, blank=True)
    comment = models.ForeignKey(
        "tasks.Comment", on_delete=models.PROTECT, null=True, blank=True, related_name="attachment_files"
    )
    reply_id = models.UUIDField(null=True, blank=True)
    chat_message = models.ForeignKey(
        "tasks.ChatMessage", on_delete=models.PROTECT, null=True, blank=True, related_name="attachment_files"
    )

    class Meta:
        db_table = "attachment_file"

    def __str__(self):
        return self.name


class BuildJob(KitsuModel):
    status = models.CharField(max_length=255, choices=BUILD_JOB_STATUSES, default="running")
    job_type = models.CharField(max_length=255, choices=BUILD_JOB_TYPES, default="movie")
    ended_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(null=True, blank=True)
    playlist = models.ForeignKey("Playlist", on_delete=models.PROTECT, related_name="build_jobs")

    class Meta:
        db_table = "build_job"

    def __str__(self):
        return f"{self.job_type} {self.status}"


class DataImportError(KitsuModel):
    event_data = models.JSONField()
    source = models.CharField(max_length=20, choices=IMPORT_SOURCES, null=True, blank=True)

    class Meta:
        db_table = "data_import_error"

    def __str__(self):
        return f"{self.source} {self.created_at}"


class FileStatus(KitsuModel):
    name = models.CharField(max_length=40, unique=True)
    color = models.CharField(max_length=7)

    class Meta:
        db_table = "file_status"
        verbose_name_plural = "file statuses"

    def __str__(self):
        return self.name


class OutputFile(KitsuModel):
    shotgun_id = models.IntegerField(null=True, blank=True)
    name = models.CharField(max_length=250)
    canceled = models.BooleanField(default=False)
    size = models.IntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=32, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    comment = models.TextField(null=True, blank=True)
    extension = models.CharField(max_length=10, null=True, blank=True)
    revision = models.IntegerField()
    representation = models.CharField(max_length=20, null=True, blank=True, db_index=True)
    nb_elements = models.IntegerField(null=True, blank=True, default=1)
    source = models.CharField(max_length=40, null=True, blank=True)
    path = models.CharField(max_length=400, null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    quality = models.CharField(max_length=255, choices=QUALITIES, null=True, blank=True)
    file_status = models.ForeignKey("FileStatus", on_delete=models.PROTECT, related_name="output_files")
    entity = models.ForeignKey(
        "assets.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    asset_instance = models.ForeignKey(
        "assets.AssetInstance", on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    output_type = models.ForeignKey(
        "OutputType", on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    source_file = models.ForeignKey(
        "WorkingFile", on_delete=models.PROTECT, null=True, blank=True, related_name="outputs"
    )
    # `source_file`: the reverse side of a foreign key, declared there.
    temporal_entity = models.ForeignKey(
        "assets.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "output_file"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "name",
                    "entity",
                    "asset_instance",
                    "output_type",
                    "task_type",
                    "temporal_entity",
                    "representation",
                    "revision",
                ],
                name="output_file_uc",
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.revision}"


class OutputType(KitsuModel):
    name = models.CharField(max_length=40, unique=True)
    short_name = models.CharField(max_length=20)

    class Meta:
        db_table = "output_type"

    def __str__(self):
        return self.name


class Playlist(KitsuModel):
    # Listed with the relations, as the reference's relationship (kitsu_server.api.json).
    reverse_relation_lists = ("build_jobs",)

    name = models.CharField(max_length=80)
    shots = models.JSONField(null=True, blank=True)
    project = models.ForeignKey(
        "productions.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="playlists"
    )
    episode = models.ForeignKey(
        "assets.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="playlists"
    )
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="playlists"
    )
    for_client = models.BooleanField(null=True, blank=True, default=False, db_index=True)
    for_entity = models.CharField(max_length=10, null=True, blank=True, default="shot", db_index=True)
    is_for_all = models.BooleanField(null=True, blank=True, default=False)
    # `build_jobs`: the reverse side of a foreign key, declared there.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_column="created_by",
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "playlist"
        constraints = [
            models.UniqueConstraint(fields=["name", "project", "episode"], name="playlist_uc"),
        ]

    def __str__(self):
        return self.name


class PlaylistShareLink(KitsuModel):
    token = models.CharField(max_length=64, unique=True)
    playlist = models.ForeignKey("Playlist", on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_column="created_by", related_name="+"
    )
    expiration_date = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    can_comment = models.BooleanField(default=True)
    password = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        db_table = "playlist_share_link"
        indexes = [
            models.Index(fields=["playlist", "is_active"], name="ix_share_link_playlist_active"),
        ]

    def __str__(self):
        return f"{self.playlist} share"


class PreviewBackgroundFile(KitsuModel):
    name = models.CharField(max_length=40)
    archived = models.BooleanField(null=True, blank=True, default=False)
    is_default = models.BooleanField(null=True, blank=True, default=False, db_index=True)
    original_name = models.CharField(max_length=250, null=True, blank=True)
    extension = models.CharField(max_length=6, null=True, blank=True)
    file_size = models.BigIntegerField(null=True, blank=True, default=0)

    class Meta:
        db_table = "preview_background_file"

    def __str__(self):
        return self.name


class PreviewFile(KitsuModel):
    name = models.CharField(max_length=250, null=True, blank=True)
    original_name = models.CharField(max_length=250, null=True, blank=True)
    revision = models.IntegerField(null=True, blank=True, default=1)
    position = models.IntegerField(null=True, blank=True, default=1)
    extension = models.CharField(max_length=6, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    path = models.CharField(max_length=400, null=True, blank=True)
    source = models.CharField(max_length=40, null=True, blank=True)
    file_size = models.BigIntegerField(null=True, blank=True, default=0)
    status = models.CharField(max_length=255, choices=PREVIEW_FILE_STATUSES, default="processing")
    validation_status = models.CharField(max_length=255, choices=VALIDATION_STATUSES, default="neutral")
    annotations = models.JSONField(null=True, blank=True)
    width = models.IntegerField(null=True, blank=True, default=0)
    height = models.IntegerField(null=True, blank=True, default=0)
    duration = models.FloatField(null=True, blank=True, default=0)
    data = models.JSONField(null=True, blank=True)
    token_in = models.IntegerField(null=True, blank=True)
    token_out = models.IntegerField(null=True, blank=True)
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="preview_files"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="preview_files",
    )
    source_file = models.ForeignKey(
        "OutputFile", on_delete=models.PROTECT, null=True, blank=True, related_name="preview_files"
    )
    shotgun_id = models.IntegerField(null=True, blank=True, unique=True)
    is_movie = models.BooleanField(null=True, blank=True, default=False)
    url = models.CharField(max_length=600, null=True, blank=True)
    uploaded_movie_url = models.CharField(max_length=600, null=True, blank=True)
    uploaded_movie_name = models.CharField(max_length=150, null=True, blank=True)
    # Not in the reference: why the processing of the upload failed (the tool's own words), shown
    # in the API and the admin while the status is "broken" (empty otherwise).
    processing_error = models.TextField(blank=True, default="")

    class Meta:
        db_table = "preview_file"
        constraints = [
            models.UniqueConstraint(fields=["name", "task", "revision"], name="preview_uc"),
        ]

    def __str__(self):
        return f"{self.name or self.original_name} v{self.revision}"


class PreviewFileStorageState(KitsuModel):
    preview_file = models.ForeignKey(
        "PreviewFile", on_delete=models.CASCADE, related_name="preview_file_storage_states"
    )
    bucket = models.CharField(max_length=20)
    prefix = models.CharField(max_length=40)
    state = models.CharField(max_length=255, choices=STORAGE_STATES)

    class Meta:
        db_table = "preview_file_storage_state"
        constraints = [
            models.UniqueConstraint(
                fields=["preview_file", "bucket", "prefix"], name="preview_file_storage_state_uc"
            ),
        ]
        indexes = [
            models.Index(fields=["bucket", "prefix", "state"], name="ix_preview_storage_state"),
        ]

    def __str__(self):
        return f"{self.bucket}/{self.prefix} {self.state}"


class StoredFile(KitsuModel):
    bucket = models.CharField(max_length=20)
    key = models.CharField(max_length=255)
    prefix = models.CharField(max_length=40)
    file_id = models.CharField(max_length=200, db_index=True)
    size = models.BigIntegerField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    purge_forced = models.BooleanField(default=False)
    purged_at = models.DateTimeField(null=True, blank=True)
    purge_attempts = models.IntegerField(default=0)
    last_error = models.TextField(null=True, blank=True)
    journal = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "stored_file"
        constraints = [
            models.UniqueConstraint(fields=["bucket", "key"], name="stored_file_uc"),
        ]
        indexes = [
            models.Index(fields=["purge_forced", "deleted_at"], name="ix_stored_file_to_purge"),
        ]

    def __str__(self):
        return f"{self.bucket}/{self.key}"


class WorkingFile(KitsuModel):
    reverse_relation_lists = ("outputs",)

    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)
    name = models.CharField(max_length=250, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    comment = models.TextField(null=True, blank=True)
    revision = models.IntegerField(null=True, blank=True)
    size = models.IntegerField(null=True, blank=True)
    checksum = models.IntegerField(null=True, blank=True)
    path = models.CharField(max_length=400, null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    validation_status = models.CharField(max_length=255, choices=VALIDATION_STATUSES, default="neutral")
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="working_files"
    )
    entity = models.ForeignKey(
        "assets.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="working_files"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_files",
    )
    software = models.ForeignKey(
        "people.Software", on_delete=models.PROTECT, null=True, blank=True, related_name="working_files"
    )
    # `outputs`: the reverse side of a foreign key, declared there.

    class Meta:
        db_table = "working_file"
        constraints = [
            models.UniqueConstraint(fields=["name", "task", "entity", "revision"], name="working_file_uc"),
        ]

    def __str__(self):
        return f"{self.name} v{self.revision}"
