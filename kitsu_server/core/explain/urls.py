"""The permission explainer's route (an extension: not in the reference)."""

from kitsu_server.core.explain import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path("/permissions/explain", views.PermissionExplainView.as_view(), name="permissions-explain"),
]
