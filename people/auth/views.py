"""The `/auth/...` routes: validate the body, call one service, answer as the reference does.

Browsers (told apart by their User-Agent, as the reference does) also get
the tokens as HttpOnly cookies, which is how the Kitsu web UI stays logged in.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from kitsu_server.api.requests import validated
from people.auth import app_logins, logins, passwords, two_factor
from people.auth import serializers as s
from people.auth.authentication import (
    KitsuRefreshJWTAuthentication,
    client_address,
    is_from_browser,
)
from people.auth.http import (
    REFUSED,
    AuthView,
    second_factor_inputs,
    set_token_cookies,
    tokens_response,
    unset_token_cookies,
)
from people.payloads import organisation_data, person_data


class LoginView(AuthView):
    """`POST /auth/login`: email (or desktop login) and password, plus a 2FA code when the person uses one.

    Failures count per account and per client address, shared with the back-office's
    login (people.auth.credentials.authenticate_login); too many from one address answer 429.
    """

    public_methods = ("post",)

    @extend_schema(
        request=s.LoginSerializer,
        responses={200: s.LoginResponseSerializer, 429: s.AuthErrorSerializer, **REFUSED},
    )
    def post(self, request):
        data = validated(s.LoginSerializer, request.data)
        browser = is_from_browser(request)
        body = logins.log_in(
            data["email"],
            data["password"],
            address=client_address(request),
            origin="web" if browser else "script",
            **second_factor_inputs(data),
        )
        response = Response(body)
        if browser:
            set_token_cookies(request, response, body["access_token"], body["refresh_token"])
        return response


class LogoutView(AuthView):
    """`GET /auth/logout`: the access token and the refresh token of its session are refused from now on."""

    @extend_schema(responses=s.LogoutSerializer)
    def get(self, request):
        logins.log_out(request.user, request.auth)
        response = Response({"logout": True})
        if is_from_browser(request):
            unset_token_cookies(response)
        return response


class AuthenticatedView(AuthView):
    """`GET /auth/authenticated`: who the token belongs to (401 without a valid token)."""

    @extend_schema(responses=s.AuthenticatedSerializer)
    def get(self, request):
        return Response(
            {
                "authenticated": True,
                "user": person_data(request.user, with_fido_devices=True),
                "organisation": organisation_data(sensitive=request.user.is_admin),
            }
        )


class RefreshTokenView(AuthView):
    """`GET /auth/refresh-token` with the REFRESH token (header or cookie): a new access token."""

    authentication_classes = [KitsuRefreshJWTAuthentication]

    @extend_schema(responses=s.RefreshTokenResponseSerializer)
    def get(self, request):
        access_token = logins.refresh_access_token(request.user, request.auth)
        if is_from_browser(request):
            response = Response({"refresh": True})
            set_token_cookies(request, response, access_token=access_token)
            unset_token_cookies(response, access=False)
            return response
        return Response({"access_token": access_token})


class ChangePasswordView(AuthView):
    """`POST /auth/change-password`: the old password, the new one twice."""

    @extend_schema(request=s.ChangePasswordSerializer, responses={200: s.SuccessSerializer, **REFUSED})
    def post(self, request):
        data = validated(s.ChangePasswordSerializer, request.data)
        passwords.change_password(request.user, data["old_password"], data["password"], data["password_2"])
        response = Response({"success": True})
        if is_from_browser(request):
            # The change ended every session, this one too: the browser that made it stays in.
            access_token, refresh_token = logins.create_auth_tokens(request.user)
            set_token_cookies(request, response, access_token, refresh_token)
        return response


class ResetPasswordView(AuthView):
    """`POST /auth/reset-password` mails a reset link; `PUT` sets the password with its token."""

    public_methods = ("post", "put")

    @extend_schema(request=s.PasswordResetRequestSerializer, responses=s.ResetRequestedSerializer)
    def post(self, request):
        data = validated(s.PasswordResetRequestSerializer, request.data)
        passwords.request_password_reset(data["email"], passwords.reset_url_builder(request))
        return Response({"success": "Reset token sent"})

    @extend_schema(request=s.PasswordResetSerializer, responses={200: s.SuccessSerializer, **REFUSED})
    def put(self, request):
        data = validated(s.PasswordResetSerializer, request.data)
        passwords.reset_password(data["email"], data["token"], data["password"], data["password2"])
        return Response({"success": True})


class TOTPView(AuthView):
    """`PUT /auth/totp` makes a secret, `POST` confirms it with a code, `DELETE` turns TOTP off."""

    @extend_schema(request=None, responses={200: s.TOTPProvisioningSerializer, **REFUSED})
    def put(self, request):
        uri, secret = two_factor.pre_enable_totp(request.user)
        return Response({"totp_provisionning_uri": uri, "otp_secret": secret})

    @extend_schema(request=s.TOTPSerializer, responses={200: s.TwoFactorEnabledSerializer, **REFUSED})
    def post(self, request):
        data = validated(s.TOTPSerializer, request.data)
        codes = two_factor.enable_totp(request.user, data["totp"])
        return tokens_response(request, {"otp_recovery_codes": codes}, request.user)

    @extend_schema(request=s.SecondFactorSerializer, responses={200: s.SuccessSerializer, **REFUSED})
    def delete(self, request):
        data = validated(s.SecondFactorSerializer, request.data)
        two_factor.disable_totp(request.user, second_factor_inputs(data))
        return Response({"success": True})


class EmailOTPView(AuthView):
    """`GET /auth/email-otp?email=` mails a login code; `PUT` / `POST` / `DELETE` set email OTP up or off."""

    public_methods = ("get",)

    @extend_schema(parameters=[OpenApiParameter("email", str, required=True)], responses=s.SuccessSerializer)
    def get(self, request):
        data = validated(s.EmailOTPRequestSerializer, request.query_params)
        logins.send_email_otp_to(data["email"])
        return Response({"success": True})

    @extend_schema(request=None, responses={200: s.SuccessSerializer, **REFUSED})
    def put(self, request):
        two_factor.pre_enable_email_otp(request.user)
        return Response({"success": True})

    @extend_schema(request=s.EmailOTPSerializer, responses={200: s.TwoFactorEnabledSerializer, **REFUSED})
    def post(self, request):
        data = validated(s.EmailOTPSerializer, request.data)
        codes = two_factor.enable_email_otp(request.user, data["email_otp"])
        return tokens_response(request, {"otp_recovery_codes": codes}, request.user)

    @extend_schema(request=s.SecondFactorSerializer, responses={200: s.SuccessSerializer, **REFUSED})
    def delete(self, request):
        data = validated(s.SecondFactorSerializer, request.data)
        two_factor.disable_email_otp(request.user, second_factor_inputs(data))
        return Response({"success": True})


class RecoveryCodesView(AuthView):
    """`PUT /auth/recovery-codes`: new recovery codes (the old ones stop working), given a 2FA code."""

    @extend_schema(request=s.SecondFactorSerializer, responses={200: s.RecoveryCodesSerializer, **REFUSED})
    def put(self, request):
        data = validated(s.SecondFactorSerializer, request.data)
        codes = two_factor.regenerate_recovery_codes(request.user, second_factor_inputs(data))
        return Response({"otp_recovery_codes": codes})


class AppLoginCodeView(AuthView):
    """`POST /auth/app-login/code`: a logged-in browser mints a one-time code for an app's PKCE challenge."""

    @extend_schema(request=s.AppLoginCodeSerializer, responses={201: s.AppLoginCodeResponseSerializer})
    def post(self, request):
        data = validated(s.AppLoginCodeSerializer, request.data)
        code = app_logins.create_app_login_code(
            request.user, data["code_challenge"], skip_2fa_setup=bool(request.auth.get("skip_2fa_setup"))
        )
        return Response({"code": code}, status=201)


class AppLoginTokenView(AuthView):
    """`POST /auth/app-login/token`: the app trades the code and its PKCE verifier for a login."""

    public_methods = ("post",)

    @extend_schema(request=s.AppLoginTokenSerializer, responses={200: s.LoginResponseSerializer, **REFUSED})
    def post(self, request):
        data = validated(s.AppLoginTokenSerializer, request.data)
        body = app_logins.exchange_app_login_code(
            data["code"], data["code_verifier"], address=client_address(request)
        )
        return Response(body)
