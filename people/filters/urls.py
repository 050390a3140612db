"""Kitsu routes of the requester's saved search filters and filter groups (`user` area), one line
each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from people.filters import views

urlpatterns = [
    kitsu_path("/data/user/filters", views.UserFiltersView.as_view(), name="user-filters"),
    kitsu_path("/data/user/filters/{filter_id}", views.UserFilterView.as_view(), name="user-filter"),
    kitsu_path("/data/user/filter-groups", views.UserFilterGroupsView.as_view(), name="user-filter-groups"),
    kitsu_path(
        "/data/user/filter-groups/{filter_group_id}",
        views.UserFilterGroupView.as_view(),
        name="user-filter-group",
    ),
]
