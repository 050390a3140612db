"""SAML sign-in (`/auth/saml/login`, `/auth/saml/sso`) against a local identity provider built on
signxml (tests/sso/saml_idp.py): the round trip end to end, persons found by email (or bound by a
subject attribute) or created with the default role, and the refusals: not enabled, unsigned,
tampered, foreign-signed, wrapped, expired, replayed, unsolicited, for another audience or
recipient, and deactivated persons."""

import copy
import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from people.models import AuthToken, LoginLog, Person
from tests import factories
from tests.sso.saml_idp import SAML, SAMLProvider, encode, key_and_certificate, response_xml

pytestmark = pytest.mark.django_db

ACS = "http://testserver/api/auth/saml/sso"
SP = "http://testserver/api/auth/saml/login"


@pytest.fixture
def idp(settings):
    cache.clear()
    with SAMLProvider() as idp:
        settings.SAML_ENABLED = True
        settings.SAML_IDP_NAME = "Studio IdP"
        settings.SAML_METADATA_URL = f"{idp.url}/metadata"
        settings.SSO_DEFAULT_ROLE = "user"
        yield idp


def start(client, idp):
    response = client.get("/api/auth/saml/login")
    assert response.status_code == 302, response.content
    request, query = idp.read_request(response["Location"])
    assert response["Location"].startswith(f"{idp.url}/sso?")
    return request


def post(client, saml_response):
    return client.post("/api/auth/saml/sso", {"SAMLResponse": saml_response, "RelayState": ""})


def refused(response, message):
    assert response.status_code == 400, response.content
    assert response.json() == {"error": True, "login": False, "message": message}
    assert not LoginLog.objects.exists()


def test_sign_in_end_to_end_creates_the_person(idp):
    client = APIClient()
    request = start(client, idp)
    assert request.get("AssertionConsumerServiceURL") == ACS
    assert request.findtext(f"{{{SAML}}}Issuer") == SP and request.get("ID")
    response = post(client, idp.response(request))
    assert response.status_code == 302 and response["Location"] == "http://testserver/"
    person = Person.objects.get(email="saml.person@studio.test")
    assert (person.first_name, person.last_name, person.role) == ("Saml", "Person", "user")
    assert person.saml_subject is None  # without SAML_SUBJECT_ATTRIBUTE, found by email only
    assert LoginLog.objects.get(person=person).origin == "web"
    me = client.get("/api/auth/authenticated")
    assert me.status_code == 200 and me.json()["user"]["email"] == "saml.person@studio.test"


def test_an_existing_person_signs_in_and_a_subject_attribute_binds_them(idp, settings):
    person = factories.make_person(email="Saml.Person@studio.test", first_name="Old")
    client = APIClient()
    assert post(client, idp.response(start(client, idp))).status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Saml" and Person.objects.count() == 1
    settings.SAML_SUBJECT_ATTRIBUTE = "uid"
    attributes = {"uid": ["u-42"], "first_name": ["Saml"]}
    client = APIClient()
    assert post(client, idp.response(start(client, idp), attributes=attributes)).status_code == 302
    person.refresh_from_db()
    assert (person.saml_issuer, person.saml_subject) == (idp.entity_id, "u-42")
    client = APIClient()  # the email changes at the provider: the subject still finds the person
    response = post(client, idp.response(start(client, idp), email="new@studio.test", attributes=attributes))
    assert response.status_code == 302 and Person.objects.count() == 1
    LoginLog.objects.all().delete()
    client = APIClient()
    refused(post(client, idp.response(start(client, idp))), "SAML assertion without its uid attribute.")


def test_a_replayed_response_is_refused(idp):
    client = APIClient()
    saml_response = idp.response(start(client, idp))
    assert post(client, saml_response).status_code == 302
    LoginLog.objects.all().delete()
    refused(post(client, saml_response), "SAML response for no pending sign-in (unknown, or used already).")


def test_an_assertion_is_taken_once_even_unsolicited(idp, settings):
    settings.SAML_ALLOW_UNSOLICITED = True
    client = APIClient()
    saml_response = idp.response(start(client, idp), in_response_to=False)
    assert post(client, saml_response).status_code == 302  # IdP-initiated, allowed by the setting
    LoginLog.objects.all().delete()
    refused(post(client, saml_response), "This response was used already (replayed).")


def test_unsolicited_responses_are_refused_by_default(idp):
    client = APIClient()
    refused(
        post(client, idp.response(start(client, idp), in_response_to=False)),
        "SAML response to no request of ours (unsolicited).",
    )


def test_tampered_unsigned_and_foreign_signed_responses_are_refused(idp):
    client = APIClient()
    request = start(client, idp)
    root = response_xml(idp.response(request))
    root.find(f".//{{{SAML}}}NameID").text = "admin@studio.test"  # changed after signing
    wrong = "SAML response refused: its signature is wrong or missing."
    refused(post(client, encode(root)), wrong)
    refused(post(client, idp.response(request, signed=False)), wrong)
    refused(post(client, idp.response(request, signed=None)), wrong)  # an empty signature element
    other_key, other_certificate = key_and_certificate("Mallory")
    refused(post(client, idp.response(request, key=other_key, certificate=other_certificate)), wrong)
    assert not Person.objects.exists()


def test_a_wrapped_assertion_is_refused(idp):
    """Signature wrapping: an unsigned assertion of the attacker's beside the signed one."""
    client = APIClient()
    root = response_xml(idp.response(start(client, idp)))
    signed = root.find(f"{{{SAML}}}Assertion")
    evil = copy.deepcopy(signed)
    evil.set("ID", "_evil")
    evil.find(f".//{{{SAML}}}NameID").text = "admin@studio.test"
    root.insert(list(root).index(signed), evil)
    refused(
        post(client, encode(root)), "SAML response refused: exactly one (unencrypted) assertion is expected."
    )


@pytest.mark.parametrize(
    "options, message",
    [
        ({"lifetime": datetime.timedelta(minutes=-10)}, "SAML assertion expired."),
        ({"audience": "https://another.sp/"}, "SAML assertion for another audience."),
        (
            {"recipient": "https://another.sp/acs"},
            "SAML assertion for another recipient or request, or expired.",
        ),
        ({"issuer": "https://another.idp/"}, "SAML assertion of another issuer."),
        (
            {"status": "urn:oasis:names:tc:SAML:2.0:status:Requester"},
            "The identity provider refused the sign-in: Requester.",
        ),
    ],
)
def test_expired_and_misdirected_assertions_are_refused(idp, options, message):
    client = APIClient()
    refused(post(client, idp.response(start(client, idp), **options)), message)


def test_a_response_for_another_browser_or_expired_request_is_refused(idp):
    started = APIClient()
    saml_response = idp.response(start(started, idp))
    other = APIClient()
    other.cookies["kitsu_sso"] = "another-browser"
    refused(post(other, saml_response), "SAML response to a sign-in started by another browser.")
    started2 = APIClient()
    saml_response = idp.response(start(started2, idp))
    AuthToken.objects.filter(kind="sso-state").update(
        expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    refused(post(started2, saml_response), "SAML sign-in expired: start again.")


def test_garbage_is_a_clear_refusal(idp):
    client = APIClient()
    start(client, idp)
    refused(post(client, "not base64 xml"), "SAML response unreadable.")
    refused(
        post(client, encode(response_xml(idp.response(start(client, idp))).find(f"{{{SAML}}}Assertion"))),
        "SAML response unreadable.",
    )
    response = client.post("/api/auth/saml/sso", {})
    assert response.status_code == 400 and response.json()["error"] is True


def test_a_deactivated_person_cannot_sign_in(idp):
    factories.make_person(email="saml.person@studio.test", active=False)
    client = APIClient()
    response = post(client, idp.response(start(client, idp)))
    assert response.status_code == 401 and response.json()["unactive"] is True
    assert "access_token_cookie" not in response.cookies and not LoginLog.objects.exists()


def test_off_unless_configured_and_told_in_the_config(settings):
    response = APIClient().get("/api/auth/saml/login")
    assert response.status_code == 400
    assert response.json() == {"error": True, "login": False, "message": "SAML is not enabled."}
    assert APIClient().post("/api/auth/saml/sso", {"SAMLResponse": "x"}).status_code == 400
    assert APIClient().get("/api/config").json()["saml_enabled"] is False
    settings.SAML_ENABLED, settings.SAML_IDP_NAME = True, "Studio IdP"
    config = APIClient().get("/api/config").json()
    assert config["saml_enabled"] is True and config["saml_idp_name"] == "Studio IdP"


def test_unreadable_metadata_is_a_clear_error(idp, settings):
    settings.SAML_METADATA_URL = f"{idp.url}/nothing"
    response = APIClient().get("/api/auth/saml/login")
    assert response.status_code == 400
    assert response.json()["message"] == "The identity provider's metadata could not be read."


def test_long_attributes_are_cut_to_the_columns(idp):
    client = APIClient()
    attributes = {"first_name": ["F" * 300], "phone": ["0" * 50]}
    assert post(client, idp.response(start(client, idp), attributes=attributes)).status_code == 302
    person = Person.objects.get()
    assert (
        person.phone == "0" * 30 and len(person.first_name) == Person._meta.get_field("first_name").max_length
    )
