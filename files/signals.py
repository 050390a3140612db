"""What the files area tells the apps above it, without importing them (they listen)."""

from django.dispatch import Signal

# A preview's variants are all stored and it turned "ready" (a picture's thumbnails or a movie's
# normalised versions built). Sent inside the transaction that marks it ready, with `preview`.
preview_ready = Signal()
