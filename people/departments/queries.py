"""Heavy reads of the departments area: a department's members, the software and hardware of
every department; a fixed number of queries whatever the number of rows."""

from collections import defaultdict

from kitsu_server.api.json import serialize_rows
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.rendering import render_rows
from people.models import (
    DepartmentLink,
    HardwareItem,
    HardwareItemDepartmentLink,
    Person,
    Software,
    SoftwareDepartmentLink,
    full_name,
)
from people.payloads import PERSON_SHAPE


def items_by_department(model, link_model, item_field):
    """{department id: [items linked to it]}, two queries whatever the number of links."""
    policy_path = {Software: "softwares", HardwareItem: "hardware-items"}[model]
    links = list(
        link_model.objects.values_list("department_id", f"{item_field}_id").order_by("created_at", "pk")
    )
    items = {
        row["id"]: row
        for row in render_rows(
            model.objects.filter(pk__in=link_model.objects.values(f"{item_field}_id")),
            shape=REGISTRY[policy_path].shape,
        )
    }
    grouped = {}
    for department_id, item_id in links:
        item = items.get(str(item_id))
        if item is not None:
            grouped.setdefault(str(department_id), []).append(item)
    return grouped


def software_by_department():
    return items_by_department(Software, SoftwareDepartmentLink, "software")


def hardware_items_by_department():
    return items_by_department(HardwareItem, HardwareItemDepartmentLink, "hardware_item")


MINIMAL_PERSON_COLUMNS = (
    "first_name",
    "last_name",
    "has_avatar",
    "active",
    "role",
    "desktop_login",
    "is_bot",
)


def department_persons(department, access):
    """The members of a department that `access` may list (visible_persons), by name: the whole
    (safe) person for admins, the minimal person (names, avatar, role, departments) for everyone
    else."""
    minimal = not access.is_admin
    queryset = Person.objects.filter(
        pk__in=DepartmentLink.objects.filter(department_id=department.pk).values("person_id")
    ).order_by("first_name", "last_name", "pk")
    queryset = access.visible_persons(queryset)
    if not minimal:
        rows = serialize_rows(queryset, relations=True, shape=PERSON_SHAPE)
        for row in rows:
            row["full_name"] = full_name(row["first_name"], row["last_name"])
        return rows
    persons = list(queryset.values("pk", "studio_id", *MINIMAL_PERSON_COLUMNS))
    departments = defaultdict(list)
    links = DepartmentLink.objects.filter(person_id__in=queryset.values("pk")).values_list(
        "person_id", "department_id"
    )
    for person_id, department_id in links:
        departments[person_id].append(str(department_id))
    return [
        {
            "id": str(person["pk"]),
            "type": "Person",
            "first_name": person["first_name"],
            "last_name": person["last_name"],
            "full_name": full_name(person["first_name"], person["last_name"]),
            "has_avatar": person["has_avatar"],
            "active": person["active"],
            "departments": departments[person["pk"]],
            "studio_id": str(person["studio_id"]) if person["studio_id"] else None,
            "role": person["role"],
            "desktop_login": person["desktop_login"],
            "is_bot": person["is_bot"],
        }
        for person in persons
    ]
