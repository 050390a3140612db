"""JSON rendering with orjson: the one encoder every API response goes through."""

import orjson
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from kitsu_server.api.json import serialize_value

# Statuses whose answer has no body at all (RFC 9110: 1xx, 204 No Content, 304 Not Modified).
BODILESS_STATUSES = frozenset({*range(100, 200), 204, 304})


def _default(value):
    converted = serialize_value(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


class KitsuJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            # No body for a 204 or a 304; elsewhere a None answer is JSON's null, as the reference sends it.
            response = (renderer_context or {}).get("response")
            return b"" if response is None or response.status_code in BODILESS_STATUSES else b"null"
        return orjson.dumps(
            data, default=_default, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
        )


class FallbackContentNegotiation(DefaultContentNegotiation):
    """The view's first renderer when the Accept header (or `?format=`) names none of its
    renderers, never a 406: the reference answers JSON whatever a client accepts, and the web UI
    asks its boards for `application/x-ndjson`, which their streamed form sends (a plain Django
    response, not a DRF renderer)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except (NotAcceptable, Http404):
            return renderers[0], renderers[0].media_type
