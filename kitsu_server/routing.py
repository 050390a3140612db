"""URL helpers that spell Kitsu routes the way routes.tsv writes them."""

import re

from django.urls import URLResolver, re_path
from django.urls.resolvers import RoutePattern

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


# --- Resolving a path among a thousand routes ------------------------------------------------

# Regex characters that end a literal prefix; "\" escapes the next character.
_META = set(".^$*+?{}[]|()")
_QUANTIFIERS = set("*+?{")


def literal_prefix(pattern):
    """The text every path matched by `pattern` (a route or regex pattern) starts with."""
    route = getattr(pattern, "_route", None)
    if route is not None:  # path(): literal up to its first converter
        return route.split("<", 1)[0]
    regex = getattr(pattern, "_regex", "")
    if not regex.startswith("^") or "|" in regex:  # may match anywhere, or alternatives
        return ""
    regex = regex[1:]
    prefix = []
    index = 0
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            if index + 1 >= len(regex) or regex[index + 1].isalnum():  # \d, \w...: a class, not a char
                break
            char, step = regex[index + 1], 2
        elif char in _META:
            break
        else:
            step = 1
        if index + step < len(regex) and regex[index + step] in _QUANTIFIERS:
            break  # this character is optional or repeated
        prefix.append(char)
        index += step
    return "".join(prefix)


def _may_match(literal, head):
    """Whether a pattern whose paths start with `literal` may match a path starting with `head`
    (the path's first segments, then "/" or its end)."""
    if len(literal) <= len(head):
        return head.startswith(literal)
    return literal.startswith(head) and literal[len(head)] == "/"


def _narrowed(patterns, head, prefix=""):
    """`patterns` without those that cannot match a path starting with `head`, in their order,
    includes narrowed likewise (copies of them: the same pattern, namespace and default kwargs)."""
    kept = []
    for entry in patterns:
        literal = prefix + literal_prefix(entry.pattern)
        if isinstance(entry, URLResolver):
            children = _narrowed(entry.url_patterns, head, literal)
            if children:
                copy = URLResolver(entry.pattern, children, entry.default_kwargs, entry.app_name)
                copy.namespace = entry.namespace
                kept.append(copy)
        elif _may_match(literal, head):
            kept.append(entry)
    return kept


class IndexedResolver(URLResolver):
    """An include whose patterns are tried only among those that may match the path's first two
    segments (narrowed once per distinct pair, then kept): Django's resolver tries every pattern
    in order and keeps the list of those tried, which for a route near the end of a thousand
    costs more than the rest of a small request. The answer is the one Django's resolver gives:
    the same patterns in the same order, minus those that cannot match."""

    max_indexed = 1024  # distinct segment pairs kept (a pair holding an id is seen once)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.narrowed = {}

    def resolve(self, path):
        match = self.pattern.match(str(path))
        if not match:
            return super().resolve(path)
        head = "/".join(match[0].split("/", 2)[:2])
        narrowed = self.narrowed.get(head)
        if narrowed is None:
            narrowed = URLResolver(self.pattern, _narrowed(self.url_patterns, head), self.default_kwargs)
            narrowed.app_name, narrowed.namespace = self.app_name, self.namespace
            if len(self.narrowed) < self.max_indexed:
                self.narrowed[head] = narrowed
        return narrowed.resolve(path)


def indexed_include(route, patterns):
    """`path(route, include(patterns))`, resolved by an `IndexedResolver`."""
    return IndexedResolver(RoutePattern(route, is_endpoint=False), patterns)
