"""Kitsu routes of the requester's saved search filters and filter groups (`user` area), one line
each (see kitsu_server.routing.kitsu_path). A viewset serves both routes of each family: the verbs
of each path and the action they call."""

from kitsu_server.routing import kitsu_path
from people.filters import views

FILTERS = {"get": "list", "post": "create"}
FILTER = {"put": "update", "delete": "destroy"}
GROUPS = {"get": "list", "post": "create"}
GROUP = {"get": "retrieve", "put": "update", "delete": "destroy"}

urlpatterns = [
    kitsu_path("/data/user/filters", views.UserFilterViewSet.as_view(FILTERS), name="user-filters"),
    kitsu_path("/data/user/filters/{filter_id}", views.UserFilterViewSet.as_view(FILTER), name="user-filter"),
    kitsu_path(
        "/data/user/filter-groups", views.UserFilterGroupViewSet.as_view(GROUPS), name="user-filter-groups"
    ),
    kitsu_path(
        "/data/user/filter-groups/{filter_group_id}",
        views.UserFilterGroupViewSet.as_view(GROUP),
        name="user-filter-group",
    ),
]
