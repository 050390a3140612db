"""Kitsu routes of the news feed.

Listed before the generic /data routes: "/data/projects/news" is not the project of id "news".

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.news import views

urlpatterns = [
    kitsu_path("/data/projects/news", views.OpenProjectsNewsView.as_view(), name="open-projects-news"),
    kitsu_path("/data/projects/{project_id}/news", views.ProjectNewsView.as_view(), name="project-news"),
    kitsu_path(
        "/data/projects/{project_id}/news/{news_id}",
        views.ProjectNewsEntryView.as_view(),
        name="project-news-entry",
    ),
]
