"""URL helpers that spell Kitsu routes the way routes.tsv writes them."""

import re

from django.urls import re_path

_PARAM = re.compile(r"\{([a-z_]+)\}")


def route_regex(route):
    """The regex of a Kitsu route ("/data/projects/{project_id}"), relative to /api/.

    The trailing slash is optional, as on the reference server. Parameters
    match any single path segment: views validate them, since a malformed id
    is a 400 for the reference, not a 404.
    """
    parts = _PARAM.split(route.strip("/"))
    body = "".join(_escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))
    return f"^{body}/?$" if body else "^$"


def _escape(text):
    # "-" needs no escape outside a character class, and an escaped one shows
    # up as "\-" in the OpenAPI paths drf-spectacular derives from the regex.
    return re.escape(text).replace("\\-", "-")


def kitsu_path(route, view, name):
    """A URL pattern for one Kitsu route, to list in an app's urls.py."""
    return re_path(route_regex(route), view, name=name)
