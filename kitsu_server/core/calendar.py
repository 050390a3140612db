"""Working time: a person's time zone, local times as UTC, business days between two dates."""

import datetime
import zoneinfo

from django.conf import settings


def person_timezone(person):
    """The person's time zone, the instance's default when they have none (or a wrong one)."""
    for name in (person.timezone, settings.DEFAULT_TIMEZONE, "UTC"):
        if not name:
            continue
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return datetime.UTC


def local_to_utc(value, tz):
    """A naive local datetime as an aware UTC one."""
    return value.replace(tzinfo=tz).astimezone(datetime.UTC)


def business_days(start, end):
    """Week days strictly after `start` up to `end` (whole days apart), the reference's count."""
    return sum(
        1 for offset in range(1, (end - start).days + 1) if (start + datetime.timedelta(offset)).weekday() < 5
    )


def naive_utc(value):
    """An aware datetime as a naive UTC one (a naive one is taken as UTC already)."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value
