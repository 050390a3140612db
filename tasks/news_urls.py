"""Kitsu routes of the `news` and `events` areas, one line each (see kitsu_server.routing.kitsu_path).

Listed before the generic /data routes: "/data/projects/news" is not the project of id "news",
nor "/data/events/last" the event of id "last".
"""

from kitsu_server.routing import kitsu_path
from tasks import news_views as views

urlpatterns = [
    # --- news ---
    kitsu_path("/data/projects/news", views.OpenProjectsNewsView.as_view(), name="open-projects-news"),
    kitsu_path("/data/projects/{project_id}/news", views.ProjectNewsView.as_view(), name="project-news"),
    kitsu_path(
        "/data/projects/{project_id}/news/{news_id}",
        views.ProjectNewsEntryView.as_view(),
        name="project-news-entry",
    ),
    # --- events ---
    kitsu_path("/data/events/last", views.EventsLastView.as_view(), name="events-last"),
    kitsu_path("/data/events/login-logs/last", views.LoginLogsLastView.as_view(), name="login-logs-last"),
    kitsu_path("/data/events/names", views.EventNamesView.as_view(), name="event-names"),
]
