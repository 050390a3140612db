"""Routes of the doctor (an extension: not in the reference), one line each."""

from kitsu_server.core.doctor import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path("/doctor", views.DoctorView.as_view(), name="doctor"),
    kitsu_path("/doctor/run", views.DoctorRunView.as_view(), name="doctor-run"),
]
