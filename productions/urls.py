"""Kitsu routes served by the `productions` app, one line each (see kitsu_server.routing.kitsu_path)."""

urlpatterns = []
