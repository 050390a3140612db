"""/data rules of salary scales."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from budgets.models import SalaryScale
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(person):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(person).access_token}")
    return client


def test_salary_scales_cannot_be_created():
    admin = factories.make_person(role="admin")
    count = SalaryScale.objects.count()
    response = client_for(admin).post(
        "/api/data/salary-scales", {"department_id": str(factories.make_department().pk)}, format="json"
    )
    assert response.status_code == 400
    assert "Salary scales cannot be created" in response.content.decode()
    assert SalaryScale.objects.count() == count
