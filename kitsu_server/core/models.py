"""The row of a background job: what runs, for whom, how far it got and how it ended.

Written by the job runner only (kitsu_server.core.jobs); the API and the back-office read it.
"""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
JOB_STATES = [(QUEUED, "Queued"), (RUNNING, "Running"), (SUCCEEDED, "Succeeded"), (FAILED, "Failed")]
# A job in one of these states still has a message on the queue or a worker on it.
ACTIVE_STATES = (QUEUED, RUNNING)


class Job(KitsuModel):
    """One run of a kind of job (`name`) with its parameters.

    `key` is the idempotency key: unique among the active (queued or running) jobs only, so that
    enqueuing a job whose key is active answers the active one, while the same work may be
    asked again once it is over (a project's casting stats refreshed today and again tomorrow).
    """

    name = models.CharField(max_length=120, db_index=True)
    key = models.CharField(max_length=255)
    state = models.CharField(max_length=20, choices=JOB_STATES, default=QUEUED, db_index=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)  # None until the job knows
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    project = models.ForeignKey(
        "productions.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="created_by",
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)  # of the current (or last) attempt
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "job"
        indexes = [models.Index(fields=["project", "created_at"], name="job_project_created_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(state__in=ACTIVE_STATES), name="job_active_key_uniq"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.state})"

    @property
    def progress(self):
        """ "3/10", or "3" while the total is unknown."""
        if self.progress_total is None:
            return str(self.progress_done)
        return f"{self.progress_done}/{self.progress_total}"


from kitsu_server.core.idempotency_models import IdempotentRequest  # noqa: E402, F401
from kitsu_server.core.trash_models import TrashItem, TrashRow  # noqa: E402, F401
from kitsu_server.core.webhook_models import WebhookDelivery, WebhookSubscription  # noqa: E402, F401
