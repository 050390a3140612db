"""Who receives an event: the rooms of a connection, the rooms of an event, and what clients and
vendors may read (the rules of kitsu_server.core.access, applied to the row an event names).

Rooms (one Socket.IO room name each):

- `person:<id>`: every connection of that person (notifications, chats: personal events);
- `project:<id>`: the connections of that project's team whose role there reads the whole
  production (managers, supervisors, artists);
- `restricted:<id>`: the team's clients and vendors: an event of the project reaches them only
  when their role reads the row it names (a client-visible comment, a task of theirs...);
- `admins`: admins, who reach every production; `studio`: everyone but clients and vendors, for
  the studio-wide events (a new task status, a person's change).
"""

from django.core.exceptions import ValidationError

from assets.models import Entity
from files.models import PreviewFile
from kitsu_server.core.access import Access
from productions.models import ProjectPersonLink
from tasks.models import ChatParticipant, Comment, News, Task

RESTRICTED_ROLES = ("client", "vendor")
ADMINS, STUDIO = "admins", "studio"
TEAM_EVENT = "project:update"  # what a change of a production's team records
ENTITY_KINDS = ("asset", "shot", "sequence", "episode", "edit", "concept", "scene", "entity")


def person_room(person_id):
    return f"person:{person_id}"


def project_room(project_id):
    return f"project:{project_id}"


def restricted_room(project_id):
    return f"restricted:{project_id}"


# --- connections ---------------------------------------------------------------------------------


def connection_rooms(person):
    """The rooms a connection of `person` joins, from their global role and their teams."""
    access = Access(person)
    rooms = [person_room(person.pk)]
    if access.is_admin:
        return [*rooms, ADMINS, STUDIO]
    if access.role not in RESTRICTED_ROLES:
        rooms.append(STUDIO)
    for project_id in sorted(access.member_project_ids(), key=str):
        restricted = access.project_role(project_id) in RESTRICTED_ROLES
        rooms.append(restricted_room(project_id) if restricted else project_room(project_id))
    return rooms


def team_rooms(project_id):
    """{person id: the room of `project_id` their connections belong in} for its team (admins
    aside: they have theirs), read when the team may have changed (TEAM_EVENT)."""
    rows = ProjectPersonLink.objects.filter(project_id=project_id).values_list(
        "person_id", "role", "person__role"
    )
    rooms = {}
    for person_id, team_role, global_role in rows:
        role = team_role if team_role not in (None, "admin") else global_role
        rooms[str(person_id)] = (
            restricted_room(project_id) if role in RESTRICTED_ROLES else project_room(project_id)
        )
    return rooms


# --- events --------------------------------------------------------------------------------------


def event_audience(name, data, project_id):
    """Where an event goes, decided once when it is published: {"persons": [ids]} for personal
    events, {"project": id} for a production's, {} for the studio-wide ones."""
    kind = name.split(":", 1)[0]
    if kind == "notification":
        return {"persons": [data["person_id"]] if data.get("person_id") else []}
    if kind == "chat":
        persons = set()
        if data.get("chat_id"):
            persons.update(
                str(pk)
                for pk in ChatParticipant.objects.filter(chat_id=data["chat_id"]).values_list(
                    "person_id", flat=True
                )
            )
        if data.get("person_id"):
            persons.add(str(data["person_id"]))
        return {"persons": sorted(persons)}
    if project_id is not None:
        return {"project": str(project_id)}
    return {}


def entry_rooms(entry):
    """The rooms an event goes to as it is (the restricted rooms aside: see restricted_may_read)."""
    if "persons" in entry:
        return [person_room(person_id) for person_id in entry["persons"]]
    if "project" in entry:
        return [project_room(entry["project"]), ADMINS]
    return [STUDIO]


def _row_rule(kind, data):
    """(queryset of the row the event names, the access rule listing what a role reads of it)."""
    if kind == "comment" and data.get("comment_id"):
        return Comment.objects.filter(pk=data["comment_id"]), Access.visible_comments
    if kind == "task" and data.get("task_id"):
        return Task.objects.filter(pk=data["task_id"]), Access.visible_tasks
    if kind == "preview-file" and data.get("preview_file_id"):
        return PreviewFile.objects.filter(pk=data["preview_file_id"]), Access.visible_preview_files
    if kind == "news" and data.get("news_id"):
        return News.objects.filter(pk=data["news_id"]), Access.visible_news
    if kind in ENTITY_KINDS and data.get(f"{kind}_id"):
        return Entity.objects.filter(pk=data[f"{kind}_id"]), Access.visible_entities
    return None, None


def restricted_may_read(access, entry):
    """Whether a client or vendor of the event's production reads it: only when the event names a
    row their role may list (the row as it is now: a deleted one is no longer theirs to see)."""
    name, data = entry["name"], entry["data"]
    queryset, rule = _row_rule(name.split(":", 1)[0], data)
    if queryset is None:
        return False
    try:
        return rule(access, queryset).exists()
    except (ValueError, TypeError, ValidationError):  # a malformed id in the event
        return False
