"""ShotGrid records of the studio: projects, people (HumanUser), pipeline steps, task statuses and
project connections (who works on which project)."""

from django.db.models.functions import Lower

from exchange.shotgrid.importing import (
    Importer,
    RowSkipped,
    by_shotgun_id,
    custom_fields,
    hex_color,
    link_id,
    update_fields,
)
from kitsu_server.core.teams import join_team
from people.models import Department, Person
from productions.models import Project, ProjectPersonLink, ProjectStatus
from tasks.models import TaskStatus, TaskType

PLACEHOLDER_EMAIL = "changeme@email.com"  # what ShotGrid gives its script and system users
ROLES_OF_PERMISSION_GROUPS = {"Manager": "manager", "Admin": "admin"}


class ProjectImporter(Importer):
    """Project: `name`, `sg_status` (a project status, created when new), the other `sg_` fields
    in `data`. Matched by ShotGrid id, then by name."""

    kind = "projects"
    model = Project
    event = "project"

    def prepare(self, entries):
        for name in {entry["sg_status"] for entry in entries if entry["sg_status"]}:
            ProjectStatus.objects.get_or_create(name=name, defaults={"color": "#000000"})
        self.status_ids = dict(ProjectStatus.objects.values_list("name", "pk"))

    def save(self, entry):
        values = {
            "name": entry["name"],
            "shotgun_id": entry["id"],
            "project_status_id": self.status_ids.get(entry["sg_status"]),
            "data": custom_fields(entry, excluded=("sg_status",)),
        }
        project = (
            by_shotgun_id(Project.objects, entry["id"]) or Project.objects.filter(name=entry["name"]).first()
        )
        if project is None:
            return Project.objects.create(file_tree={}, **values), True
        update_fields(project, values)
        return project, False


class PersonImporter(Importer):
    """HumanUser: `firstname`, `lastname`, `email`, `login` (desktop login), `sg_status_list`
    ("act": active), `permission_rule_set.name` (Manager, Admin, else an artist) and `department`
    (created when new; the person's only department). A person already here (by ShotGrid id, then
    by email) keeps their fields; only the department follows ShotGrid."""

    kind = "persons"
    model = Person
    event = "person"

    def save(self, entry):
        email = entry["email"]
        if email == PLACEHOLDER_EMAIL:
            raise RowSkipped("This entry is not a real person.")
        person = by_shotgun_id(Person.objects, entry["id"])
        if person is None:
            person = (
                Person.objects.alias(lowered=Lower("email"))
                .filter(lowered=email.strip().lower(), is_bot=False)
                .first()
            )
            if person is not None and person.shotgun_id is None:
                update_fields(person, {"shotgun_id": entry["id"]})
        created = person is None
        if created:
            rule_set = entry.get("permission_rule_set") or {}
            person = Person.objects.create_user(
                email,
                password=None,
                first_name=entry["firstname"] or "",
                last_name=entry["lastname"] or "",
                shotgun_id=entry["id"],
                desktop_login=entry["login"],
                active=(entry.get("sg_status_list", "act") == "act"),
                role=ROLES_OF_PERMISSION_GROUPS.get(rule_set.get("name"), "user"),
            )
        if entry.get("department") is not None:
            department, _ = Department.objects.get_or_create(
                name=entry["department"]["name"], defaults={"color": "#000000"}
            )
            if list(person.departments.all()) != [department]:
                person.departments.set([department])
        return person, created


class StepImporter(Importer):
    """Step: a task type named after `code`, with `short_name`, `color` ("r,g,b") and
    `entity_type` (Asset by default), in the department named by the first word of its code
    (created when new, with the step's color). Matched by ShotGrid id, then by name (any case)
    for the same kind of entity; a task type matched by name keeps its name."""

    kind = "steps"
    model = TaskType
    event = "task-type"

    def save(self, entry):
        color = hex_color(entry.get("color"))
        department, _ = Department.objects.get_or_create(
            name=entry["code"].split(" ")[0], defaults={"color": color}
        )
        values = {
            "name": entry["code"],
            "short_name": entry.get("short_name") or "",
            "shotgun_id": entry["id"],
            "color": color,
            "for_entity": entry.get("entity_type") or "Asset",
            "department_id": department.pk,
        }
        same_name = TaskType.objects.filter(name__iexact=values["name"], for_entity=values["for_entity"])
        task_type = by_shotgun_id(TaskType.objects, entry["id"])
        matched_by_name = task_type is None
        if task_type is None:
            task_type = same_name.order_by("created_at").first()
        if task_type is None:
            return TaskType.objects.create(**values), True
        if same_name.filter(department_id=department.pk).exists():
            # That name is taken in that department already (by this type or a twin): leave the key.
            for name in ("name", "for_entity", "department_id"):
                values.pop(name)
        elif matched_by_name:
            values.pop("name")
        update_fields(task_type, values)
        return task_type, False


class StatusImporter(Importer):
    """Status: a task status named `name`, short name `code`, color `bg_color` ("r,g,b").
    Matched by ShotGrid id, then by short name."""

    kind = "status"
    model = TaskStatus
    event = "task-status"

    def save(self, entry):
        values = {
            "name": entry["name"],
            "short_name": entry["code"],
            "shotgun_id": entry["id"],
            "color": hex_color(entry.get("bg_color")),
        }
        status = by_shotgun_id(TaskStatus.objects, entry["id"])
        if status is None:
            status = TaskStatus.objects.filter(short_name=entry["code"]).first()
        if status is None:
            return TaskStatus.objects.create(**values), True
        update_fields(status, values)
        return status, False


class ProjectConnectionImporter(Importer):
    """ProjectUserConnection: the `user` joins the team of the `project` (both matched by their
    ShotGrid ids); the link keeps the connection's ShotGrid id. Answers the project."""

    kind = "project-connections"
    model = Project
    event = None  # joining a team announces the project's update

    def save(self, entry):
        link = by_shotgun_id(ProjectPersonLink.objects.select_related("project"), entry["id"])
        if link is not None:
            return link.project, False
        project = by_shotgun_id(Project.objects, link_id(entry, "project"))
        person = by_shotgun_id(Person.objects, link_id(entry, "user"))
        if project is None or person is None:
            missing = "project" if project is None else "person"
            raise RowSkipped(f"The {missing} of this connection is not imported.")
        join_team(project, person, user=self.user)
        ProjectPersonLink.objects.filter(project=project, person=person).update(shotgun_id=entry["id"])
        return project, True
