"""OpenID Connect sign-in: the authorization code flow with PKCE (S256), a state bound to the
browser and used once, a nonce checked in the ID token, whose signature (the provider's JWKS),
issuer, audience and lifetime are checked too. Authlib's OAuth 2 client speaks to the provider,
joserfc checks the ID token."""

import logging

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from people.sso.identities import SSORefused, begin, finish, person_for_identity

logger = logging.getLogger(__name__)

PROTOCOL = "OIDC"
METADATA_CACHE_SECONDS = 600
TIMEOUT = 15
ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
LEEWAY = 60  # seconds of clock difference with the provider


def is_enabled():
    return bool(settings.OIDC_ENABLED and settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


def fetch_json(url, what):
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC: could not read the %s: %s", what, type(exc).__name__)
        raise SSORefused(f"The identity provider's {what} could not be read.") from exc


def provider_metadata():
    """The discovery document, kept a few minutes."""
    key = f"oidc-metadata:{settings.OIDC_DISCOVERY_URL}"
    metadata = cache.get(key)
    if metadata is None:
        metadata = fetch_json(settings.OIDC_DISCOVERY_URL, "discovery document")
        cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def provider_keys(metadata, refresh=False):
    key = f"oidc-jwks:{metadata['jwks_uri']}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        keys = fetch_json(metadata["jwks_uri"], "signing keys")
        cache.set(key, keys, METADATA_CACHE_SECONDS)
    return KeySet.import_key_set(keys)


def client(**extra):
    return OAuth2Session(
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET or None,
        scope=settings.OIDC_SCOPES,
        code_challenge_method="S256",
        # Without a secret, a public client: PKCE is its proof.
        token_endpoint_auth_method="client_secret_basic" if settings.OIDC_CLIENT_SECRET else "none",
        **extra,
    )


def start_login(redirect_uri):
    """(the provider's authorization URL, the browser secret): a new state, nonce and PKCE verifier,
    kept server side until the callback."""
    metadata = provider_metadata()
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url, _ = client(redirect_uri=redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    browser = begin(PROTOCOL, state, {"nonce": nonce, "verifier": verifier, "redirect_uri": redirect_uri})
    return url, browser


def finish_login(params, browser):
    """The person the provider's answer (the callback's query string) signs in."""
    if params.get("error"):
        raise SSORefused(f"The identity provider refused the sign-in: {params['error'][:100]}.")
    pending = finish(PROTOCOL, params.get("state"), browser)
    if not params.get("code"):
        raise SSORefused("OIDC response without code.")
    metadata = provider_metadata()
    try:
        token = client(redirect_uri=pending["redirect_uri"]).fetch_token(
            metadata["token_endpoint"],
            code=params["code"],
            code_verifier=pending["verifier"],
            timeout=TIMEOUT,
        )
    except (OAuthError, OAuth2Error, requests.RequestException, ValueError) as exc:
        logger.warning("OIDC token exchange failed: %s", exc)
        raise SSORefused("OIDC authentication failed: the code was refused.") from exc
    claims = check_id_token(token.get("id_token"), metadata, pending["nonce"])
    email = claims.get(settings.OIDC_EMAIL_CLAIM)
    info = {
        name: claims[claim]
        for name, claim in (
            ("first_name", settings.OIDC_GIVEN_NAME_CLAIM),
            ("last_name", settings.OIDC_FAMILY_NAME_CLAIM),
        )
        if isinstance(claims.get(claim), str) and claims[claim]
    }
    return person_for_identity(
        "oidc", claims["iss"], str(claims["sub"]), email, info, email_trusted=email_verified(claims)
    )


def check_id_token(id_token, metadata, nonce):
    """The ID token's claims once its signature, issuer, audience, lifetime and nonce are right."""
    if not id_token:
        raise SSORefused("OIDC authentication failed: no ID token.")
    try:
        try:
            decoded = jwt.decode(id_token, provider_keys(metadata), algorithms=ALGORITHMS)
        except JoseError:  # maybe a key the provider rotated in: read the keys again once
            decoded = jwt.decode(id_token, provider_keys(metadata, refresh=True), algorithms=ALGORITHMS)
    except (JoseError, ValueError) as exc:
        raise SSORefused("OIDC authentication failed: the ID token's signature is wrong.") from exc
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": settings.OIDC_CLIENT_ID},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(decoded.claims)
    except JoseError as exc:
        raise SSORefused(f"OIDC authentication failed: the ID token is invalid ({exc.error}).") from exc
    return decoded.claims


def email_verified(claims):
    """With OIDC_REQUIRE_EMAIL_VERIFIED the provider must say `email_verified: true`; without,
    only an explicit false refuses (the reference's rule)."""
    verified = claims.get("email_verified")
    if settings.OIDC_REQUIRE_EMAIL_VERIFIED:
        return verified is True
    return verified is not False
