"""
WSGI config for kitsu_server project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

application = get_wsgi_application()

from kitsu_server.api.serving import settle_garbage_collector  # noqa: E402  (needs Django set up)

settle_garbage_collector()
