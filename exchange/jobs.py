"""Background jobs of the exchange app, found by the Celery worker (kitsu_server.celery looks for
each app's `jobs` module): each import area declares its own, imported here."""

from exchange.kitsu import jobs as kitsu_jobs  # noqa: F401
from exchange.shotgrid import jobs as shotgrid_jobs  # noqa: F401
