"""OpenAPI pieces the media routes share: the multipart upload body and the binary answers."""

from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers


class MediaUploadBody(serializers.Serializer):
    file = serializers.FileField()


BINARY = {(200, "application/octet-stream"): OpenApiTypes.BINARY}
PNG = {(200, "image/png"): OpenApiTypes.BINARY}
MP4 = {(200, "video/mp4"): OpenApiTypes.BINARY}
