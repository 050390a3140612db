"""Two-factor authentication: TOTP, codes by email, recovery codes, and security keys (whose
assertions people.sso.fido checks). Secrets and codes are checked here; the routes turn methods on
and off, each write under a row lock of the person."""

import datetime
import secrets

import pyotp
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from people.auth.codes import random_code
from people.auth.refusals import AuthRefused, OTPVerificationFailed
from people.models import AuthToken, Person
from people.payloads import get_organisation

# The reference's numbers (zou.app.config and auth_service).
EMAIL_OTP_LIFETIME = datetime.timedelta(minutes=5)
RECOVERY_CODE_COUNT = 16
RECOVERY_CODE_LENGTH = 10

# When the preferred method is disabled, the next enabled one in this order becomes preferred.
TWO_FACTOR_FALLBACKS = {
    "totp": ("fido", "email_otp"),
    "email_otp": ("fido", "totp"),
    "fido": ("totp", "email_otp"),
}


class RecoveryCodeHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds: a recovery code has 52 random bits, not a password's few.

    A login with a recovery code compares it with up to 16 hashes; at the
    password rounds that would take seconds. The stored hashes are Django's
    `pbkdf2_sha256$<rounds>$<salt>$<hash>` strings.
    """

    iterations = 20_000


class MissingOTP(AuthRefused):
    def __init__(self, person):
        super().__init__(
            "A two-factor authentication code is required.",
            login=False,
            missing_OTP=True,
            preferred_two_factor_authentication=person.preferred_two_factor_authentication,
            two_factor_authentication_enabled=enabled_two_factor_methods(person),
        )


def has_two_factor_authentication(person):
    return bool(person.totp_enabled or person.email_otp_enabled or person.fido_enabled)


def enabled_two_factor_methods(person):
    methods = ["recovery_code"]
    methods += [name for name in ("totp", "email_otp", "fido") if getattr(person, f"{name}_enabled")]
    return methods


def check_second_factor(person, totp=None, email_otp=None, recovery_code=None, fido_response=None):
    """Whether the code given for the first method that has one is right; MissingOTP when none is given."""
    if person.totp_enabled and totp is not None:
        return check_totp(person, totp)
    if person.email_otp_enabled and email_otp is not None:
        return check_email_otp(person, email_otp)
    if person.fido_enabled and fido_response is not None:
        from people.sso.fido import check_assertion  # people.sso builds on this module

        return check_assertion(person, fido_response)
    if recovery_code is not None:
        return use_recovery_code(person, recovery_code)
    raise MissingOTP(person)


def check_totp(person, code):
    return bool(person.totp_secret) and pyotp.TOTP(person.totp_secret).verify(
        str(code).strip(), valid_window=1
    )


def generate_recovery_codes():
    """The plain codes, shown once; the person row keeps their hashes."""
    return [random_code(RECOVERY_CODE_LENGTH) for _ in range(RECOVERY_CODE_COUNT)]


def hash_recovery_codes(codes):
    hasher = RecoveryCodeHasher()
    return [make_password(code, hasher=hasher) for code in codes]


def is_recovery_code(code, stored):
    """Checked with our hasher directly, whatever PASSWORD_HASHERS lists."""
    try:
        return RecoveryCodeHasher().verify(code, stored)
    except (ValueError, TypeError):
        return False


def use_recovery_code(person, code):
    """Whether `code` is one of the person's recovery codes, which it then stops being."""
    code = str(code).strip().upper()
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        hashes = list(locked.otp_recovery_codes or [])
        for stored in hashes:
            if is_recovery_code(code, stored):
                hashes.remove(stored)
                Person.objects.filter(pk=person.pk).update(otp_recovery_codes=hashes)
                person.otp_recovery_codes = hashes
                return True
    return False


def _locked(person):
    return Person.objects.select_for_update().get(pk=person.pk)


def _enable_method(person, method):
    """Turn `method` on: recovery codes when the person has none, and the preference when unset."""
    codes = None
    if not person.otp_recovery_codes:
        codes = generate_recovery_codes()
        person.otp_recovery_codes = hash_recovery_codes(codes)
    if not person.preferred_two_factor_authentication:
        person.preferred_two_factor_authentication = method
    return codes


def _after_disabling(person, method):
    """Pick the next preferred method, or drop the preference and the codes when none is left."""
    if not has_two_factor_authentication(person):
        person.otp_recovery_codes = None
        person.preferred_two_factor_authentication = None
    elif person.preferred_two_factor_authentication == method:
        for fallback in TWO_FACTOR_FALLBACKS[method]:
            if getattr(person, f"{fallback}_enabled"):
                person.preferred_two_factor_authentication = fallback
                break


TWO_FACTOR_COLUMNS = [
    "totp_enabled",
    "totp_secret",
    "email_otp_enabled",
    "email_otp_secret",
    "otp_recovery_codes",
    "preferred_two_factor_authentication",
]


def _save_two_factor(person):
    person.save(update_fields=TWO_FACTOR_COLUMNS)


def check_second_factor_or_refuse(person, codes):
    try:
        ok = check_second_factor(person, **codes)
    except MissingOTP:
        ok = False
    if not ok:
        raise OTPVerificationFailed()


def pre_enable_totp(person):
    """A new TOTP secret to scan; TOTP is on once a code of it is confirmed (`enable_totp`)."""
    with transaction.atomic():
        person = _locked(person)
        if person.totp_enabled:
            raise AuthRefused("TOTP already enabled.")
        person.totp_secret = pyotp.random_base32()
        _save_two_factor(person)
    uri = pyotp.TOTP(person.totp_secret).provisioning_uri(
        name=person.email, issuer_name=f"Kitsu {get_organisation().name}"
    )
    return uri, person.totp_secret


def enable_totp(person, code):
    """Turn TOTP on once `code` proves the secret was scanned; the new recovery codes, if any."""
    with transaction.atomic():
        person = _locked(person)
        if person.totp_enabled:
            raise AuthRefused("TOTP already enabled.")
        if not check_totp(person, code):
            raise OTPVerificationFailed("TOTP verification failed.")
        person.totp_enabled = True
        codes = _enable_method(person, "totp")
        _save_two_factor(person)
    return codes


def disable_totp(person, codes):
    if not has_two_factor_authentication(person):
        raise AuthRefused("TOTP not enabled.")
    check_second_factor_or_refuse(person, codes)
    with transaction.atomic():
        person = _locked(person)
        if not person.totp_enabled:
            raise AuthRefused("TOTP not enabled.")
        person.totp_enabled = False
        person.totp_secret = None
        _after_disabling(person, "totp")
        _save_two_factor(person)


def send_email_otp(person):
    """Mail a new one-time code to `person`; it replaces the previous one and lasts 5 minutes."""
    counter = secrets.randbelow(10**12)
    AuthToken.objects.update_or_create(
        kind="email-otp",
        key=str(person.pk),
        defaults={
            "person": person,
            "data": {"counter": counter},
            "expires_at": timezone.now() + EMAIL_OTP_LIFETIME,
        },
    )
    code = pyotp.HOTP(person.email_otp_secret).at(counter)
    send_mail(
        f"{get_organisation().name} - Kitsu: your verification code",
        f"Hello {person.first_name},\n\nYour Kitsu verification code is {code}.\n"
        f"It works once, for {EMAIL_OTP_LIFETIME.seconds // 60} minutes. "
        "If you did not try to log in, change your password.\n",
        None,
        [person.email],
    )


def check_email_otp(person, code):
    """Whether `code` is the code mailed last (unexpired); a right code is used up."""
    entry = AuthToken.objects.filter(
        kind="email-otp", key=str(person.pk), expires_at__gt=timezone.now()
    ).first()
    if entry is None or not person.email_otp_secret:
        return False
    counter = (entry.data or {}).get("counter")
    if counter is None or not pyotp.HOTP(person.email_otp_secret).verify(str(code).strip(), int(counter)):
        return False
    return AuthToken.objects.filter(pk=entry.pk).delete()[0] == 1


def pre_enable_email_otp(person):
    with transaction.atomic():
        person = _locked(person)
        if person.email_otp_enabled:
            raise AuthRefused("OTP by email already enabled.")
        if not person.email:
            raise AuthRefused("OTP by email needs an email address.")
        person.email_otp_secret = pyotp.random_base32()
        _save_two_factor(person)
    send_email_otp(person)


def enable_email_otp(person, code):
    with transaction.atomic():
        person = _locked(person)
        if person.email_otp_enabled:
            raise AuthRefused("OTP by email already enabled.")
        if not check_email_otp(person, code):
            raise OTPVerificationFailed("OTP by email verification failed.")
        person.email_otp_enabled = True
        codes = _enable_method(person, "email_otp")
        _save_two_factor(person)
    return codes


def disable_email_otp(person, codes):
    if not has_two_factor_authentication(person):
        raise AuthRefused("OTP by email not enabled.")
    check_second_factor_or_refuse(person, codes)
    with transaction.atomic():
        person = _locked(person)
        if not person.email_otp_enabled:
            raise AuthRefused("OTP by email not enabled.")
        person.email_otp_enabled = False
        person.email_otp_secret = None
        _after_disabling(person, "email_otp")
        _save_two_factor(person)


def regenerate_recovery_codes(person, codes):
    if not has_two_factor_authentication(person):
        raise AuthRefused("No two factor authentication enabled.")
    check_second_factor_or_refuse(person, codes)
    plain = generate_recovery_codes()
    with transaction.atomic():
        person = _locked(person)
        person.otp_recovery_codes = hash_recovery_codes(plain)
        person.save(update_fields=["otp_recovery_codes"])
    return plain
