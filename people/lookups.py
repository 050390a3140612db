"""What a persons route's URL names: the person (404 when none, also for an id that is no UUID)
and a day."""

import datetime
import uuid

from rest_framework.exceptions import NotFound, PermissionDenied

from kitsu_server.api.errors import WrongParameter
from people.models import Person


def person_or_404(person_id):
    """The person of the URL; an id that is no UUID names no person either (404, as the reference)."""
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        raise NotFound("Person not found.") from None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise NotFound("Person not found.")
    return person


def human_or_404(person_id):
    """The person of the URL, who must not be a bot (403)."""
    person = person_or_404(person_id)
    if person.is_bot:
        raise PermissionDenied
    return person


def parse_day(value, message):
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise WrongParameter(message) from None
