"""App login: a desktop app or a script borrows the browser's session (PKCE): the browser mints a
one-time code for the app's challenge, the app trades it with its verifier for a login."""

import base64
import datetime
import hashlib
import hmac
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from people.auth.codes import hash_secret
from people.auth.logins import create_auth_tokens, login_data
from people.auth.refusals import AuthRefused
from people.models import AuthToken, LoginLog

logger = logging.getLogger(__name__)

APP_LOGIN_CODE_LIFETIME = datetime.timedelta(seconds=60)


def pkce_challenge(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def create_app_login_code(person, code_challenge, skip_2fa_setup=False):
    """A one-time code, valid 60 seconds, that the app trades with its PKCE verifier for tokens."""
    code = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        AuthToken.objects.filter(expires_at__lt=now).delete()
        AuthToken.objects.create(
            kind="app-login",
            key=hash_secret(code),
            person=person,
            data={"code_challenge": code_challenge, "skip_2fa_setup": bool(skip_2fa_setup)},
            expires_at=now + APP_LOGIN_CODE_LIFETIME,
        )
    return code


def exchange_app_login_code(code, code_verifier, address=None):
    """The login body for the person the code was minted for; the code is used up, right or wrong."""
    entry = (
        AuthToken.objects.filter(kind="app-login", key=hash_secret(code), expires_at__gt=timezone.now())
        .select_related("person")
        .first()
    )
    # Of two concurrent exchanges only the one whose delete removed the row goes on.
    if entry is None or AuthToken.objects.filter(pk=entry.pk).delete()[0] != 1:
        raise AuthRefused("Wrong or expired code.", login=False)
    data = entry.data or {}
    if not hmac.compare_digest(pkce_challenge(code_verifier), str(data.get("code_challenge", ""))):
        raise AuthRefused("Wrong or expired code.", login=False)
    person = entry.person
    if person is None or not person.is_active:
        raise AuthRefused("Wrong or expired code.", login=False)
    claims = {"skip_2fa_setup": True} if data.get("skip_2fa_setup") else {}
    access_token, refresh_token = create_auth_tokens(person, **claims)
    LoginLog.objects.create(person=person, ip_address=address, origin="script")
    logger.info("User %s is logged in through the browser.", person.email)
    return login_data(person, access_token, refresh_token)
