"""Notifications out (tasks.outbox): a comment, a reply or an assignation writes the reference's
notification rows, and each row goes out by mail (HTML and text) and to Slack, Mattermost and
Discord per the recipient's settings, through background jobs (run eagerly here, once the
request's transaction commits), against Django's mail outbox and local servers standing in for
the chat services. Failures are retried or refused, and visible on the job's row."""

import html
import logging
import socket

import pytest
from django.core import mail
from django.urls import reverse

from kitsu_server.core.models import FAILED, SUCCEEDED, Job
from people.models import Organisation
from productions.models import ProjectPersonLink
from tasks.models import Comment, Notification
from tasks.outbox import services
from tests import factories
from tests.factories import client_for
from tests.outbox.chat_servers import RecordingServer

pytestmark = pytest.mark.django_db

SLACK_TOKEN = "xoxb-secret-slack-token"
DISCORD_TOKEN = "discord-secret-bot-token"


CHAT_ANSWERS = {
    "/slack/chat.postMessage": [(200, {"ok": True, "channel": "D1", "ts": "1.2"})],
    "/mattermost/hooks/secret-hook": [(200, {})],
    "/discord/users/@me/channels": [(200, {"id": "555"})],
    "/discord/channels/555/messages": [(200, {"id": "777"})],
}


def make_organisation(chat_url):
    return Organisation.objects.create(
        name="Studio",
        chat_token_slack=SLACK_TOKEN,
        chat_webhook_mattermost=f"{chat_url}/mattermost/hooks/secret-hook",
        chat_token_discord=DISCORD_TOKEN,
    )


@pytest.fixture
def chat(settings):
    """One local server for the three chat services, wired in the settings and the organisation."""
    with RecordingServer() as server:
        settings.SLACK_API_URL = f"{server.url}/slack"
        settings.DISCORD_API_URL = f"{server.url}/discord"
        settings.DOMAIN_NAME = "kitsu.studio.test"
        settings.DOMAIN_PROTOCOL = "https"
        server.answers = {path: list(script) for path, script in CHAT_ANSWERS.items()}
        make_organisation(server.url)
        yield server


def build_world(show):
    """A task of `show`, a manager who comments and Jane, who hears on every channel."""
    todo = factories.make_task_status(name="Todo", short_name="todo", is_default=True)
    wip = factories.make_task_status(name="Work In Progress", short_name="wip")
    asset = factories.make_asset(show, factories.make_asset_type("Prop"), name="Chair")
    task = factories.make_task(asset, factories.make_task_type(name="Modeling"), todo)
    manager = factories.make_person(role="manager", first_name="Mia", last_name="Boss", password=None)
    jane = factories.make_person(
        role="user",
        first_name="Jane",
        last_name="Doe",
        email="jane@studio.test",
        password=None,
        notifications_enabled=True,
        notifications_slack_enabled=True,
        notifications_slack_userid="jane.slack",
        notifications_mattermost_enabled=True,
        notifications_mattermost_userid="jane.mm",
        notifications_discord_enabled=True,
        notifications_discord_userid="123456789",
    )
    for person in (manager, jane):
        ProjectPersonLink.objects.create(project=show, person=person)
    return {"task": task, "wip": wip, "manager": manager, "jane": jane, "show": show}


@pytest.fixture
def world(show):
    return build_world(show)


def post_comment(world, text, author=None, capture=None):
    author = author or world["manager"]
    body = {"task_status_id": str(world["wip"].pk), "comment": text}
    with capture(execute=True):
        response = client_for(author).post(
            f"/api/actions/tasks/{world['task'].pk}/comment", body, format="json"
        )
    assert response.status_code == 201, response.content
    return response.json()


def jobs_of(name="notification.deliver"):
    return list(Job.objects.filter(name=name).order_by("created_at", "pk"))


# --- done when: a mention goes out by mail and to the three chats --------------------------------


def test_a_mention_goes_out_by_mail_and_chats_through_jobs(world, chat, django_capture_on_commit_callbacks):
    comment = post_comment(
        world, "@Jane Doe please check <the> chair", capture=django_capture_on_commit_callbacks
    )
    notification = Notification.objects.get()
    assert (notification.person_id, notification.type, str(notification.comment_id)) == (
        world["jane"].pk,
        "mention",
        comment["id"],
    )
    assert notification.author_id == world["manager"].pk and notification.task_id == world["task"].pk
    jobs = jobs_of()
    assert sorted(job.params["channel"] for job in jobs) == ["discord", "mail", "mattermost", "slack"]
    assert all(job.state == SUCCEEDED and job.attempts == 1 for job in jobs), [
        (j.state, j.error) for j in jobs
    ]
    assert all(job.params["notification_id"] == str(notification.pk) for job in jobs)

    [message] = mail.outbox
    assert message.to == ["jane@studio.test"]
    assert message.subject == f"[Kitsu] Mia mentioned you on {world['show'].name} / Prop / Chair / Modeling"
    task_url = f"https://kitsu.studio.test/productions/{world['show'].pk}/assets/tasks/{world['task'].pk}"
    assert "Mia Boss mentioned you in a comment on" in message.body and task_url in message.body
    assert "@Jane Doe please check <the> chair" in message.body  # plain text: no escaping
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{task_url}">' in html_body and "please check &lt;the&gt; chair" in html_body

    [slack] = chat.bodies("/slack")
    assert slack["channel"] == "@jane.slack" and f"<{task_url}|" in slack["text"]
    assert "*Mia Boss* mentioned you" in slack["blocks"][0]["text"]["text"]
    slack_headers = next(h for _, p, h, _ in chat.received if p.startswith("/slack"))
    assert slack_headers["Authorization"] == f"Bearer {SLACK_TOKEN}"
    [mattermost] = chat.bodies("/mattermost")
    assert mattermost["channel"] == "@jane.mm" and mattermost["username"] == f"Kitsu - {world['show'].name}"
    assert f"]({task_url})" in mattermost["text"]
    channel, message_body = chat.bodies("/discord")
    assert channel == {"recipient_id": "123456789"}
    assert "please check <the> chair" in message_body["embeds"][0]["description"]
    discord_job = next(job for job in jobs if job.params["channel"] == "discord")
    assert discord_job.result == {"sent": "discord", "channel": "555", "message": "777"}


def test_the_outbox_jobs_are_read_at_the_jobs_route(
    world, chat, admin_person, django_capture_on_commit_callbacks
):
    post_comment(world, "@Jane Doe hello", capture=django_capture_on_commit_callbacks)
    response = client_for(admin_person).get("/api/data/jobs")
    assert response.status_code == 200
    rows = [row for row in response.json() if row["name"] == "notification.deliver"]
    assert sorted(row["params"]["channel"] for row in rows) == ["discord", "mail", "mattermost", "slack"]
    assert {row["state"] for row in rows} == {"succeeded"}


def test_nothing_goes_out_to_who_switched_everything_off(world, chat, django_capture_on_commit_callbacks):
    quiet = factories.make_person(role="user", first_name="Quiet", last_name="One", password=None)
    ProjectPersonLink.objects.create(project=world["show"], person=quiet)
    post_comment(world, "@Quiet One look", capture=django_capture_on_commit_callbacks)
    assert Notification.objects.get().person_id == quiet.pk  # the row as the reference writes it
    assert jobs_of() == [] and mail.outbox == [] and chat.received == []


def test_only_the_channels_switched_on_are_used(world, chat, django_capture_on_commit_callbacks):
    jane = world["jane"]
    jane.notifications_slack_enabled = jane.notifications_discord_enabled = False
    jane.save()
    post_comment(world, "@Jane Doe mail and mattermost", capture=django_capture_on_commit_callbacks)
    assert sorted(job.params["channel"] for job in jobs_of()) == ["mail", "mattermost"]
    assert len(mail.outbox) == 1 and chat.bodies("/slack") == [] and chat.bodies("/discord") == []


def test_an_inactive_person_gets_nothing(world, chat, django_capture_on_commit_callbacks):
    world["jane"].active = False
    world["jane"].save()
    post_comment(world, "@Jane Doe anyone?", capture=django_capture_on_commit_callbacks)
    assert jobs_of() == [] and mail.outbox == []


def test_nothing_is_sent_for_a_rolled_back_request(world, chat):
    # Without the commit (the test's transaction never commits), the jobs' messages are not sent.
    body = {"task_status_id": str(world["wip"].pk), "comment": "@Jane Doe hello"}
    client_for(world["manager"]).post(f"/api/actions/tasks/{world['task'].pk}/comment", body, format="json")
    assert {job.state for job in jobs_of()} == {"queued"}
    assert mail.outbox == [] and chat.received == []


# --- assignations, replies, status-only comments --------------------------------------------------


def test_an_assignation_goes_out(world, chat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world["manager"]).put(
            f"/api/actions/tasks/{world['task'].pk}/assign",
            {"person_id": str(world["jane"].pk)},
            format="json",
        )
    assert response.status_code == 200
    assert Notification.objects.get().type == "assignation"
    [message] = mail.outbox
    assert message.subject == f"[Kitsu] You were assigned to {world['show'].name} / Prop / Chair / Modeling"
    assert "Mia Boss assigned you to" in message.body
    assert "*Mia Boss* assigned you to <" in chat.bodies("/slack")[0]["text"]


def test_a_comment_and_a_reply_go_out_to_the_assignee(world, chat, django_capture_on_commit_callbacks):
    world["task"].assignees.add(world["jane"])
    post_comment(world, "", capture=django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject.startswith("[Kitsu] WIP - Mia commented on")
    assert "Mia Boss changed status of" in message.body and "to WIP." in message.body
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world["manager"]).post(
            f"/api/data/tasks/{world['task'].pk}/comments/{comment.pk}/reply",
            {"text": "one more thing"},
            format="json",
        )
    assert response.status_code in (200, 201), response.content
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("[Kitsu] Mia replied on")
    assert "one more thing" in mail.outbox[1].body
    assert Notification.objects.filter(type="reply", person=world["jane"]).count() == 1


# --- failures: retried, refused, visible -----------------------------------------------------------


def test_a_chat_service_down_for_a_while_is_retried(world, chat, django_capture_on_commit_callbacks):
    chat.answers["/slack/chat.postMessage"] = [(503, {}), (500, {}), (200, {"ok": True, "channel": "D1"})]
    post_comment(world, "@Jane Doe retry", capture=django_capture_on_commit_callbacks)
    job = next(job for job in jobs_of() if job.params["channel"] == "slack")
    assert job.state == SUCCEEDED and job.attempts == 3
    assert len(chat.bodies("/slack")) == 3


def test_a_refusal_fails_the_job_at_once_with_the_reason_and_no_secret(
    world, chat, caplog, django_capture_on_commit_callbacks
):
    chat.answers["/slack/chat.postMessage"] = [(200, {"ok": False, "error": "invalid_auth"})]
    chat.answers["/mattermost/hooks/secret-hook"] = [(400, {"message": "Unable to find the user"})]
    with caplog.at_level(logging.ERROR):
        post_comment(world, "@Jane Doe refused", capture=django_capture_on_commit_callbacks)
    jobs = {job.params["channel"]: job for job in jobs_of()}
    assert jobs["slack"].state == FAILED and jobs["slack"].attempts == 1
    assert jobs["slack"].error == "DeliveryRefused: Slack refused the message: invalid_auth."
    assert (
        jobs["mattermost"].state == FAILED
        and "Mattermost refused the message (400)" in jobs["mattermost"].error
    )
    assert jobs["mail"].state == SUCCEEDED and jobs["discord"].state == SUCCEEDED  # the others still go
    assert all(SLACK_TOKEN not in job.error and "secret-hook" not in job.error for job in jobs.values())
    assert any("notification.deliver" in record.getMessage() for record in caplog.records)  # logged


def test_an_unreachable_service_fails_after_its_retries(world, chat, django_capture_on_commit_callbacks):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/hooks/secret-hook"
    Organisation.objects.update(chat_webhook_mattermost=dead_url)
    post_comment(world, "@Jane Doe nobody there", capture=django_capture_on_commit_callbacks)
    job = next(job for job in jobs_of() if job.params["channel"] == "mattermost")
    assert job.state == FAILED and job.attempts == 7  # the first try and 6 retries
    assert job.error == "DeliveryFailed: Mattermost could not be reached (ConnectionError)."


def test_a_missing_chat_setting_is_a_visible_failure(world, chat, django_capture_on_commit_callbacks):
    Organisation.objects.update(chat_token_discord="")
    world["jane"].notifications_slack_userid = ""
    world["jane"].save()
    post_comment(world, "@Jane Doe settings", capture=django_capture_on_commit_callbacks)
    jobs = {job.params["channel"]: job for job in jobs_of()}
    assert jobs["discord"].error == "DeliveryRefused: No Discord bot token is set on the organisation."
    assert jobs["slack"].error == "DeliveryRefused: The person has no Slack user id."


def test_a_mail_server_failure_is_retried_then_visible(
    world, chat, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = closed.getsockname()[1]
    settings.EMAIL_HOST = "127.0.0.1"
    post_comment(world, "@Jane Doe no mail server", capture=django_capture_on_commit_callbacks)
    job = next(job for job in jobs_of() if job.params["channel"] == "mail")
    assert job.state == FAILED and job.attempts == 7
    assert job.error.startswith("DeliveryFailed: The mail server failed: ConnectionRefusedError")


def test_discord_users_are_found_by_name_in_the_guild(
    world, chat, settings, django_capture_on_commit_callbacks
):
    settings.DISCORD_GUILD_ID = "42"
    world["jane"].notifications_discord_userid = "jane_d"
    world["jane"].save()
    chat.answers["/discord/guilds/42/members/search"] = [
        (
            200,
            [
                {"user": {"id": "1", "username": "jane_d", "bot": True}},
                {"user": {"id": "99", "username": "jane_d"}},
            ],
        )
    ]
    post_comment(world, "@Jane Doe by name", capture=django_capture_on_commit_callbacks)
    assert {"recipient_id": "99"} in chat.bodies("/discord/users")


def test_a_notification_deleted_before_its_job_is_not_sent(world, chat):
    post = client_for(world["manager"]).post
    body = {"task_status_id": str(world["wip"].pk), "comment": "@Jane Doe soon gone"}
    assert post(f"/api/actions/tasks/{world['task'].pk}/comment", body, format="json").status_code == 201
    notification_id = str(Notification.objects.get().pk)
    Notification.objects.all().delete()
    assert services.deliver_notification(notification_id, "mail") == {"skipped": "The notification is gone."}
    assert mail.outbox == []


# --- the digest -----------------------------------------------------------------------------------


def test_the_digest_mails_each_notification_once(world, chat, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_MAIL_DIGEST_MINUTES = 15
    world["task"].assignees.add(world["jane"])
    post_comment(world, "@Jane Doe first", capture=django_capture_on_commit_callbacks)  # comment + mention
    [digest] = jobs_of("notification.mail-digest")
    assert digest.state == SUCCEEDED and digest.result["sent"] == 2
    assert [job.params["channel"] for job in jobs_of()].count("mail") == 0  # no single mails
    [message] = mail.outbox
    assert message.subject == "[Kitsu] 2 new notifications"
    assert message.body.count("Mia Boss") == 2 and "first" in message.body
    assert message.alternatives[0][0].count("<a href=") == 2
    post_comment(world, "second", capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "[Kitsu] 1 new notification"
    assert "second" in mail.outbox[1].body and "first" not in mail.outbox[1].body
    assert len(chat.bodies("/slack")) == 3  # the chats still get each notification


def test_the_digest_leaves_out_what_was_read(world, chat, settings):
    settings.NOTIFICATION_MAIL_DIGEST_MINUTES = 15
    body = {"task_status_id": str(world["wip"].pk), "comment": "@Jane Doe read already"}
    client_for(world["manager"]).post(f"/api/actions/tasks/{world['task'].pk}/comment", body, format="json")
    notification = Notification.objects.get()
    Notification.objects.update(read=True)
    since = notification.created_at.isoformat()
    result = services.send_mail_digest("notification.mail-digest", str(world["jane"].pk), since)
    assert result["sent"] == 0 and mail.outbox == []


def test_a_failed_delivery_is_visible_in_the_back_office(
    world, chat, client, admin_person, django_capture_on_commit_callbacks
):
    chat.answers["/slack/chat.postMessage"] = [(200, {"ok": False, "error": "channel_not_found"})]
    post_comment(world, "@Jane Doe where are you", capture=django_capture_on_commit_callbacks)
    failed = Job.objects.get(state=FAILED)
    client.force_login(admin_person)
    page = client.get(reverse("admin:core_job_changelist"), {"state": "failed"}).content.decode()
    assert "notification.deliver" in page and reverse("admin:core_job_change", args=[failed.pk]) in page
    page = client.get(reverse("admin:core_job_change", args=[failed.pk])).content.decode()
    page = html.unescape(page)
    assert "DeliveryRefused: Slack refused the message: channel_not_found." in page
    assert '"channel": "slack"' in page
