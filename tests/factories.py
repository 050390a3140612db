"""Small builders for test data: each makes a valid row with sensible defaults.

Plain functions rather than a factory library: the model is wide but the
rows tests need are few, and keyword overrides cover the rest.
"""

import itertools

from rest_framework.test import APIClient

from assets.models import Asset, EntityType
from people.auth.authentication import KitsuAccessToken
from people.models import Department, Person
from productions.models import Project, ProjectPersonLink, ProjectStatus
from shots.models import Episode, Sequence, Shot
from tasks.models import ApiEvent, Task, TaskPersonLink, TaskStatus, TaskType

_seq = itertools.count(1)


def client_for(person):
    """An API client logged in as `person` (a fresh access token, no login round trip)."""
    client = APIClient()
    # A login token, carrying the person's current token generation like those /auth/login hands out.
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {KitsuAccessToken.for_person(person)}")
    return client


def _n():
    return next(_seq)


def make_person(role="user", password="secret-password", **fields):
    n = _n()
    fields.setdefault("first_name", f"First{n}")
    fields.setdefault("last_name", f"Last{n}")
    fields.setdefault("email", f"person{n}@example.com")
    return Person.objects.create_user(password=password, role=role, **fields)


def make_project_status(name="Open", color="#000000"):
    return ProjectStatus.objects.get_or_create(name=name, defaults={"color": color})[0]


def make_project(**fields):
    fields.setdefault("name", f"Project {_n()}")
    fields.setdefault("project_status", make_project_status())
    return Project.objects.create(**fields)


def make_asset_type(name="Character"):
    return EntityType.objects.get_or_create(name=name)[0]


def make_asset(project, asset_type=None, **fields):
    fields.setdefault("name", f"Asset {_n()}")
    return Asset.objects.create(project=project, entity_type=asset_type or make_asset_type(), **fields)


def make_episode(project, **fields):
    fields.setdefault("name", f"E{_n():02d}")
    return Episode.objects.create(project=project, **fields)


def make_sequence(project, episode=None, **fields):
    fields.setdefault("name", f"SQ{_n():03d}")
    return Sequence.objects.create(project=project, parent=episode, **fields)


def make_shot(project, sequence, **fields):
    fields.setdefault("name", f"SH{_n():04d}")
    return Shot.objects.create(project=project, parent=sequence, **fields)


def make_department(name=None, color="#888888"):
    return Department.objects.create(name=name or f"Department {_n()}", color=color)


def make_task_type(name=None, for_entity="Asset", **fields):
    return TaskType.objects.create(name=name or f"Task type {_n()}", for_entity=for_entity, **fields)


def make_task_status(name=None, short_name=None, color="#f5f5f5", **fields):
    n = _n()
    return TaskStatus.objects.create(
        name=name or f"Status {n}", short_name=short_name or f"st{n}", color=color, **fields
    )


def make_task(entity, task_type=None, task_status=None, **fields):
    task_type = task_type or make_task_type()
    fields.setdefault("name", "main")
    return Task.objects.create(
        project=entity.project,
        entity=entity,
        task_type=task_type,
        task_status=task_status or make_task_status(),
        **fields,
    )


TEAM_ROLES = ("manager", "supervisor", "user", "client", "vendor")


def make_team(project, surname=None, outsider=None, admin=None, password="secret-password"):
    """A member of `project` for each of TEAM_ROLES, an "outsider" (a manager of no team) and an
    "admin": {role: person}.

    surname: the members are then named after their role ("Manager <surname>"). outsider, admin:
    other fields for those two (their role, their names); admin=False: no admin. password=None:
    unusable passwords, which skip the hashing.
    """

    def names(role):
        return {"first_name": role.title(), "last_name": surname} if surname else {}

    people = {role: make_person(role=role, password=password, **names(role)) for role in TEAM_ROLES}
    for person in people.values():
        join(project, person)
    people["outsider"] = make_person(**{"role": "manager", "password": password, **(outsider or {})})
    if admin is not False:
        people["admin"] = make_person(**{"role": "admin", "password": password, **(admin or {})})
    return people


def join(project, person, role=None):
    """`person` in the team of `project` (with a project `role` when given)."""
    ProjectPersonLink.objects.create(project=project, person=person, role=role)
    return person


def recorded_events(*names, order=("created_at",)):
    """(name, data) of the recorded events (of `names` when given), the project id aside."""
    rows = ApiEvent.objects.order_by(*order).values_list("name", "data")
    return [
        (name, {key: value for key, value in data.items() if key != "project_id"})
        for name, data in rows
        if not names or name in names
    ]


def assign(task, person):
    TaskPersonLink.objects.create(task=task, person=person)


# --- any model: one row with every required column filled ---------------------------------------

# Models a row of another one points at, built by the builders above (they know their rules).
_RELATED_BUILDERS = {
    "Person": lambda: make_person(password=None),
    "Project": lambda: make_project(),
    "ProjectStatus": lambda: make_project_status(),
    "EntityType": lambda: make_asset_type(),
    "Entity": lambda: make_asset(make_project()),
    "Department": lambda: make_department(),
    "TaskType": lambda: make_task_type(),
    "TaskStatus": lambda: make_task_status(),
    "Task": lambda: make_task(make_asset(make_project())),
}


def make_row(model, **fields):
    """A saved row of `model`: the given fields, and a made-up value for each column that has no
    default and may not be empty (a related row is built too). For the tests that must cover
    every model, new ones included, without a builder of their own."""
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in fields or field.attname in fields:
            continue
        if field.null or field.has_default() or (field.blank and not field.is_relation):
            continue
        fields[field.name] = made_up_value(field)
    return model._default_manager.create(**fields)


def made_up_value(field):
    import datetime
    import uuid

    from django.db import models

    n = _n()
    if field.is_relation:
        related = field.related_model
        builder = _RELATED_BUILDERS.get(related._meta.concrete_model.__name__)
        return builder() if builder else make_row(related)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return f"row{n}@example.com"
    if isinstance(field, models.CharField | models.TextField):
        return f"{field.name} {n}"[: field.max_length or None]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField):
        return n
    if isinstance(field, models.FloatField | models.DecimalField):
        return float(n)
    if isinstance(field, models.DateTimeField):
        return datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC)
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 5)
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    raise NotImplementedError(f"make_row: no made-up value for {field!r}")


def make_boards(project):
    """Three assets and three shots (of SQ01 in E01) in `project`, a task on each: both boards."""
    character = make_asset_type("Character")
    sequence = make_sequence(project, make_episode(project, name="E01"), name="SQ01")
    modeling = make_task_type("Modeling")
    animation = make_task_type("Animation", for_entity="Shot")
    for number in range(3):
        make_task(make_asset(project, character, name=f"Asset{number}"), modeling)
        make_task(make_shot(project, sequence, name=f"SH{number:02}"), animation)
    return project
