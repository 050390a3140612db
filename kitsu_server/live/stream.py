"""The live event log: every published event, in commit order, under a cursor id.

Each committed event gets an id `"<milliseconds>-<sequence>"` (a Redis stream id), increasing in
the order events are published. The log is what spreads events between processes and what a
reconnecting client resumes from:

- with REDIS_URL, a Redis stream (`LIVE_EVENTS_STREAM_KEY`): every server process (and Celery
  worker) appends to it, every server process follows it (XREAD) and hands each event to its own
  connections;
- without, a list in this process's memory (`make run`: one process).

Entries older than `LIVE_EVENTS_RETENTION` seconds are trimmed; a client whose last seen id is
older than that is told to reload instead of resuming.
"""

import asyncio
import threading
import time
from collections import deque

import orjson
from django.conf import settings

FIELD = b"event"
FOLLOW_BLOCK_MS = 5000


def parse_id(text):
    """(milliseconds, sequence) of an event id, or None when `text` is no event id."""
    if not isinstance(text, str) or len(text) > 45:
        return None
    head, _, tail = text.partition("-")
    if not head.isdigit() or not (tail.isdigit() or tail == ""):
        return None
    return int(head), int(tail or 0)


def format_id(parts):
    return f"{parts[0]}-{parts[1]}"


def now_ms():
    return int(time.time() * 1000)


def retention_ms():
    return int(settings.LIVE_EVENTS_RETENTION * 1000)


def too_old(event_id):
    """True when events after `event_id` may have been trimmed from the log already."""
    return parse_id(event_id)[0] < now_ms() - retention_ms()


class MemoryStream:
    """The log in this process: appended to from any thread, followed from the event loop."""

    kind = "memory"

    def __init__(self, max_length=100_000):
        self.max_length = max_length
        self._lock = threading.Lock()
        self._entries = deque()  # ((ms, seq), id, entry)
        self._last = (0, 0)
        self._trimmed_through = (0, 0)
        self._waiters = set()  # (loop, asyncio.Event)

    def append(self, entries):
        ids = []
        with self._lock:
            for entry in entries:
                ms = now_ms()
                last_ms, last_seq = self._last
                parts = (ms, 0) if ms > last_ms else (last_ms, last_seq + 1)
                self._last = parts
                ids.append(format_id(parts))
                self._entries.append((parts, ids[-1], entry))
            horizon = (now_ms() - retention_ms(), 0)
            while self._entries and (len(self._entries) > self.max_length or self._entries[0][0] < horizon):
                self._trimmed_through = self._entries.popleft()[0]
            waiters = list(self._waiters)
        for loop, event in waiters:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop is closed: its follower is gone
                with self._lock:
                    self._waiters.discard((loop, event))
        return ids

    async def tail_id(self):
        return format_id(self._last)

    def gone_after(self, event_id):
        """True when an entry after `event_id` was trimmed (a gap a resume cannot fill)."""
        return parse_id(event_id) < self._trimmed_through

    def _after(self, low, high=None):
        """The entries after `low` (up to `high`), read from the newest end: a follower is near it."""
        found = []
        with self._lock:
            for parts, event_id, entry in reversed(self._entries):
                if parts <= low:
                    break
                if high is None or parts <= high:
                    found.append((event_id, entry))
        found.reverse()
        return found

    async def read(self, after, until):
        return self._after(parse_id(after), parse_id(until))

    async def follow(self, after):
        """The entries after `after`, waiting up to a few seconds for one."""
        low = parse_id(after)
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        waiter = (loop, event)
        with self._lock:
            self._waiters.add(waiter)
        try:
            while True:
                found = self._after(low)
                if found:
                    return found
                event.clear()
                try:
                    await asyncio.wait_for(event.wait(), FOLLOW_BLOCK_MS / 1000)
                except TimeoutError:
                    return []
        finally:
            with self._lock:
                self._waiters.discard(waiter)


class RedisStream:
    """The log in a Redis stream, shared by every process using the same REDIS_URL."""

    kind = "redis"

    def __init__(self, url, key):
        self.url = url
        self.key = key
        self._sync = None
        self._async = {}  # event loop -> client

    def _sync_client(self):
        if self._sync is None:
            import redis

            self._sync = redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
        return self._sync

    def _async_client(self):
        loop = asyncio.get_running_loop()
        client = self._async.get(loop)
        if client is None:
            import redis.asyncio

            client = self._async[loop] = redis.asyncio.Redis.from_url(self.url, socket_connect_timeout=5)
        return client

    def append(self, entries):
        minid = format_id((now_ms() - retention_ms(), 0))
        with self._sync_client().pipeline(transaction=False) as pipe:
            for entry in entries:
                pipe.xadd(self.key, {FIELD: orjson.dumps(entry)}, minid=minid, approximate=True)
            return [value.decode() for value in pipe.execute()]

    async def tail_id(self):
        rows = await self._async_client().xrevrange(self.key, count=1)
        return rows[0][0].decode() if rows else "0-0"

    def gone_after(self, event_id):
        return False  # trimmed by age only: `too_old` tells

    @staticmethod
    def _decoded(rows):
        return [(event_id.decode(), orjson.loads(fields[FIELD])) for event_id, fields in rows]

    async def read(self, after, until):
        if parse_id(after) >= parse_id(until):
            return []
        rows = await self._async_client().xrange(self.key, min=f"({after}", max=until)
        return self._decoded(rows)

    async def follow(self, after):
        answer = await self._async_client().xread({self.key: after}, block=FOLLOW_BLOCK_MS, count=1000)
        return self._decoded(answer[0][1]) if answer else []

    def ping(self):
        return bool(self._sync_client().ping())


_stream = None
_stream_lock = threading.Lock()


def get_stream():
    """The log of this process's configuration (Redis when REDIS_URL is set, else memory)."""
    global _stream
    with _stream_lock:
        if _stream is None:
            if settings.REDIS_URL:
                _stream = RedisStream(settings.REDIS_URL, settings.LIVE_EVENTS_STREAM_KEY)
            else:
                _stream = MemoryStream()
        return _stream
