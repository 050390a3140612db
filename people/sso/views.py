"""The single sign-on routes: parse, call one service, answer as the reference does (a redirect to
the identity provider, then back to the web UI with the token cookies; a refusal as the reference's
error JSON)."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from people.auth.http import REFUSED, AuthView
from people.sso import identities, oidc
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
