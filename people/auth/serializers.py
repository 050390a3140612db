"""Request bodies of the auth routes (validated with these at run time) and their documented answers."""

from rest_framework import serializers

from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer


def optional_code():
    return serializers.CharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=True)


def secret_field(**options):
    return serializers.CharField(trim_whitespace=False, **options)


# --- Requests -------------------------------------------------------------------------------------


class SecondFactorSerializer(serializers.Serializer):
    """A code of one of the person's two-factor methods (the first given that the person uses counts)."""

    totp = optional_code()
    email_otp = optional_code()
    recovery_code = optional_code()
    fido_authentication_response = serializers.JSONField(required=False, allow_null=True)


class LoginSerializer(SecondFactorSerializer):
    email = serializers.CharField(max_length=255, help_text="Email or desktop login")
    # The reference's default: a person created without password logs in with "default" once.
    password = secret_field(required=False, default="default", allow_blank=True)


class ChangePasswordSerializer(serializers.Serializer):
    old_password = secret_field()
    password = secret_field()
    password_2 = secret_field()


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=255)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=255)
    token = serializers.CharField(max_length=255)
    password = secret_field()
    password2 = secret_field()


class TOTPSerializer(serializers.Serializer):
    totp = serializers.CharField(max_length=16)


class EmailOTPSerializer(serializers.Serializer):
    email_otp = serializers.CharField(max_length=16)


class EmailOTPRequestSerializer(serializers.Serializer):
    """Query string of `GET /auth/email-otp`."""

    email = serializers.CharField(max_length=255)


class AppLoginCodeSerializer(serializers.Serializer):
    code_challenge = serializers.RegexField(
        r"^[A-Za-z0-9_-]{43}$", help_text="Base64url SHA-256 of the PKCE code verifier"
    )


class AppLoginTokenSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=128, help_text="One-time login code")
    code_verifier = serializers.RegexField(r"^[A-Za-z0-9._~-]{43,128}$", help_text="PKCE code verifier")


# --- Answers (OpenAPI) -----------------------------------------------------------------------------


class AuthUserSerializer(output_serializer(REGISTRY["persons"])):
    """The logged-in person: the person's columns without secrets, `full_name`, `departments`."""

    full_name = serializers.CharField(read_only=True)
    fido_devices = serializers.ListField(child=serializers.CharField(), read_only=True, required=False)


OrganisationSerializer = output_serializer(REGISTRY["organisations"])


class LoginResponseSerializer(serializers.Serializer):
    user = AuthUserSerializer()
    organisation = OrganisationSerializer()
    login = serializers.BooleanField()
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()


class AuthErrorSerializer(serializers.Serializer):
    """A refusal; the flags say why (Kitsu reads them)."""

    error = serializers.BooleanField()
    message = serializers.CharField()
    login = serializers.BooleanField(required=False)
    wrong_OTP = serializers.BooleanField(required=False)
    missing_OTP = serializers.BooleanField(required=False)
    preferred_two_factor_authentication = serializers.CharField(required=False, allow_null=True)
    two_factor_authentication_enabled = serializers.ListField(child=serializers.CharField(), required=False)
    too_many_failed_login_attemps = serializers.BooleanField(required=False)
    unactive = serializers.BooleanField(required=False)
    default_password = serializers.BooleanField(required=False)
    token = serializers.CharField(required=False, help_text="A password reset token (default password)")


class AuthenticatedSerializer(serializers.Serializer):
    authenticated = serializers.BooleanField()
    user = AuthUserSerializer()
    organisation = OrganisationSerializer()


class LogoutSerializer(serializers.Serializer):
    logout = serializers.BooleanField()


class RefreshTokenResponseSerializer(serializers.Serializer):
    access_token = serializers.CharField(required=False, help_text="Absent for browsers, which get a cookie")
    refresh = serializers.BooleanField(required=False, help_text="Browsers only")


class SuccessSerializer(serializers.Serializer):
    success = serializers.BooleanField()


class ResetRequestedSerializer(serializers.Serializer):
    success = serializers.CharField(help_text='Always "Reset token sent"')


class TOTPProvisioningSerializer(serializers.Serializer):
    totp_provisionning_uri = serializers.CharField()
    otp_secret = serializers.CharField()


class RecoveryCodesSerializer(serializers.Serializer):
    otp_recovery_codes = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="Null when the person had codes already"
    )


class TwoFactorEnabledSerializer(RecoveryCodesSerializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()


class AppLoginCodeResponseSerializer(serializers.Serializer):
    code = serializers.CharField()
