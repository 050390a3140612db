"""Logins and their tokens: the login's checks and record, the token pair of a session, its
refresh and its end; the code mailed to log in with email OTP."""

import logging

from people.auth.authentication import KitsuAccessToken, KitsuRefreshToken, revoke
from people.auth.credentials import authenticate_login, find_person_for_login
from people.auth.passwords import DEFAULT_PASSWORD, create_reset_token
from people.auth.refusals import DefaultPassword
from people.auth.two_factor import send_email_otp
from people.models import LoginLog
from people.payloads import organisation_data, person_data

logger = logging.getLogger(__name__)


def login_data(person, access_token, refresh_token):
    """What a successful login answers (`POST /auth/login`, `POST /auth/app-login/token`)."""
    return {
        "user": person_data(person),
        "organisation": organisation_data(sensitive=person.is_admin),
        "login": True,
        "access_token": access_token,
        "refresh_token": refresh_token,
    }


# --- Tokens ---------------------------------------------------------------------------------------


def create_auth_tokens(person, **claims):
    """A refresh token and an access token that names it (so that logout revokes both)."""
    refresh = KitsuRefreshToken.for_person(person, **claims)
    access = KitsuAccessToken.for_person(person, refresh_jti=refresh["jti"], **claims)
    return str(access), str(refresh)


def refresh_access_token(person, refresh_token):
    """A new access token of the refresh token's session."""
    claims = {"refresh_jti": refresh_token["jti"]}
    if refresh_token.get("skip_2fa_setup"):
        claims["skip_2fa_setup"] = True
    return str(KitsuAccessToken.for_person(person, **claims))


def log_out(person, access_token):
    revoke(access_token, person)
    logger.info("User %s is logged out.", person.email)


def log_in(
    email,
    password,
    address=None,
    origin="script",
    totp=None,
    email_otp=None,
    recovery_code=None,
    fido_response=None,
):
    """Check the credentials, record the login and hand out a token pair: the login's JSON body."""
    person = authenticate_login(
        email,
        password,
        address,
        totp=totp,
        email_otp=email_otp,
        recovery_code=recovery_code,
        fido_response=fido_response,
    )
    if password == DEFAULT_PASSWORD:
        logger.info("User %s must change his password.", email)
        raise DefaultPassword(create_reset_token(person))
    access_token, refresh_token = create_auth_tokens(person)
    LoginLog.objects.create(person=person, ip_address=address, origin=origin)
    logger.info("User %s is logged in.", email)
    return login_data(person, access_token, refresh_token)


def send_email_otp_to(identifier):
    """`GET /auth/email-otp`: mail a code to an active account using email OTP; silent otherwise."""
    person = find_person_for_login(identifier)
    if person is None or not person.is_active or not person.email_otp_enabled or not person.email:
        return
    send_email_otp(person)
