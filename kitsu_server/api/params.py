"""Values read from a URL or a query string: ids, booleans, bounded integers (a 400 when wrong)."""

import uuid

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import INT32_RANGE


def parse_uuid(value, message):
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        raise WrongParameter(message) from None


def parse_bool(value):
    return str(value).lower() in ("true", "1", "yes")


def parse_int(params, name, default, minimum=INT32_RANGE[0], maximum=INT32_RANGE[1]):
    """An integer query parameter, `default` when absent or empty; a 400 when it is no integer
    or out of [minimum, maximum] (by default a 32-bit integer: pages, limits, counts)."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise WrongParameter(f"{name} must be an integer.") from None
    if not minimum <= value <= maximum:
        raise WrongParameter(f"{name} must be an integer between {minimum} and {maximum}.")
    return value


def uuid_or_none(value):
    """An id as a UUID, None when malformed (for routes that answer a malformed id as no row)."""
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        return None


def is_uuid(value):
    return uuid_or_none(value) is not None
