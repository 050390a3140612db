"""Security keys (FIDO2/WebAuthn) as a second factor, through Yubico's `fido2` server: registering a
key (a challenge, then the key's attestation), removing one, and the challenge a login answers with
the key's assertion (checked at `POST /auth/login` through people.auth.two_factor).

The ceremony's state (its challenge) is an `AuthToken` row of the person, used once and expiring
after 5 minutes, so a replayed attestation or assertion finds no challenge; an assertion whose
signature counter does not move forward (a cloned key, a replay) is refused too. Keys are stored
in `Person.fido_credentials` (the reference's column) as the credential's bytes, base64url, with
their name and last counter; the reference's own layout (integers) is read too.

The relying party is the web UI: on only when DOMAIN_NAME is set (its host is the RP id, and
DOMAIN_PROTOCOL://DOMAIN_NAME the one origin accepted)."""

import datetime
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from fido2.server import Fido2Server
from fido2.utils import int2bytes, websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestedCredentialData,
    AuthenticationResponse,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
)

from people.auth.refusals import AuthRefused
from people.auth.two_factor import _after_disabling, _enable_method, check_second_factor_or_refuse
from people.models import AuthToken, Person

logger = logging.getLogger(__name__)

CHALLENGE_LIFETIME = datetime.timedelta(minutes=5)
REGISTER, AUTHENTICATE = "register", "authenticate"
FIDO_COLUMNS = [
    "fido_enabled",
    "fido_credentials",
    "otp_recovery_codes",
    "preferred_two_factor_authentication",
]


class FIDONotEnabled(AuthRefused):
    def __init__(self):
        super().__init__("FIDO not enabled.")


def is_enabled():
    return bool(settings.DOMAIN_NAME)


def web_origin():
    return f"{settings.DOMAIN_PROTOCOL or 'https'}://{settings.DOMAIN_NAME}"


def server():
    if not is_enabled():
        raise FIDONotEnabled()
    origin = web_origin()
    rp = PublicKeyCredentialRpEntity(name="Kitsu", id=urlsplit(origin).hostname)
    return Fido2Server(rp, verify_origin=lambda given: given == origin)


# --- stored keys ----------------------------------------------------------------------------------


def stored_credential(entry):
    """The `AttestedCredentialData` of a stored key: ours (bytes, base64url) or the reference's."""
    if "credential_data" in entry:
        return AttestedCredentialData(websafe_decode(entry["credential_data"]))
    key = entry["public_key"]
    return AttestedCredentialData.create(
        int2bytes(entry["aaguid"], 16),
        int2bytes(entry["credential_id"]),
        {1: key["1"], 3: key["3"], -1: key["-1"], -2: int2bytes(key["-2"]), -3: int2bytes(key["-3"])},
    )


def credentials_of(person):
    return [stored_credential(entry) for entry in person.fido_credentials or []]


def device_names(person):
    return [entry.get("device_name") for entry in person.fido_credentials or []]


def as_json(options):
    return json.loads(json.dumps(dict(options.public_key)))


# --- ceremony states ------------------------------------------------------------------------------


def keep_state(person, purpose, state):
    AuthToken.objects.filter(kind="fido-challenge", expires_at__lte=timezone.now()).delete()
    AuthToken.objects.update_or_create(
        kind="fido-challenge",
        key=f"{purpose}:{person.pk}",
        defaults={"person": person, "data": state, "expires_at": timezone.now() + CHALLENGE_LIFETIME},
    )


def take_state(person, purpose):
    """The state of the person's pending ceremony, which ends here; None when there is none."""
    with transaction.atomic():
        entry = (
            AuthToken.objects.select_for_update()
            .filter(kind="fido-challenge", key=f"{purpose}:{person.pk}")
            .first()
        )
        if entry is None:
            return None
        entry.delete()
    return entry.data if entry.expires_at > timezone.now() else None


# --- registration and removal ---------------------------------------------------------------------


def begin_registration(person):
    """`PUT /auth/fido`: the options a browser hands to the key (the keys already there excluded)."""
    options, state = server().register_begin(
        PublicKeyCredentialUserEntity(
            id=str(person.pk).encode(), name=person.email or str(person.pk), display_name=person.full_name
        ),
        credentials=credentials_of(person),
        user_verification="preferred",
        authenticator_attachment="cross-platform",
    )
    keep_state(person, REGISTER, state)
    return as_json(options)


def complete_registration(person, registration_response, device_name):
    """`POST /auth/fido`: store the key its attestation proves; the new recovery codes, if any."""
    fido = server()
    state = take_state(person, REGISTER)
    if state is None:
        raise AuthRefused("No preregistration before.")
    try:
        auth_data = fido.register_complete(state, registration_response)
    except Exception as exc:  # fido2 raises ValueError, KeyError, TypeError... on a bad response
        logger.info("FIDO registration refused for %s: %s", person.pk, exc)
        raise AuthRefused("FIDO server exception your registration response is probly wrong.") from exc
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if device_name in device_names(person):
            raise AuthRefused("A security key of that name is registered already.")
        entry = {
            "device_name": device_name,
            "credential_data": websafe_encode(bytes(auth_data.credential_data)),
            "sign_count": auth_data.counter,
        }
        person.fido_credentials = [*(person.fido_credentials or []), entry]
        person.fido_enabled = True
        codes = _enable_method(person, "fido")
        person.save(update_fields=FIDO_COLUMNS)
    return codes


def remove_key(person, device_name, codes):
    """`DELETE /auth/fido`: remove a key, proved by a second factor; FIDO stays on while keys remain."""
    if not person.fido_enabled:
        raise FIDONotEnabled()
    check_second_factor_or_refuse(person, codes)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        kept = [entry for entry in person.fido_credentials or [] if entry.get("device_name") != device_name]
        if len(kept) == len(person.fido_credentials or []):
            raise AuthRefused("No security key of that name.")
        person.fido_credentials = kept
        if not kept:
            person.fido_enabled = False
            _after_disabling(person, "fido")
        person.save(update_fields=FIDO_COLUMNS)


# --- login ----------------------------------------------------------------------------------------


def login_challenge(person):
    """`GET /auth/fido?email=`: the challenge a login answers with a key's assertion. The same
    refusal for an unknown, inactive or key-less person, as the reference."""
    if person is None or not person.is_active or not person.fido_enabled or not person.fido_credentials:
        raise FIDONotEnabled()
    options, state = server().authenticate_begin(credentials_of(person))
    keep_state(person, AUTHENTICATE, state)
    return as_json(options)


def check_assertion(person, response):
    """Whether `response` is a fresh assertion of one of the person's keys for their pending
    challenge (which it uses up); its signature counter is stored."""
    if not is_enabled() or not isinstance(response, dict):
        return False
    state = take_state(person, AUTHENTICATE)
    if state is None:
        return False
    try:
        used = server().authenticate_complete(state, credentials_of(person), response)
        counter = AuthenticationResponse.from_dict(response).response.authenticator_data.counter
    except Exception as exc:  # a tampered, foreign or malformed assertion
        logger.info("FIDO assertion refused for %s: %s", person.pk, exc)
        return False
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        entries = list(locked.fido_credentials or [])
        for index, entry in enumerate(entries):
            if stored_credential(entry).credential_id != used.credential_id:
                continue
            previous = entry.get("sign_count") or 0
            if (counter or previous) and counter <= previous:
                logger.warning("FIDO assertion of %s refused: its counter went back", person.pk)
                return False
            entries[index] = {**entry, "sign_count": counter}
            Person.objects.filter(pk=person.pk).update(fido_credentials=entries)
            return True
    return False
