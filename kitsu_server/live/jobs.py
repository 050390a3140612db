"""Celery tasks of the live events (found by kitsu_server.celery): webhook deliveries."""

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from kitsu_server.celery import app
from kitsu_server.live import webhooks


@app.task(name="webhooks.deliver", bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhooks(task, subscription_id):
    """Deliver a subscription's pending events in order; on a failure, try again later with
    exponential backoff (holding the subscription's lease meanwhile), up to WEBHOOK_MAX_RETRIES,
    after which the deliveries stay pending for the next event's run or a replay."""
    holder = task.request.id or f"eager:{subscription_id}"
    outcome = webhooks.deliver_pending(subscription_id, holder)
    if outcome != webhooks.FAILED:
        return outcome
    retries = task.request.retries
    if task.request.is_eager or retries >= settings.WEBHOOK_MAX_RETRIES:
        webhooks.release(subscription_id, holder)  # no queue to wait in, or given up for now
        return outcome
    countdown = get_exponential_backoff_interval(
        factor=settings.WEBHOOK_BACKOFF,
        retries=retries,
        maximum=settings.WEBHOOK_BACKOFF_MAX,
        full_jitter=False,
    )
    webhooks.acquire(subscription_id, holder, extra=countdown)  # later events wait behind the failed one
    raise task.retry(countdown=countdown, max_retries=settings.WEBHOOK_MAX_RETRIES)
