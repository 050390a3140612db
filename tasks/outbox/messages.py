"""What a notification says: its subject, its mail (HTML and text) and its chat message, in the
reference's words (English), read from the notification's rows in a few flat queries."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from people.models import full_name
from tasks.comments.queries import reply_in
from tasks.models import Notification
from tasks.queries import full_entity_names

NOTIFICATION_COLUMNS = (
    "id",
    "type",
    "change",
    "person_id",
    "person__email",
    "person__first_name",
    "person__last_name",
    "person__active",
    "person__notifications_enabled",
    "person__notifications_slack_enabled",
    "person__notifications_slack_userid",
    "person__notifications_mattermost_enabled",
    "person__notifications_mattermost_userid",
    "person__notifications_discord_enabled",
    "person__notifications_discord_userid",
    "author__first_name",
    "author__last_name",
    "task_id",
    "task__project_id",
    "task__project__name",
    "task__project__production_type",
    "task__task_type__name",
    "task__task_type__for_entity",
    "task__entity_id",
    "task__task_status__short_name",
    "comment__text",
    "comment__replies",
    "comment__task_status__short_name",
    "reply_id",
    "playlist_id",
    "playlist__name",
    "playlist__project_id",
    "playlist__project__name",
)

SUBJECTS = {
    "comment": "[Kitsu] {status} - {author_first_name} commented on {task_name}",
    "mention": "[Kitsu] {author_first_name} mentioned you on {task_name}",
    "reply-mention": "[Kitsu] {author_first_name} mentioned you on {task_name}",
    "reply": "[Kitsu] {author_first_name} replied on {task_name}",
    "assignation": "[Kitsu] You were assigned to {task_name}",
    "playlist-ready": "[Kitsu] The playlist {playlist_name} in project {project_name} is ready for review",
}
TITLES = {
    "comment": "New Comment",
    "mention": "New Mention",
    "reply-mention": "New Mention",
    "reply": "New Reply",
    "assignation": "New Assignation",
    "playlist-ready": "New Playlist Ready",
}


@dataclass
class OutgoingMessage:
    """One notification as its recipient reads it."""

    notification_id: str
    kind: str
    recipient: dict  # the person's email, names and channel settings
    subject: str
    title: str
    author_name: str
    action: str  # "wrote a comment on", "assigned you to"...
    link_text: str
    link_url: str
    suffix: str  # "and set the status to WIP."...
    quote: str  # the comment or reply text, if any
    project_name: str

    def chat_text(self, link_format):
        """The chat message: `link_format` writes the link as the service reads it (Slack:
        `<url|text>`, Mattermost and Discord: `[text](url)`)."""
        link = link_format.format(url=self.link_url, text=self.link_text)
        text = f"*{self.author_name}* {self.action} {link}{self.suffix}"
        if self.quote:
            text += f"\n\n_{self.quote}_\n"
        return text

    def context(self):
        return {"message": self, "organisation": "Kitsu"}


def kitsu_url(path):
    """A link into the Kitsu web UI, on DOMAIN_NAME (the reference's setting)."""
    return f"{web_ui_root()}{path}"


def web_ui_root():
    """The web UI's address: DOMAIN_PROTOCOL://DOMAIN_NAME, the reference's defaults when unset."""
    return f"{settings.DOMAIN_PROTOCOL or 'http'}://{settings.DOMAIN_NAME or 'localhost:8080'}"


def load_messages(notification_ids):
    """{notification id: OutgoingMessage} for the notifications still there (a deleted comment
    takes its notifications with it): one query for the rows, one for the entity names."""
    rows = list(Notification.objects.filter(pk__in=notification_ids).values(*NOTIFICATION_COLUMNS))
    names = full_entity_names({row["task__entity_id"] for row in rows if row["task__entity_id"]})
    return {str(row["id"]): build_message(row, names) for row in rows}


def build_message(row, entity_names):
    kind = row["type"]
    author_name = full_name(row["author__first_name"], row["author__last_name"])
    quote, suffix = "", "."
    if kind == "playlist-ready":
        project_name = row["playlist__project__name"] or ""
        link_text = row["playlist__name"] or ""
        link_url = kitsu_url(f"/productions/{row['playlist__project_id']}/playlists/{row['playlist_id']}")
        action = "notifies you that a playlist"
        suffix = f" is ready for a review under the project {project_name}."
        values = {"playlist_name": link_text, "project_name": project_name}
    else:
        project_name = row["task__project__name"] or ""
        entity_name, episode_id = entity_names.get(row["task__entity_id"], ("", None))
        link_text = f"{project_name} / {entity_name} / {row['task__task_type__name']}"
        link_url = kitsu_url(task_path(row, episode_id))
        status = (
            row["comment__task_status__short_name"] or row["task__task_status__short_name"] or ""
        ).upper()
        reply = reply_in(row["comment__replies"], row["reply_id"]) if row["reply_id"] else None
        comment_text = reply.get("text") if reply else row["comment__text"]
        if kind == "comment":
            if comment_text:
                action, suffix = "wrote a comment on", f" and set the status to *{status}*."
            else:
                action, suffix = "changed status of", f" to *{status}*."
        elif kind in ("mention", "reply-mention"):
            action = "mentioned you in a comment on"
        elif kind == "reply":
            action = "wrote a reply on"
        else:
            action = "assigned you to"
        quote = comment_text or ""
        values = {"status": status, "task_name": link_text}
    recipient = {
        key.removeprefix("person__"): value for key, value in row.items() if key.startswith("person")
    }
    subject = SUBJECTS.get(kind, "[Kitsu] {task_name}").format(
        author_first_name=row["author__first_name"] or "", **values
    )
    return OutgoingMessage(
        notification_id=str(row["id"]),
        kind=kind,
        recipient=recipient,
        subject=subject,
        title=TITLES.get(kind, "Notification"),
        author_name=author_name,
        action=action,
        link_text=link_text,
        link_url=link_url,
        suffix=suffix,
        quote=quote,
        project_name=project_name,
    )


def task_path(row, episode_id):
    """The web UI's page of a task: under its episode on a TV show (assets: the "main" one)."""
    entity_kind = {"Shot": "shots", "Edit": "edits"}.get(row["task__task_type__for_entity"], "assets")
    episode = ""
    if row["task__project__production_type"] == "tvshow":
        episode = f"/episodes/{episode_id or 'main'}"
    return f"/productions/{row['task__project_id']}{episode}/{entity_kind}/tasks/{row['task_id']}"


def render_mail(message):
    """(text, html) of one notification's mail."""
    context = message.context()
    return (
        render_to_string("outbox/notification.txt", context),
        render_to_string("outbox/notification.html", context),
    )


def render_digest(messages):
    """(subject, text, html) of a digest of several notifications for one person."""
    count = len(messages)
    subject = f"[Kitsu] {count} new notification{'s' if count != 1 else ''}"
    context = {"messages": messages, "subject": subject}
    return (
        subject,
        render_to_string("outbox/digest.txt", context),
        render_to_string("outbox/digest.html", context),
    )
