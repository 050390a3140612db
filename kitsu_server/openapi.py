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


def idempotency_key_header(result, generator, request, public):
    """Every write that takes an `Idempotency-Key` (kitsu_server.core.idempotency) declares the
    header, the replay's `Idempotent-Replayed` answer header and the key's own answers: 400 (a
    malformed key), 409 (its request still running, or its answer too large to keep) and 422
    (the key used for another request)."""
    from django.conf import settings

    from kitsu_server.core.idempotency import (
        EXCLUDED_PREFIXES,
        GUEST_PREFIXES,
        HEADER,
        IN_PROGRESS_MESSAGE,
        KEY_MAX_LENGTH,
        KEY_MESSAGE,
        REPLAYED_HEADER,
        REUSED_MESSAGE,
        WRITE_METHODS,
    )

    components = result.setdefault("components", {})
    components.setdefault("parameters", {})["IdempotencyKey"] = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": KEY_MAX_LENGTH,
            # printable ASCII; spaces inside only (a header's value is read without its ends')
            "pattern": f"^[!-~]([ -~]{{0,{KEY_MAX_LENGTH - 2}}}[!-~])?$",
        },
        "description": f"Sent again with the same request within {settings.IDEMPOTENCY_KEY_TTL // 3600} h, "
        "the first answer is given back "
        f"(`{REPLAYED_HEADER}: true`) and nothing is written again; with another request, a 422.",
    }
    components.setdefault("headers", {})["IdempotentReplayed"] = {
        "schema": {"type": "string", "enum": ["true"]},
        "description": "The answer is the one kept for this Idempotency-Key: nothing was written.",
    }
    components.setdefault("schemas", {}).setdefault(
        "Error",
        {
            "type": "object",
            "properties": {"error": {"type": "boolean"}, "message": {"type": "string"}},
            "required": ["error", "message"],
        },
    )
    key_answers = {
        "400": KEY_MESSAGE,
        "409": f"{IN_PROGRESS_MESSAGE} Or: its request was done, but its answer was too large to keep.",
        "422": REUSED_MESSAGE,
    }
    for path, operations in result.get("paths", {}).items():
        if path.startswith(EXCLUDED_PREFIXES + GUEST_PREFIXES):
            continue
        for method, operation in operations.items():
            if method.upper() not in WRITE_METHODS:
                continue
            operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/IdempotencyKey"})
            responses = operation.setdefault("responses", {})
            for status, message in key_answers.items():
                responses.setdefault(
                    status,
                    {
                        "description": message,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
            for answer in responses.values():
                if isinstance(answer, dict) and "$ref" not in answer:
                    answer.setdefault("headers", {})[REPLAYED_HEADER] = {
                        "$ref": "#/components/headers/IdempotentReplayed"
                    }
    return result
