"""Queuing and sending the notifications out.

`queue_notifications_out` is called where the notification rows are written, inside their
transaction: it writes one job per notification and channel the recipient wants, whose message
is sent once the transaction commits. The jobs (`tasks.jobs`) call `deliver_notification` and
`send_mail_digest`, which read the notification again when they run: a notification deleted
meanwhile (its comment deleted) is not sent, a channel switched off meanwhile neither.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from kitsu_server.core.models import SUCCEEDED, Job
from people.models import Organisation, Person
from tasks.models import Notification
from tasks.outbox import senders
from tasks.outbox.messages import load_messages, render_digest, render_mail

MAIL, SLACK, MATTERMOST, DISCORD = "mail", "slack", "mattermost", "discord"
CHANNELS = (MAIL, SLACK, MATTERMOST, DISCORD)
# The person's switch of each channel (the reference's columns).
SWITCHES = {
    MAIL: "notifications_enabled",
    SLACK: "notifications_slack_enabled",
    MATTERMOST: "notifications_mattermost_enabled",
    DISCORD: "notifications_discord_enabled",
}


def wanted_channels(person):
    """The channels a person (a dict of their columns) wants to hear on."""
    if not person.get("active", True):
        return []
    channels = [channel for channel in CHANNELS if person.get(SWITCHES[channel])]
    if MAIL in channels and not person.get("email"):
        channels.remove(MAIL)
    return channels


def queue_notifications_out(notifications, project_id=None, author=None):
    """One job per notification and channel its recipient has switched on (mail: one digest job
    per person instead when NOTIFICATION_MAIL_DIGEST_MINUTES is set). One query for the
    recipients' settings; no job, no write when nobody wants any."""
    if not notifications:
        return []
    from tasks import jobs  # the job kinds import this module's senders

    recipients = {  # by text: the reply service hands person ids as text
        str(row["id"]): row
        for row in Person.objects.filter(pk__in={n.person_id for n in notifications}).values(
            "id", "email", "active", *SWITCHES.values()
        )
    }
    author = author if getattr(author, "is_authenticated", False) else None
    digest_minutes = settings.NOTIFICATION_MAIL_DIGEST_MINUTES
    queued = []
    for notification in notifications:
        person = recipients.get(str(notification.person_id))
        for channel in wanted_channels(person or {"active": False}):
            if channel == MAIL and digest_minutes:
                queued.append(
                    jobs.send_mail_digest.enqueue(
                        created_by=author,
                        delay=digest_minutes * 60,
                        person_id=str(notification.person_id),
                        since=notification_time(notification).isoformat(),
                    )
                )
                continue
            queued.append(
                jobs.deliver_notification.enqueue(
                    created_by=author,
                    notification_id=str(notification.pk),
                    channel=channel,
                )
            )
    return queued


def notification_time(notification):
    return notification.created_at or timezone.now()


def organisation_credentials():
    organisation = Organisation.objects.order_by("created_at", "pk").first()
    if organisation is None:
        return {}
    return {
        SLACK: organisation.chat_token_slack,
        MATTERMOST: organisation.chat_webhook_mattermost,
        DISCORD: organisation.chat_token_discord,
    }


def deliver_notification(notification_id, channel):
    """Send one notification on one channel; answers what was done (the job's result)."""
    if channel not in CHANNELS:
        raise senders.DeliveryRefused(f"Unknown channel {channel!r}.")
    message = load_messages([notification_id]).get(str(notification_id))
    if message is None:
        return {"skipped": "The notification is gone."}
    recipient = message.recipient
    if channel not in wanted_channels(recipient):
        return {"skipped": f"The person switched {channel} notifications off."}
    if channel == MAIL:
        text, html = render_mail(message)
        senders.send_mail(recipient["email"], message.subject, text, html)
        return {"sent": MAIL, "to": recipient["email"]}
    credential = organisation_credentials().get(channel)
    if channel == SLACK:
        answer = senders.send_to_slack(
            credential, recipient["notifications_slack_userid"], message.chat_text("<{url}|{text}>")
        )
    elif channel == MATTERMOST:
        answer = senders.send_to_mattermost(
            credential,
            recipient["notifications_mattermost_userid"],
            message.chat_text("[{text}]({url})"),
            message.project_name,
        )
    else:
        answer = senders.send_to_discord(
            credential, recipient["notifications_discord_userid"], message.chat_text("[{text}]({url})")
        )
    return {"sent": channel, **answer}


def send_mail_digest(job_name, person_id, since):
    """One mail listing the person's unread notifications since `since` that no earlier digest
    listed. Answers how many it listed and up to when (where the next digest starts)."""
    until = timezone.now()
    start = datetime.datetime.fromisoformat(since)
    previous = (
        Job.objects.filter(name=job_name, state=SUCCEEDED, params__person_id=person_id)
        .order_by("-finished_at")
        .values_list("result", flat=True)
        .first()
    )
    if previous and previous.get("until"):
        start = max(start, datetime.datetime.fromisoformat(previous["until"]))
    person = Person.objects.filter(pk=person_id).values("id", "email", "active", *SWITCHES.values()).first()
    result = {"until": until.isoformat(), "sent": 0}
    if person is None or MAIL not in wanted_channels(person):
        return {**result, "skipped": "The person wants no mail."}
    ids = list(
        Notification.objects.filter(
            person_id=person_id, read=False, created_at__gte=start, created_at__lte=until
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return result
    loaded = load_messages(ids)
    messages = [loaded[str(pk)] for pk in ids if str(pk) in loaded]
    subject, text, html = render_digest(messages)
    senders.send_mail(person["email"], subject, text, html)
    return {**result, "sent": len(messages), "to": person["email"]}
