"""Routes of the trash (an extension: not in the reference), one line each."""

from kitsu_server.core.trash import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path("/trash", views.TrashListView.as_view(), name="trash"),
    kitsu_path("/trash/{item_id}", views.TrashItemView.as_view(), name="trash-item"),
    kitsu_path("/trash/{item_id}/restore", views.TrashRestoreView.as_view(), name="trash-restore"),
    kitsu_path("/trash/{item_id}/purge", views.TrashPurgeView.as_view(), name="trash-purge"),
]
