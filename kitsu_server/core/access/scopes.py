"""Facts about a person that access rules and list scopes are built from: team projects, assigned
tasks, departments, project roles. List scopes are subqueries (`..._ids(person)`), so a list stays one
query however many projects or tasks a person has."""

from django.db.models import Q

from kitsu_server.core.access.trace import traced
from people.models import DepartmentLink
from productions.models import ProjectPersonLink
from tasks.models import (
    TaskPersonLink,
    TaskType,
)

OPEN_PROJECT_STATUS = "Open"


def open_team_project_ids(person):
    """The open projects whose team holds `person` (the reference's "related projects")."""
    return ProjectPersonLink.objects.filter(
        person_id=person.pk, project__project_status__name=OPEN_PROJECT_STATUS
    ).values("project_id")


def team_project_ids(person):
    """Every project whose team holds `person`, open or not."""
    return ProjectPersonLink.objects.filter(person_id=person.pk).values("project_id")


def assigned_task_ids(person):
    return TaskPersonLink.objects.filter(person_id=person.pk).values("task_id")


def worked_entity_ids(person):
    """The entities on which `person` is assigned a task: all a vendor reaches of a production."""
    return TaskPersonLink.objects.filter(person_id=person.pk).values("task__entity_id")


def reachable_entities(access):
    """Q on entities: those of the team's productions; where the person is a vendor, only the
    entities they hold a task on."""
    seen = Q(pk__in=[])
    for role, project_ids in access.projects_by_role().items():
        if role == "vendor":
            seen |= Q(project_id__in=project_ids, pk__in=worked_entity_ids(access.person))
        else:
            seen |= Q(project_id__in=project_ids)
    return seen


@traced("departments of the person", kind="fact")
def department_ids(person):
    return set(DepartmentLink.objects.filter(person_id=person.pk).values_list("department_id", flat=True))


@traced("role of that person on the project", kind="fact")
def project_role_of(person, project_id):
    """The role `person` (any person, not the requester) holds on a project: team role, else global."""
    role = (
        ProjectPersonLink.objects.filter(project_id=project_id, person_id=person.pk)
        .values_list("role", flat=True)
        .first()
    )
    return role or person.role


@traced("assigned to the task", kind="fact")
def is_assigned(person, task_id):
    return TaskPersonLink.objects.filter(task_id=task_id, person_id=person.pk).exists()


@traced("assigned a task of the entity", kind="fact")
def works_on_entity(person, entity_id):
    """True when `person` is assigned a task of the entity."""
    return TaskPersonLink.objects.filter(task__entity_id=entity_id, person_id=person.pk).exists()


@traced("supervises the task type's department", kind="fact")
def supervises_task_type(person, task_type_id):
    """A supervisor without department supervises every task type; else those of their departments."""
    departments = department_ids(person)
    if not departments:
        return True
    department_id = TaskType.objects.filter(pk=task_type_id).values_list("department_id", flat=True).first()
    return department_id in departments


def is_assigned_id(person_id, task_id):
    return TaskPersonLink.objects.filter(task_id=task_id, person_id=person_id).exists()


def pk_of(value):
    """A validated foreign key value (a model instance) or a raw id, as an id."""
    return getattr(value, "pk", value)
