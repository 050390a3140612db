"""A small OpenID Connect provider for the tests, on an ephemeral port: discovery, an authorization
endpoint that signs in `user` at once (PKCE S256 required), a token endpoint (client secret, code
used once, verifier checked) and the JWKS; ID tokens signed with a test RSA key. `tamper` makes it
answer what a broken or hostile provider would."""

import base64
import hashlib
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.local_server import JSONHandler, LocalServer

CLIENT_ID = "kitsu-test"
CLIENT_SECRET = "kitsu-test-secret"


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class OIDCProvider(LocalServer):
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.user = {
            "sub": "user-1",
            "email": "sso.person@studio.test",
            "email_verified": True,
            "given_name": "Sso",
            "family_name": "Person",
        }
        self.public_client = False  # True: no client secret, PKCE alone
        self.tamper = set()  # "expired", "nonce", "audience", "issuer", "signature"
        self.codes = {}
        self.token_requests = []
        provider = self

        class Handler(JSONHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self.answer(200, provider.metadata)
                if url.path == "/jwks":
                    return self.answer(200, KeySet([provider.key]).as_dict(private=False))
                if url.path == "/authorize":
                    return self.authorize(query)
                return self.answer(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if urlsplit(self.path).path != "/token":
                    return self.answer(404, {"error": "not_found"})
                expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if provider.public_client:
                    if form.get("client_id") != CLIENT_ID or self.headers.get("Authorization"):
                        return self.answer(401, {"error": "invalid_client"})
                elif self.headers.get("Authorization") != f"Basic {expected}":
                    return self.answer(401, {"error": "invalid_client"})
                grant = provider.codes.pop(form.get("code"), None)  # a code works once
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self.answer(400, {"error": "invalid_grant"})
                if s256(form.get("code_verifier", "")) != grant["challenge"]:
                    return self.answer(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return self.answer(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(grant["nonce"]),
                    },
                )

            def authorize(self, query):
                if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
                    return self.answer(400, {"error": "invalid_request"})
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {
                    "challenge": query.get("code_challenge"),
                    "nonce": query.get("nonce"),
                    "redirect_uri": query["redirect_uri"],
                }
                location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                self.answer(302, {}, headers=[("Location", location)])

        self.serve(Handler)

    @property
    def metadata(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def id_token(self, nonce):
        now = int(time.time())
        claims = {
            **self.user,
            "iss": "https://evil.test" if "issuer" in self.tamper else self.url,
            "aud": "someone-else" if "audience" in self.tamper else CLIENT_ID,
            "iat": now - 3600 if "expired" in self.tamper else now,
            "exp": now - 600 if "expired" in self.tamper else now + 300,
            "nonce": "another-nonce" if "nonce" in self.tamper else nonce,
        }
        key = self.other_key if "signature" in self.tamper else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)
