"""The `/auth/...` routes, over HTTP, with the reference's status codes and bodies.

Each test names the reference behaviour it pins (checked against Zou 1.0.97 with curl).
"""

import datetime
import re

import jwt
import pyotp
import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from people.auth import app_logins, credentials
from people.auth.authentication import KitsuAccessToken, KitsuRefreshToken
from people.models import AuthToken, LoginLog, Person
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "artist-password"
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
SCRIPT = "python-requests/2.32.0"
SECRET_COLUMNS = {
    "password",
    "totp_secret",
    "email_otp_secret",
    "otp_recovery_codes",
    "fido_credentials",
    "jti",
    "login_failed_attemps",
    "last_login_failed",
    "last_login",
    "oidc_issuer",
    "oidc_subject",
    "saml_issuer",
    "saml_subject",
}


@pytest.fixture(autouse=True)
def clean_cache():
    credentials._dummy_password_hash = None
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient(HTTP_USER_AGENT=SCRIPT)


def log_in(client, email, password=PASSWORD, **extra):
    return client.post("/api/auth/login", {"email": email, "password": password, **extra}, format="json")


def bearer(token, user_agent=SCRIPT):
    client = APIClient(HTTP_USER_AGENT=user_agent)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def tokens_of(artist, **codes):
    body = log_in(APIClient(HTTP_USER_AGENT=SCRIPT), artist.email, **codes).json()
    return body["access_token"], body["refresh_token"]


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def reload(person):
    return Person.objects.get(pk=person.pk)


# --- Login ----------------------------------------------------------------------------------


def test_login_answers_the_user_the_organisation_and_a_token_pair(api, artist):
    response = log_in(api, artist.email)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"user", "organisation", "login", "access_token", "refresh_token"}
    assert body["login"] is True
    user = body["user"]
    assert user["id"] == str(artist.pk)
    assert user["type"] == "Person"
    assert user["email"] == "artist@example.com"
    assert user["full_name"] == artist.full_name
    assert user["departments"] == []
    assert not SECRET_COLUMNS & set(user)
    assert body["organisation"]["type"] == "Organisation"
    assert "chat_token_slack" not in body["organisation"]  # a non-admin gets the public columns


def test_login_tokens_carry_the_reference_claims_and_lifetimes(api, artist):
    body = log_in(api, artist.email).json()
    access, refresh = claims(body["access_token"]), claims(body["refresh_token"])

    assert access["sub"] == refresh["sub"] == str(artist.pk)
    assert (access["type"], refresh["type"]) == ("access", "refresh")
    assert access["identity_type"] == refresh["identity_type"] == "person"
    assert access["refresh_jti"] == refresh["jti"]
    assert access["fresh"] is False and access["nbf"] == access["iat"]
    assert access["exp"] - access["iat"] == 7 * 86400
    assert refresh["exp"] - refresh["iat"] == 15 * 86400
    assert len(access["jti"]) == 36  # a UUID with dashes, as flask-jwt-extended writes it
    assert jwt.decode(body["access_token"], settings.SECRET_KEY, algorithms=["HS256"])["sub"] == str(
        artist.pk
    )


def test_admin_login_gets_the_whole_organisation(api, admin_person):
    body = log_in(api, admin_person.email, "admin-password").json()
    assert "chat_token_slack" in body["organisation"]


def test_login_hides_two_factor_secrets(api, artist):
    artist.totp_secret = pyotp.random_base32()
    artist.save()

    user = log_in(api, artist.email).json()["user"]

    assert "totp_secret" not in user and user["totp_enabled"] is False


def test_login_email_is_case_insensitive(api, artist):
    assert log_in(api, "Artist@Example.COM").status_code == 200


def test_login_by_desktop_login(api, artist):
    artist.desktop_login = "ada"
    artist.save()
    assert log_in(api, "ada").status_code == 200


def test_wrong_password_is_400_and_counts_a_failure(api, artist):
    response = log_in(api, artist.email, "not-the-password")

    assert response.status_code == 400
    assert response.json() == {"error": True, "login": False, "message": "Wrong email or password."}
    assert reload(artist).login_failed_attemps == 1
    assert reload(artist).last_login_failed is not None


def test_unknown_email_answers_as_a_wrong_password(api, db):
    response = log_in(api, "nobody@example.com", "whatever-password")

    assert response.status_code == 400
    assert response.json() == {"error": True, "login": False, "message": "Wrong email or password."}


def test_login_without_email_is_400(api, db):
    response = api.post("/api/auth/login", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] is True
    assert "email" in response.json()["message"]


def test_inactive_person_is_refused_with_401_once_the_password_is_right(api, artist):
    artist.active = False
    artist.save()

    wrong = log_in(api, artist.email, "not-the-password")
    right = log_in(api, artist.email)

    assert wrong.status_code == 400  # the account state is only told to who knows the password
    assert right.status_code == 401
    assert right.json() == {
        "error": True,
        "login": False,
        "unactive": True,
        "message": "User is unactive, he cannot log in.",
    }
    assert not LoginLog.objects.exists()


def test_a_bot_cannot_log_in(api, db):
    factories.make_person(email="bot@example.com", password="bot-password", is_bot=True)
    assert log_in(api, "bot@example.com", "bot-password").status_code == 400


def test_default_password_must_be_changed_with_the_token_it_returns(api, db):
    person = factories.make_person(email="new@example.com", password="default")

    response = log_in(api, "new@example.com", "default")

    assert response.status_code == 400
    body = response.json()
    assert body["login"] is False and body["default_password"] is True
    reset = api.put(
        "/api/auth/reset-password",
        {
            "email": "new@example.com",
            "token": body["token"],
            "password": "chosen-pass",
            "password2": "chosen-pass",
        },
        format="json",
    )
    assert reset.status_code == 200
    assert reload(person).check_password("chosen-pass")


# --- Throttling --------------------------------------------------------------------------------


def test_five_failures_lock_the_account_for_a_minute(api, artist):
    for _ in range(5):
        assert log_in(api, artist.email, "not-the-password").status_code == 400

    locked = log_in(api, artist.email)  # even the right password

    assert locked.status_code == 400
    assert locked.json() == {
        "error": True,
        "login": False,
        "too_many_failed_login_attemps": True,
        "message": "Too many failed login attempts, retry in a minute.",
    }

    Person.objects.filter(pk=artist.pk).update(
        last_login_failed=timezone.now() - datetime.timedelta(minutes=2)
    )
    assert log_in(api, artist.email).status_code == 200
    assert reload(artist).login_failed_attemps == 0


def test_a_success_resets_the_failure_count(api, artist):
    log_in(api, artist.email, "not-the-password")
    log_in(api, artist.email)
    assert reload(artist).login_failed_attemps == 0


def test_failed_logins_are_throttled_per_address(api, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login_failures": "3/hour"},
    }
    factories.make_person(email="real@example.com", password=PASSWORD)
    for n in range(3):
        assert log_in(api, f"unknown{n}@example.com", "guess-password").status_code == 400

    throttled = log_in(api, "real@example.com")

    assert throttled.status_code == 429
    assert throttled.json()["too_many_failed_login_attemps"] is True
    assert throttled.json()["error"] is True
    assert int(throttled["Retry-After"]) > 0
    other_address = APIClient(HTTP_USER_AGENT=SCRIPT, REMOTE_ADDR="10.1.2.3")
    assert log_in(other_address, "real@example.com").status_code == 200


def test_successful_logins_do_not_count_toward_the_address_throttle(api, artist, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login_failures": "2/hour"},
    }
    for _ in range(4):
        assert log_in(api, artist.email).status_code == 200


def test_a_remote_client_cannot_choose_its_address_with_x_real_ip(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login_failures": "2/hour"},
    }
    for n in range(2):
        client = APIClient(
            HTTP_USER_AGENT=SCRIPT, REMOTE_ADDR="93.184.216.34", HTTP_X_REAL_IP=f"198.51.100.{n}"
        )
        log_in(client, "nobody@example.com", "guess-password")

    client = APIClient(HTTP_USER_AGENT=SCRIPT, REMOTE_ADDR="93.184.216.34", HTTP_X_REAL_IP="198.51.100.77")
    assert log_in(client, "nobody@example.com", "guess-password").status_code == 429


# --- Login logs and browser cookies -----------------------------------------------------------------


def test_a_script_login_is_logged_with_its_address(api, artist):
    log_in(api, artist.email)

    entry = LoginLog.objects.get()
    assert (entry.person_id, entry.origin, entry.ip_address) == (artist.pk, "script", "127.0.0.1")


def test_a_proxy_forwards_the_client_address(artist):
    client = APIClient(HTTP_USER_AGENT=SCRIPT, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="192.0.2.10")
    log_in(client, artist.email)
    assert LoginLog.objects.get().ip_address == "192.0.2.10"


def test_a_browser_login_is_logged_as_web_and_gets_cookies(artist):
    client = APIClient(HTTP_USER_AGENT=BROWSER)

    response = log_in(client, artist.email)

    assert LoginLog.objects.get().origin == "web"
    access_cookie = response.cookies["access_token_cookie"]
    refresh_cookie = response.cookies["refresh_token_cookie"]
    assert access_cookie.value == response.json()["access_token"]
    assert access_cookie["httponly"] and access_cookie["path"] == "/" and access_cookie["samesite"] == "Lax"
    assert refresh_cookie["path"] == "/api/auth/refresh-token"
    # The web UI then calls with the cookie alone.
    assert client.get("/api/auth/authenticated").status_code == 200


def test_a_script_login_sets_no_cookie(api, artist):
    assert not log_in(api, artist.email).cookies


def test_login_ignores_a_stale_cookie(artist):
    client = APIClient(HTTP_USER_AGENT=BROWSER)
    client.cookies["access_token_cookie"] = "stale-token"
    assert log_in(client, artist.email).status_code == 200


# --- Authenticated, tokens, refresh, logout ------------------------------------------------------


def test_authenticated_answers_the_person_and_organisation(artist):
    access, _ = tokens_of(artist)

    response = bearer(access).get("/api/auth/authenticated")

    assert response.status_code == 200
    body = response.json()
    assert body["authenticated"] is True
    assert body["user"]["id"] == str(artist.pk)
    assert body["user"]["fido_devices"] == []
    assert not SECRET_COLUMNS & set(body["user"])
    assert body["organisation"]["name"] == "Kitsu"


def test_authenticated_without_token_is_401(api, db):
    response = api.get("/api/auth/authenticated")
    assert response.status_code == 401
    assert response.json()["error"] is True


def test_a_malformed_token_is_401(db):
    response = bearer("not-a-jwt").get("/api/auth/authenticated")
    assert response.status_code == 401
    assert response.json() == {"error": True, "message": "Invalid token."}


def test_a_token_signed_with_another_key_is_401(artist):
    forged = jwt.encode(
        {**claims(tokens_of(artist)[0])}, "another-key-of-32-bytes-at-least!!", algorithm="HS256"
    )
    assert bearer(forged).get("/api/auth/authenticated").status_code == 401


def test_an_expired_token_says_signature_has_expired_which_makes_gazu_refresh(artist):
    token = KitsuAccessToken.for_person(artist)
    token.set_exp(lifetime=-datetime.timedelta(seconds=5))

    response = bearer(str(token)).get("/api/auth/authenticated")

    assert response.status_code == 401
    assert response.json() == {"error": True, "message": "Signature has expired"}


def test_a_refresh_token_is_not_an_access_token(artist):
    _, refresh = tokens_of(artist)

    response = bearer(refresh).get("/api/auth/authenticated")

    assert response.status_code == 401
    assert response.json()["message"] == "Only non-refresh tokens are allowed"


def test_refresh_token_gives_a_new_access_token_of_the_same_session(artist):
    access, refresh = tokens_of(artist)

    response = bearer(refresh).get("/api/auth/refresh-token")

    assert response.status_code == 200
    assert set(response.json()) == {"access_token"}
    new_access = response.json()["access_token"]
    assert new_access != access
    assert claims(new_access)["refresh_jti"] == claims(refresh)["jti"]
    assert bearer(new_access).get("/api/auth/authenticated").status_code == 200


def test_refresh_needs_the_refresh_token(artist):
    access, _ = tokens_of(artist)

    response = bearer(access).get("/api/auth/refresh-token")

    assert response.status_code == 401
    assert response.json()["message"] == "Only refresh tokens are allowed"


def test_a_browser_refresh_answers_refresh_true_and_sets_the_access_cookie(artist):
    _, refresh = tokens_of(artist)

    response = bearer(refresh, BROWSER).get("/api/auth/refresh-token")

    assert response.json() == {"refresh": True}
    assert response.cookies["access_token_cookie"].value
    assert response.cookies["refresh_token_cookie"].value == ""  # the reference drops it


def test_logout_revokes_the_access_token_and_its_refresh_token(artist):
    access, refresh = tokens_of(artist)
    refreshed = bearer(refresh).get("/api/auth/refresh-token").json()["access_token"]
    other_access, _ = tokens_of(artist)  # another session

    response = bearer(access).get("/api/auth/logout")

    assert response.status_code == 200
    assert response.json() == {"logout": True}
    after = bearer(access).get("/api/auth/authenticated")
    assert after.status_code == 401
    assert after.json() == {"error": True, "message": "Token has been revoked"}
    assert bearer(refresh).get("/api/auth/refresh-token").status_code == 401
    assert bearer(refreshed).get("/api/auth/authenticated").status_code == 401  # same session
    assert bearer(access).get("/api/auth/logout").status_code == 401
    assert bearer(other_access).get("/api/auth/authenticated").status_code == 200
    revoked = AuthToken.objects.filter(kind="revoked")
    assert set(revoked.values_list("key", flat=True)) == {claims(access)["jti"], claims(refresh)["jti"]}


def test_logout_purges_expired_entries(artist):
    AuthToken.objects.create(
        kind="revoked", key="old", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    access, _ = tokens_of(artist)
    bearer(access).get("/api/auth/logout")
    assert not AuthToken.objects.filter(key="old").exists()


def test_a_browser_logout_clears_the_cookies(artist):
    client = APIClient(HTTP_USER_AGENT=BROWSER)
    log_in(client, artist.email)

    response = client.get("/api/auth/logout")

    assert response.status_code == 200
    assert response.cookies["access_token_cookie"].value == ""
    assert client.get("/api/auth/authenticated").status_code == 401


def test_the_token_of_a_deactivated_person_is_refused_and_revoked(artist):
    access, refresh = tokens_of(artist)
    Person.objects.filter(pk=artist.pk).update(active=False)

    assert bearer(access).get("/api/auth/authenticated").status_code == 401

    Person.objects.filter(pk=artist.pk).update(active=True)
    assert bearer(access).get("/api/auth/authenticated").status_code == 401
    assert bearer(refresh).get("/api/auth/refresh-token").status_code == 401


def test_the_token_of_a_deleted_person_is_refused(db):
    person = factories.make_person()
    token = str(KitsuAccessToken.for_person(person))
    Person.objects.filter(pk=person.pk).delete()
    assert bearer(token).get("/api/auth/authenticated").status_code == 401


def test_an_api_token_holds_while_the_person_names_its_jti(db):
    bot = factories.make_person(email="bot@example.com", is_bot=True)
    token = KitsuAccessToken.for_person(bot, identity_type="bot")
    del token.payload["exp"]  # bot tokens may never expire
    bot.jti = token["jti"]
    bot.save()

    assert bearer(str(token)).get("/api/auth/authenticated").status_code == 200
    Person.objects.filter(pk=bot.pk).update(jti=None)
    assert bearer(str(token)).get("/api/auth/authenticated").status_code == 401


def test_data_routes_need_a_token_and_take_the_login_token(api, admin_person):
    assert api.get("/api/data/persons").status_code == 401

    access = log_in(api, admin_person.email, "admin-password").json()["access_token"]
    response = bearer(access).get("/api/data/persons")

    assert response.status_code == 200
    assert admin_person.email in [row["email"] for row in response.json()]


# --- Change password -------------------------------------------------------------------------------


def change_password(artist, old, new, confirmation):
    access, _ = tokens_of(artist)
    return bearer(access).post(
        "/api/auth/change-password",
        {"old_password": old, "password": new, "password_2": confirmation},
        format="json",
    )


def test_change_password(api, artist, mailoutbox):
    response = change_password(artist, PASSWORD, "a-new-password", "a-new-password")

    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert log_in(api, artist.email, "a-new-password").status_code == 200
    assert log_in(api, artist.email).status_code == 400
    assert mailoutbox[-1].to == ["artist@example.com"]
    assert "password" in mailoutbox[-1].subject


@pytest.mark.parametrize(
    ("old", "new", "confirmation", "message"),
    [
        ("not-the-password", "a-new-password", "a-new-password", "Old password is wrong."),
        (PASSWORD, "short", "short", "Password is too short."),
        (PASSWORD, "a-new-password", "another-password", "Confirmation password doesn't match."),
        (PASSWORD, "short", "other", "Password is too short."),
    ],
)
def test_change_password_refusals_write_nothing(artist, old, new, confirmation, message):
    before = reload(artist).password

    response = change_password(artist, old, new, confirmation)

    assert response.status_code == 400
    assert response.json() == {"error": True, "message": message}
    assert reload(artist).password == before


def test_change_password_needs_every_field_and_a_token(api, artist):
    access, _ = tokens_of(artist)
    assert api.post("/api/auth/change-password", {}, format="json").status_code == 401
    response = bearer(access).post("/api/auth/change-password", {"old_password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "password_2" in response.json()["message"]


# --- Reset password ---------------------------------------------------------------------------------


def reset_token_from(mail):
    return re.search(r"token=([A-Z0-9]{64})", mail.body).group(1)


def put_reset(api, email, token, password="reset-password1", confirmation=None):
    return api.put(
        "/api/auth/reset-password",
        {"email": email, "token": token, "password": password, "password2": confirmation or password},
        format="json",
    )


def test_reset_password_mails_a_token_that_sets_the_password_once(api, artist, mailoutbox):
    response = api.post("/api/auth/reset-password", {"email": "ARTIST@example.com"}, format="json")

    assert response.status_code == 200
    assert response.json() == {"success": "Reset token sent"}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["artist@example.com"]
    assert "/reset-change-password?email=artist%40example.com&token=" in mailoutbox[0].body
    token = reset_token_from(mailoutbox[0])
    assert not AuthToken.objects.filter(key=token).exists()  # only its hash is stored

    assert put_reset(api, artist.email, token).json() == {"success": True}
    assert log_in(api, artist.email, "reset-password1").status_code == 200
    again = put_reset(api, artist.email, token, "another-password")
    assert again.status_code == 400
    assert again.json() == {"error": True, "message": "Wrong or expired token."}


def test_reset_password_answers_the_same_for_unknown_or_inactive_accounts(api, artist, mailoutbox):
    artist.active = False
    artist.save()
    for email in ("nobody@example.com", artist.email):
        response = api.post("/api/auth/reset-password", {"email": email}, format="json")
        assert response.status_code == 200
        assert response.json() == {"success": "Reset token sent"}
    assert mailoutbox == []


def test_reset_password_refuses_a_bad_token(api, artist):
    response = put_reset(api, artist.email, "NOT" * 20)
    assert response.status_code == 400
    assert response.json() == {"error": True, "message": "Wrong or expired token."}


def test_reset_password_refuses_the_token_of_another_email(api, artist, mailoutbox):
    factories.make_person(email="other@example.com")
    api.post("/api/auth/reset-password", {"email": artist.email}, format="json")
    assert put_reset(api, "other@example.com", reset_token_from(mailoutbox[0])).status_code == 400


def test_reset_password_refuses_an_expired_token(api, artist, mailoutbox):
    api.post("/api/auth/reset-password", {"email": artist.email}, format="json")
    AuthToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert put_reset(api, artist.email, reset_token_from(mailoutbox[0])).status_code == 400


def test_a_new_reset_token_replaces_the_previous_one(api, artist, mailoutbox):
    api.post("/api/auth/reset-password", {"email": artist.email}, format="json")
    api.post("/api/auth/reset-password", {"email": artist.email}, format="json")
    assert put_reset(api, artist.email, reset_token_from(mailoutbox[0])).status_code == 400
    assert put_reset(api, artist.email, reset_token_from(mailoutbox[1])).status_code == 200


def test_reset_password_checks_the_new_password_and_keeps_the_token(api, artist, mailoutbox):
    api.post("/api/auth/reset-password", {"email": artist.email}, format="json")
    token = reset_token_from(mailoutbox[0])

    short = put_reset(api, artist.email, token, "short")
    mismatch = put_reset(api, artist.email, token, "long-enough", "different-one")

    assert short.json() == {"error": True, "message": "Password is too short."}
    assert mismatch.json() == {"error": True, "message": "Confirmation password doesn't match."}
    assert put_reset(api, artist.email, token).status_code == 200


def test_reset_password_put_needs_every_field(api, db):
    response = api.put("/api/auth/reset-password", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] is True


# --- TOTP ------------------------------------------------------------------------------------------


def enable_totp(client):
    secret = client.put("/api/auth/totp").json()["otp_secret"]
    response = client.post("/api/auth/totp", {"totp": pyotp.TOTP(secret).now()}, format="json")
    assert response.status_code == 200, response.json()
    return secret, response.json()["otp_recovery_codes"]


def test_totp_enable_flow(artist):
    client = bearer(tokens_of(artist)[0])

    provisioning = client.put("/api/auth/totp")

    assert provisioning.status_code == 200
    secret = provisioning.json()["otp_secret"]
    assert provisioning.json()["totp_provisionning_uri"].startswith(
        "otpauth://totp/Kitsu%20Kitsu:artist%40example.com"
    )
    assert reload(artist).totp_enabled is False

    wrong = client.post("/api/auth/totp", {"totp": "000000"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json() == {"error": True, "message": "TOTP verification failed.", "wrong_OTP": True}

    enabled = client.post("/api/auth/totp", {"totp": pyotp.TOTP(secret).now()}, format="json")
    assert enabled.status_code == 200
    body = enabled.json()
    assert len(body["otp_recovery_codes"]) == 16
    assert all(re.fullmatch(r"[A-Z0-9]{10}", code) for code in body["otp_recovery_codes"])
    assert claims(body["access_token"])["sub"] == str(artist.pk) and body["refresh_token"]
    person = reload(artist)
    assert person.totp_enabled is True and person.preferred_two_factor_authentication == "totp"
    assert len(person.otp_recovery_codes) == 16
    assert not set(body["otp_recovery_codes"]) & set(person.otp_recovery_codes)  # hashed

    again = client.put("/api/auth/totp")
    assert again.status_code == 400
    assert again.json() == {"error": True, "message": "TOTP already enabled."}


def test_totp_has_no_get(artist):
    response = bearer(tokens_of(artist)[0]).get("/api/auth/totp")
    assert response.status_code == 405
    assert response.json()["error"] is True


def test_totp_routes_need_a_token(api, db):
    assert api.put("/api/auth/totp").status_code == 401


def test_login_with_totp(api, artist):
    secret, _ = enable_totp(bearer(tokens_of(artist)[0]))

    missing = log_in(api, artist.email)
    assert missing.status_code == 400
    assert missing.json() == {
        "error": True,
        "login": False,
        "missing_OTP": True,
        "message": "A two-factor authentication code is required.",
        "preferred_two_factor_authentication": "totp",
        "two_factor_authentication_enabled": ["recovery_code", "totp"],
    }
    assert reload(artist).login_failed_attemps == 0

    wrong = log_in(api, artist.email, totp="000000")
    assert wrong.status_code == 400
    assert wrong.json() == {
        "error": True,
        "login": False,
        "wrong_OTP": True,
        "message": "Wrong two-factor authentication code.",
    }
    assert reload(artist).login_failed_attemps == 1

    assert log_in(api, artist.email, totp=pyotp.TOTP(secret).now()).status_code == 200
    assert reload(artist).login_failed_attemps == 0
    # A wrong password never reveals the second factor.
    assert log_in(api, artist.email, "not-the-password").json()["message"] == "Wrong email or password."


def test_a_recovery_code_works_once(api, artist):
    _, codes = enable_totp(bearer(tokens_of(artist)[0]))

    assert log_in(api, artist.email, recovery_code=codes[0]).status_code == 200
    again = log_in(api, artist.email, recovery_code=codes[0])

    assert again.status_code == 400
    assert again.json()["wrong_OTP"] is True
    assert len(reload(artist).otp_recovery_codes) == 15
    assert log_in(api, artist.email, recovery_code=codes[1].lower()).status_code == 200


def test_disable_totp_needs_a_code(artist):
    client = bearer(tokens_of(artist)[0])
    secret, _ = enable_totp(client)

    for body in ({}, {"totp": "000000"}):
        refused = client.delete("/api/auth/totp", body, format="json")
        assert refused.status_code == 400
        assert refused.json() == {"error": True, "message": "OTP verification failed.", "wrong_OTP": True}

    response = client.delete("/api/auth/totp", {"totp": pyotp.TOTP(secret).now()}, format="json")

    assert response.json() == {"success": True}
    person = reload(artist)
    assert (person.totp_enabled, person.totp_secret) == (False, None)
    assert (person.otp_recovery_codes, person.preferred_two_factor_authentication) == (None, None)
    not_enabled = client.delete("/api/auth/totp", {"totp": "123456"}, format="json")
    assert not_enabled.json() == {"error": True, "message": "TOTP not enabled."}


# --- Email OTP ---------------------------------------------------------------------------------------


def mailed_code(mail):
    return re.search(r"code is (\d{6})", mail.body).group(1)


def enable_email_otp(client, mailoutbox):
    assert client.put("/api/auth/email-otp").json() == {"success": True}
    response = client.post("/api/auth/email-otp", {"email_otp": mailed_code(mailoutbox[-1])}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["otp_recovery_codes"]


def test_email_otp_flow(api, artist, mailoutbox):
    client = bearer(tokens_of(artist)[0])

    assert client.put("/api/auth/email-otp").status_code == 200
    assert mailoutbox[-1].to == ["artist@example.com"]
    wrong = client.post("/api/auth/email-otp", {"email_otp": "000000"}, format="json")
    assert wrong.json() == {"error": True, "message": "OTP by email verification failed.", "wrong_OTP": True}
    enabled = client.post("/api/auth/email-otp", {"email_otp": mailed_code(mailoutbox[-1])}, format="json")
    assert enabled.status_code == 200
    assert len(enabled.json()["otp_recovery_codes"]) == 16
    assert reload(artist).preferred_two_factor_authentication == "email_otp"
    assert client.put("/api/auth/email-otp").json()["message"] == "OTP by email already enabled."

    missing = log_in(api, artist.email)
    assert missing.json()["missing_OTP"] is True
    assert missing.json()["two_factor_authentication_enabled"] == ["recovery_code", "email_otp"]

    sent = APIClient().get("/api/auth/email-otp", {"email": artist.email})  # public, no token
    assert sent.json() == {"success": True}
    code = mailed_code(mailoutbox[-1])
    assert log_in(api, artist.email, email_otp=code).status_code == 200
    assert log_in(api, artist.email, email_otp=code).json()["wrong_OTP"] is True  # used up


def test_an_expired_email_otp_is_refused(api, artist, mailoutbox):
    enable_email_otp(bearer(tokens_of(artist)[0]), mailoutbox)
    APIClient().get("/api/auth/email-otp", {"email": artist.email})
    AuthToken.objects.filter(kind="email-otp").update(expires_at=timezone.now())
    assert log_in(api, artist.email, email_otp=mailed_code(mailoutbox[-1])).status_code == 400


def test_sending_an_email_otp_tells_nothing_about_the_account(api, artist, mailoutbox):
    for email in ("nobody@example.com", artist.email):  # the artist has no email OTP
        response = api.get("/api/auth/email-otp", {"email": email})
        assert response.status_code == 200 and response.json() == {"success": True}
    assert mailoutbox == []
    assert api.get("/api/auth/email-otp").status_code == 400


def test_disable_email_otp(artist, mailoutbox):
    client = bearer(tokens_of(artist)[0])
    assert client.delete("/api/auth/email-otp", {}, format="json").json() == {
        "error": True,
        "message": "OTP by email not enabled.",
    }
    enable_email_otp(client, mailoutbox)
    APIClient().get("/api/auth/email-otp", {"email": artist.email})

    response = client.delete("/api/auth/email-otp", {"email_otp": mailed_code(mailoutbox[-1])}, format="json")

    assert response.json() == {"success": True}
    assert reload(artist).email_otp_enabled is False


def test_disabling_the_preferred_method_falls_back_to_another(artist, mailoutbox):
    client = bearer(tokens_of(artist)[0])
    secret, codes = enable_totp(client)
    assert client.put("/api/auth/email-otp").status_code == 200
    second = client.post("/api/auth/email-otp", {"email_otp": mailed_code(mailoutbox[-1])}, format="json")
    assert second.json()["otp_recovery_codes"] is None  # the person keeps the codes they have

    client.delete("/api/auth/totp", {"totp": pyotp.TOTP(secret).now()}, format="json")

    person = reload(artist)
    assert person.preferred_two_factor_authentication == "email_otp"
    assert len(person.otp_recovery_codes) == 16


# --- Recovery codes ----------------------------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(api, artist):
    client = bearer(tokens_of(artist)[0])
    no_2fa = client.put("/api/auth/recovery-codes", {}, format="json")
    assert no_2fa.json() == {"error": True, "message": "No two factor authentication enabled."}
    secret, old_codes = enable_totp(client)
    assert (
        client.put("/api/auth/recovery-codes", {"totp": "000000"}, format="json").json()["wrong_OTP"] is True
    )

    response = client.put("/api/auth/recovery-codes", {"totp": pyotp.TOTP(secret).now()}, format="json")

    assert response.status_code == 200
    new_codes = response.json()["otp_recovery_codes"]
    assert len(new_codes) == 16
    assert log_in(api, artist.email, recovery_code=old_codes[0]).status_code == 400
    assert log_in(api, artist.email, recovery_code=new_codes[0]).status_code == 200


# --- App login (PKCE) --------------------------------------------------------------------------------

VERIFIER = "v" * 20 + "erifier-of-the-desktop-app-0123456789"


def mint_code(artist, verifier=VERIFIER):
    client = bearer(tokens_of(artist)[0])
    response = client.post(
        "/api/auth/app-login/code", {"code_challenge": app_logins.pkce_challenge(verifier)}, format="json"
    )
    assert response.status_code == 201
    return response.json()["code"]


def trade(code, verifier=VERIFIER):
    return APIClient(HTTP_USER_AGENT=SCRIPT).post(
        "/api/auth/app-login/token", {"code": code, "code_verifier": verifier}, format="json"
    )


def test_app_login_trades_a_code_for_a_login(artist):
    code = mint_code(artist)
    LoginLog.objects.all().delete()

    response = trade(code)

    assert response.status_code == 200
    body = response.json()
    assert body["login"] is True and body["user"]["id"] == str(artist.pk)
    assert bearer(body["access_token"]).get("/api/auth/authenticated").status_code == 200
    assert LoginLog.objects.get().origin == "script"
    again = trade(code)
    assert again.status_code == 400
    assert again.json() == {"error": True, "login": False, "message": "Wrong or expired code."}


def test_app_login_code_needs_a_token_and_a_challenge(api, artist):
    assert (
        api.post("/api/auth/app-login/code", {"code_challenge": "x" * 43}, format="json").status_code == 401
    )
    client = bearer(tokens_of(artist)[0])
    assert (
        client.post("/api/auth/app-login/code", {"code_challenge": "short"}, format="json").status_code == 400
    )


def test_a_wrong_verifier_uses_the_code_up(artist):
    code = mint_code(artist)
    assert trade(code, "w" * 43).status_code == 400
    assert trade(code).status_code == 400


def test_an_expired_app_login_code_is_refused(artist):
    code = mint_code(artist)
    AuthToken.objects.filter(kind="app-login").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert trade(code).status_code == 400


def test_app_login_token_validates_its_body(db):
    response = APIClient().post(
        "/api/auth/app-login/token", {"code": "x", "code_verifier": "bad"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] is True


def test_refresh_tokens_built_by_hand_match_login_tokens(artist):
    refresh = KitsuRefreshToken.for_person(artist)
    assert bearer(str(refresh)).get("/api/auth/refresh-token").status_code == 200


def test_a_person_without_password_cannot_log_in(api, db):
    person = factories.make_person(email="imported@example.com", password=None)
    response = log_in(api, "imported@example.com", "")
    assert response.status_code == 400
    assert response.json()["message"] == "Wrong email or password."
    assert reload(person).login_failed_attemps == 1


def test_an_api_token_without_jti_match_or_identity_is_refused(artist):
    unknown_identity = KitsuAccessToken.for_person(artist, identity_type="robot")
    assert bearer(str(unknown_identity)).get("/api/auth/authenticated").status_code == 401


# --- Route table and OpenAPI --------------------------------------------------------------------------

AUTH_ROUTES = {
    ("post", "/api/auth/login"),
    ("get", "/api/auth/logout"),
    ("get", "/api/auth/authenticated"),
    ("get", "/api/auth/refresh-token"),
    ("post", "/api/auth/change-password"),
    ("post", "/api/auth/reset-password"),
    ("put", "/api/auth/reset-password"),
    ("put", "/api/auth/totp"),
    ("post", "/api/auth/totp"),
    ("delete", "/api/auth/totp"),
    ("get", "/api/auth/email-otp"),
    ("put", "/api/auth/email-otp"),
    ("post", "/api/auth/email-otp"),
    ("delete", "/api/auth/email-otp"),
    ("put", "/api/auth/recovery-codes"),
    ("post", "/api/auth/app-login/code"),
    ("post", "/api/auth/app-login/token"),
    # single sign-on (people.sso, tests/sso)
    ("get", "/api/auth/oidc/login"),
    ("get", "/api/auth/oidc/callback"),
    ("get", "/api/auth/fido"),
    ("put", "/api/auth/fido"),
    ("post", "/api/auth/fido"),
    ("delete", "/api/auth/fido"),
    ("get", "/api/auth/saml/login"),
    ("post", "/api/auth/saml/sso"),
}


def test_every_auth_route_is_documented_with_its_methods(db):
    paths = APIClient().get("/api/openapi.json", HTTP_ACCEPT="application/json").json()["paths"]
    documented = {
        (method, path)
        for path, operations in paths.items()
        if path.startswith("/api/auth/")
        for method in operations
    }
    assert documented == AUTH_ROUTES


def test_auth_routes_answer_with_a_trailing_slash(api, artist):
    assert (
        api.post("/api/auth/login/", {"email": artist.email, "password": PASSWORD}, format="json").status_code
        == 200
    )


def test_authenticating_a_request_costs_one_query(artist, django_assert_num_queries):
    from rest_framework.test import APIRequestFactory

    from people.auth.authentication import KitsuJWTAuthentication

    access, _ = tokens_of(artist)
    request = APIRequestFactory().get("/api/data/projects", HTTP_AUTHORIZATION=f"Bearer {access}")

    with django_assert_num_queries(1):
        person, token = KitsuJWTAuthentication().authenticate(request)

    assert person == artist and token["sub"] == str(artist.pk)


def test_a_preview_account_works_only_while_its_window_is_open_and_only_reads(api, db):
    project = factories.make_project()
    preview = factories.make_person(
        role="client", email="preview@preview.kitsu.invalid", password=PASSWORD, preview_project=project
    )
    assert log_in(api, preview.email).status_code == 401  # never opened

    now = timezone.now()
    Person.objects.filter(pk=preview.pk).update(
        preview_opened_at=now - datetime.timedelta(minutes=5),
        preview_open_until=now + datetime.timedelta(hours=1),
    )
    response = log_in(api, preview.email)
    assert response.status_code == 200
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    assert client.get("/api/data/user/context").status_code == 200
    refused = client.post("/api/data/user/filters", {"list_type": "asset", "name": "x", "search_query": "x"})
    assert refused.status_code == 403

    # Closed, or reopened since the token was issued: the session is over.
    Person.objects.filter(pk=preview.pk).update(preview_open_until=now - datetime.timedelta(seconds=1))
    assert client.get("/api/data/user/context").status_code == 401
    Person.objects.filter(pk=preview.pk).update(
        preview_opened_at=now + datetime.timedelta(minutes=1),
        preview_open_until=now + datetime.timedelta(hours=1),
    )
    assert client.get("/api/data/user/context").status_code == 401
