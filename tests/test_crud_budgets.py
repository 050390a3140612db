"""/data rules of salary scales."""

import pytest

from budgets.models import SalaryScale
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
