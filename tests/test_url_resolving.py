"""kitsu_server.routing.IndexedResolver answers every path as Django's resolver does over the same
URL table (the same view, kwargs, name and route), with and without trailing slash, including
paths that match no route."""

import re
import uuid

import pytest
from django.urls import URLResolver, get_resolver, include, path
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from kitsu_server.routing import IndexedResolver, literal_prefix
from kitsu_server.urls import api_urlpatterns

FILLERS = [str(uuid.UUID(int=7)), "all", "open", "2026", "12", "with-tasks", "x"]
GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def leaf_regexes(patterns, prefix=""):
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^").removesuffix("$")
        if isinstance(entry, URLResolver):
            yield from leaf_regexes(entry.url_patterns, regex)
        else:
            yield regex


def sample_paths():
    paths = set()
    for regex in leaf_regexes(api_urlpatterns):
        for filler in FILLERS:
            concrete = GROUP.sub(filler, regex).replace("/?", "/").replace("\\", "")
            if not re.search(r"[\\^$*+?()\[\]{}|]", concrete):
                paths.update({"/api/" + concrete, "/api/" + concrete.rstrip("/")})
    return sorted(paths) + ["/api/", "/api", "/api/nothing", "/api/data/nothing/here", "/admin/", "/x"]


def outcome(resolver, url):
    try:
        match = resolver.resolve(url)
    except Resolver404:
        return None
    return match.func, match.args, match.kwargs, match.url_name, match.route, match.namespaces


def test_every_route_resolves_as_with_djangos_resolver():
    ours = get_resolver()
    assert any(isinstance(entry, IndexedResolver) for entry in ours.url_patterns)
    plain = URLResolver(RegexPattern(r"^/"), [path("api/", include(api_urlpatterns))])
    paths = sample_paths()
    assert len(paths) > 1000
    resolved = 0
    for url in paths:
        expected = outcome(plain, url) if url.startswith("/api/") else outcome(ours, url)
        assert outcome(ours, url) == expected, url
        resolved += expected is not None
    assert resolved > 1000


@pytest.mark.parametrize(
    ("regex", "literal"),
    [
        (r"^data/tasks/(?P<task_id>[^/]+)/?$", "data/tasks/"),
        (r"^data/tasks/?$", "data/tasks"),
        (r"^data/task\-types/x$", "data/task-types/x"),
        (r"^data/files/\d+$", "data/files/"),
        (r"^a|b$", ""),
        (r"data/x$", ""),
        (r"^$", ""),
    ],
)
def test_the_literal_prefix_of_a_pattern(regex, literal):
    assert literal_prefix(RegexPattern(regex)) == literal
