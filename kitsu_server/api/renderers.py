"""JSON rendering with orjson: the one encoder every API response goes through."""

import orjson
from rest_framework.renderers import BaseRenderer

from kitsu_server.api.json import serialize_value


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
            # No body for a 204; elsewhere a None answer is JSON's null, as the reference sends it.
            response = (renderer_context or {}).get("response")
            return b"" if response is None or response.status_code == 204 else b"null"
        return orjson.dumps(
            data, default=_default, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
        )
