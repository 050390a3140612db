"""Single sign-on: OpenID Connect (`oidc.py`), SAML 2.0 (`saml.py`) and security keys as a second
factor (`fido.py`, FIDO2/WebAuthn), each off until configured. What the protocols share (the
pending request bound to the browser, the person an identity signs in, the refusals, the token
cookies) is `identities.py`."""
