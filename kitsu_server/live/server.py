"""The Socket.IO server of the Kitsu clients: namespace `/events`, at `/socket.io` (Engine.IO 4,
the protocol of the web UI's socket.io-client 4 and of gazu's python-socketio client).

A connection is authenticated by the JWT of its handshake, as an API request is (the same
authentication classes, hence the same rules: expiry, revocation, inactive persons): the
`access_token_cookie` cookie of the web UI or the `Authorization: Bearer` header of gazu, else the
`{"token": ...}` of the Socket.IO auth payload. It then joins its rooms (kitsu_server.live.audience).

Each process runs one `Dispatcher` following the live log (kitsu_server.live.stream) and sending
each event to the rooms of its audience, with `event_id` (the event's log id) added to the
payload. A client connecting with `last_event_id` (in the auth payload or the query string) first
receives, in order, the events it missed, then the live ones: it joins its rooms only once caught
up, under the dispatcher's lock, so that no event is skipped or sent twice. When its id is older
than the log keeps, it receives a `reload` event instead.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import socketio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.settings import api_settings

from kitsu_server.core.access import Access
from kitsu_server.live import audience
from kitsu_server.live.stream import get_stream, parse_id, too_old

logger = logging.getLogger(__name__)

NAMESPACE = "/events"
RELOAD_EVENT = "reload"
RESUME_KEY = "last_event_id"
CATCH_UP_SECONDS = 10  # how long a resume waits for this process to reach an id seen elsewhere
MISSING_TOKEN = (
    "Missing access token: send the Kitsu cookie, an Authorization header, "
    'or {"token": "<access token>"} in the socket.io auth payload.'
)


@dataclass
class Connection:
    sid: str
    person_id: str
    rooms: list
    access: Access
    restricted: set = field(default_factory=set)  # project ids where the person is a client or vendor

    @property
    def is_admin(self):
        return audience.ADMINS in self.rooms


def in_database_thread(function):
    """`function` run in Django's thread for synchronous work, its database connection handed
    back afterwards as a request's is (no connection left open by the stream)."""

    def run(*args):
        try:
            return function(*args)
        finally:
            close_old_connections()

    return sync_to_async(run)


# --- authentication ------------------------------------------------------------------------------


def _handshake_request(environ, token=None):
    request = HttpRequest()
    request.method = "GET"
    request.META = {key: value for key, value in environ.items() if isinstance(value, str)}
    request.COOKIES = parse_cookie(environ.get("HTTP_COOKIE", ""))
    if token is not None:
        request.META["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        request.COOKIES = {}
    return Request(request)


def _authenticated_person(request):
    for authenticator in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        found = authenticator().authenticate(request)
        if found is not None:
            person = found[0]
            if not person.is_active:
                raise AuthenticationFailed("Inactive account.")
            return person
    return None


def authenticate(environ, auth):
    """The person of a handshake: its cookie or header, else the token of its auth payload.
    Raises AuthenticationFailed with the reason."""
    token = auth.get("token") if isinstance(auth, dict) else None
    token = token if isinstance(token, str) and token else None
    try:
        person = _authenticated_person(_handshake_request(environ))
        if person is not None:
            return person
    except AuthenticationFailed:
        if token is None:
            raise
    if token is not None:
        person = _authenticated_person(_handshake_request(environ, token))
        if person is not None:
            return person
    raise AuthenticationFailed(MISSING_TOKEN)


def _refusal(error):
    detail = error.detail
    if isinstance(detail, dict):
        detail = detail.get("detail") or detail.get("message") or next(iter(detail.values()), "")
    return str(detail) or "Invalid access token."


def open_connection(environ, auth, sid):
    person = authenticate(environ, auth)
    rooms = audience.connection_rooms(person)
    restricted = {room.split(":", 1)[1] for room in rooms if room.startswith("restricted:")}
    return Connection(sid, str(person.pk), rooms, Access(person), restricted)


def resume_id(environ, auth):
    """The last event id a reconnecting client saw (auth payload, else query string), or None."""
    if isinstance(auth, dict) and auth.get(RESUME_KEY):
        return str(auth[RESUME_KEY])
    values = parse_qs(environ.get("QUERY_STRING", "")).get(RESUME_KEY)
    return values[0] if values else None


# --- delivery ------------------------------------------------------------------------------------


def payload_of(event_id, entry):
    return {**entry["data"], "event_id": event_id}


class Dispatcher:
    """Follows the live log in this process and sends each event to its rooms, in log order."""

    def __init__(self, live):
        self.live = live
        self.position = None  # the id of the last event sent to the rooms
        self.lock = asyncio.Lock()
        self.ready = asyncio.Event()
        self.task = None
        self.delivered = 0
        self.errors = 0

    def ensure_started(self):
        if self.task is None or self.task.done():
            self.ready = asyncio.Event()
            self.task = asyncio.get_running_loop().create_task(self.run())

    async def run(self):
        stream = get_stream()
        while self.position is None:
            try:
                self.position = await stream.tail_id()
            except Exception:  # noqa: BLE001  (Redis away: retry, connections wait)
                logger.exception("Live log unreachable")
                await asyncio.sleep(1)
        self.ready.set()
        while True:
            try:
                batch = await stream.follow(self.position)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001
                self.errors += 1
                logger.exception("Live log unreachable")
                await asyncio.sleep(1)
                continue
            if batch:
                async with self.lock:
                    for event_id, entry in batch:
                        try:
                            await self.deliver(event_id, entry)
                        except Exception:  # noqa: BLE001  (one event's failure stops no other)
                            self.errors += 1
                            logger.exception("Live event %s not delivered", event_id)
                        self.position = event_id

    async def deliver(self, event_id, entry):
        if entry["name"] == audience.TEAM_EVENT and entry.get("project"):
            await self.live.refresh_team(entry["project"], entry.get("team"))  # rooms first
        payload = payload_of(event_id, entry)
        await self.live.sio.emit(entry["name"], payload, to=audience.entry_rooms(entry), namespace=NAMESPACE)
        self.delivered += 1
        project_id = entry.get("project")
        if project_id is None:
            return
        room = audience.restricted_room(project_id)
        sids = [sid for sid, _ in self.live.sio.manager.get_participants(NAMESPACE, room)]
        for sid in sids:
            connection = self.live.connections.get(sid)
            if connection is not None and await self.live.may_read(connection, entry):
                await self.live.sio.emit(entry["name"], payload, to=sid, namespace=NAMESPACE)


class LiveServer:
    """The Socket.IO server, its connections and its dispatcher (one per process)."""

    def __init__(self):
        origins = settings.LIVE_ALLOWED_ORIGINS or None  # None: same origin only (and non-browsers)
        self.sio = socketio.AsyncServer(
            async_mode="asgi", cors_allowed_origins=origins, logger=False, engineio_logger=False
        )
        self.connections = {}
        self.joined = set()  # the connections in their rooms (a resuming one joins once caught up)
        self._dispatchers = {}  # event loop -> Dispatcher (one loop per process, but tests run several)
        self.sio.on("connect", self.on_connect, namespace=NAMESPACE)
        self.sio.on("disconnect", self.on_disconnect, namespace=NAMESPACE)
        # python-socketio clients (gazu) join the default namespace too: nothing is sent there, but
        # only to an authenticated client.
        self.sio.on("connect", self.on_default_connect, namespace="/")

    @property
    def dispatcher(self):
        loop = asyncio.get_running_loop()
        dispatcher = self._dispatchers.get(loop)
        if dispatcher is None:
            self._dispatchers = {
                key: value for key, value in self._dispatchers.items() if not key.is_closed()
            }
            dispatcher = self._dispatchers[loop] = Dispatcher(self)
        return dispatcher

    async def on_connect(self, sid, environ, auth=None):
        try:
            connection = await in_database_thread(open_connection)(environ, auth, sid)
        except AuthenticationFailed as error:
            raise socketio.exceptions.ConnectionRefusedError(_refusal(error)) from None
        self.connections[sid] = connection
        self.dispatcher.ensure_started()
        try:
            await asyncio.wait_for(self.dispatcher.ready.wait(), CATCH_UP_SECONDS)
        except TimeoutError:
            self.connections.pop(sid, None)
            raise socketio.exceptions.ConnectionRefusedError("The event stream is unavailable.") from None
        last = resume_id(environ, auth)
        if last is None:
            self.join(connection)
        else:
            self.sio.start_background_task(self.resume, connection, last)

    async def refresh_team(self, project_id, wanted=None):
        """Move this process's connections into (or out of) the rooms of `project_id` as its team
        is in `wanted` ({person id: room}, read now when not given)."""
        if wanted is None:
            wanted = await in_database_thread(audience.team_rooms)(project_id)
        project_rooms = {audience.project_room(project_id), audience.restricted_room(project_id)}
        for connection in list(self.connections.values()):
            if connection.is_admin:
                continue
            room = wanted.get(connection.person_id)
            current = [name for name in connection.rooms if name in project_rooms]
            if current == ([room] if room else []):
                continue
            for name in current:
                self.sio.manager.basic_leave_room(connection.sid, NAMESPACE, name)
            connection.rooms = [name for name in connection.rooms if name not in project_rooms]
            connection.restricted.discard(project_id)
            connection.access = Access(connection.access.person)  # its team roles read again
            if room:
                connection.rooms.append(room)
                if room.startswith("restricted:"):
                    connection.restricted.add(project_id)
                if self.sio.manager.is_connected(connection.sid, NAMESPACE) and connection.sid in self.joined:
                    self.sio.manager.basic_enter_room(connection.sid, NAMESPACE, room)

    async def on_default_connect(self, sid, environ, auth=None):
        try:
            await in_database_thread(authenticate)(environ, auth)
        except AuthenticationFailed as error:
            raise socketio.exceptions.ConnectionRefusedError(_refusal(error)) from None

    async def on_disconnect(self, sid, reason=None):
        self.connections.pop(sid, None)
        self.joined.discard(sid)

    def join(self, connection):
        self.joined.add(connection.sid)
        for room in connection.rooms:
            self.sio.manager.basic_enter_room(connection.sid, NAMESPACE, room)

    async def may_read(self, connection, entry):
        if set(audience.entry_rooms(entry)) & set(connection.rooms):
            return True
        if entry.get("project") in connection.restricted:
            try:
                return await in_database_thread(audience.restricted_may_read)(connection.access, entry)
            except Exception:  # noqa: BLE001  (a failed check sends nothing)
                logger.exception("Live event check failed")
        return False

    async def send_missed(self, connection, batch):
        for event_id, entry in batch:
            if connection.sid not in self.connections:
                return
            if await self.may_read(connection, entry):
                await self.sio.emit(
                    entry["name"], payload_of(event_id, entry), to=connection.sid, namespace=NAMESPACE
                )

    async def resume(self, connection, last):
        """Send what the connection missed since `last`, then join its rooms (see the module)."""
        await asyncio.sleep(0)  # after the CONNECT packet
        stream, dispatcher = get_stream(), self.dispatcher
        cursor = last
        if parse_id(last) is None or too_old(last) or stream.gone_after(last):
            return await self.reload(connection, "The events since this id are no longer kept.")
        if parse_id(last) > parse_id(await stream.tail_id()):
            return await self.reload(connection, "Unknown event id.")
        deadline = asyncio.get_running_loop().time() + CATCH_UP_SECONDS
        while parse_id(dispatcher.position) < parse_id(cursor):  # an id delivered by another process first
            if asyncio.get_running_loop().time() > deadline:
                return await self.reload(connection, "The event stream is late.")
            await asyncio.sleep(0.05)
        while True:  # most of the backlog, while live events go on
            position = dispatcher.position
            await self.send_missed(connection, await stream.read(cursor, position))
            cursor = position
            if dispatcher.position == position:
                break
        async with dispatcher.lock:  # the rest, and the rooms, with no event in between
            await self.send_missed(connection, await stream.read(cursor, dispatcher.position))
            if connection.sid in self.connections:
                self.join(connection)

    async def reload(self, connection, reason):
        async with self.dispatcher.lock:
            await self.sio.emit(
                RELOAD_EVENT,
                {"reason": reason, "event_id": self.dispatcher.position},
                to=connection.sid,
                namespace=NAMESPACE,
            )
            if connection.sid in self.connections:
                self.join(connection)

    def stats(self):
        """This process's connections and dispatchers (callable from any thread)."""
        dispatchers = [d for loop, d in list(self._dispatchers.items()) if not loop.is_closed()]
        return {
            "connections": len(self.connections),
            "dispatching": any(d.task is not None and not d.task.done() for d in dispatchers),
            "last_event_id": max((d.position for d in dispatchers if d.position), key=parse_id, default=None),
            "delivered": sum(d.delivered for d in dispatchers),
        }


live_server = LiveServer()
