"""Kitsu routes of ShotGrid push imports (/import/shotgun/...), one line each."""

from exchange.shotgrid import views
from kitsu_server.routing import kitsu_path


def imports(kind, route=None):
    route = route or kind
    return kitsu_path(
        f"/import/shotgun/{route}", views.ShotgunImportView.as_view(kind=kind), name=f"import-shotgun-{route}"
    )


def removal(kind, route=None):
    route = route or kind
    return kitsu_path(
        f"/import/shotgun/remove/{route}",
        views.ShotgunRemoveView.as_view(kind=kind),
        name=f"import-shotgun-remove-{route}",
    )


urlpatterns = [
    imports("assets"),
    imports("episodes"),
    kitsu_path(
        "/import/shotgun/errors", views.ShotgunImportErrorsView.as_view(), name="import-shotgun-errors"
    ),
    kitsu_path(
        "/import/shotgun/errors/{error_id}",
        views.ShotgunImportErrorView.as_view(),
        name="import-shotgun-error",
    ),
    imports("notes"),
    imports("persons"),
    imports("project-connections"),
    imports("project-connections", route="projectconnections"),  # the reference's old spelling
    imports("projects"),
    removal("asset"),
    removal("episode"),
    removal("note"),
    removal("person"),
    removal("project"),
    removal("project-connection"),
    removal("project-connection", route="projectconnection"),  # the reference's old spelling
    removal("scene"),
    removal("sequence"),
    removal("shot"),
    removal("status"),
    removal("step"),
    removal("task"),
    removal("version"),
    imports("scenes"),
    imports("sequences"),
    imports("shots"),
    imports("status"),
    imports("steps"),
    imports("tasks"),
    imports("versions"),
]
