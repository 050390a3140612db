"""How tasks answer the signals of the areas below them (connected in TasksConfig.ready)."""

from django.dispatch import receiver

from files.signals import preview_ready
from tasks.previews.services import show_ready_preview


@receiver(preview_ready)
def show_preview_when_ready(sender, preview, **kwargs):
    show_ready_preview(preview)
