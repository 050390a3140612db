"""Kitsu routes of this module's area, one line each (see kitsu_server.routing.kitsu_path)."""

urlpatterns = []
