"""What a ShotGrid push must look like: a JSON list of ShotGrid records, as the sync daemon sends
them (the fields of `shotgun_api3`'s `find` results: `{"type": "Shot", "id": 1234, "code": ...,
"project": {"type": "Project", "id": 70, "name": ...}}`).

The whole payload is checked before anything is written: a record missing a field the import
reads, or holding a value of the wrong kind, is a 400 naming the record and the field. What
depends on the data already here (a project not imported yet, a person with the placeholder
email) is a row error instead, kept as a `DataImportError` (see services.py).
"""

import datetime

from kitsu_server.api.errors import WrongParameter

INT32 = (-(2**31), 2**31 - 1)


class Shape:
    """A kind of value: `label` for the error message, `test(value)` -> bool."""

    def __init__(self, label, test):
        self.label = label
        self.test = test


class Optional:
    """A field the import reads only when the record has it."""

    def __init__(self, shape):
        self.shape = shape


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and INT32[0] <= value <= INT32[1]


def _is_number(value):
    return (_is_int(value) or isinstance(value, float)) and value == value  # no NaN


def _is_date(value):
    if not isinstance(value, str):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_color(value):
    parts = value.split(",") if isinstance(value, str) else []
    return len(parts) == 3 and all(part.strip().isdigit() and int(part) <= 255 for part in parts)


def text(max_length=None):
    label = f"a string of at most {max_length} characters" if max_length else "a string"
    return Shape(
        label, lambda value: isinstance(value, str) and (max_length is None or len(value) <= max_length)
    )


def nullable(shape):
    return Shape(f"{shape.label} or null", lambda value: value is None or shape.test(value))


def record(**fields):
    """An object holding these fields (a ShotGrid link: `{"type": ..., "id": ...}`)."""
    names = ", ".join(f'"{name}"' for name in fields)
    return Shape(
        f"an object with {names}",
        lambda value: (
            isinstance(value, dict) and all(shape.test(value.get(name)) for name, shape in fields.items())
        ),
    )


def list_of(shape):
    return Shape(
        f"a list of {shape.label}s",
        lambda value: isinstance(value, list) and all(shape.test(item) for item in value),
    )


INT = Shape("an integer", _is_int)
NUMBER = Shape("a number", _is_number)
DATE = Shape("an ISO date", _is_date)
COLOR = Shape('a color "red,green,blue"', _is_color)
TEXT = text()
LINK = record(id=INT)
NAMED = record(name=TEXT)
LINKS = list_of(LINK)

# Per kind of record, the fields the import reads (ShotGrid sends them all, null when empty).
FIELDS = {
    "projects": {"id": INT, "name": text(80), "sg_status": nullable(text(20))},
    "persons": {
        "id": INT,
        "firstname": nullable(TEXT),
        "lastname": nullable(TEXT),
        "email": text(254),
        "login": nullable(text(80)),
        "sg_status_list": Optional(nullable(TEXT)),
        "permission_rule_set": Optional(nullable(record(name=nullable(TEXT)))),
        "department": Optional(nullable(record(name=text(80)))),
    },
    "steps": {
        "id": INT,
        "code": text(40),
        "short_name": Optional(nullable(text(20))),
        "color": Optional(nullable(COLOR)),
        "entity_type": Optional(nullable(text(30))),
    },
    "status": {"id": INT, "name": text(40), "code": text(10), "bg_color": Optional(nullable(COLOR))},
    "assets": {
        "id": INT,
        "code": text(160),
        "description": nullable(TEXT),
        "sg_asset_type": nullable(text(30)),
        "project": nullable(LINK),
        "parents": Optional(nullable(LINKS)),
    },
    "episodes": {"id": INT, "code": text(160), "description": nullable(TEXT), "project": nullable(NAMED)},
    "sequences": {
        "id": INT,
        "code": text(160),
        "description": nullable(TEXT),
        "project": nullable(NAMED),
        "episode": Optional(nullable(LINK)),
    },
    "scenes": {
        "id": INT,
        "code": text(160),
        "project": nullable(NAMED),
        "sequence_sg_scenes_1_sequences": Optional(nullable(LINKS)),
    },
    "shots": {
        "id": INT,
        "code": text(160),
        "project": nullable(NAMED),
        "sg_cut_in": nullable(INT),
        "sg_cut_duration": nullable(INT),
        "sg_sequence": Optional(nullable(LINK)),
        "sg_scene": Optional(nullable(LINK)),
        "assets": Optional(nullable(LINKS)),
    },
    "tasks": {
        "id": INT,
        "step": nullable(LINK),
        "project": nullable(LINK),
        "entity": nullable(record(id=INT, type=TEXT)),
        "sg_status_list": nullable(text(10)),
        "created_by": nullable(LINK),
        "task_assignees": nullable(LINKS),
        "cached_display_name": text(80),
        "start_date": nullable(DATE),
        "due_date": nullable(DATE),
        "sg_sort_order": nullable(INT),
        "duration": nullable(NUMBER),
    },
    "versions": {
        "id": INT,
        "code": text(250),
        "description": nullable(TEXT),
        "sg_task": nullable(LINK),
        "user": Optional(nullable(LINK)),
        "sg_uploaded_movie": nullable(record(url=text(600), name=text(150))),
    },
    "notes": {
        "id": INT,
        "content": nullable(TEXT),
        "tasks": LINKS,
        "user": nullable(LINK),
        "created_at": DATE,
    },
    "project-connections": {"id": INT, "project": LINK, "user": LINK},
}


def checked_entries(kind, body):
    """The records of a push of `kind`, each checked against what the import reads: a 400 naming
    the first record and field that are wrong."""
    if not isinstance(body, list):
        raise WrongParameter("A list of ShotGrid records is expected.")
    fields = FIELDS[kind]
    for index, entry in enumerate(body):
        if not isinstance(entry, dict):
            raise WrongParameter(f"Record {index}: a JSON object is expected.")
        for name, shape in fields.items():
            if isinstance(shape, Optional):
                if name not in entry:
                    continue
                shape = shape.shape
            elif name not in entry:
                raise WrongParameter(f'Record {index}: the field "{name}" is missing.')
            if not shape.test(entry[name]):
                raise WrongParameter(f'Record {index}: the field "{name}" must be {shape.label}.')
    return body


def checked_removal(body):
    """The ShotGrid id a removal names (`{"id": 1234}`), or a 400."""
    if not isinstance(body, dict):
        raise WrongParameter("A ShotGrid record is expected.")
    if "id" not in body:
        raise WrongParameter('The field "id" is missing.')
    if not INT.test(body["id"]):
        raise WrongParameter('The field "id" must be an integer.')
    return body["id"]
