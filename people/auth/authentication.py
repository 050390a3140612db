"""How a request proves who sends it: the reference's JWTs, their revocation, and failed-login throttling.

Tokens are those Zou issues (flask-jwt-extended's claims): HS256 signed with
SECRET_KEY, `sub` = the person's id, `type` = access|refresh, a UUID `jti`,
`identity_type` = "person", and in an access token the `refresh_jti` of the
refresh token issued with it, so that a logout revokes both at once.

Clients send the access token as `Authorization: Bearer <token>` (gazu,
scripts) or in the `access_token_cookie` cookie the login sets for browsers
(the Kitsu web UI). A token is refused with a 401 when it is malformed,
expired ("Signature has expired", the text gazu waits for before it
refreshes), revoked, of the wrong type, or when its person is gone or
inactive; a token of an inactive person is revoked on the spot, as the
reference does.

A login token also carries the person's `token_generation`, which a new
password moves on (Person.save): the tokens issued before then are refused
like revoked ones, access and refresh alike, with no extra query since the
person row is read anyway.
"""

import ipaddress
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, router, transaction
from django.db.models import Exists
from django.utils import timezone
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework import HTTP_HEADER_ENCODING
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.settings import api_settings as drf_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import datetime_from_epoch
from ua_parser import parse as parse_user_agent

from kitsu_server.api.prepared import prepared_cursor
from people.models import AuthToken, Person

ACCESS_COOKIE = "access_token_cookie"
REFRESH_COOKIE = "refresh_token_cookie"
PERSON_IDENTITY = "person"
GENERATION_CLAIM = "generation"
# Long-lived API tokens of bots and persons carry one of these: they stay valid
# while the person's `jti` column names them (no logout, no expiry needed).
API_IDENTITIES = ("bot", "person_api")

# The browsers for which the reference sets cookies and logs a "web" login
# (ua-parser families, as the reference reads the User-Agent).
BROWSER_FAMILIES = frozenset(
    {
        "Brave",
        "Chrome",
        "Chrome Mobile",
        "Chrome Mobile iOS",
        "Edge",
        "Firefox",
        "Mobile Safari",
        "Opera",
        "Safari",
        "Vivaldi",
    }
)


def is_from_browser(request):
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if not user_agent:
        return False
    return getattr(parse_user_agent(user_agent).user_agent, "family", None) in BROWSER_FAMILIES


def client_address(request):
    """The client's IP address: `X-Real-IP` when a reverse proxy of ours (loopback or private) sets it.

    From any other peer the header is ignored, so a client cannot pick the
    address its failed logins are counted against.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = (request.META.get("HTTP_X_REAL_IP") or "").strip()
    if forwarded and remote and _is_internal(remote) and _is_address(forwarded):
        return forwarded
    return remote


def _is_address(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_internal(value):
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


# --- Tokens -------------------------------------------------------------------------------


class WrongTokenType(TokenError):
    pass


class KitsuToken(Token):
    """A simplejwt token with the reference's claims."""

    wrong_type_message = "Wrong token type."

    @classmethod
    def for_person(cls, person, **claims):
        token = cls()
        token["fresh"] = False
        token[jwt_settings.USER_ID_CLAIM] = str(person.pk)
        token["nbf"] = token["iat"]
        token["identity_type"] = PERSON_IDENTITY
        token[GENERATION_CLAIM] = person.token_generation
        token.payload.update(claims)
        return token

    def set_jti(self):
        self.payload[jwt_settings.JTI_CLAIM] = str(uuid.uuid4())

    def verify(self):
        if self.payload.get("identity_type") in API_IDENTITIES and "exp" not in self.payload:
            self.verify_token_type()  # an API token without expiry: revoked through Person.jti
            return
        super().verify()

    def check_exp(self, claim="exp", current_time=None):
        try:
            super().check_exp(claim, current_time)
        except TokenError as error:
            if claim in self.payload:
                raise ExpiredTokenError(str(error)) from error
            raise

    def verify_token_type(self):
        if self.payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != self.token_type:
            raise WrongTokenType(self.wrong_type_message)

    @property
    def expires_at(self):
        exp = self.payload.get("exp")
        if exp is None:
            return timezone.now() + self.lifetime
        return datetime_from_epoch(exp)


class KitsuAccessToken(KitsuToken):
    token_type = "access"
    lifetime = jwt_settings.ACCESS_TOKEN_LIFETIME
    wrong_type_message = "Only non-refresh tokens are allowed"


class KitsuRefreshToken(KitsuToken):
    token_type = "refresh"
    lifetime = jwt_settings.REFRESH_TOKEN_LIFETIME
    wrong_type_message = "Only refresh tokens are allowed"


# --- Revocation (the denylist of token ids) ---------------------------------------------------


def revoked_ids(token):
    """The ids that revoke `token`: its own, and for an access token the refresh token it came with."""
    ids = [token.get(jwt_settings.JTI_CLAIM)]
    if token.get("refresh_jti"):
        ids.append(token["refresh_jti"])
    return [value for value in ids if value]


def revoke(token, person=None):
    """Refuse `token` from now on, and the refresh token of its session with it.

    Each entry lives as long as the token it refuses could still be presented;
    expired entries of every kind are purged on the way.
    """
    now = timezone.now()
    entries = [(token[jwt_settings.JTI_CLAIM], token.expires_at)]
    if token.get("refresh_jti"):
        entries.append((token["refresh_jti"], now + jwt_settings.REFRESH_TOKEN_LIFETIME))
    with transaction.atomic():
        AuthToken.objects.filter(expires_at__lt=now).delete()
        AuthToken.objects.bulk_create(
            [
                AuthToken(kind="revoked", key=jti, person=person, expires_at=max(expires_at, now))
                for jti, expires_at in entries
            ],
            ignore_conflicts=True,
        )


# --- The person of a token ---------------------------------------------------------------------


def token_person_query(person_id, token_ids):
    """The person of id `person_id` annotated with `token_revoked`: whether one of `token_ids` is
    revoked."""
    revoked = AuthToken.objects.filter(kind="revoked", key__in=token_ids)
    return Person.objects.filter(pk=person_id).annotate(token_revoked=Exists(revoked))[:1]


class CompiledTokenPersonQuery:
    """`token_person_query`, compiled to SQL once per process, database and number of token ids,
    then run with each request's values: the query of every authenticated request, whose ORM
    build and compilation of a 40-column row cost ten times its execution (~1 ms of CPU against
    0.1). The rows are read as the ORM reads them (its converters, `Model.from_db`)."""

    person_sentinel = uuid.UUID("5e171e1e-0000-4000-8000-00000000c0de")

    def __init__(self):
        self.plans = {}

    def __call__(self, person_id, token_ids):
        person_id = uuid.UUID(str(person_id))
        if not token_ids:
            return token_person_query(person_id, token_ids).first()
        using = router.db_for_read(Person)
        key = (using, len(token_ids))
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = self.compile(using, len(token_ids))
        connection = connections[using]
        pk_value = Person._meta.pk.get_db_prep_value(person_id, connection)
        params = [
            pk_value if slot == "person" else token_ids[slot] if isinstance(slot, int) else slot.value
            for slot in plan["slots"]
        ]
        prepared = connection.vendor == "postgresql" and not connection.settings_dict.get(
            "DISABLE_SERVER_SIDE_CURSORS"
        )
        with prepared_cursor(connection) if prepared else connection.cursor() as cursor:
            cursor.execute(plan["sql"], params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (converters, expression) in plan["converters"].items():
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        start, end = plan["model_columns"]
        person = Person.from_db(using, plan["attnames"], row[start:end])
        for name, position in plan["annotations"].items():
            setattr(person, name, row[position])
        return person

    def compile(self, using, nb_ids):
        token_sentinels = [f"\x01token-id-{index}" for index in range(nb_ids)]
        compiler = token_person_query(self.person_sentinel, token_sentinels).query.get_compiler(using)
        sql, params = compiler.as_sql()
        known = {
            self.person_sentinel: "person",
            self.person_sentinel.hex: "person",
            str(self.person_sentinel): "person",
        }
        known.update({value: index for index, value in enumerate(token_sentinels)})
        slots = [
            known.get(value, Constant(value)) if isinstance(value, str | uuid.UUID) else Constant(value)
            for value in params
        ]
        assert slots.count("person") == 1 and set(range(nb_ids)) <= set(slots), "unexpected SQL parameters"
        select = compiler.select
        columns = compiler.klass_info["select_fields"]
        return {
            "sql": sql,
            "slots": slots,
            "converters": compiler.get_converters([column[0] for column in select]),
            "model_columns": (columns[0], columns[-1] + 1),
            "attnames": [column[0].target.attname for column in select[columns[0] : columns[-1] + 1]],
            "annotations": dict(compiler.annotation_col_map),
        }


class Constant:
    """A parameter of a compiled query that is the same in every run."""

    def __init__(self, value):
        self.value = value


token_person = CompiledTokenPersonQuery()


# --- Authentication classes ---------------------------------------------------------------------


class KitsuJWTAuthentication(JWTAuthentication):
    """An access token from the `Authorization: Bearer` header, or else the browser's cookie."""

    token_class = KitsuAccessToken
    cookie_name = ACCESS_COOKIE

    @classmethod
    def authorization_for(cls, person):
        """An `Authorization` header of `person` (a fresh access token): how the permission
        explainer (kitsu_server.core.explain) runs a request as them, through this class."""
        return f"Bearer {cls.token_class.for_person(person)}"

    def authenticate(self, request):
        raw_token = self.raw_token(request)
        if raw_token is None:
            return None
        token = self.validated(raw_token)
        person = self.person_for(token)
        if person.preview_project_id is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise PermissionDenied("A preview account only reads.")
        return person, token

    def raw_token(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if isinstance(header, bytes):
            header = header.decode(HTTP_HEADER_ENCODING)
        parts = header.split()
        if parts and parts[0] in jwt_settings.AUTH_HEADER_TYPES:
            if len(parts) != 2:
                raise AuthenticationFailed("Bad Authorization header. Expected 'Authorization: Bearer <JWT>'")
            return parts[1]
        return request.COOKIES.get(self.cookie_name) or None

    def validated(self, raw_token):
        try:
            return self.token_class(raw_token)
        except ExpiredTokenError:
            raise AuthenticationFailed("Signature has expired") from None
        except WrongTokenType as error:
            raise AuthenticationFailed(str(error)) from None
        except TokenError:
            raise AuthenticationFailed("Invalid token.") from None

    def person_for(self, token):
        """The token's person, read with whether the token is revoked in the same query."""
        try:
            person = token_person(token.get(jwt_settings.USER_ID_CLAIM), revoked_ids(token))
        except (DjangoValidationError, ValueError, TypeError, AttributeError):
            person = None
        if person is None:
            raise AuthenticationFailed("Unknown identity.")
        identity = token.get("identity_type", PERSON_IDENTITY)
        if identity in API_IDENTITIES:
            if not person.jti or person.jti != token.get(jwt_settings.JTI_CLAIM):
                raise AuthenticationFailed("Token has been revoked")
        elif (
            identity != PERSON_IDENTITY
            or person.token_revoked
            # Issued before the password changed (tokens older than this rule have no claim).
            or token.get(GENERATION_CLAIM, 0) != person.token_generation
        ):
            raise AuthenticationFailed("Token has been revoked")
        if not person.is_active:
            if identity == PERSON_IDENTITY:
                revoke(token, person)
            raise AuthenticationFailed("User is inactive.")
        if person.preview_project_id is not None and not preview_session_open(person, token.get("iat")):
            raise AuthenticationFailed("User is inactive.")
        return person


def preview_session_open(person, issued_at=None):
    """A project's preview account works while its window is open, with tokens issued since it
    opened (closing and reopening the window ends the sessions of the previous one)."""
    now = timezone.now()
    if person.preview_open_until is None or person.preview_open_until < now:
        return False
    opened_at = person.preview_opened_at
    return issued_at is None or opened_at is None or issued_at >= int(opened_at.timestamp())


class KitsuRefreshJWTAuthentication(KitsuJWTAuthentication):
    """A refresh token, for `GET /auth/refresh-token` only."""

    token_class = KitsuRefreshToken
    cookie_name = REFRESH_COOKIE


class KitsuJWTScheme(SimpleJWTScheme):
    """OpenAPI: a bearer JWT, as simplejwt documents it."""

    target_class = "people.auth.authentication.KitsuJWTAuthentication"


class KitsuRefreshJWTScheme(SimpleJWTScheme):
    target_class = "people.auth.authentication.KitsuRefreshJWTAuthentication"
    name = "jwtRefreshAuth"


# --- Failed logins per address -------------------------------------------------------------------


class LoginFailures(SimpleRateThrottle):
    """The failed logins of one client address (rate `login_failures`, e.g. "30/hour").

    Both doors count here, the API login and the back-office login (see
    `people.auth.credentials.authenticate_login`). Only failures count, so a busy office
    behind one address is never slowed by its successful logins. The counts live
    in the cache (Redis in production, shared by every process).
    """

    scope = "login_failures"

    def __init__(self, address):
        super().__init__()
        self.address = address
        self.key = self.cache_format % {"scope": self.scope, "ident": address}
        self.now = self.timer()
        self.history = []
        if self.rate is not None:
            self.history = [
                moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration
            ]

    def get_rate(self):
        return drf_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    @property
    def exhausted(self):
        return self.rate is not None and len(self.history) >= self.num_requests

    def record(self):
        if self.rate is None:
            return
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)

    def wait(self):
        if not self.history:
            return self.duration
        return max(1.0, self.duration - (self.now - self.history[-1]))
