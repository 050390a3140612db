"""A software security key for the tests: an ECDSA P-256 key pair (cryptography) that answers
WebAuthn registrations (a "none" attestation) and assertions as a browser hands them to the
server, for a given origin. `counter` moves on at each assertion, as a real key's does."""

import hashlib
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData

FLAGS = AuthenticatorData.FLAG


class SoftwareKey:
    def __init__(self, origin):
        self.origin = origin
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def client_data(self, kind, challenge, origin=None):
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def register(self, options, origin=None):
        """The `registration_response` for `PUT /auth/fido`'s options."""
        client_data = self.client_data("webauthn.create", options["challenge"], origin)
        credential = AttestedCredentialData.create(
            b"\0" * 16, self.credential_id, ES256.from_cryptography_key(self.private_key.public_key())
        )
        auth_data = AuthenticatorData.create(
            hashlib.sha256(options["rp"]["id"].encode()).digest(),
            FLAGS.UP | FLAGS.AT,
            self.counter,
            credential,
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return self.credential(client_data, attestationObject=websafe_encode(bytes(attestation)))

    def assert_(self, options, origin=None, counter=None):
        """The `fido_authentication_response` for `GET /auth/fido`'s challenge."""
        self.counter = self.counter + 1 if counter is None else counter
        client_data = self.client_data("webauthn.get", options["challenge"], origin)
        auth_data = AuthenticatorData.create(
            hashlib.sha256(options["rpId"].encode()).digest(), FLAGS.UP, self.counter
        )
        signature = self.private_key.sign(
            bytes(auth_data) + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return self.credential(
            client_data,
            authenticatorData=websafe_encode(bytes(auth_data)),
            signature=websafe_encode(signature),
        )

    def credential(self, client_data, **response):
        """A `PublicKeyCredential` as the browser serializes it (WebAuthn JSON)."""
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {"clientDataJSON": websafe_encode(client_data), **response},
        }


def tampered(response, field="signature"):
    """The same response with one byte of `field` flipped."""
    raw = bytearray(websafe_decode(response["response"][field]))
    raw[-1] ^= 0x01
    return {**response, "response": {**response["response"], field: websafe_encode(bytes(raw))}}
