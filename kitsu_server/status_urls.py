"""Kitsu routes of the index, admin and search areas (the search spans every app), one line each
(see kitsu_server.routing.kitsu_path).

The API root `/` itself is served from kitsu_server.urls.
"""

from kitsu_server import status_views as views
from kitsu_server.routing import kitsu_path
from kitsu_server.search import SearchView

urlpatterns = [
    kitsu_path("/status", views.StatusView.as_view(), name="status"),
    kitsu_path("/status/influx", views.InfluxStatusView.as_view(), name="status-influx"),
    kitsu_path("/status/resources", views.ResourcesStatusView.as_view(), name="status-resources"),
    kitsu_path("/status.txt", views.TextStatusView.as_view(), name="status-txt"),
    kitsu_path("/status/test-event", views.TestEventView.as_view(), name="status-test-event"),
    kitsu_path("/stats", views.StatsView.as_view(), name="stats"),
    kitsu_path("/config", views.ConfigView.as_view(), name="config"),
    kitsu_path("/admin/config/check", views.ConfigCheckView.as_view(), name="admin-config-check"),
    kitsu_path("/data/search", SearchView.as_view(), name="search"),
]
