"""drf-spectacular hooks: one schema entry per Kitsu route."""


def one_entry_per_route(endpoints, **kwargs):
    """Kitsu routes answer with and without a trailing slash; document each once, slash-less.

    URL patterns spell the slash as optional (`/?`) and the API root has a
    second pattern without it; both would otherwise become separate,
    colliding operations.
    """
    seen = set()
    kept = []
    for path, path_regex, method, callback in endpoints:
        path = path.replace("/?", "").rstrip("/") or "/"
        key = (path, method)
        if key in seen:
            continue
        seen.add(key)
        kept.append((path, path_regex, method, callback))
    return kept
