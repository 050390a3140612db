"""Kitsu routes served by the `people` app, one line each (see kitsu_server.routing.kitsu_path)."""

urlpatterns = []
