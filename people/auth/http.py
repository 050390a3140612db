"""What every `/auth/...` view shares (the auth area's and the single sign-on's): the base view that
renders `AuthRefused` and lets public methods in, and the token cookies of browsers."""

from django.urls import reverse
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kitsu_server.api.permissions import IsActivePerson
from people.auth import logins
from people.auth import serializers as s
from people.auth.authentication import ACCESS_COOKIE, REFRESH_COOKIE, is_from_browser
from people.auth.refusals import AuthRefused

COOKIE_MAX_AGE = 31_540_000  # a year, as the reference's (non-session) cookies
REFUSED = {400: s.AuthErrorSerializer, 401: s.AuthErrorSerializer}


def refresh_cookie_path():
    return reverse("auth-refresh-token")


def set_token_cookies(request, response, access_token=None, refresh_token=None):
    options = {"max_age": COOKIE_MAX_AGE, "httponly": True, "samesite": "Lax", "secure": request.is_secure()}
    if access_token:
        response.set_cookie(ACCESS_COOKIE, access_token, path="/", **options)
    if refresh_token:
        response.set_cookie(REFRESH_COOKIE, refresh_token, path=refresh_cookie_path(), **options)


def unset_token_cookies(response, access=True, refresh=True):
    if access:
        response.delete_cookie(ACCESS_COOKIE, path="/", samesite="Lax")
    if refresh:
        response.delete_cookie(REFRESH_COOKIE, path=refresh_cookie_path(), samesite="Lax")


class AuthView(APIView):
    """Renders `AuthRefused` with the reference's status and flags. `public_methods` need no token."""

    public_methods = ()

    def initialize_request(self, request, *args, **kwargs):
        # Decided before DRF asks for the authenticators: a public route ignores
        # whatever stale token or cookie the client still sends.
        self.is_public = request.method.lower() in self.public_methods
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # The reference answers 405 to a method a route lacks before looking at any token.
        if not hasattr(self, request.method.lower()) and request.method.lower() != "options":
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_authenticators(self):
        return [] if getattr(self, "is_public", False) else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if getattr(self, "is_public", False) else [IsActivePerson()]

    def handle_exception(self, exc):
        if isinstance(exc, AuthRefused):
            return Response(exc.body(), status=exc.status, headers=exc.headers)
        return super().handle_exception(exc)


def second_factor_inputs(data):
    """The codes of a `SecondFactorSerializer` body, named as the services take them."""
    return {
        "totp": data.get("totp"),
        "email_otp": data.get("email_otp"),
        "recovery_code": data.get("recovery_code"),
        "fido_response": data.get("fido_authentication_response"),
    }


def tokens_response(request, data, person):
    """A 2FA method was just enabled: a fresh token pair with the answer, as the reference sends."""
    access_token, refresh_token = logins.create_auth_tokens(person)
    response = Response({**data, "access_token": access_token, "refresh_token": refresh_token})
    if is_from_browser(request):
        set_token_cookies(request, response, access_token, refresh_token)
    return response
