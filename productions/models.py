"""Productions: projects, their settings and links, templates, metadata descriptors,
schedules, milestones, status automations and custom actions."""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel, LinkModel
from people.models import ROLE_TYPES

PROJECT_STYLES = [
    ("2d", "2D Animation"),
    ("2dpaper", "2D Animation (Paper)"),
    ("3d", "3D Animation"),
    ("2d3d", "2D/3D Animation"),
    ("ar", "Augmented Reality"),
    ("vfx", "VFX"),
    ("stop-motion", "Stop Motion"),
    ("motion-design", "Motion Design"),
    ("archviz", "Archviz"),
    ("commercial", "Commercial"),
    ("catalog", "Catalog"),
    ("immersive", "Immersive Experience"),
    ("nft", "NFT Collection"),
    ("video-game", "Video Game"),
    ("vr", "Virtual Reality"),
]
METADATA_DESCRIPTOR_TYPES = [
    ("string", "String"),
    ("number", "Number"),
    ("list", "List"),
    ("taglist", "Taglist"),
    ("boolean", "Boolean"),
    ("checklist", "Checklist"),
    ("date", "Date"),
    ("url", "URL"),
    ("textarea", "Textarea"),
    ("person", "Person"),
]
CHANGE_TYPES = [("status", "Status"), ("ready_for", "Ready for")]


def default_roles_for_board():
    return ["user", "admin", "supervisor", "manager", "vendor"]


class CustomAction(KitsuModel):
    name = models.CharField(max_length=80)
    url = models.CharField(max_length=400, null=True, blank=True)
    entity_type = models.CharField(max_length=40, null=True, blank=True, default="all")
    is_ajax = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "custom_action"

    def __str__(self):
        return self.name


class DepartmentMetadataDescriptorLink(LinkModel):
    metadata_descriptor = models.ForeignKey("MetadataDescriptor", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("people.Department", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "department_metadata_descriptor_link"
        constraints = [
            models.UniqueConstraint(
                fields=["metadata_descriptor", "department"], name="department_metadata_descriptor_link_uc"
            ),
        ]

    def __str__(self):
        return f"{self.metadata_descriptor} - {self.department}"


class MetadataDescriptor(KitsuModel):
    project = models.ForeignKey("Project", on_delete=models.PROTECT, related_name="metadata_descriptors")
    entity_type = models.CharField(max_length=60, db_index=True)
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="metadata_descriptors"
    )
    name = models.CharField(max_length=120)
    data_type = models.CharField(max_length=255, choices=METADATA_DESCRIPTOR_TYPES, null=True, blank=True)
    field_name = models.CharField(max_length=120)
    choices = models.JSONField(null=True, blank=True)
    for_client = models.BooleanField(null=True, blank=True, default=False, db_index=True)
    position = models.IntegerField(null=True, blank=True)
    departments = models.ManyToManyField(
        "people.Department",
        through="DepartmentMetadataDescriptorLink",
        related_name="metadata_descriptors",
        blank=True,
    )

    class Meta:
        db_table = "metadata_descriptor"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "entity_type", "name"],
                name="metadata_descriptor_uc",
                condition=models.Q(task_type__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["project", "entity_type", "field_name"],
                name="metadata_descriptor_uc2",
                condition=models.Q(task_type__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["project", "entity_type", "task_type", "name"],
                name="metadata_descriptor_task_type_uc",
                condition=models.Q(task_type__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["project", "entity_type", "task_type", "field_name"],
                name="metadata_descriptor_task_type_uc2",
                condition=models.Q(task_type__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name


class Milestone(KitsuModel):
    date = models.DateField(null=True, blank=True)
    name = models.CharField(max_length=40)
    project = models.ForeignKey(
        "Project", on_delete=models.PROTECT, null=True, blank=True, related_name="milestones"
    )
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="milestones"
    )

    class Meta:
        db_table = "milestone"

    def __str__(self):
        return f"{self.name} {self.date}"


class ProductionScheduleVersion(KitsuModel):
    name = models.CharField(max_length=80)
    project = models.ForeignKey(
        "Project", on_delete=models.CASCADE, related_name="production_schedule_versions"
    )
    production_schedule_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        db_column="production_schedule_from",
        null=True,
        blank=True,
        related_name="derived_versions",
    )
    locked = models.BooleanField(null=True, blank=True, default=False)
    canceled = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "production_schedule_version"
        constraints = [
            models.UniqueConstraint(fields=["name", "project"], name="production_schedule_version_uc"),
        ]

    def __str__(self):
        return self.name


class ProductionScheduleVersionTaskLinkPersonLink(LinkModel):
    production_schedule_version_task_link = models.ForeignKey(
        "ProductionScheduleVersionTaskLink", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "production_schedule_version_task_link_person_link"
        constraints = [
            models.UniqueConstraint(
                fields=["production_schedule_version_task_link", "person"],
                name="production_schedule_version_task_link_person_link_uc",
            ),
        ]

    def __str__(self):
        return f"{self.production_schedule_version_task_link} - {self.person}"


class ProductionScheduleVersionTaskLink(KitsuModel):
    production_schedule_version = models.ForeignKey(
        "ProductionScheduleVersion",
        on_delete=models.CASCADE,
        related_name="production_schedule_version_task_links",
    )
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.CASCADE, related_name="production_schedule_version_task_links"
    )
    start_date = models.DateTimeField(null=True, blank=True)
    due_date = models.DateTimeField(null=True, blank=True)
    estimation = models.FloatField(null=True, blank=True, default=0)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ProductionScheduleVersionTaskLinkPersonLink",
        related_name="+",
        blank=True,
    )

    class Meta:
        db_table = "production_schedule_version_task_link"
        constraints = [
            models.UniqueConstraint(
                fields=["production_schedule_version", "task"],
                name="production_schedule_version_task_link_uc",
            ),
        ]

    def __str__(self):
        return f"{self.production_schedule_version} {self.task}"


class ProjectPersonLink(LinkModel):
    project = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shotgun_id = models.IntegerField(null=True, blank=True)
    role = models.CharField(max_length=255, choices=ROLE_TYPES, null=True, blank=True)

    class Meta:
        db_table = "project_person_link"
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="project_person_link_uc"),
        ]

    def __str__(self):
        return f"{self.project} - {self.person}"


class ProjectTaskTypeLink(KitsuModel):
    project = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="project_task_type_links")
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.CASCADE, related_name="project_task_type_links"
    )
    priority = models.IntegerField(null=True, blank=True, default=None)
    hd_bitrate_compression = models.IntegerField(null=True, blank=True)
    ld_bitrate_compression = models.IntegerField(null=True, blank=True)
    is_client_visible = models.BooleanField(null=True, blank=True, default=True)

    class Meta:
        db_table = "project_task_type_link"
        constraints = [
            models.UniqueConstraint(fields=["project", "task_type"], name="project_tasktype_uc"),
        ]

    def __str__(self):
        return f"{self.project} - {self.task_type}"


class ProjectTaskTypeSoftwareLink(KitsuModel):
    project = models.ForeignKey(
        "Project", on_delete=models.CASCADE, related_name="project_task_type_software_links"
    )
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.CASCADE, related_name="project_task_type_software_links"
    )
    software = models.ForeignKey(
        "people.Software", on_delete=models.CASCADE, related_name="project_task_type_software_links"
    )

    class Meta:
        db_table = "project_task_type_software_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "task_type", "software"], name="project_task_type_software_uc"
            ),
        ]

    def __str__(self):
        return f"{self.project} - {self.task_type}"


class ProjectTaskStatusLink(KitsuModel):
    project = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="project_task_status_links")
    task_status = models.ForeignKey(
        "tasks.TaskStatus", on_delete=models.CASCADE, related_name="project_task_status_links"
    )
    priority = models.IntegerField(null=True, blank=True, default=None)
    roles_for_board = models.JSONField(null=True, blank=True, default=default_roles_for_board)
    is_client_allowed = models.BooleanField(null=True, blank=True, default=None)

    class Meta:
        db_table = "project_task_status_link"
        constraints = [
            models.UniqueConstraint(fields=["project", "task_status"], name="project_taskstatus_uc"),
        ]

    def __str__(self):
        return f"{self.project} - {self.task_status}"


class ProjectAssetTypeLink(LinkModel):
    project = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="+")
    asset_type = models.ForeignKey("assets.EntityType", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "project_asset_type_link"
        constraints = [
            models.UniqueConstraint(fields=["project", "asset_type"], name="project_asset_type_link_uc"),
        ]

    def __str__(self):
        return f"{self.project} - {self.asset_type}"


class ProjectStatusAutomationLink(LinkModel):
    project = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="+")
    status_automation = models.ForeignKey("StatusAutomation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "project_status_automation_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "status_automation"], name="project_status_automation_link_uc"
            ),
        ]

    def __str__(self):
        return f"{self.project} - {self.status_automation}"


class ProjectPreviewBackgroundFileLink(LinkModel):
    project = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="+")
    preview_background_file = models.ForeignKey(
        "files.PreviewBackgroundFile", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "project_preview_background_file_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "preview_background_file"], name="project_preview_background_file_link_uc"
            ),
        ]

    def __str__(self):
        return f"{self.project} - {self.preview_background_file}"


class Project(KitsuModel):
    name = models.CharField(max_length=80, unique=True)
    code = models.CharField(max_length=80, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True)
    file_tree = models.JSONField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    has_avatar = models.BooleanField(null=True, blank=True, default=False)
    fps = models.CharField(max_length=10, null=True, blank=True, default="25")
    ratio = models.CharField(max_length=10, null=True, blank=True, default="16:9")
    resolution = models.CharField(max_length=12, null=True, blank=True, default="1920x1080")
    production_type = models.CharField(max_length=20, null=True, blank=True, default="short")
    production_style = models.CharField(max_length=255, choices=PROJECT_STYLES, default="2d3d")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    man_days = models.IntegerField(null=True, blank=True)
    nb_episodes = models.IntegerField(null=True, blank=True, default=0)
    episode_span = models.IntegerField(null=True, blank=True, default=0)
    max_retakes = models.IntegerField(null=True, blank=True, default=0)
    is_clients_isolated = models.BooleanField(null=True, blank=True, default=False)
    is_client_stats_visible = models.BooleanField(null=True, blank=True, default=True)
    is_client_task_list_visible = models.BooleanField(null=True, blank=True, default=True)
    is_client_task_panel_visible = models.BooleanField(null=True, blank=True, default=True)
    is_preview_download_allowed = models.BooleanField(null=True, blank=True, default=False)
    is_set_preview_automated = models.BooleanField(null=True, blank=True, default=False)
    homepage = models.CharField(max_length=80, null=True, blank=True, default="assets")
    is_publish_default_for_artists = models.BooleanField(null=True, blank=True, default=False)
    is_bot_collaboration_enabled = models.BooleanField(null=True, blank=True, default=False)
    is_single_preview_per_revision = models.BooleanField(null=True, blank=True, default=False)
    is_frame_in_numbering = models.BooleanField(null=True, blank=True, default=False)
    revision_padding = models.IntegerField(default=0)
    hd_bitrate_compression = models.IntegerField(null=True, blank=True)
    ld_bitrate_compression = models.IntegerField(null=True, blank=True)
    project_status = models.ForeignKey(
        "ProjectStatus", on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    default_preview_background_file = models.ForeignKey(
        "files.PreviewBackgroundFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="default_for_projects",
    )
    from_schedule_version = models.ForeignKey(
        "ProductionScheduleVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProjectPersonLink", related_name="projects", blank=True
    )
    asset_types = models.ManyToManyField(
        "assets.EntityType", through="ProjectAssetTypeLink", related_name="projects", blank=True
    )
    task_statuses = models.ManyToManyField(
        "tasks.TaskStatus", through="ProjectTaskStatusLink", related_name="projects", blank=True
    )
    task_types = models.ManyToManyField(
        "tasks.TaskType", through="ProjectTaskTypeLink", related_name="projects", blank=True
    )
    status_automations = models.ManyToManyField(
        "StatusAutomation", through="ProjectStatusAutomationLink", related_name="projects", blank=True
    )
    preview_background_files = models.ManyToManyField(
        "files.PreviewBackgroundFile",
        through="ProjectPreviewBackgroundFileLink",
        related_name="projects",
        blank=True,
    )

    class Meta:
        db_table = "project"

    def __str__(self):
        return self.name


class ProjectStatus(KitsuModel):
    name = models.CharField(max_length=20, unique=True)
    color = models.CharField(max_length=7)

    class Meta:
        db_table = "project_status"
        verbose_name_plural = "project statuses"

    def __str__(self):
        return self.name


class ProjectTemplateTaskTypeLink(KitsuModel):
    project_template = models.ForeignKey(
        "ProjectTemplate", on_delete=models.CASCADE, related_name="project_template_task_type_links"
    )
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.CASCADE, related_name="project_template_task_type_links"
    )
    priority = models.IntegerField(null=True, blank=True, default=None)
    hd_bitrate_compression = models.IntegerField(null=True, blank=True)
    ld_bitrate_compression = models.IntegerField(null=True, blank=True)
    is_client_visible = models.BooleanField(null=True, blank=True, default=True)

    class Meta:
        db_table = "project_template_task_type_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project_template", "task_type"], name="project_template_tasktype_uc"
            ),
        ]

    def __str__(self):
        return f"{self.project_template} - {self.task_type}"


class ProjectTemplateTaskStatusLink(KitsuModel):
    project_template = models.ForeignKey(
        "ProjectTemplate", on_delete=models.CASCADE, related_name="project_template_task_status_links"
    )
    task_status = models.ForeignKey(
        "tasks.TaskStatus", on_delete=models.CASCADE, related_name="project_template_task_status_links"
    )
    priority = models.IntegerField(null=True, blank=True, default=None)
    roles_for_board = models.JSONField(null=True, blank=True, default=default_roles_for_board)
    is_client_allowed = models.BooleanField(null=True, blank=True, default=None)

    class Meta:
        db_table = "project_template_task_status_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project_template", "task_status"], name="project_template_taskstatus_uc"
            ),
        ]

    def __str__(self):
        return f"{self.project_template} - {self.task_status}"


class ProjectTemplateAssetTypeLink(LinkModel):
    project_template = models.ForeignKey("ProjectTemplate", on_delete=models.CASCADE, related_name="+")
    asset_type = models.ForeignKey("assets.EntityType", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "project_template_asset_type_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project_template", "asset_type"], name="project_template_asset_type_link_uc"
            ),
        ]

    def __str__(self):
        return f"{self.project_template} - {self.asset_type}"


class ProjectTemplateStatusAutomationLink(LinkModel):
    project_template = models.ForeignKey("ProjectTemplate", on_delete=models.CASCADE, related_name="+")
    status_automation = models.ForeignKey("StatusAutomation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "project_template_status_automation_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project_template", "status_automation"],
                name="project_template_status_automation_link_uc",
            ),
        ]

    def __str__(self):
        return f"{self.project_template} - {self.status_automation}"


class ProjectTemplatePreviewBackgroundFileLink(LinkModel):
    project_template = models.ForeignKey("ProjectTemplate", on_delete=models.CASCADE, related_name="+")
    preview_background_file = models.ForeignKey(
        "files.PreviewBackgroundFile", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "project_template_preview_background_file_link"
        constraints = [
            models.UniqueConstraint(
                fields=["project_template", "preview_background_file"],
                name="project_template_preview_background_file_link_uc",
            ),
        ]

    def __str__(self):
        return f"{self.project_template} - {self.preview_background_file}"


class ProjectTemplate(KitsuModel):
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(null=True, blank=True)
    fps = models.CharField(max_length=10, null=True, blank=True, default="25")
    ratio = models.CharField(max_length=10, null=True, blank=True, default="16:9")
    resolution = models.CharField(max_length=12, null=True, blank=True, default="1920x1080")
    production_type = models.CharField(max_length=20, null=True, blank=True, default="short")
    production_style = models.CharField(max_length=255, choices=PROJECT_STYLES, default="2d3d")
    max_retakes = models.IntegerField(null=True, blank=True, default=0)
    is_clients_isolated = models.BooleanField(null=True, blank=True, default=False)
    is_client_stats_visible = models.BooleanField(null=True, blank=True, default=True)
    is_client_task_list_visible = models.BooleanField(null=True, blank=True, default=True)
    is_client_task_panel_visible = models.BooleanField(null=True, blank=True, default=True)
    is_preview_download_allowed = models.BooleanField(null=True, blank=True, default=False)
    is_set_preview_automated = models.BooleanField(null=True, blank=True, default=False)
    is_publish_default_for_artists = models.BooleanField(null=True, blank=True, default=False)
    is_single_preview_per_revision = models.BooleanField(null=True, blank=True, default=False)
    is_frame_in_numbering = models.BooleanField(null=True, blank=True, default=False)
    revision_padding = models.IntegerField(default=0)
    homepage = models.CharField(max_length=80, null=True, blank=True, default="assets")
    hd_bitrate_compression = models.IntegerField(null=True, blank=True)
    ld_bitrate_compression = models.IntegerField(null=True, blank=True)
    file_tree = models.JSONField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    metadata_descriptors = models.JSONField(null=True, blank=True, default=list)
    default_preview_background_file = models.ForeignKey(
        "files.PreviewBackgroundFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="default_for_project_templates",
    )
    task_types = models.ManyToManyField(
        "tasks.TaskType", through="ProjectTemplateTaskTypeLink", related_name="project_templates", blank=True
    )
    task_statuses = models.ManyToManyField(
        "tasks.TaskStatus",
        through="ProjectTemplateTaskStatusLink",
        related_name="project_templates",
        blank=True,
    )
    asset_types = models.ManyToManyField(
        "assets.EntityType",
        through="ProjectTemplateAssetTypeLink",
        related_name="project_templates",
        blank=True,
    )
    status_automations = models.ManyToManyField(
        "StatusAutomation",
        through="ProjectTemplateStatusAutomationLink",
        related_name="project_templates",
        blank=True,
    )
    preview_background_files = models.ManyToManyField(
        "files.PreviewBackgroundFile",
        through="ProjectTemplatePreviewBackgroundFileLink",
        related_name="project_templates",
        blank=True,
    )

    class Meta:
        db_table = "project_template"

    def __str__(self):
        return self.name


class ScheduleItem(KitsuModel):
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    man_days = models.IntegerField(null=True, blank=True)
    project = models.ForeignKey(
        "Project", on_delete=models.PROTECT, null=True, blank=True, related_name="schedule_items"
    )
    task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="schedule_items"
    )
    object_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "schedule_item"
        constraints = [
            models.UniqueConstraint(fields=["project", "task_type", "object_id"], name="schedule_item_uc"),
        ]

    def __str__(self):
        return f"{self.project} {self.task_type} {self.start_date}..{self.end_date}"


class StatusAutomation(KitsuModel):
    entity_type = models.CharField(max_length=40, null=True, blank=True, default="asset")
    in_task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_task_status = models.ForeignKey(
        "tasks.TaskStatus", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    out_field_type = models.CharField(max_length=255, choices=CHANGE_TYPES, default="status")
    out_task_type = models.ForeignKey(
        "tasks.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    out_task_status = models.ForeignKey(
        "tasks.TaskStatus", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    import_last_revision = models.BooleanField(null=True, blank=True, default=False)
    archived = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "status_automation"

    def __str__(self):
        change = f"{self.in_task_type} {self.in_task_status}"
        return f"{self.entity_type}: {change} -> {self.out_task_type} {self.out_field_type}"
