"""Random codes handed out by the auth routes (reset tokens, recovery codes) and the hashes kept of
secrets: server-side state keeps secrets only as hashes."""

import hashlib
import secrets
import string

CODE_ALPHABET = string.ascii_uppercase + string.digits


def hash_secret(value):
    return hashlib.sha256(value.encode()).hexdigest()


def random_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
