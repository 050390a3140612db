"""From the committed events to the live log: the listener kitsu_server.core.events calls once a
write's transaction commits (a rolled-back write calls nothing, so publishes nothing)."""

import logging

from kitsu_server.live.audience import TEAM_EVENT, event_audience, team_rooms
from kitsu_server.live.stream import get_stream

logger = logging.getLogger(__name__)


def entry_of(event):
    """The log entry of an `ApiEvent` (stored or not): its name, data and audience."""
    data = dict(event.data or {})
    project_id = event.project_id
    entry = {"name": event.name, "data": data, **event_audience(event.name, data, project_id)}
    if event.name == TEAM_EVENT and project_id is not None:
        # The team as this write left it, read once here: the connections' rooms follow it in
        # the log's order (read when delivered, a later change could already show).
        entry["team"] = team_rooms(project_id)
    return entry


def publish_events(events):
    """Append committed events to the live log. A log that cannot be written (Redis down) loses
    the live copy only: the write is committed and its `ApiEvent` stored; resuming clients are
    then told to reload."""
    if not events:
        return []
    try:
        return get_stream().append([entry_of(event) for event in events])
    except Exception:  # noqa: BLE001  (the write is done: never fail it for its broadcast)
        logger.exception("Live events could not be published (%s events lost)", len(events))
        return []
