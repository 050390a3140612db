"""Kitsu routes of Kitsu-to-Kitsu imports (/import/kitsu/...), one line each."""

from exchange.kitsu.views import KitsuImportView
from kitsu_server.routing import kitsu_path


def imports(route):
    return kitsu_path(
        f"/import/kitsu/{route}", KitsuImportView.as_view(route=route), name=f"import-kitsu-{route}"
    )


urlpatterns = [
    imports("attachment-files"),
    imports("build-jobs"),
    imports("comments"),
    imports("entities"),
    imports("entity-links"),
    imports("metadata-descriptors"),
    imports("milestones"),
    imports("news"),
    imports("notifications"),
    imports("playlists"),
    imports("preview-files"),
    imports("projects"),
    imports("schedule-items"),
    imports("subscriptions"),
    imports("tasks"),
    imports("time-spents"),
]
