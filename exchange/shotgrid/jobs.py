"""The job of a ShotGrid push (see kitsu_server.core.jobs): run in the request that pushes, so
that the sync daemon gets its rows back (exchange.import_runs)."""

from exchange.shotgrid import services
from kitsu_server.core.jobs import job


@job("shotgrid.import")
def import_shotgrid_records(report, kind, entries, person_id):
    """Import a push of ShotGrid records of one kind (projects, shots, tasks...)."""
    return services.import_records(report, kind, entries, person_id)
