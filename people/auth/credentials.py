"""Checking credentials, at either door (the API login and the back-office's): the client
address's failures, the account's lockout, the password and the second factor."""

import datetime
import secrets

from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.auth.authentication import LoginFailures, preview_session_open
from people.auth.refusals import (
    InactivePerson,
    TooManyFailedLogins,
    TooManyFailuresFromAddress,
    WrongCredentials,
    WrongOTP,
)
from people.auth.two_factor import (
    RECOVERY_CODE_LENGTH,
    check_second_factor,
    has_two_factor_authentication,
)
from people.models import Person

# The reference's numbers (zou.app.config and auth_service).
MAX_LOGIN_FAILED_ATTEMPTS = 5
LOGIN_LOCKOUT_DELAY = datetime.timedelta(minutes=1)

_dummy_password_hash = None


def spend_password_check_time(password):
    """Check a password that cannot match, so that an unknown address costs a real check's time."""
    global _dummy_password_hash
    if _dummy_password_hash is None:
        _dummy_password_hash = make_password(secrets.token_urlsafe(16))
    check_password(password or "", _dummy_password_hash)


def find_person_for_login(identifier):
    """The person logging in with this email (any case) or desktop login; bots never log in."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    persons = Person.objects.filter(is_bot=False)
    return (
        persons.filter(email__iexact=identifier).order_by("created_at").first()
        or persons.filter(desktop_login=identifier).order_by("created_at").first()
    )


def check_lockout(person):
    """The failed attempts to count from; raise while the account sits in its lockout minute.

    Once the minute is over the burst is forgotten, so a stranger knowing the
    address cannot keep the account shut with one wrong password a minute.
    """
    attempts = person.login_failed_attemps or 0
    if attempts < MAX_LOGIN_FAILED_ATTEMPTS:
        return attempts
    if (
        person.last_login_failed is not None
        and person.last_login_failed + LOGIN_LOCKOUT_DELAY > timezone.now()
    ):
        raise TooManyFailedLogins()
    reset_failed_logins(person)
    return 0


def record_failed_login(person):
    Person.objects.filter(pk=person.pk).update(
        login_failed_attemps=Coalesce(F("login_failed_attemps"), Value(0)) + 1,
        last_login_failed=timezone.now(),
    )


def reset_failed_logins(person):
    Person.objects.filter(pk=person.pk).update(login_failed_attemps=0)
    person.login_failed_attemps = 0


def check_credentials(
    person, password, totp=None, email_otp=None, recovery_code=None, fido_response=None, with_otp=True
):
    """Raise the reference's refusal unless `person` may log in with these credentials.

    The order matters: the account state and its 2FA methods are only told to
    whoever proved the password. Wrong passwords and codes count toward the lockout.
    """
    if person is None:
        spend_password_check_time(password)
        raise WrongCredentials()
    attempts = check_lockout(person)
    if not person.password or not is_password_usable(person.password):
        # No password to compare (an imported person): spend the time a real check takes.
        spend_password_check_time(password)
        record_failed_login(person)
        raise WrongCredentials()
    if not person.check_password(password):
        record_failed_login(person)
        raise WrongCredentials()
    if not person.is_active or (person.preview_project_id is not None and not preview_session_open(person)):
        raise InactivePerson()
    if with_otp and has_two_factor_authentication(person):
        if not check_second_factor(person, totp, email_otp, recovery_code, fido_response):
            record_failed_login(person)
            raise WrongOTP()
    if attempts > 0:
        reset_failed_logins(person)
    return person


def authenticate_login(identifier, password, address=None, with_otp=True, **codes):
    """The person these credentials log in, at either door: the API login and the back-office's.

    One rule for both: the failures of the client address (LoginFailures), then
    the account's lockout and checks (`check_credentials`); a wrong password or
    code counts against both. `codes` are the second factor's (`totp`...).
    """
    failures = LoginFailures(address) if address else None
    if failures is not None and failures.exhausted:
        raise TooManyFailuresFromAddress(int(failures.wait()))
    person = find_person_for_login(identifier)
    try:
        return check_credentials(person, password, with_otp=with_otp, **codes)
    except (WrongCredentials, WrongOTP):
        if failures is not None:
            failures.record()
        raise


def second_factor_codes(code):
    """The codes to try for a form's one "two-factor code" field (the back-office login): a
    recovery code by its length, otherwise the code of the person's app or of their mail."""
    code = (code or "").strip()
    if not code:
        return {}
    if len(code) == RECOVERY_CODE_LENGTH:
        return {"recovery_code": code}
    return {"totp": code, "email_otp": code}
