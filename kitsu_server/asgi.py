"""ASGI entry point: `/socket.io` goes to the live event stream (Kitsu's Socket.IO `/events`
namespace, kitsu_server.live.server), the rest to Channels: HTTP to Django, websockets to the
Channels consumers of `websocket_urlpatterns`.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")
django.setup(set_prefix=False)

from kitsu_server.api.serving import KitsuASGIHandler, settle_garbage_collector  # noqa: E402

# Django's handler, with the middleware stack and the view run as one call in a reused thread.
django_asgi_app = KitsuASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402  (needs Django set up)
from socketio import ASGIApp  # noqa: E402

from kitsu_server.api.http import RequestBodies  # noqa: E402
from kitsu_server.live.server import live_server  # noqa: E402

websocket_urlpatterns = []

channels_application = ProtocolTypeRouter(
    {
        "http": RequestBodies(django_asgi_app),  # body limits; chunked bodies handed on with their length
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
application = ASGIApp(live_server.sio, other_asgi_app=channels_application, socketio_path="socket.io")

settle_garbage_collector()  # the loaded code frozen out of the collector's walks
