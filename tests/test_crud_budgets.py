"""/data rules of salary scales."""

import pytest

from budgets.models import SalaryScale
from people.models import POSITION_TYPES, SENIORITY_TYPES
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def test_salary_scales_cannot_be_created():
    admin = factories.make_person(role="admin")
    count = SalaryScale.objects.count()
    response = client_for(admin).post(
        "/api/data/salary-scales", {"department_id": str(factories.make_department().pk)}, format="json"
    )
    assert response.status_code == 400
    assert "Salary scales cannot be created" in response.content.decode()
    assert SalaryScale.objects.count() == count


def test_the_salary_scale_list_fills_the_grid_for_admins(django_assert_max_num_queries):
    admin = factories.make_person(role="admin")
    departments = [factories.make_department(), factories.make_department()]
    cells = len(POSITION_TYPES) * len(SENIORITY_TYPES)
    rows = client_for(admin).get("/api/data/salary-scales").json()
    assert len(rows) == 2 * cells
    assert {row["department_id"] for row in rows} == {str(d.pk) for d in departments}
    with django_assert_max_num_queries(6):
        assert len(client_for(admin).get("/api/data/salary-scales").json()) == 2 * cells
    assert SalaryScale.objects.count() == 2 * cells


def test_salary_scales_are_for_admins_and_stay_in_their_department():
    admin, manager = factories.make_person(role="admin"), factories.make_person(role="manager")
    department, other = factories.make_department(), factories.make_department()
    scale = SalaryScale.objects.create(department=department, position="artist", seniority="junior")
    url = f"/api/data/salary-scales/{scale.pk}"
    assert client_for(manager).get("/api/data/salary-scales").status_code == 403
    assert client_for(manager).put(url, {"salary": 300}, format="json").status_code == 403
    assert not SalaryScale.objects.exclude(pk=scale.pk).exists()  # a refused list fills nothing
    response = client_for(admin).put(url, {"salary": 300, "department_id": str(other.pk)}, format="json")
    assert response.status_code == 200
    assert response.json()["salary"] == 300 and response.json()["department_id"] == str(department.pk)
    assert client_for(admin).put(url, {"salary": "high"}, format="json").status_code == 400
