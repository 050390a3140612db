"""Routes of the jobs (an extension: not in the reference), one line each."""

from kitsu_server.core import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path("/data/jobs", views.JobListView.as_view(), name="jobs"),
    kitsu_path("/data/jobs/{job_id}", views.JobView.as_view(), name="job"),
]
