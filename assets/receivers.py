"""How assets answer the signals of the areas below them (connected in AssetsConfig.ready)."""

from django.dispatch import receiver

from assets.breakdown.services import refresh_casting_stats
from assets.services import casting_shot_ids
from kitsu_server.core.events import EventLog
from tasks.signals import asset_ready_for_changed


@receiver(asset_ready_for_changed)
def refresh_castings_of_asset(sender, entity, user, **kwargs):
    """The shots casting the asset count it ready (or not) for their next task type."""
    log = EventLog(user)
    refresh_casting_stats(casting_shot_ids(entity.pk), log)
    log.record()
