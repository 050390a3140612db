"""Passwords: the rules of a new one, a change by the person, reset links mailed on request and
the reset with their token."""

import datetime
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from people.auth.codes import hash_secret, random_code
from people.auth.credentials import check_credentials
from people.auth.refusals import AuthRefused, InactivePerson, TooManyFailedLogins, WrongCredentials
from people.models import AuthToken, Person
from people.payloads import get_organisation

logger = logging.getLogger(__name__)

# The reference's numbers (zou.app.config and auth_service).
MIN_PASSWORD_LENGTH = 8
RESET_TOKEN_LIFETIME = datetime.timedelta(hours=2)
RESET_TOKEN_LENGTH = 64
DEFAULT_PASSWORD = "default"  # a person created without password must choose one at first login


def validate_new_password(password, confirmation):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthRefused("Password is too short.")
    if confirmation is not None and password != confirmation:
        raise AuthRefused("Confirmation password doesn't match.")


def change_password(person, old_password, password, confirmation):
    try:
        check_credentials(person, old_password, with_otp=False)
    except WrongCredentials:
        raise AuthRefused("Old password is wrong.") from None
    except InactivePerson:
        raise AuthRefused("User is unactive.") from None
    except TooManyFailedLogins:
        raise AuthRefused("Too many failed login attempts.", too_many_failed_login_attemps=True) from None
    validate_new_password(password, confirmation)
    with transaction.atomic():
        person.set_password(password)
        person.save(update_fields=["password"])
    logger.info("User %s has changed his password.", person.email)
    if person.email:
        send_mail(
            f"{get_organisation().name} - Kitsu: your password was changed",
            f"Hello {person.first_name},\n\n"
            f"The password of your Kitsu account was changed on {timezone.now():%Y-%m-%d %H:%M} UTC.\n"
            "If you did not change it, contact your studio's administrator right away.\n",
            None,
            [person.email],
        )


def create_reset_token(person):
    """A new password reset token for `person` (their previous one stops working)."""
    token = random_code(RESET_TOKEN_LENGTH)
    with transaction.atomic():
        AuthToken.objects.filter(kind="reset-password", person=person).delete()
        AuthToken.objects.create(
            kind="reset-password",
            key=hash_secret(token),
            person=person,
            expires_at=timezone.now() + RESET_TOKEN_LIFETIME,
        )
    return token


def request_password_reset(email, build_reset_url):
    """Mail a reset link to an active person with this email; silent otherwise (no account enumeration)."""
    person = Person.objects.filter(email__iexact=(email or "").strip(), is_bot=False).first()
    if person is None or not person.is_active or not person.email:
        return
    token = create_reset_token(person)
    url = build_reset_url(person.email, token)
    send_mail(
        f"{get_organisation().name} - Kitsu: password reset",
        f"Hello {person.first_name},\n\n"
        f"Someone asked to reset the password of your Kitsu account. To choose a new one, open:\n{url}\n\n"
        f"This link works once, for {RESET_TOKEN_LIFETIME.seconds // 3600} hours. "
        "If you did not ask for it, ignore this message.\n",
        None,
        [person.email],
    )
    logger.info("A password reset token was sent to %s.", person.email)


def reset_password(email, token, password, confirmation):
    """Set the password of the person a valid, unexpired reset token was mailed to; the token is used up."""
    entry = (
        AuthToken.objects.filter(kind="reset-password", key=hash_secret(token), expires_at__gt=timezone.now())
        .select_related("person")
        .first()
    )
    person = entry.person if entry is not None else None
    if person is None or (person.email or "").lower() != (email or "").strip().lower():
        raise AuthRefused("Wrong or expired token.")
    validate_new_password(password, confirmation)
    if not person.is_active:
        raise AuthRefused("User is inactive.")
    with transaction.atomic():
        if AuthToken.objects.filter(pk=entry.pk).delete()[0] != 1:  # used concurrently
            raise AuthRefused("Wrong or expired token.")
        AuthToken.objects.filter(kind="reset-password", person=person).delete()
        person.set_password(password)
        person.save(update_fields=["password"])
    logger.info("User %s has reset his password.", person.email)


def reset_url_builder(request):
    """Reset links point at Kitsu's `/reset-change-password` page, on DOMAIN_NAME when set, else this host."""
    domain = getattr(settings, "DOMAIN_NAME", None)
    protocol = getattr(settings, "DOMAIN_PROTOCOL", None) or request.scheme

    def build(email, token):
        path = f"/reset-change-password?{urlencode({'email': email, 'token': token})}"
        return f"{protocol}://{domain}{path}" if domain else request.build_absolute_uri(path)

    return build
