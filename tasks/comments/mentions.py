"""What a comment's text names: the people (`@Full Name`), departments (`@Department`) and task
types (`#Type`) it mentions, and who those departments gather on a project."""

import re

from people.models import Department, Person, full_name
from productions.models import ProjectPersonLink

# --- what a text names ---------------------------------------------------------------------------


def _named(name, text):
    return re.search(f"@{re.escape(name)}( |$)", text or "") is not None


def mentioned_person_ids(project_id, text):
    """The project's team members named `@First Last` in `text` (preview accounts aside)."""
    if not text or "@" not in text:
        return []
    team = Person.objects.filter(
        pk__in=ProjectPersonLink.objects.filter(project_id=project_id).values("person_id"),
        preview_project__isnull=True,
    ).order_by("created_at", "pk")
    return [
        pk
        for pk, first_name, last_name in team.values_list("pk", "first_name", "last_name")
        if _named(full_name(first_name, last_name), text)
    ]


def mentioned_department_ids(text):
    """The departments named `@Name` in `text`."""
    if not text or "@" not in text:
        return []
    departments = Department.objects.order_by("name", "pk").values_list("pk", "name")
    return [pk for pk, name in departments if _named(name, text)]


def hashtags_of(text):
    """The task type names tagged `#name` in `text` (lower case); "all" alone when it is tagged."""
    tags = {tag[1:].lower() for tag in re.findall("#[a-zA-Z]*", text or "")}
    return {"all"} if "all" in tags else tags


def department_team_ids(project_id, department_ids):
    """The members of the project's team who belong to one of the departments."""
    if not department_ids:
        return []
    links = ProjectPersonLink.objects.filter(
        project_id=project_id, person__departments__in=department_ids
    ).order_by("person__created_at", "person_id")
    return list(links.values_list("person_id", flat=True))
