"""The trash: what a deletion took away, kept for `TRASH_RETENTION_DAYS` so that it can be put back.

One `TrashItem` is one deletion as the person asked it (a project, a shot, a comment...): restored
or purged as one unit. Its `TrashRow`s are the rows that deletion removed (`action="delete"`, in
the order they were removed, their column values in `data`) and the keys it emptied on rows that
stayed (`action="detach"`, the emptied columns' old values in `data`).

The `delete` rows are also the tombstones of delta reads (`?updated_since=`): a row of `model`
with `object_id`, removed at `trashed_at`, in `project_id`. A restore removes its item's rows (the
restored rows come back with a new `updated_at`); a purge empties their `data` and keeps them as
tombstones until `TRASH_TOMBSTONE_DAYS` after their deletion.
"""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel

TRASHED, RESTORED, PURGING, PURGED = "trashed", "restored", "purging", "purged"
TRASH_STATES = [(TRASHED, "In the trash"), (RESTORED, "Restored"), (PURGING, "Purging"), (PURGED, "Purged")]
DELETE, DETACH = "delete", "detach"
ROW_ACTIONS = [(DELETE, "Deleted"), (DETACH, "Detached")]


class TrashItem(KitsuModel):
    """One deletion: its root row (`model`, `object_id`, a readable `name`), its production (a
    plain id: the production may be in the trash itself), who deleted it and until when it can
    be restored."""

    model = models.CharField(max_length=100)  # "app_label.modelname" of the root row
    object_id = models.UUIDField(db_index=True)
    name = models.CharField(max_length=255, blank=True, default="")
    project_id = models.UUIDField(null=True, blank=True, db_index=True)
    project_name = models.CharField(max_length=255, blank=True, default="")
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=TRASH_STATES, default=TRASHED, db_index=True)
    trashed_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField(db_index=True)
    row_count = models.PositiveIntegerField(default=0)
    restored_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "trash_item"
        ordering = ["-trashed_at"]

    def __str__(self):
        return f"{self.model} {self.name or self.object_id} ({self.state})"


class TrashRow(models.Model):
    id = models.BigAutoField(primary_key=True)
    item = models.ForeignKey(TrashItem, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()  # order of removal within the item
    action = models.CharField(max_length=10, choices=ROW_ACTIONS, default=DELETE)
    model = models.CharField(max_length=100)  # "app_label.modelname"
    object_id = models.UUIDField()
    project_id = models.UUIDField(null=True, blank=True)
    trashed_at = models.DateTimeField()
    data = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "trash_row"
        indexes = [
            models.Index(fields=["model", "trashed_at"], name="trash_row_model_at_idx"),
            models.Index(fields=["project_id", "model", "trashed_at"], name="trash_row_project_at_idx"),
            models.Index(fields=["item", "position"], name="trash_row_item_pos_idx"),
            models.Index(fields=["object_id"], name="trash_row_object_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.model} {self.object_id}"
