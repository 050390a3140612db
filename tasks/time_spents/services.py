"""Writes of time spents: setting, adding to and removing the minutes a person spent on a task a day,
with the task's duration and the person's last presence kept up to date."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from kitsu_server.api.json import serialize_instance
from kitsu_server.core.events import record_event
from people.models import DesktopLoginLog
from tasks.models import TimeSpent
from tasks.queries import shape_of
from tasks.services import refresh_task_duration

# --- time spents --------------------------------------------------------------------------------


@transaction.atomic
def set_time_spent(task, person, day, duration, add, user):
    """The minutes `person` spent on `task` on `day`: set, or added to what was there (`add`).
    A new entry moves the person's last presence. The task's duration is summed again.
    Records `time-spent:new` or `time-spent:update`, then `task:update`."""
    time_spent, created = locked_time_spent(task, person, day), False
    if time_spent is None:
        time_spent, created = create_time_spent(task, person, day, duration)
    if created:
        refresh_last_presence(person, user)
        event = "time-spent:new"
    else:
        time_spent.duration = time_spent.duration + duration if add else duration
        time_spent.save(update_fields=["duration"])
        event = "time-spent:update"
    record_event(event, {"time_spent_id": str(time_spent.pk)}, project_id=task.project_id, user=user)
    refresh_task_duration(task.pk, user=user)
    return serialize_instance(time_spent, shape=shape_of("time-spents"))


def locked_time_spent(task, person, day):
    return TimeSpent.objects.select_for_update().filter(task=task, person=person, date=day).first()


def create_time_spent(task, person, day, duration):
    """(the new entry, True); (the entry a concurrent request just made, False) when it won the
    unique key of the day."""
    try:
        with transaction.atomic():
            return TimeSpent.objects.create(task=task, person=person, date=day, duration=duration), True
    except IntegrityError:
        time_spent = locked_time_spent(task, person, day)
        if time_spent is None:
            raise
        return time_spent, False


@transaction.atomic
def delete_time_spent(time_spent, user):
    """Remove an entry; the task's duration is summed again. Returns the entry with no duration
    left, as the reference does. Records `time-spent:delete` and `task:update`."""
    data = serialize_instance(time_spent, shape=shape_of("time-spents"))
    data["duration"] = 0
    task = time_spent.task
    time_spent.delete()
    record_event("time-spent:delete", {"time_spent_id": data["id"]}, project_id=task.project_id, user=user)
    refresh_task_duration(task.pk, user=user)
    return data


def refresh_last_presence(person, user):
    """A person's last presence: their latest desktop login or logged day (`person:update`)."""
    last_login = DesktopLoginLog.objects.filter(person=person).aggregate(last=Max("date"))["last"]
    last_day = TimeSpent.objects.filter(person=person).aggregate(last=Max("date"))["last"]
    days = [day for day in (last_login.date() if last_login else None, last_day) if day is not None]
    person.last_presence = max(days, default=None)
    person.save(update_fields=["last_presence"])
    record_event("person:update", {"person_id": str(person.pk)}, user=user)
