"""ASGI entry point: HTTP goes to Django, websockets to Channels consumers.

The event stream (Kitsu's Socket.IO `/events` namespace) plugs into
`websocket_urlpatterns` when it is built.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402  (needs Django set up)

from kitsu_server.api.http import RequestBodies  # noqa: E402

websocket_urlpatterns = []

application = ProtocolTypeRouter(
    {
        "http": RequestBodies(django_asgi_app),  # body limits; chunked bodies handed on with their length
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
