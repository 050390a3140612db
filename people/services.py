"""Writes of the persons routes (and of the `user` routes about the same rows), each in one
transaction with its events.

Mails (invitations, notices of what an admin changed on an account) leave
once the write they follow is committed, so a rolled-back change mails
nobody.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from people import queries
from people.auth.codes import hash_secret, random_code
from people.auth.passwords import RESET_TOKEN_LENGTH, validate_new_password
from people.auth.refusals import AuthRefused
from people.auth.two_factor import has_two_factor_authentication
from people.models import (
    AuthToken,
    DepartmentLink,
    DesktopLoginLog,
    Person,
)
from people.payloads import get_organisation

logger = logging.getLogger(__name__)

RESET_LINK_LIFETIME = datetime.timedelta(hours=2)
INVITATION_LIFETIME = datetime.timedelta(days=7)


def person_updated(person, user):
    record_event("person:update", {"person_id": str(person.pk)}, user=user)


def mail_after_commit(subject, body, person):
    if person.email:
        transaction.on_commit(partial(send_mail, subject, body, None, [person.email]))


# --- departments of a person -----------------------------------------------------------------


def add_to_department(person, department, user):
    """Put `person` in `department` (nothing changes when they are in it already)."""
    with transaction.atomic():
        DepartmentLink.objects.get_or_create(person=person, department=department)
        Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
        person_updated(person, user)
    person.refresh_from_db()
    return person


def remove_from_department(person, department, user):
    with transaction.atomic():
        DepartmentLink.objects.filter(person=person, department=department).delete()
        Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
        person_updated(person, user)


def clear_avatar(person, user):
    with transaction.atomic():
        person.has_avatar = False
        person.save(update_fields=["has_avatar"])
        person_updated(person, user)


# --- passwords and two-factor authentication, set by an admin ----------------------------------


def check_password_change_allowed(admin, person):
    """An admin sets the password of anyone but a protected account or another admin who has one."""
    if person.pk == admin.pk:
        return
    if person.email and person.email in getattr(settings, "PROTECTED_ACCOUNTS", ()):
        raise WrongParameter("This user is in protected accounts.")
    if person.role == "admin" and person.password and is_password_usable(person.password):
        raise WrongParameter("An admin can't change another admin's password.")


def set_password(person, password, confirmation, admin, address=None):
    """An admin gives `person` a new password; the person is told by mail."""
    check_password_change_allowed(admin, person)
    try:
        validate_new_password(password, confirmation)
    except AuthRefused as refusal:
        raise WrongParameter(refusal.message) from None
    with transaction.atomic():
        person.set_password(password)
        person.save(update_fields=["password"])
        mail_after_commit(
            f"{get_organisation().name} - Kitsu: your password was changed",
            admin_action_notice(
                person, "an administrator changed the password of your Kitsu account", address
            ),
            person,
        )
    logger.warning("User %s has changed the password of %s", admin.email, person.email)


def disable_two_factor_authentication(person, admin, address=None):
    """An admin turns every second factor of `person` off (never another admin's)."""
    if person.role == "admin" and person.pk != admin.pk:
        raise WrongParameter("An admin can't disable 2FA for other admins.")
    if not has_two_factor_authentication(person):
        raise WrongParameter("Two factor authentication not enabled for this user.")
    with transaction.atomic():
        person.totp_enabled = False
        person.totp_secret = None
        person.email_otp_enabled = False
        person.email_otp_secret = None
        person.fido_enabled = False
        person.fido_credentials = None
        person.otp_recovery_codes = None
        person.preferred_two_factor_authentication = None
        person.save(
            update_fields=[
                "totp_enabled",
                "totp_secret",
                "email_otp_enabled",
                "email_otp_secret",
                "fido_enabled",
                "fido_credentials",
                "otp_recovery_codes",
                "preferred_two_factor_authentication",
            ]
        )
        mail_after_commit(
            f"{get_organisation().name} - Kitsu: two-factor authentication disabled",
            admin_action_notice(
                person,
                "an administrator disabled the two-factor authentication of your Kitsu account",
                address,
            ),
            person,
        )
    logger.warning("User %s has disabled the two factor authentication of %s", admin.email, person.email)


def admin_action_notice(person, what, address):
    when = timezone.now().strftime("%Y-%m-%d %H:%M")
    origin = f" from {address}" if address else ""
    return (
        f"Hello {person.first_name},\n\n"
        f"On {when} UTC{origin}, {what}.\n"
        "If you did not expect it, contact your studio's administrator right away.\n"
    )


# --- reset links and invitations -------------------------------------------------------------


def issue_reset_token(person, lifetime):
    """A new password reset token for `person`; the links handed out before stay valid until used
    or expired (the reset route then drops them all)."""
    token = random_code(RESET_TOKEN_LENGTH)
    AuthToken.objects.filter(expires_at__lt=timezone.now()).delete()
    AuthToken.objects.create(
        kind="reset-password",
        key=hash_secret(token),
        person=person,
        expires_at=timezone.now() + lifetime,
    )
    return token


def create_password_reset_link(person, admin, build_url):
    check_password_change_allowed(admin, person)
    with transaction.atomic():
        token = issue_reset_token(person, RESET_LINK_LIFETIME)
    logger.info("User %s generated a password reset link for %s", admin.email, person.email)
    return build_url(person.email, token)


def invite_person(person, build_url):
    """Mail `person` a link to choose their password and log in (valid a week)."""
    if not person.email:
        raise WrongParameter("This person has no email address.")
    organisation = get_organisation().name
    with transaction.atomic():
        token = issue_reset_token(person, INVITATION_LIFETIME)
        url = f"{build_url(person.email, token)}&type=new"
        mail_after_commit(
            f"{organisation} - Kitsu: you are invited",
            f"Hello {person.first_name},\n\n"
            f"You are invited to join {organisation} on Kitsu, with the email address {person.email}.\n"
            f"To choose your password and log in, open:\n{url}\n\n"
            f"This link works once, for {INVITATION_LIFETIME.days} days.\n",
            person,
        )


# --- desktop logins ----------------------------------------------------------------------------


def create_desktop_login_log(person, date, user):
    """Record a login from the desktop app; the person's last presence follows."""
    with transaction.atomic():
        log = DesktopLoginLog.objects.create(person=person, date=date or timezone.now())
        person.last_presence = queries.last_presence(person)
        person.save(update_fields=["last_presence"])
        person_updated(person, user)
    return log


def issue_api_token(person):
    """A long-lived API token for `person` (what the reference hands out for a bot when it is
    created or its expiration date moves): valid until the end of that date, or without expiry.
    The person's `jti` names it, so the previous one stops working."""
    from rest_framework_simplejwt.utils import datetime_to_epoch

    from people.auth.authentication import KitsuAccessToken

    token = KitsuAccessToken.for_person(person, identity_type="bot" if person.is_bot else "person_api")
    if person.expiration_date is None:
        del token.payload["exp"]
    else:
        end = datetime.datetime.combine(person.expiration_date, datetime.time.max, tzinfo=datetime.UTC)
        token.payload["exp"] = datetime_to_epoch(end)
    person.jti = token["jti"]
    person.save(update_fields=["jti"])
    return str(token)
