"""Notifications out: the `Notification` rows the comment, reply and assignation services write
are also sent, per the recipient's settings, by mail (HTML and text, one by one or as a digest)
and to Slack, Mattermost and Discord.

Nothing is sent inside the request: `services.queue_notifications_out` writes one background job
per notification and channel (`tasks.jobs`), sent once the request's transaction commits; the
job's row (`/api/data/jobs`, the back-office's job list) tells whether the message left, how many
attempts it took and why it failed. Network failures are retried with backoff, refusals (a bad
token, an unknown chat user) fail the job at once with the service's answer.
"""
