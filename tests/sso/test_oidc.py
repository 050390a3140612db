"""OpenID Connect sign-in (`/auth/oidc/login`, `/auth/oidc/callback`) against a local provider the
tests start (tests/sso/oidc_provider.py): the code flow end to end (PKCE, state, nonce), persons
matched by identity then by email or created with the default role, and every refusal: not
enabled, tampered, expired or replayed answers, another browser, unverified emails, inactive or
protected persons."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache
from rest_framework.test import APIClient

from people.models import AuthToken, LoginLog, Person
from tests import factories
from tests.sso.oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    cache.clear()
    with OIDCProvider() as provider:
        settings.OIDC_ENABLED = True
        settings.OIDC_IDP_NAME = "Studio SSO"
        settings.OIDC_DISCOVERY_URL = f"{provider.url}/.well-known/openid-configuration"
        settings.OIDC_CLIENT_ID = CLIENT_ID
        settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.SSO_DEFAULT_ROLE = "supervisor"
        yield provider


def start(client):
    response = client.get("/api/auth/oidc/login")
    assert response.status_code == 302, response.content
    return response["Location"]


def through_provider(authorize_url):
    """What the browser does at the provider: the sign-in page answers with the callback URL."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    return callback.path, {k: v[0] for k, v in parse_qs(callback.query).items()}


def sign_in(client):
    path, query = through_provider(start(client))
    return client.get(path, query), (path, query)


def test_sign_in_creates_the_person_with_the_default_role(provider):
    client = APIClient()
    authorize_url = start(client)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(f"{provider.url}/authorize?")
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == ["http://testserver/api/auth/oidc/callback"]
    assert query["state"][0] and query["nonce"][0] and query["state"] != query["nonce"]
    path, params = through_provider(authorize_url)
    response = client.get(path, params)
    assert response.status_code == 302 and response["Location"] == "http://testserver/"
    person = Person.objects.get(email="sso.person@studio.test")
    assert (person.role, person.first_name, person.last_name) == ("supervisor", "Sso", "Person")
    assert (person.oidc_issuer, person.oidc_subject) == (provider.url, "user-1")
    assert not person.has_usable_password()
    assert provider.token_requests[0]["code_verifier"]  # PKCE: the verifier went with the code
    assert LoginLog.objects.get(person=person).origin == "web"
    # The web UI is signed in: its cookies authenticate.
    assert response.cookies["access_token_cookie"]["httponly"]
    me = client.get("/api/auth/authenticated")
    assert me.status_code == 200 and me.json()["user"]["email"] == "sso.person@studio.test"
    assert not AuthToken.objects.filter(kind="sso-state").exists()  # the state is used up


def test_an_existing_person_is_found_by_email_then_by_identity(provider, settings):
    settings.DOMAIN_NAME, settings.DOMAIN_PROTOCOL = "kitsu.studio.test", "https"
    person = factories.make_person(role="user", email="SSO.Person@studio.test", first_name="Old")
    response, _ = sign_in(APIClient())
    assert response.status_code == 302 and response["Location"] == "https://kitsu.studio.test/"
    person.refresh_from_db()
    assert (person.oidc_subject, person.first_name, person.role) == ("user-1", "Sso", "user")
    assert Person.objects.count() == 1
    provider.user["email"] = "renamed@studio.test"  # the provider's email changes: the identity holds
    response, _ = sign_in(APIClient())
    assert response.status_code == 302 and LoginLog.objects.filter(person=person).count() == 2
    assert Person.objects.count() == 1


def test_a_replayed_or_tampered_callback_is_refused(provider):
    client = APIClient()
    response, (path, query) = sign_in(client)
    assert response.status_code == 302
    replay = client.get(path, query)
    assert replay.status_code == 400
    assert replay.json() == {
        "error": True,
        "login": False,
        "message": "OIDC response for no pending sign-in (unknown, or used already).",
    }
    path, query = through_provider(start(client))
    assert client.get(path, {**query, "state": query["state"] + "x"}).status_code == 400
    assert client.get(path, {"state": query["state"]}).json()["message"] == "OIDC response without code."
    assert Person.objects.count() == 1 and LoginLog.objects.count() == 1


def test_a_callback_in_another_browser_is_refused(provider):
    path, query = through_provider(start(APIClient()))
    response = APIClient().get(path, query)  # no cookie of the browser that started
    assert response.status_code == 400
    assert response.json()["message"] == "OIDC response to a sign-in started by another browser."
    assert not Person.objects.exists()


def test_an_expired_sign_in_is_refused(provider):
    client = APIClient()
    path, query = through_provider(start(client))
    AuthToken.objects.filter(kind="sso-state").update(
        expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    response = client.get(path, query)
    assert response.status_code == 400 and response.json()["message"] == "OIDC sign-in expired: start again."


@pytest.mark.parametrize(
    "tamper, message",
    [
        ("signature", "OIDC authentication failed: the ID token's signature is wrong."),
        ("expired", "OIDC authentication failed: the ID token is invalid (expired_token)."),
        ("nonce", "OIDC authentication failed: the ID token is invalid (invalid_claim)."),
        ("audience", "OIDC authentication failed: the ID token is invalid (invalid_claim)."),
        ("issuer", "OIDC authentication failed: the ID token is invalid (invalid_claim)."),
    ],
)
def test_tampered_and_expired_id_tokens_are_refused(provider, tamper, message):
    provider.tamper.add(tamper)
    response, _ = sign_in(APIClient())
    assert response.status_code == 400 and response.json()["message"] == message
    assert not Person.objects.exists() and not LoginLog.objects.exists()


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(provider):
    client = APIClient()
    path, query = through_provider(start(client))
    entry = AuthToken.objects.get(kind="sso-state")
    entry.data = {**entry.data, "verifier": "x" * 64}
    entry.save()
    response = client.get(path, query)
    assert response.status_code == 400
    assert response.json()["message"] == "OIDC authentication failed: the code was refused."


def test_unverified_emails_neither_find_nor_create_persons(provider, settings):
    factories.make_person(email="sso.person@studio.test")
    provider.user["email_verified"] = False
    response, _ = sign_in(APIClient())
    assert response.status_code == 400 and response.json()["message"] == "Email address is not verified."
    del provider.user["email_verified"]  # absent: refused by default, accepted when not required
    assert sign_in(APIClient())[0].status_code == 400
    settings.OIDC_REQUIRE_EMAIL_VERIFIED = False
    assert sign_in(APIClient())[0].status_code == 302


def test_a_deactivated_person_cannot_sign_in(provider):
    factories.make_person(email="sso.person@studio.test", active=False)
    response, _ = sign_in(APIClient())
    assert response.status_code == 401
    assert response.json()["message"] == "User is unactive, he cannot log in."
    assert "access_token_cookie" not in response.cookies and not LoginLog.objects.exists()


def test_protected_and_otherwise_bound_accounts_are_refused(provider, settings):
    settings.PROTECTED_ACCOUNTS = ["sso.person@studio.test"]
    factories.make_person(email="sso.person@studio.test")
    response, _ = sign_in(APIClient())
    assert response.status_code == 400 and response.json()["message"].startswith(
        "This account cannot be signed"
    )
    settings.PROTECTED_ACCOUNTS = []
    Person.objects.update(oidc_issuer=provider.url, oidc_subject="someone-else")
    assert sign_in(APIClient())[0].status_code == 400


def test_the_provider_refusing_is_a_clear_error(provider):
    client = APIClient()
    start(client)
    response = client.get("/api/auth/oidc/callback", {"error": "access_denied"})
    assert response.status_code == 400
    assert response.json()["message"] == "The identity provider refused the sign-in: access_denied."


def test_off_unless_configured_and_told_in_the_config(settings):
    for url in ("/api/auth/oidc/login", "/api/auth/oidc/callback"):
        response = APIClient().get(url)
        assert response.status_code == 400
        assert response.json() == {"error": True, "login": False, "message": "OIDC is not enabled."}
    config = APIClient().get("/api/config").json()
    assert config["oidc_enabled"] is False and config["oidc_idp_name"] == ""
    settings.OIDC_ENABLED, settings.OIDC_IDP_NAME = True, "Studio SSO"
    config = APIClient().get("/api/config").json()
    assert config["oidc_enabled"] is True and config["oidc_idp_name"] == "Studio SSO"


def test_an_unreachable_provider_is_a_clear_error(provider, settings):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = APIClient().get("/api/auth/oidc/login")
    assert response.status_code == 400
    assert response.json()["message"] == "The identity provider's discovery document could not be read."


def test_a_public_client_signs_in_with_pkce_alone(provider, settings):
    settings.OIDC_CLIENT_SECRET = ""
    provider.public_client = True
    response, _ = sign_in(APIClient())
    assert response.status_code == 302
    assert (
        provider.token_requests[0]["client_id"] == CLIENT_ID
        and "client_secret" not in provider.token_requests[0]
    )
