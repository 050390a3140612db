"""The mail and chat services a notification goes out through, each one call.

Two kinds of failure: `DeliveryFailed` (the service could not be reached, answered 429 or 5xx,
the mail server hung up), which the job retries with backoff, and `DeliveryRefused` (a bad token,
an unknown user, a recipient the mail server refuses), which no retry would cure. Their messages
never quote a token or a webhook URL: they end up on the job's row.
"""

import smtplib

import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from tasks.outbox.messages import web_ui_root

TIMEOUT = 30  # seconds, connect and read


class DeliveryFailed(Exception):
    """A failure worth another try later."""


class DeliveryRefused(Exception):
    """The service refused the message: retrying would not help."""


# --- mail --------------------------------------------------------------------------------------


def send_mail(recipient, subject, text, html):
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryRefused(f"The mail server refused {recipient}.") from exc
    except smtplib.SMTPResponseException as exc:
        if 550 <= exc.smtp_code <= 554:
            raise DeliveryRefused(f"The mail server refused {recipient}: {exc.smtp_code}.") from exc
        raise DeliveryFailed(f"The mail server answered {exc.smtp_code}.") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"The mail server failed: {type(exc).__name__}: {exc}") from exc


# --- chats -------------------------------------------------------------------------------------


def post_json(service, url, payload, headers=None, method="POST"):
    """The JSON answer of a chat service; the failures sorted as retried or refused."""
    try:
        response = requests.request(method, url, json=payload, headers=headers or {}, timeout=TIMEOUT)
    except requests.RequestException as exc:  # its message quotes the URL: keep it out
        raise DeliveryFailed(f"{service} could not be reached ({type(exc).__name__}).") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise DeliveryFailed(f"{service} answered {response.status_code}.")
    if response.status_code >= 400:
        raise DeliveryRefused(
            f"{service} refused the message ({response.status_code}): {response.text[:200]}"
        )
    try:
        return response.json()
    except ValueError:
        return {}


def send_to_slack(token, user_id, text):
    """A direct message from the studio's Slack app (`chat.postMessage` to `@user`)."""
    if not token:
        raise DeliveryRefused("No Slack token is set on the organisation.")
    if not user_id:
        raise DeliveryRefused("The person has no Slack user id.")
    payload = {
        "channel": f"@{user_id}",
        "as_user": True,
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }
    answer = post_json(
        "Slack",
        f"{settings.SLACK_API_URL.rstrip('/')}/chat.postMessage",
        payload,
        headers={"Authorization": f"Bearer {token}"},
    )
    if not answer.get("ok"):  # Slack answers 200 with ok=false
        error = answer.get("error", "unknown error")
        if error == "ratelimited":
            raise DeliveryFailed("Slack is rate limiting the messages.")
        raise DeliveryRefused(f"Slack refused the message: {error}.")
    return {"channel": answer.get("channel"), "ts": answer.get("ts")}


def send_to_mattermost(webhook, user_id, text, project_name):
    """A direct message through the studio's Mattermost incoming webhook."""
    if not webhook:
        raise DeliveryRefused("No Mattermost webhook is set on the organisation.")
    if not user_id:
        raise DeliveryRefused("The person has no Mattermost user id.")
    payload = {
        "text": text,
        "channel": f"@{user_id}",
        "username": f"Kitsu - {project_name}",
        "icon_url": f"{web_ui_root()}/img/kitsu.b07d6464.png",
    }
    post_json("Mattermost", webhook, payload)
    return {"channel": f"@{user_id}"}


def send_to_discord(token, user_id, text):
    """A direct message from the studio's Discord bot: to a user id, or to a user name looked up
    among the members of DISCORD_GUILD_ID."""
    if not token:
        raise DeliveryRefused("No Discord bot token is set on the organisation.")
    if not user_id:
        raise DeliveryRefused("The person has no Discord user id.")
    api = settings.DISCORD_API_URL.rstrip("/")
    headers = {"Authorization": f"Bot {token}"}
    recipient_id = user_id if user_id.isdigit() else discord_member_id(api, headers, user_id)
    channel = post_json("Discord", f"{api}/users/@me/channels", {"recipient_id": recipient_id}, headers)
    if not channel.get("id"):
        raise DeliveryRefused("Discord opened no direct message channel.")
    message = post_json(
        "Discord", f"{api}/channels/{channel['id']}/messages", {"embeds": [{"description": text}]}, headers
    )
    return {"channel": channel["id"], "message": message.get("id")}


def discord_member_id(api, headers, name):
    """The id of the guild member called `name` (or `name#1234`), as the reference finds them."""
    if not settings.DISCORD_GUILD_ID:
        raise DeliveryRefused("Discord user names need DISCORD_GUILD_ID; or give the numeric user id.")
    username, _, discriminator = name.partition("#")
    members = post_json(
        "Discord",
        f"{api}/guilds/{settings.DISCORD_GUILD_ID}/members/search?query={requests.utils.quote(username)}&limit=10",
        None,
        headers,
        method="GET",
    )
    for member in members if isinstance(members, list) else []:
        user = member.get("user") or {}
        if user.get("bot") or user.get("username") != username:
            continue
        if discriminator in ("", user.get("discriminator", "0")):
            return user["id"]
    raise DeliveryRefused(f"No Discord member is called {name}.")
