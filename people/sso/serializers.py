"""Bodies of the security key routes (the reference's FidoRegisterSchema and FidoUnregisterSchema)."""

from rest_framework import serializers

from people.auth.serializers import SecondFactorSerializer


class FIDORegisterSerializer(serializers.Serializer):
    registration_response = serializers.JSONField(help_text="The key's registration (WebAuthn JSON)")
    device_name = serializers.CharField(max_length=255, help_text="Name for the security key")

    def validate_registration_response(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("An object is expected.")
        return value


class FIDOUnregisterSerializer(SecondFactorSerializer):
    device_name = serializers.CharField(max_length=255, help_text="Name of the security key to remove")


class FIDOChallengeQuerySerializer(serializers.Serializer):
    email = serializers.CharField(max_length=255, help_text="Email or desktop login")


class WebAuthnOptionsSerializer(serializers.Serializer):
    """The WebAuthn `publicKey` options to hand to `navigator.credentials` (create or get)."""

    challenge = serializers.CharField()
    rp = serializers.DictField(required=False)
    rpId = serializers.CharField(required=False)  # noqa: N815 (WebAuthn's name)
    user = serializers.DictField(required=False)
    pubKeyCredParams = serializers.ListField(child=serializers.DictField(), required=False)  # noqa: N815
    excludeCredentials = serializers.ListField(child=serializers.DictField(), required=False)  # noqa: N815
    allowCredentials = serializers.ListField(child=serializers.DictField(), required=False)  # noqa: N815
    authenticatorSelection = serializers.DictField(required=False)  # noqa: N815


class SAMLResponseSerializer(serializers.Serializer):
    """The form the identity provider's page posts (HTTP-POST binding)."""

    SAMLResponse = serializers.CharField(max_length=1_000_000)  # noqa: N815 (SAML's name)
    RelayState = serializers.CharField(required=False, allow_blank=True, max_length=1000)  # noqa: N815
