"""The person admin: Django's user admin adapted to a person (login by email, role, the
password twice on creation, the hash read-only, no secret shown)."""

from django.urls import reverse

from people.models import Person
from tests.admin.pages import admin_url


def test_person_add_form_creates_a_person_whose_password_checks(staff_client, db):
    data = {
        "email": "new.artist@example.com",
        "first_name": "New",
        "last_name": "Artist",
        "role": "supervisor",
        "password1": "a-long-password",
        "password2": "a-long-password",
        "_save": "Save",
    }

    response = staff_client.post(admin_url(Person, "add"), data)

    assert response.status_code == 302
    person = Person.objects.get(email="new.artist@example.com")
    assert response.url == admin_url(Person, "change", person.pk)  # then edit the rest, as UserAdmin does
    assert person.check_password("a-long-password")
    assert person.password != "a-long-password"  # stored as a hash
    assert (person.first_name, person.last_name, person.role) == ("New", "Artist", "supervisor")
    assert person.is_active and person.is_staff and not person.is_superuser  # a supervisor


def test_person_add_form_asks_the_password_twice(staff_client, db):
    page = staff_client.get(admin_url(Person, "add")).content.decode()
    assert 'name="password1"' in page and 'name="password2"' in page and 'name="role"' in page

    mismatch = {
        "email": "x@example.com",
        "first_name": "X",
        "last_name": "Y",
        "role": "user",
        "password1": "a-long-password",
        "password2": "another-password",
    }
    response = staff_client.post(admin_url(Person, "add"), mismatch)

    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    assert not Person.objects.filter(email="x@example.com").exists()


def test_person_add_form_refuses_a_taken_email(staff_client, admin_person):
    data = {
        "email": "Boss@Example.com",
        "first_name": "Twin",
        "last_name": "Boss",
        "role": "user",
        "password1": "a-long-password",
        "password2": "a-long-password",
    }

    response = staff_client.post(admin_url(Person, "add"), data)

    assert response.status_code == 200
    assert "A person with this email already exists." in response.content.decode()
    assert Person.objects.filter(email__iexact="boss@example.com").count() == 1


def test_person_change_page_shows_the_hash_read_only_and_hides_secrets(staff_client, production):
    artist = production["artist"]
    artist.totp_secret = "TOTPSECRETVALUE1"
    artist.email_otp_secret = "EMAILOTPSECRET99"
    artist.jti = "jti-token-value"
    artist.otp_recovery_codes = ["recovery-code-1"]
    artist.save()

    page = staff_client.get(admin_url(Person, "change", artist.pk)).content.decode()

    assert 'name="password"' not in page  # no input: the hash is not editable
    algorithm = artist.password.split("$")[0]
    assert f"<strong>algorithm</strong>: <bdi>{algorithm}</bdi>" in page and 'href="../password/"' in page
    for secret in ("TOTPSECRETVALUE1", "EMAILOTPSECRET99", "jti-token-value", "recovery-code-1"):
        assert secret not in page
    for field in ("totp_secret", "email_otp_secret", "otp_recovery_codes", "fido_credentials", "jti"):
        assert f'name="{field}"' not in page


def test_password_change_page_sets_a_new_password(staff_client, production):
    artist = production["artist"]
    url = reverse("admin:people_person_password_change", args=[artist.pk])
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(
        url, {"password1": "brand-new-password", "password2": "brand-new-password", "usable_password": "true"}
    )

    assert response.status_code == 302
    artist.refresh_from_db()
    assert artist.check_password("brand-new-password")


def test_person_changelist_filters_by_role(staff_client, production):
    response = staff_client.get(admin_url(Person, "changelist"), {"role__exact": "user"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada" in page and "boss@example.com" not in page
