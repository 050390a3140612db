"""The served application with kitsu_server.api.serving's handler in place of Django's, to time
it before kitsu_server/asgi.py wires it:

    bench/side_by_side.py --app bench.asgi_kitsu_handler:application
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")
django.setup()

from kitsu_server.api.http import RequestBodies  # noqa: E402
from kitsu_server.api.serving import KitsuASGIHandler  # noqa: E402

application = RequestBodies(KitsuASGIHandler())
