"""Kitsu routes of the departments area, one line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from people.departments import views

urlpatterns = [
    kitsu_path(
        "/data/departments/hardware-items",
        views.DepartmentsHardwareItemsView.as_view(),
        name="departments-hardware-items",
    ),
    kitsu_path(
        "/data/departments/software-licenses",
        views.DepartmentsSoftwareView.as_view(),
        name="departments-software-licenses",
    ),
    kitsu_path(
        "/data/departments/{department_id}/hardware-items",
        views.DepartmentHardwareItemAddView.as_view(),
        name="department-hardware-items",
    ),
    kitsu_path(
        "/data/departments/{department_id}/hardware-items/{hardware_item_id}",
        views.DepartmentHardwareItemView.as_view(),
        name="department-hardware-item",
    ),
    kitsu_path(
        "/data/departments/{department_id}/persons",
        views.DepartmentPersonsView.as_view(),
        name="department-persons",
    ),
    kitsu_path(
        "/data/departments/{department_id}/software-licenses",
        views.DepartmentSoftwareAddView.as_view(),
        name="department-software-licenses",
    ),
    kitsu_path(
        "/data/departments/{department_id}/software-licenses/{software_id}",
        views.DepartmentSoftwareView.as_view(),
        name="department-software-license",
    ),
]
