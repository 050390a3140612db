"""The reference's error shape, `{"error": true, "message": ...}`, for every failure.

Views raise `WrongParameter` (400), DRF's `NotFound` / `PermissionDenied` /
`NotAuthenticated`, or let a `ValidationError` escape from a serializer;
the handler below turns each into the reference's status and body.
Database refusals (a protected delete, a unique or foreign key conflict)
become 400s with a message that names the problem without leaking SQL.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DataError, IntegrityError
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from kitsu_server.api.http import error_message

logger = logging.getLogger(__name__)


class WrongParameter(exceptions.APIException):
    """Bad input: 400 with a message saying what is wrong."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Wrong parameter."


def error_response(message, status_code, **extra):
    return Response({"error": True, "message": message, **extra}, status=status_code)


def flatten_messages(detail, prefix=""):
    """DRF validation details as readable lines: `field: message`."""
    if isinstance(detail, dict):
        lines = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            lines += flatten_messages(value, f"{prefix}{name}: " if name else prefix)
        return lines
    if isinstance(detail, list):
        return [line for item in detail for line in flatten_messages(item, prefix)]
    return [f"{prefix}{detail}"]


def field_errors(detail, prefix=""):
    """DRF validation details as the reference's list of `{"field", "message"}`."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in field_errors(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(detail, list):
        return [error for item in detail for error in field_errors(item, prefix)]
    return [{"field": "" if prefix == "non_field_errors" else prefix, "message": str(detail)}]


def protected_message(error):
    kinds = sorted({obj._meta.verbose_name for obj in list(error.protected_objects)[:50]})
    return f"This object is still used by other data ({', '.join(kinds)}): remove them first."


def integrity_message(error):
    text = str(error).lower()
    if "unique" in text or "duplicate" in text:
        return "A record with the same unique values already exists."
    if "foreign key" in text:
        return "The change conflicts with records referencing this one."
    if "not null" in text or "not-null" in text or "null value" in text:
        return "A required field is missing."
    if "check" in text:
        return "A value is out of its allowed range."
    return "The data conflicts with database integrity rules."


def kitsu_exception_handler(exc, context):
    if isinstance(exc, exceptions.ValidationError):
        # The message reads as a sentence; `data.errors` lists the fields as the reference does.
        message = "; ".join(flatten_messages(exc.detail)) or "Invalid data."
        return error_response(message, 400, data={"errors": field_errors(exc.detail)})
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return error_response(_detail_text(exc) or "Missing or invalid authentication.", 401)
    if isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied):
        return error_response("You are not allowed to do that.", 403)
    if isinstance(exc, exceptions.NotFound | Http404):
        message = _detail_text(exc) if isinstance(exc, exceptions.NotFound) else ""
        return error_response(message or "Not found.", 404)
    if isinstance(exc, ProtectedError | RestrictedError):
        return error_response(protected_message(exc), 400)
    if isinstance(exc, IntegrityError):
        logger.info("integrity error: %s", exc)
        return error_response(integrity_message(exc), 400)
    if isinstance(exc, RequestDataTooBig):  # the non-file fields of an upload over the limit
        return error_response(error_message(413), 413)
    if isinstance(exc, DataError | OverflowError):
        # A value the database cannot store that no validation rule caught (the rules in
        # kitsu_server.api.inputs should): still bad input, and nothing of the request is kept.
        logger.warning("input refused by the database: %s", exc)
        set_rollback()
        return error_response("A value is out of range or malformed for its field.", 400)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return error_response(
            "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
            415,
        )
    if isinstance(exc, exceptions.ParseError):
        return error_response(f"Malformed request body: {_detail_text(exc)}", 400)
    if isinstance(exc, exceptions.APIException):
        response = error_response(_detail_text(exc), exc.status_code)
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response
    return None  # a real bug: let Django answer 500 and log it


def _detail_text(exc):
    detail = exc.detail
    if isinstance(detail, dict | list):
        return "; ".join(flatten_messages(detail))
    return str(detail)
