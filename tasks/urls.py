"""Kitsu routes served by the `tasks` app, one line each (see kitsu_server.routing.kitsu_path)."""

urlpatterns = []
