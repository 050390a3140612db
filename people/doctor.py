"""The doctor's check of persons (kitsu_server.core.doctor): deactivated persons who still hold
a way in."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, When
from django.utils import timezone

from kitsu_server.core.doctor import ERROR, Check, register
from people.models import AuthToken, LoginLog, Person

# One-time credentials a person holds until they expire (the others are refusals or sign-in state).
CREDENTIAL_KINDS = ("reset-password", "app-login", "email-otp", "fido-challenge")
# The mark the fix leaves when it ends the login tokens of a person (an AuthToken `revoked` row:
# its key is never a JWT id), kept until those tokens would have expired anyway.
CUT_PREFIX = "person-tokens-cut:"


def inactive_persons():
    return Person.objects.filter(Q(active=False) | Q(active__isnull=True))


def refresh_lifetime():
    return settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]


def live_credentials(now):
    return AuthToken.objects.filter(person_id=OuterRef("pk"), kind__in=CREDENTIAL_KINDS, expires_at__gt=now)


def uncut_logins(now):
    """Logins recent enough for their refresh token to live, made after the last cut of the
    person's tokens."""
    cut = AuthToken.objects.filter(
        kind="revoked",
        person_id=OuterRef("person_id"),
        key__startswith=CUT_PREFIX,
        created_at__gte=OuterRef("created_at"),
    )
    return LoginLog.objects.filter(person_id=OuterRef("pk"), created_at__gte=now - refresh_lifetime()).filter(
        ~Exists(cut)
    )


def session_person_ids(now):
    """{person id: [session keys]} of the live back-office sessions. Session data is signed, so
    each live session is decoded (they are few: staff's, for two weeks)."""
    owners = {}
    for session in Session.objects.filter(expire_date__gt=now).iterator(chunk_size=1000):
        person_id = session.get_decoded().get(SESSION_KEY)
        try:
            owners.setdefault(uuid.UUID(str(person_id)), []).append(session.session_key)
        except ValueError:
            continue
    return owners


@register
class InactivePersonTokens(Check):
    """A deactivated person who still holds a way in: one-time codes or links not yet expired,
    a bot's API token, a back-office session, or login tokens from a login within the refresh
    token's lifetime that nothing revoked (deactivating refuses them while inactive; reactivating
    would bring them back). Fix: the codes, API token and sessions removed, the login tokens
    revoked (`token_generation` moved on)."""

    name = "inactive-person-tokens"
    title = "Deactivated persons still holding tokens or sessions"
    severity = ERROR
    studio_wide = True

    def problems(self, project):
        now = timezone.now()
        with_session = list(session_person_ids(now))
        return (
            inactive_persons()
            .annotate(
                has_credentials=Exists(live_credentials(now)),
                has_recent_login=Exists(uncut_logins(now)),
                has_session=Case(
                    When(pk__in=with_session, then=True), default=False, output_field=BooleanField()
                ),
            )
            .filter(
                Q(has_credentials=True)
                | Q(jti__isnull=False)
                | Q(has_recent_login=True)
                | Q(has_session=True)
            )
            .order_by("pk")
        )

    def example(self, person):
        held = []
        if person.has_credentials:
            held.append("one-time codes or links")
        if person.jti:
            held.append("an API token")
        if person.has_session:
            held.append("a back-office session")
        if person.has_recent_login:
            held.append(f"login tokens (logged in within the last {refresh_lifetime().days} days)")
        return f"{person.full_name} <{person.email or 'no email'}> ({person.role}): {', '.join(held)}"

    def fix(self, project):
        now = timezone.now()
        sessions = session_person_ids(now)
        inactive = inactive_persons()
        credentials = AuthToken.objects.filter(
            person__in=inactive.values("pk"), kind__in=CREDENTIAL_KINDS
        ).delete()[0]
        api_tokens = inactive.filter(jti__isnull=False).update(jti=None, updated_at=now)
        inactive_ids = set(inactive.filter(pk__in=list(sessions)).values_list("pk", flat=True))
        keys = [key for person_id in inactive_ids for key in sessions[person_id]]
        ended = Session.objects.filter(session_key__in=keys).delete()[0] if keys else 0
        recent = list(inactive.filter(Exists(uncut_logins(now))).values_list("pk", "token_generation"))
        Person.objects.filter(pk__in=[pk for pk, _ in recent]).update(
            token_generation=F("token_generation") + 1, updated_at=now
        )
        expires = now + refresh_lifetime() + timedelta(minutes=1)
        AuthToken.objects.bulk_create(
            AuthToken(
                kind="revoked", key=f"{CUT_PREFIX}{pk}:{generation + 1}", person_id=pk, expires_at=expires
            )
            for pk, generation in recent
        )
        return (
            f"{credentials} one-time codes removed, {api_tokens} API tokens revoked, {ended} sessions "
            f"ended, the login tokens of {len(recent)} persons revoked"
        )
