"""The departments routes: their members, and the software licenses and hardware items admins
give them."""

import pytest

from people.models import (
    DepartmentLink,
    HardwareItem,
    HardwareItemDepartmentLink,
    Software,
    SoftwareDepartmentLink,
)
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def admin():
    return factories.make_person(role="admin")


@pytest.fixture
def artist():
    return factories.make_person(role="user")


@pytest.fixture
def modeling():
    return factories.make_department("Modeling")


@pytest.fixture
def blender():
    return Software.objects.create(name="Blender", short_name="bl", file_extension=".blend")


@pytest.fixture
def workstation():
    return HardwareItem.objects.create(name="Workstation", short_name="ws")


# --- members -----------------------------------------------------------------------------------------


def test_department_members_whole_for_admins_minimal_for_others(admin, artist, modeling):
    zoe = factories.make_person(first_name="Zoe", last_name="Zed")
    ann = factories.make_person(first_name="Ann", last_name="Able")
    factories.make_person(first_name="Not", last_name="Member")
    for person in (zoe, ann):
        DepartmentLink.objects.create(person=person, department=modeling)
    rows = client_for(admin).get(f"/api/data/departments/{modeling.pk}/persons").json()
    assert [row["full_name"] for row in rows] == ["Ann Able", "Zoe Zed"]
    assert rows[0]["email"] == ann.email and rows[0]["departments"] == [str(modeling.pk)]
    assert rows[0]["type"] == "Person" and "password" not in rows[0]
    minimal = client_for(artist).get(f"/api/data/departments/{modeling.pk}/persons").json()
    assert minimal[0] == {
        "id": str(ann.pk),
        "type": "Person",
        "first_name": "Ann",
        "last_name": "Able",
        "full_name": "Ann Able",
        "has_avatar": False,
        "active": True,
        "departments": [str(modeling.pk)],
        "studio_id": None,
        "role": "user",
        "desktop_login": None,
        "is_bot": False,
    }


def test_department_members_missing_or_malformed(artist):
    assert client_for(artist).get(f"/api/data/departments/{MISSING}/persons").status_code == 404
    assert client_for(artist).get("/api/data/departments/nope/persons").status_code == 400


def test_department_members_bounded_queries(admin, artist, modeling, django_assert_max_num_queries):
    for _ in range(25):
        DepartmentLink.objects.create(person=factories.make_person(), department=modeling)
    with django_assert_max_num_queries(6):
        assert len(client_for(admin).get(f"/api/data/departments/{modeling.pk}/persons").json()) == 25
    with django_assert_max_num_queries(6):
        assert len(client_for(artist).get(f"/api/data/departments/{modeling.pk}/persons").json()) == 25


# --- software licenses ---------------------------------------------------------------------------------


def test_software_licenses_round_trip(admin, modeling, blender):
    api = client_for(admin)
    url = f"/api/data/departments/{modeling.pk}/software-licenses"
    response = api.post(url, {"software_id": str(blender.pk)}, format="json")
    assert response.status_code == 201
    link = response.json()
    assert link["type"] == "SoftwareDepartmentLink"
    assert (link["department_id"], link["software_id"]) == (str(modeling.pk), str(blender.pk))
    # Given twice, the same link.
    assert api.post(url, {"software_id": str(blender.pk)}, format="json").json()["id"] == link["id"]
    assert SoftwareDepartmentLink.objects.count() == 1
    grouped = api.get("/api/data/departments/software-licenses").json()
    assert list(grouped) == [str(modeling.pk)]
    assert (
        grouped[str(modeling.pk)][0]["name"] == "Blender"
        and grouped[str(modeling.pk)][0]["type"] == "Software"
    )
    one = api.get(f"{url}/{blender.pk}").json()
    assert one["id"] == str(blender.pk) and one["file_extension"] == ".blend"
    assert api.delete(f"{url}/{blender.pk}").status_code == 204
    assert api.delete(f"{url}/{blender.pk}").status_code == 204  # already gone: still fine
    assert not SoftwareDepartmentLink.objects.exists()
    assert api.get("/api/data/departments/software-licenses").json() == {}
    assert api.get(f"{url}/{blender.pk}").status_code == 404


def test_software_licenses_bad_input_writes_nothing(admin, modeling, blender):
    api = client_for(admin)
    url = f"/api/data/departments/{modeling.pk}/software-licenses"
    assert api.post(url, {}, format="json").status_code == 400
    assert api.post(url, {"software_id": "abc"}, format="json").status_code == 400
    assert api.post(url, {"software_id": MISSING}, format="json").status_code == 404
    missing = f"/api/data/departments/{MISSING}/software-licenses"
    assert api.post(missing, {"software_id": str(blender.pk)}, format="json").status_code == 404
    assert (
        api.post("/api/data/departments/xyz/software-licenses", {"software_id": str(blender.pk)}).status_code
        == 400
    )
    assert api.get(f"{missing}/{blender.pk}").status_code == 404
    assert api.delete(f"{url}/{MISSING}").status_code == 404
    assert not SoftwareDepartmentLink.objects.exists()


def test_software_licenses_are_for_admins(artist, modeling, blender):
    api = client_for(artist)
    url = f"/api/data/departments/{modeling.pk}/software-licenses"
    assert api.get("/api/data/departments/software-licenses").status_code == 403
    assert api.post(url, {"software_id": str(blender.pk)}, format="json").status_code == 403
    SoftwareDepartmentLink.objects.create(department=modeling, software=blender)
    assert api.get(f"{url}/{blender.pk}").status_code == 403
    assert api.delete(f"{url}/{blender.pk}").status_code == 403
    assert SoftwareDepartmentLink.objects.count() == 1


def test_software_by_department_bounded_queries(admin, django_assert_max_num_queries):
    for n in range(10):
        department = factories.make_department()
        software = Software.objects.create(name=f"Soft {n}", short_name=f"s{n}", file_extension=".x")
        SoftwareDepartmentLink.objects.create(department=department, software=software)
    with django_assert_max_num_queries(5):
        assert len(client_for(admin).get("/api/data/departments/software-licenses").json()) == 10


# --- hardware items --------------------------------------------------------------------------------------


def test_hardware_items_round_trip(admin, modeling, workstation):
    api = client_for(admin)
    url = f"/api/data/departments/{modeling.pk}/hardware-items"
    response = api.post(url, {"hardware_item_id": str(workstation.pk)}, format="json")
    assert response.status_code == 201
    link = response.json()
    assert link["type"] == "HardwareItemDepartmentLink" and link["hardware_item_id"] == str(workstation.pk)
    grouped = api.get("/api/data/departments/hardware-items").json()
    assert [item["name"] for item in grouped[str(modeling.pk)]] == ["Workstation"]
    assert grouped[str(modeling.pk)][0]["type"] == "HardwareItem"
    assert api.get(f"{url}/{workstation.pk}").json()["short_name"] == "ws"
    assert api.delete(f"{url}/{workstation.pk}").status_code == 204
    assert not HardwareItemDepartmentLink.objects.exists()
    assert api.get(f"{url}/{workstation.pk}").status_code == 404


def test_hardware_items_refusals_and_bad_input(admin, artist, modeling, workstation):
    url = f"/api/data/departments/{modeling.pk}/hardware-items"
    assert (
        client_for(artist).post(url, {"hardware_item_id": str(workstation.pk)}, format="json").status_code
        == 403
    )
    assert client_for(artist).get("/api/data/departments/hardware-items").status_code == 403
    api = client_for(admin)
    assert api.post(url, {"hardware_item_id": "nope"}, format="json").status_code == 400
    assert api.post(url, {"hardware_item_id": MISSING}, format="json").status_code == 404
    missing = f"/api/data/departments/{MISSING}/hardware-items"
    assert api.post(missing, {"hardware_item_id": str(workstation.pk)}, format="json").status_code == 404
    assert api.delete(f"{url}/{MISSING}").status_code == 404
    assert not HardwareItemDepartmentLink.objects.exists()
