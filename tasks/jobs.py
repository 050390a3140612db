"""Background jobs of the tasks app (Celery tasks, found by kitsu_server.celery): the
notifications out (tasks.outbox), one job per notification and channel, or one mail digest per
person. A network failure is retried with backoff; a refusal fails the job at once; either way
the job's row says why (`/api/data/jobs`, the back-office's job list)."""

from django.conf import settings
from django.db import InterfaceError, OperationalError

from kitsu_server.core.jobs import job
from tasks.outbox import services
from tasks.outbox.senders import DeliveryFailed

# Chat services and mail servers come back within the hour: 6 retries, 30 s doubling up to 1 h.
RETRIES = {"max_retries": 6, "backoff": 30, "backoff_max": 3600}
RETRIED = (DeliveryFailed, OperationalError, InterfaceError)


@job(
    "notification.deliver",
    key=lambda notification_id, channel: f"{notification_id}:{channel}",
    transient=RETRIED,
    **RETRIES,
)
def deliver_notification(report, notification_id, channel):
    """Send one notification by mail or to one chat service."""
    return services.deliver_notification(notification_id, channel)


@job(
    "notification.mail-digest",
    key=lambda person_id, since: f"person:{person_id}",
    transient=RETRIED,
    # A digest waits its minutes queued: it holds its person's key that long plus an hour.
    stale_after=settings.NOTIFICATION_MAIL_DIGEST_MINUTES * 60 + 3600,
    **RETRIES,
)
def send_mail_digest(report, person_id, since):
    """One mail listing a person's notifications of the last minutes."""
    return services.send_mail_digest(send_mail_digest.name, person_id, since)
