"""Server-level routes that belong to no production domain."""

from django.conf import settings
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class IndexView(APIView):
    """`GET /api/`: the reference's greeting, which clients use to find the API."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "ApiIndex", {"api": serializers.CharField(), "version": serializers.CharField()}
        )
    )
    def get(self, request):
        return Response({"api": settings.APP_NAME, "version": settings.APP_VERSION})


def home(request):
    """`/`: where a newcomer lands (and the back-office's "View site"): the way to the back-office
    and to the API's documentation."""
    return render(
        request, "kitsu_admin/home.html", {"app_name": settings.APP_NAME, "version": settings.APP_VERSION}
    )
