"""What the single sign-on protocols share: the pending request (state kept server side, bound to
the browser that started it, used once, expiring), the person an identity signs in (bound by
issuer and subject, found or created by email the first time, as the reference does) and the
sign-in itself (the token cookies of the web UI and a login record)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone

from people.auth.authentication import client_address
from people.auth.http import set_token_cookies
from people.auth.logins import create_auth_tokens
from people.auth.refusals import AuthRefused, InactivePerson
from people.models import AuthToken, LoginLog, Person

PENDING_LIFETIME = datetime.timedelta(minutes=10)
BROWSER_COOKIE = "kitsu_sso"  # binds a pending sign-in to the browser that started it
PERSON_FIELDS = ("first_name", "last_name", "phone")


class SSORefused(AuthRefused):
    """A sign-in refused, with what went wrong (never a secret)."""

    def __init__(self, message):
        super().__init__(message, login=False)


class NotEnabled(SSORefused):
    def __init__(self, protocol):
        super().__init__(f"{protocol} is not enabled.")


NOT_BOUND = "This account cannot be signed in to with this identity. Ask an administrator."


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


# --- pending requests -----------------------------------------------------------------------------


def begin(protocol, state, data):
    """Remember a sign-in started by this browser; answers the browser secret to set as a cookie."""
    browser = secrets.token_urlsafe(32)
    AuthToken.objects.filter(kind="sso-state", expires_at__lte=timezone.now()).delete()
    AuthToken.objects.create(
        kind="sso-state",
        key=digest(state),
        data={**data, "protocol": protocol, "browser": digest(browser)},
        expires_at=timezone.now() + PENDING_LIFETIME,
    )
    return browser


def finish(protocol, state, browser, browser_required=True):
    """The data of the pending sign-in `state` names, which ends here: refused when unknown, used
    already (a replay), expired, of another protocol or started by another browser.
    browser_required=False: a missing browser cookie is let through (a SAML response posted
    cross-site over plain HTTP comes without it); a wrong one never is."""
    if not state:
        raise SSORefused(f"{protocol} response without state.")
    with transaction.atomic():
        entry = AuthToken.objects.select_for_update().filter(kind="sso-state", key=digest(state)).first()
        if entry is None:
            raise SSORefused(f"{protocol} response for no pending sign-in (unknown, or used already).")
        entry.delete()
    data = entry.data or {}
    if entry.expires_at <= timezone.now():
        raise SSORefused(f"{protocol} sign-in expired: start again.")
    if data.get("protocol") != protocol:
        raise SSORefused(f"{protocol} response for no pending sign-in (unknown, or used already).")
    if not browser and not browser_required:
        return data
    if not browser or not secrets.compare_digest(digest(browser), data.get("browser", "")):
        raise SSORefused(f"{protocol} response to a sign-in started by another browser.")
    return data


def remember_once(kind, key, expires_at):
    """Refuse a one-time value (a SAML assertion id) seen before, until it would expire anyway."""
    AuthToken.objects.filter(kind=kind, expires_at__lte=timezone.now()).delete()
    try:
        with transaction.atomic():
            AuthToken.objects.create(kind=kind, key=digest(key), expires_at=expires_at)
    except IntegrityError:
        raise SSORefused("This response was used already (replayed).") from None


# --- persons --------------------------------------------------------------------------------------


def person_for_identity(protocol, issuer, subject, email, info, email_trusted=True):
    """The person this identity signs in: the one bound to it, else the one of its email (bound now),
    else a new person with the default role (SSO_DEFAULT_ROLE). Protected accounts and persons bound
    to another subject of the same issuer are refused; the provider's names update the person.
    email_trusted=False: the email may not find nor create a person (an unverified one).
    subject=None (a provider without a stable id): found or created by email only, never bound."""
    info = {  # the provider's values, cut to the columns' sizes
        name: str(value)[: Person._meta.get_field(name).max_length] for name, value in info.items() if value
    }
    persons = Person.objects.filter(is_bot=False)
    person = None
    if subject is not None:
        person = persons.filter(**{f"{protocol}_issuer": issuer, f"{protocol}_subject": subject}).first()
    if person is None:
        if not email:
            raise SSORefused("No email returned by the identity provider.")
        if not email_trusted:
            raise SSORefused("Email address is not verified.")
        person = persons.filter(email__iexact=email).order_by("created_at").first()
        if person is None:
            person = Person.objects.create_user(
                email, password=None, role=settings.SSO_DEFAULT_ROLE, **{"first_name": "", **info}
            )
        elif person.email in settings.PROTECTED_ACCOUNTS:
            raise SSORefused(NOT_BOUND)
        elif subject is None:
            pass  # no stable id from the provider: the email is all there is (the reference's SAML)
        elif getattr(person, f"{protocol}_issuer") == issuer and getattr(person, f"{protocol}_subject"):
            raise SSORefused(NOT_BOUND)  # bound to another subject of this provider
        if subject is not None:
            setattr(person, f"{protocol}_issuer", issuer)
            setattr(person, f"{protocol}_subject", subject)
            person.save(update_fields=[f"{protocol}_issuer", f"{protocol}_subject"])
    changed = [name for name, value in info.items() if value and getattr(person, name) != value]
    if changed:
        for name in changed:
            setattr(person, name, info[name])
        person.save(update_fields=changed)
    return person


def sign_in(request, person, skip_2fa=False):
    """The web UI's session for `person`: a redirect to the web UI with the token cookies. An inactive
    person is refused, as at the password login."""
    if not person.is_active:
        raise InactivePerson()
    claims = {"skip_2fa_setup": True} if skip_2fa else {}
    access_token, refresh_token = create_auth_tokens(person, **claims)
    LoginLog.objects.create(person=person, ip_address=client_address(request), origin="web")
    response = HttpResponseRedirect(web_ui_url(request))
    set_token_cookies(request, response, access_token, refresh_token)
    response.delete_cookie(BROWSER_COOKIE, path="/api/auth/", samesite="Lax")
    return response


def redirect_to_provider(request, url, browser):
    """The redirect that starts a sign-in, with the cookie binding it to this browser."""
    response = HttpResponseRedirect(url)
    response.set_cookie(
        BROWSER_COOKIE,
        browser,
        max_age=int(PENDING_LIFETIME.total_seconds()),
        path="/api/auth/",
        httponly=True,
        samesite="None" if request.is_secure() else "Lax",  # SAML posts back from another site
        secure=request.is_secure(),
    )
    return response


def web_ui_url(request, path="/"):
    """The web UI: DOMAIN_PROTOCOL://DOMAIN_NAME when set, else this host."""
    if settings.DOMAIN_NAME:
        return f"{settings.DOMAIN_PROTOCOL or 'https'}://{settings.DOMAIN_NAME}{path}"
    return request.build_absolute_uri(path)
