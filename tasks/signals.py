"""What the tasks area tells the apps above it, without importing them (they listen)."""

from django.dispatch import Signal

# An asset's `ready_for` task type changed (a status automation): the castings it is in are to be
# refreshed. Sent inside the write's transaction with `entity` and `user`.
asset_ready_for_changed = Signal()
