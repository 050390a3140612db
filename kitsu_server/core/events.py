"""The API event log: every write records one `ApiEvent` through `record_event`.

Events are what the live stream publishes and what `/data/events/last`
lists. They are written in the same transaction as the change they
describe, so a rolled-back write leaves no event behind; listeners
registered with `on_event` (the live stream, added later) are called once
the transaction commits.
"""

from collections import defaultdict

from django.db import transaction

from tasks.models import ApiEvent

_listeners = []
_batch_listeners = []


def on_event(listener):
    """Register `listener(event)` to be called after each committed event."""
    _listeners.append(listener)
    return listener


def on_events(listener):
    """Register `listener(events)` to be called once with the events of each commit, in their
    order (the live stream and the webhooks: one Redis round trip, one query per batch)."""
    _batch_listeners.append(listener)
    return listener


def _notify(events):
    for listener in list(_batch_listeners):
        listener(events)
    for event in events:
        for listener in list(_listeners):
            listener(event)


def _event(name, data, project_id, user):
    user_id = getattr(user, "pk", None) if user is not None and user.is_authenticated else None
    if project_id is not None:
        data = {**data, "project_id": str(project_id)}  # the reference puts it in the data too
    return ApiEvent(name=name, data=data, project_id=project_id, user_id=user_id)


def _publish_after_commit(events):
    if events and (_listeners or _batch_listeners):
        transaction.on_commit(lambda: _notify(events))


def record_event(name, data, project_id=None, user=None):
    """Store the event `name` ("task:update"...) with its `data` (ids as strings)."""
    event = _event(name, data, project_id, user)
    event.save()
    _publish_after_commit([event])
    return event


def publish_event(name, data, project_id=None, user=None, after_commit=False):
    """Hand an event to the listeners (the live stream) without storing it in the event log:
    for what nobody should read back later, such as the status page's test event, or the signals
    whose rows are the record (notifications, acknowledgements). `after_commit`: once the current
    transaction commits (at once otherwise: nothing stored, no commit to wait for)."""
    event = _event(name, data, project_id, user)
    if after_commit:
        _publish_after_commit([event])
    else:
        _notify([event])
    return event


def record_events(name, datas, project_id=None, user=None, batch_size=1000):
    """`record_event` for many events of one kind (a batch of tasks...): one insert per batch."""
    events = [_event(name, data, project_id, user) for data in datas]
    ApiEvent.objects.bulk_create(events, batch_size=batch_size)
    _publish_after_commit(events)
    return events


class EventLog:
    """Events of one write, recorded together at its end (one insert per event name)."""

    def __init__(self, user):
        self.user = user
        self.events = defaultdict(list)  # (name, project id) -> [data]

    def add(self, name, data, project_id):
        self.events[(name, project_id)].append(data)

    def record(self):
        for (name, project_id), datas in self.events.items():
            record_events(name, datas, project_id=project_id, user=self.user)
        self.events.clear()
