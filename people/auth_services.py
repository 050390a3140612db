"""The auth routes' work: logins, tokens, passwords, two-factor authentication, app logins.

Each refusal is an `AuthRefused` carrying the reference's status and body
(`{"error": true, "message": ...}` plus the flags Kitsu reads, such as
`missing_OTP` or `too_many_failed_login_attemps`); the views render it.

Server-side state that must outlive a request (revoked token ids, reset
tokens, mailed OTP counters, app login codes) is kept in `AuthToken` rows,
secrets only as hashes. Mails are sent once the write they follow is done.
"""

import base64
import datetime
import hashlib
import hmac
import logging
import secrets
import string

import pyotp
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    check_password,
    is_password_usable,
    make_password,
)
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from kitsu_server.api.json import ModelShape, serialize_instance
from people.authentication import (
    KitsuAccessToken,
    KitsuRefreshToken,
    LoginFailures,
    preview_session_open,
    revoke,
)
from people.crud import PersonsPolicy
from people.models import AuthToken, LoginLog, Organisation, Person

logger = logging.getLogger(__name__)

# The reference's numbers (zou.app.config and auth_service).
MIN_PASSWORD_LENGTH = 8
MAX_LOGIN_FAILED_ATTEMPTS = 5
LOGIN_LOCKOUT_DELAY = datetime.timedelta(minutes=1)
RESET_TOKEN_LIFETIME = datetime.timedelta(hours=2)
EMAIL_OTP_LIFETIME = datetime.timedelta(minutes=5)
APP_LOGIN_CODE_LIFETIME = datetime.timedelta(seconds=60)
RECOVERY_CODE_COUNT = 16
RECOVERY_CODE_LENGTH = 10
RESET_TOKEN_LENGTH = 64
CODE_ALPHABET = string.ascii_uppercase + string.digits
DEFAULT_PASSWORD = "default"  # a person created without password must choose one at first login
# When the preferred method is disabled, the next enabled one in this order becomes preferred.
TWO_FACTOR_FALLBACKS = {
    "totp": ("fido", "email_otp"),
    "email_otp": ("fido", "totp"),
    "fido": ("totp", "email_otp"),
}

# What a client may read of a person and of the organisation (the reference's SENSITIVE_FIELDS).
SSO_COLUMNS = ("oidc_issuer", "oidc_subject", "saml_issuer", "saml_subject")
PERSON_SHAPE = ModelShape(Person, hidden=(*PersonsPolicy.hidden_columns, *SSO_COLUMNS))
ORGANISATION_SECRETS = ("chat_token_slack", "chat_webhook_mattermost", "chat_token_discord")
ORGANISATION_SHAPE = ModelShape(Organisation)
PUBLIC_ORGANISATION_SHAPE = ModelShape(Organisation, hidden=ORGANISATION_SECRETS)


class RecoveryCodeHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds: a recovery code has 52 random bits, not a password's few.

    A login with a recovery code compares it with up to 16 hashes; at the
    password rounds that would take seconds. The stored hashes are Django's
    `pbkdf2_sha256$<rounds>$<salt>$<hash>` strings.
    """

    iterations = 20_000


class AuthRefused(Exception):
    """A refusal in the reference's words: `status`, `message` and the flags of its body."""

    status = 400
    headers = None

    def __init__(self, message, status=None, **flags):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.flags = flags

    def body(self):
        return {"error": True, "message": self.message, **self.flags}


class WrongCredentials(AuthRefused):
    def __init__(self):
        super().__init__("Wrong email or password.", login=False)


class InactivePerson(AuthRefused):
    def __init__(self):
        super().__init__("User is unactive, he cannot log in.", status=401, login=False, unactive=True)


class TooManyFailedLogins(AuthRefused):
    def __init__(self):
        super().__init__(
            "Too many failed login attempts, retry in a minute.",
            login=False,
            too_many_failed_login_attemps=True,
        )


class TooManyFailuresFromAddress(AuthRefused):
    def __init__(self, wait):
        super().__init__(
            f"Too many failed login attempts from this address, retry in {wait} seconds.",
            status=429,
            login=False,
            too_many_failed_login_attemps=True,
        )
        self.headers = {"Retry-After": str(wait)}


class MissingOTP(AuthRefused):
    def __init__(self, person):
        super().__init__(
            "A two-factor authentication code is required.",
            login=False,
            missing_OTP=True,
            preferred_two_factor_authentication=person.preferred_two_factor_authentication,
            two_factor_authentication_enabled=enabled_two_factor_methods(person),
        )


class WrongOTP(AuthRefused):
    def __init__(self):
        super().__init__("Wrong two-factor authentication code.", login=False, wrong_OTP=True)


class DefaultPassword(AuthRefused):
    def __init__(self, token):
        super().__init__(
            "The default password must be changed.", login=False, default_password=True, token=token
        )


class OTPVerificationFailed(AuthRefused):
    def __init__(self, message="OTP verification failed."):
        super().__init__(message, wrong_OTP=True)


# --- Rendering ------------------------------------------------------------------------------------


def person_data(person, with_fido_devices=False):
    """The person as the auth routes send it: no secret, with `full_name` and `departments`."""
    data = serialize_instance(person, relations=True, shape=PERSON_SHAPE)
    data["full_name"] = person.full_name
    if with_fido_devices:
        data["fido_devices"] = [credential.get("device_name") for credential in person.fido_credentials or []]
    return data


def get_organisation():
    """The organisation of this instance, created on first use like the reference does."""
    organisation = Organisation.objects.order_by("created_at", "pk").first()
    if organisation is not None:
        return organisation
    try:
        with transaction.atomic():
            return Organisation.objects.create(name="Kitsu")
    except IntegrityError:  # created concurrently
        return Organisation.objects.order_by("created_at", "pk").first()


def organisation_data(sensitive=False):
    shape = ORGANISATION_SHAPE if sensitive else PUBLIC_ORGANISATION_SHAPE
    return serialize_instance(get_organisation(), shape=shape)


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


# --- Login ----------------------------------------------------------------------------------------

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


# --- Passwords ------------------------------------------------------------------------------------


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


def hash_secret(value):
    return hashlib.sha256(value.encode()).hexdigest()


def random_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


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


# --- Two-factor authentication ------------------------------------------------------------------------


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
        return False  # FIDO devices are not supported yet: no assertion can be checked
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


def send_email_otp_to(identifier):
    """`GET /auth/email-otp`: mail a code to an active account using email OTP; silent otherwise."""
    person = find_person_for_login(identifier)
    if person is None or not person.is_active or not person.email_otp_enabled or not person.email:
        return
    send_email_otp(person)


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


# --- App login: a desktop app or a script borrows the browser's session (PKCE) --------------------


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
