"""The single sign-on routes: parse, call one service, answer as the reference does (a redirect to
the identity provider, then back to the web UI with the token cookies; a refusal as the reference's
error JSON)."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from kitsu_server.api.permissions import IsPersonIdentity
from kitsu_server.api.requests import validated
from people.auth.credentials import find_person_for_login
from people.auth.http import REFUSED, AuthView, second_factor_inputs, tokens_response
from people.auth.serializers import SuccessSerializer, TwoFactorEnabledSerializer
from people.sso import fido, identities, oidc, saml
from people.sso import serializers as s
from people.sso.identities import BROWSER_COOKIE, NotEnabled

REDIRECT = {
    302: OpenApiResponse(description="To the identity provider, or back to the web UI once signed in.")
}


class OIDCLoginView(AuthView):
    """`GET /auth/oidc/login`: to the provider's sign-in page (authorization code, PKCE)."""

    public_methods = ("get",)

    @extend_schema(responses={**REDIRECT, **REFUSED}, operation_id="auth_oidc_login")
    def get(self, request):
        if not oidc.is_enabled():
            raise NotEnabled(oidc.PROTOCOL)
        redirect_uri = identities.web_ui_url(request, reverse("auth-oidc-callback"))
        url, browser = oidc.start_login(redirect_uri)
        return identities.redirect_to_provider(request, url, browser)


class OIDCCallbackView(AuthView):
    """`GET /auth/oidc/callback`: the provider's answer; signed in, back to the web UI."""

    public_methods = ("get",)

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=False),
            OpenApiParameter("state", str, required=False),
            OpenApiParameter("error", str, required=False),
        ],
        responses={**REDIRECT, **REFUSED},
        operation_id="auth_oidc_callback",
    )
    def get(self, request):
        if not oidc.is_enabled():
            raise NotEnabled(oidc.PROTOCOL)
        person = oidc.finish_login(request.query_params, request.COOKIES.get(BROWSER_COOKIE))
        return identities.sign_in(request, person, skip_2fa=settings.OIDC_SKIP_2FA)


class FIDOView(AuthView):
    """`GET /auth/fido?email=`: a login challenge for the person's security keys; `PUT`: the options to
    register a key, `POST`: register it (FIDO on, recovery codes when new), `DELETE`: remove one,
    proved by a second factor. The keys are listed as `fido_devices` at `/auth/authenticated`."""

    public_methods = ("get",)

    def get_permissions(self):
        # A person's own keys: a bot's API token is refused, as the reference's `require_person`.
        return super().get_permissions() if getattr(self, "is_public", False) else [IsPersonIdentity()]

    @extend_schema(
        parameters=[OpenApiParameter("email", str, required=True)],
        responses={200: s.WebAuthnOptionsSerializer, **REFUSED},
        operation_id="auth_fido_challenge",
    )
    def get(self, request):
        data = validated(s.FIDOChallengeQuerySerializer, request.query_params)
        return Response(fido.login_challenge(find_person_for_login(data["email"])))

    @extend_schema(request=None, responses={200: s.WebAuthnOptionsSerializer, **REFUSED})
    def put(self, request):
        return Response(fido.begin_registration(request.user))

    @extend_schema(request=s.FIDORegisterSerializer, responses={200: TwoFactorEnabledSerializer, **REFUSED})
    def post(self, request):
        data = validated(s.FIDORegisterSerializer, request.data)
        codes = fido.complete_registration(request.user, data["registration_response"], data["device_name"])
        return tokens_response(request, {"otp_recovery_codes": codes}, request.user)

    @extend_schema(request=s.FIDOUnregisterSerializer, responses={200: SuccessSerializer, **REFUSED})
    def delete(self, request):
        data = validated(s.FIDOUnregisterSerializer, request.data)
        fido.remove_key(request.user, data["device_name"], second_factor_inputs(data))
        return Response({"success": True})


def saml_endpoints(request):
    """(our entity id, our assertion consumer URL), on the web UI's host as the reference's."""
    return (
        identities.web_ui_url(request, reverse("auth-saml-login")),
        identities.web_ui_url(request, reverse("auth-saml-sso")),
    )


class SAMLLoginView(AuthView):
    """`GET /auth/saml/login`: to the provider's sign-on page with an AuthnRequest (HTTP-Redirect)."""

    public_methods = ("get",)

    @extend_schema(responses={**REDIRECT, **REFUSED}, operation_id="auth_saml_login")
    def get(self, request):
        if not saml.is_enabled():
            raise NotEnabled(saml.PROTOCOL)
        url, browser = saml.start_login(*saml_endpoints(request))
        return identities.redirect_to_provider(request, url, browser)


class SAMLSSOView(AuthView):
    """`POST /auth/saml/sso`: the provider's Response (HTTP-POST); signed in, back to the web UI."""

    public_methods = ("post",)

    @extend_schema(
        request=s.SAMLResponseSerializer, responses={**REDIRECT, **REFUSED}, operation_id="auth_saml_sso"
    )
    def post(self, request):
        if not saml.is_enabled():
            raise NotEnabled(saml.PROTOCOL)
        data = validated(s.SAMLResponseSerializer, request.data)
        person = saml.finish_login(
            data["SAMLResponse"], request.COOKIES.get(BROWSER_COOKIE), *saml_endpoints(request)
        )
        return identities.sign_in(request, person, skip_2fa=settings.SAML_SKIP_2FA)
