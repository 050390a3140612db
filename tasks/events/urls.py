"""Kitsu routes of the API event log.

Listed before the generic /data routes: "/data/events/last" is not the event of id "last".

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.events import views

urlpatterns = [
    kitsu_path("/data/events/last", views.EventsLastView.as_view(), name="events-last"),
    kitsu_path("/data/events/login-logs/last", views.LoginLogsLastView.as_view(), name="login-logs-last"),
    kitsu_path("/data/events/names", views.EventNamesView.as_view(), name="event-names"),
]
