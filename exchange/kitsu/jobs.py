"""The job of a Kitsu push (see kitsu_server.core.jobs), run in the request that pushes
(exchange.import_runs)."""

from exchange.kitsu import copying, services
from kitsu_server.core.jobs import job


@job("kitsu.import")
def import_kitsu_rows(report, route, entries, person_id, silent=False):
    """Import a push of rows of another Kitsu (projects, entities, tasks, comments...)."""
    return services.import_rows(report, route, entries, person_id, silent=silent)


@job("kitsu.copy")
def copy_kitsu_server(report, url, email, project_name=None):
    """Copy the productions of a live Kitsu server (`manage.py import_kitsu`), from where the
    last interrupted run of the same copy stopped."""
    return copying.copy_server(report, url, email, project_name)
