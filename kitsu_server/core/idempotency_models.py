"""The answers kept for `Idempotency-Key` retries (kitsu_server.core.idempotency).

One `IdempotentRequest` is one write a person sent with a key: claimed (`in_progress`) before the
write runs, then `done` with the answer to give the retries of the same request until
`expires_at`. Written by the idempotency middleware only; the back-office lists them for support.
"""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel

IN_PROGRESS, DONE = "in_progress", "done"
IDEMPOTENCY_STATES = [(IN_PROGRESS, "In progress"), (DONE, "Done")]
KEY_MAX_LENGTH = 255


class IdempotentRequest(KitsuModel):
    """A person's write sent with an `Idempotency-Key`, and its answer once done.

    `fingerprint` is the SHA-256 of the method, the full path with its query string and the body
    (an upload: its fields and the digests of its files), so that a retry is told apart from
    another request reusing the key. `body` is None when the answer was larger than
    `IDEMPOTENCY_MAX_BODY` (`body_kept` false): a retry then learns that the write was done,
    not its answer.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)  # for the back-office: what the key was used for
    state = models.CharField(max_length=20, choices=IDEMPOTENCY_STATES, default=IN_PROGRESS)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=255, blank=True, default="")
    headers = models.JSONField(default=list, blank=True)  # [[name, value], ...] of the kept headers
    body = models.BinaryField(null=True, blank=True)
    body_kept = models.BooleanField(default=True)
    body_size = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "idempotent_request"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="idempotent_request_person_key_uniq"),
        ]
        indexes = [models.Index(fields=["person", "created_at"], name="idempotent_req_person_idx")]

    def __str__(self):
        return f"{self.key} ({self.method} {self.path})"
