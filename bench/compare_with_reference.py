"""Compare, key by key, what the web UI's main pages load from this server and from the reference.

    .venv/bin/python bench/compare_with_reference.py \
        --ours http://127.0.0.1:8000/api --reference http://127.0.0.1:5000

Both servers get the same small production through their APIs (a TV show: two episodes, a
sequence, two shots, three assets, a casting, tasks assigned to an artist, comments, a time
spent, a milestone), under a fresh name each run. Then each route of the list below is read on
both sides, as the admin or as the artist, and the answers are walked together: keys present on
one side only, values of different JSON types (null vs {} vs [] included), list lengths, and
values that should be equal (names, counts, flags, dates). Ids cannot be equal across servers:
the ids of what the script created and of the shared lookups (task types, statuses, asset types
by name) are paired up front, and two ids met at the same place are paired on first sight and
must then stay paired. Datetimes (`...T...`) are compared by type only.

The output lists the differences per route; the exit status is 1 when there are any. Rows that
belong to other data of the servers (other projects, other persons) are left out of the global
lists, so the script can run against databases that hold other things.
"""

import argparse
import datetime
import re
import sys
import uuid

import requests

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATETIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
PASSWORD = "compare-password-1"
# Values that depend on the server's clock or configuration, compared by type only.
VOLATILE_KEYS = {"last_presence", "fido_credentials", "otp_recovery_codes", "token_in", "token_out"}


class Server:
    """One server's session: `get`, `post`, `put` of routes relative to its API root."""

    def __init__(self, name, base):
        self.name = name
        self.base = base.rstrip("/")
        self.session = requests.Session()

    def login(self, email, password):
        session = requests.Session()
        response = session.post(self.base + "/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return session

    def call(self, method, route, body=None, session=None):
        response = (session or self.session).request(method, self.base + route, json=body)
        if response.status_code >= 400:
            raise SystemExit(f"{self.name}: {method} {route} -> {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None


class Production:
    """What was built on one server: {label: id}."""

    def __init__(self):
        self.ids = {}

    def __getitem__(self, label):
        return self.ids[label]


def lookup_ids(server, route, key):
    return {key(row): row["id"] for row in server.call("GET", route)}


def build(server, tag, admin_email, admin_password):
    """The same small production on `server`, named after `tag`."""
    server.session = server.login(admin_email, admin_password)
    made = Production()
    made.ids["admin"] = server.call("GET", "/auth/authenticated")["user"]["id"]
    task_types = lookup_ids(server, "/data/task-types", lambda row: (row["name"], row["for_entity"]))
    statuses = lookup_ids(server, "/data/task-status", lambda row: row["short_name"])
    asset_types = lookup_ids(server, "/data/asset-types", lambda row: row["name"])
    for name, for_entity in (("Modeling", "Asset"), ("Shading", "Asset"), ("Animation", "Shot")):
        made.ids[f"task_type:{name}"] = task_types[(name, for_entity)]
    for short_name in ("todo", "wip", "wfa", "done"):
        made.ids[f"status:{short_name}"] = statuses[short_name]
    for name in ("Character", "Prop", "Environment"):
        made.ids[f"asset_type:{name}"] = asset_types[name]

    project = server.call("POST", "/data/projects", {"name": f"Compare {tag}", "production_type": "tvshow"})
    p = made.ids["project"] = project["id"]
    for label in ("task_type:Modeling", "task_type:Shading", "task_type:Animation"):
        server.call("POST", f"/data/projects/{p}/settings/task-types", {"task_type_id": made[label]})
    for short_name in ("todo", "wip", "wfa", "done"):
        server.call(
            "POST",
            f"/data/projects/{p}/settings/task-status",
            {"task_status_id": made[f"status:{short_name}"]},
        )
    for name in ("Character", "Prop", "Environment"):
        server.call(
            "POST", f"/data/projects/{p}/settings/asset-types", {"asset_type_id": made[f"asset_type:{name}"]}
        )

    artist = server.call(
        "POST",
        "/data/persons",
        {"email": f"artist-{tag}@example.com", "first_name": "Ada", "last_name": tag, "role": "user"},
    )
    made.ids["artist"] = artist["id"]
    server.call(
        "POST",
        f"/actions/persons/{artist['id']}/change-password",
        {"password": PASSWORD, "password_2": PASSWORD},
    )
    server.call("POST", f"/data/projects/{p}/team", {"person_id": artist["id"]})

    made.ids["E01"] = server.call("POST", f"/data/projects/{p}/episodes", {"name": "E01"})["id"]
    made.ids["E02"] = server.call("POST", f"/data/projects/{p}/episodes", {"name": "E02"})["id"]
    made.ids["SQ01"] = server.call(
        "POST", f"/data/projects/{p}/sequences", {"name": "SQ01", "episode_id": made["E01"]}
    )["id"]
    for name in ("SH010", "SH020"):
        made.ids[name] = server.call(
            "POST", f"/data/projects/{p}/shots", {"name": name, "sequence_id": made["SQ01"], "nb_frames": 24}
        )["id"]
    for name, asset_type, episode in (
        ("Hero", "Character", "E01"),
        ("Sword", "Prop", None),
        ("Tree", "Environment", None),
    ):
        body = {"name": name, "description": f"the {name.lower()}"}
        if episode:
            body["episode_id"] = made[episode]
        made.ids[name] = server.call(
            "POST", f"/data/projects/{p}/asset-types/{made[f'asset_type:{asset_type}']}/assets/new", body
        )["id"]
    server.call(
        "PUT",
        f"/data/projects/{p}/entities/{made['SH010']}/casting",
        [{"asset_id": made["Hero"], "nb_occurences": 1}, {"asset_id": made["Sword"], "nb_occurences": 2}],
    )

    for task_type, kind in (("Modeling", "assets"), ("Shading", "assets"), ("Animation", "shots")):
        tasks = server.call(
            "POST", f"/actions/projects/{p}/task-types/{made[f'task_type:{task_type}']}/{kind}/create-tasks"
        )
        entity_labels = {entity_id: label for label, entity_id in made.ids.items()}
        for task in tasks:
            made.ids[f"task:{task_type}:{entity_labels[task['entity_id']]}"] = task["id"]
    modeling = made["task:Modeling:Hero"]
    animation = made["task:Animation:SH010"]
    shading = made["task:Shading:Hero"]
    server.call(
        "PUT", f"/actions/persons/{made['artist']}/assign", {"task_ids": [modeling, animation, shading]}
    )
    as_artist = server.login(f"artist-{tag}@example.com", PASSWORD)
    server.call(
        "POST",
        f"/actions/tasks/{modeling}/comment",
        {"task_status_id": made["status:wip"], "comment": "Started"},
        session=as_artist,
    )
    server.call(
        "POST",
        f"/actions/tasks/{shading}/comment",
        {"task_status_id": made["status:done"], "comment": "Done"},
    )
    server.call(
        "POST",
        f"/actions/tasks/{animation}/comment",
        {"task_status_id": made["status:wfa"], "comment": "Look"},
        session=as_artist,
    )
    server.call(
        "POST", f"/actions/tasks/{modeling}/time-spents/{DAY}/persons/{made['artist']}", {"duration": 120}
    )
    server.call("POST", "/data/milestones", {"project_id": p, "date": DAY, "name": "Delivery"})

    # Richer rows: custom fields, dates and estimates, an episode's own casting, a subscription,
    # a playlist, a manager in the team.
    made.ids["descriptor"] = server.call(
        "POST",
        f"/data/projects/{p}/metadata-descriptors",
        {"entity_type": "Asset", "name": "Difficulty", "choices": ["easy", "hard"], "for_client": False},
    )["id"]
    server.call("PUT", f"/data/entities/{made['Hero']}", {"data": {"difficulty": "hard"}})
    server.call("PUT", f"/data/tasks/{modeling}", {"estimation": 480, "due_date": "2026-12-24T00:00:00"})
    server.call(
        "PUT",
        f"/data/projects/{p}/entities/{made['E02']}/casting",
        [{"asset_id": made["Tree"], "nb_occurences": 1}],
    )
    server.call("POST", f"/actions/user/tasks/{modeling}/subscribe", session=as_artist)
    made.ids["playlist"] = server.call(
        "POST",
        "/data/playlists",
        {"name": "Review", "project_id": p, "episode_id": made["E01"], "for_entity": "shot"},
    )["id"]
    manager = server.call(
        "POST",
        "/data/persons",
        {"email": f"manager-{tag}@example.com", "first_name": "Max", "last_name": tag, "role": "manager"},
    )
    made.ids["manager"] = manager["id"]
    server.call(
        "POST",
        f"/actions/persons/{manager['id']}/change-password",
        {"password": PASSWORD, "password_2": PASSWORD},
    )
    made.ids["day_off"] = server.call(
        "POST",
        "/data/day-offs",
        {"person_id": artist["id"], "date": "2026-12-28", "end_date": "2026-12-29", "description": "Rest"},
    )["id"]
    server.call("POST", f"/data/projects/{p}/team", {"person_id": manager["id"]})
    sessions = {"admin": server.session, "artist": as_artist}
    sessions["manager"] = server.login(f"manager-{tag}@example.com", PASSWORD)
    return made, sessions


DAY = datetime.date.today().isoformat()

# (label, route template, who: "admin", "artist" or "manager", both team members); templates
# read the labels of `build`.
ROUTES = [
    ("projects open", "/data/projects/open", "admin"),
    ("project", "/data/projects/{project}", "admin"),
    ("user context (artist)", "/data/user/context", "artist"),
    ("user projects open (artist)", "/data/user/projects/open", "artist"),
    ("assets with tasks", "/data/assets/with-tasks?project_id={project}", "admin"),
    ("assets with tasks, episode", "/data/assets/with-tasks?project_id={project}&episode_id={E01}", "admin"),
    ("assets with tasks, main", "/data/assets/with-tasks?project_id={project}&episode_id=main", "admin"),
    ("assets with tasks, all", "/data/assets/with-tasks?project_id={project}&episode_id=all", "admin"),
    ("shots with tasks", "/data/shots/with-tasks?project_id={project}", "admin"),
    ("shots with tasks, episode", "/data/shots/with-tasks?project_id={project}&episode_id={E01}", "admin"),
    ("episodes with tasks", "/data/episodes/with-tasks?project_id={project}", "admin"),
    ("sequences with tasks", "/data/sequences/with-tasks?project_id={project}&episode_id={E01}", "admin"),
    ("project asset types", "/data/projects/{project}/asset-types", "admin"),
    ("project assets", "/data/projects/{project}/assets", "admin"),
    ("project episodes", "/data/projects/{project}/episodes", "admin"),
    ("project sequences", "/data/projects/{project}/sequences", "admin"),
    ("project shots", "/data/projects/{project}/shots", "admin"),
    ("asset", "/data/assets/{Hero}", "admin"),
    ("asset cast in", "/data/assets/{Hero}/cast-in", "admin"),
    ("shot", "/data/shots/{SH010}", "admin"),
    ("shot casting", "/data/projects/{project}/entities/{SH010}/casting", "admin"),
    ("sequence casting", "/data/projects/{project}/sequences/{SQ01}/casting", "admin"),
    ("episodes casting", "/data/projects/{project}/episodes/casting", "admin"),
    ("task full", "/data/tasks/{modeling}/full", "admin"),
    ("task comments", "/data/tasks/{modeling}/comments", "admin"),
    ("user tasks (artist)", "/data/user/tasks", "artist"),
    ("user done tasks (artist)", "/data/user/done-tasks", "artist"),
    ("user tasks to check (admin)", "/data/user/tasks-to-check", "admin"),
    ("person tasks", "/data/persons/{artist}/tasks", "admin"),
    ("person done tasks", "/data/persons/{artist}/done-tasks", "admin"),
    ("team", "/data/projects/{project}/team", "admin"),
    ("persons", "/data/persons", "admin"),
    ("person", "/data/persons/{artist}", "admin"),
    ("persons (artist)", "/data/persons", "artist"),
    ("person (artist)", "/data/persons/{admin}", "artist"),
    ("news", "/data/projects/{project}/news", "admin"),
    ("schedule items", "/data/projects/{project}/schedule-items", "admin"),
    ("schedule task types", "/data/projects/{project}/schedule-items/task-types", "admin"),
    ("schedule asset types", "/data/projects/{project}/schedule-items/{modeling_type}/asset-types", "admin"),
    ("schedule episodes", "/data/projects/{project}/schedule-items/{animation_type}/episodes", "admin"),
    ("schedule sequences", "/data/projects/{project}/schedule-items/{animation_type}/sequences", "admin"),
    ("milestones", "/data/projects/{project}/milestones", "admin"),
    ("project time spents", "/data/projects/{project}/time-spents", "admin"),
    ("person time spents of a day", "/data/persons/{artist}/time-spents/{day}", "admin"),
    ("user time spents of a day (artist)", "/data/user/time-spents/{day}", "artist"),
    ("task time spents", "/actions/tasks/{modeling}/time-spents", "admin"),
    ("asset tasks", "/data/assets/{Hero}/tasks", "admin"),
    ("asset task types", "/data/assets/{Hero}/task-types", "admin"),
    ("shot tasks", "/data/shots/{SH010}/tasks", "admin"),
    ("asset type casting", "/data/projects/{project}/asset-types/{character_type}/casting", "admin"),
    ("metadata descriptors", "/data/projects/{project}/metadata-descriptors", "admin"),
    ("entity news", "/data/entities/{Hero}/news", "admin"),
    ("assets with tasks (artist)", "/data/assets/with-tasks?project_id={project}", "artist"),
    ("shots with tasks (artist)", "/data/shots/with-tasks?project_id={project}", "artist"),
    ("task full (artist)", "/data/tasks/{modeling}/full", "artist"),
    ("task comments (artist)", "/data/tasks/{modeling}/comments", "artist"),
    ("team (artist)", "/data/projects/{project}/team", "artist"),
    ("news (artist)", "/data/projects/{project}/news", "artist"),
    ("user notifications (artist)", "/data/user/notifications", "artist"),
    ("user asset types (artist)", "/data/user/projects/{project}/asset-types", "artist"),
    ("user episodes (artist)", "/data/user/projects/{project}/episodes", "artist"),
    ("user sequences (artist)", "/data/user/projects/{project}/sequences", "artist"),
    ("user sequence shots (artist)", "/data/user/sequences/{SQ01}/shots", "artist"),
    ("user filters (artist)", "/data/user/filters", "artist"),
    ("user filter groups (artist)", "/data/user/filter-groups", "artist"),
    (
        "assets with tasks, second episode",
        "/data/assets/with-tasks?project_id={project}&episode_id={E02}",
        "admin",
    ),
    ("project assets of an episode", "/data/projects/{project}/assets?episode_id={E01}", "admin"),
    ("playlist", "/data/playlists/{playlist}", "admin"),
    ("episode casting", "/data/projects/{project}/entities/{E02}/casting", "admin"),
    ("episodes stats", "/data/projects/{project}/episodes/stats", "admin"),
    ("asset full (artist)", "/data/assets/{Hero}", "artist"),
    ("edits with tasks", "/data/edits/with-tasks?project_id={project}", "admin"),
    ("concepts with tasks", "/data/concepts/with-tasks?project_id={project}", "admin"),
    ("budgets", "/data/projects/{project}/budgets", "admin"),
    ("budget time spents", "/data/projects/{project}/budgets/time-spents", "admin"),
    ("day table", "/data/persons/time-spents/day-table/{year}/{month}", "admin"),
    ("week table", "/data/persons/time-spents/week-table/{year}", "admin"),
    ("month table", "/data/persons/time-spents/month-table/{year}", "admin"),
    ("year table", "/data/persons/time-spents/year-table", "admin"),
    ("person month time spents", "/data/persons/{artist}/time-spents/month/{year}/{month}", "admin"),
    ("day offs of the year", "/data/persons/day-offs/{year}", "admin"),
    ("person day offs", "/data/persons/{artist}/day-offs", "admin"),
    ("subscribed (artist)", "/data/user/tasks/{modeling}/subscribed", "artist"),
    ("schedule versions", "/data/production-schedule-versions?project_id={project}", "admin"),
    ("episode", "/data/episodes/{E01}", "admin"),
    ("episode sequences", "/data/episodes/{E01}/sequences", "admin"),
    ("episode shots", "/data/episodes/{E01}/shots", "admin"),
    ("episode asset tasks", "/data/episodes/{E01}/asset-tasks", "admin"),
    ("episode shot tasks", "/data/episodes/{E01}/shot-tasks", "admin"),
    ("sequence", "/data/sequences/{SQ01}", "admin"),
    ("sequence shots", "/data/sequences/{SQ01}/shots", "admin"),
    ("sequence shot tasks", "/data/sequences/{SQ01}/shot-tasks", "admin"),
    ("shot assets", "/data/shots/{SH010}/assets", "admin"),
    ("shot asset types", "/data/shots/{SH010}/asset-types", "admin"),
    ("shot versions", "/data/shots/{SH010}/versions", "admin"),
    ("shot task types", "/data/shots/{SH010}/task-types", "admin"),
    ("all sequences casting", "/data/projects/{project}/sequences/all/casting", "admin"),
    ("episode sequences casting", "/data/projects/{project}/episodes/{E01}/sequences/all/casting", "admin"),
    ("shared assets used", "/data/projects/{project}/episodes/{E01}/assets/shared-used", "admin"),
    ("retake stats", "/data/projects/{project}/episodes/retake-stats", "admin"),
    ("quotas", "/data/projects/{project}/quotas/{animation_type}", "admin"),
    ("person quotas", "/data/projects/{project}/quotas/persons/{artist}", "admin"),
    ("asset shot instances", "/data/assets/{Hero}/shot-asset-instances", "admin"),
    ("user context (manager)", "/data/user/context", "manager"),
    ("persons (manager)", "/data/persons", "manager"),
    ("person (manager)", "/data/persons/{artist}", "manager"),
    ("team (manager)", "/data/projects/{project}/team", "manager"),
    (
        "assets with tasks (manager)",
        "/data/assets/with-tasks?project_id={project}&episode_id={E01}",
        "manager",
    ),
    ("tasks to check (manager)", "/data/user/tasks-to-check", "manager"),
    ("schedule items (manager)", "/data/projects/{project}/schedule-items", "manager"),
    ("project time spents (manager)", "/data/projects/{project}/time-spents", "manager"),
    ("day table (manager)", "/data/persons/time-spents/day-table/{year}/{month}", "manager"),
    ("person day offs (manager)", "/data/persons/{artist}/day-offs", "manager"),
]

# Differences that are the reference's, not ours: {(route label, path): why}. Printed as notes.
REFERENCE_QUIRKS = {
    ("episode", "$.nb_entities_out"): (
        "the reference serves an episode read by id from a cache its auto episode casting does not "
        "clear (its episode list, read from the database, says the same as ours)"
    ),
}

# Labels of the rows `build` finds rather than makes.
LOOKUPS = ("task_type", "status", "asset_type")

# Global lists whose rows are filtered to the pairs known up front (other data of the servers).
GLOBAL_ROUTES = {
    "projects open",
    "persons",
    "persons (artist)",
    "user context (artist)",
    "user projects open (artist)",
    "user tasks to check (admin)",
    "day table",
    "week table",
    "month table",
    "year table",
    "day offs of the year",
    "user context (manager)",
    "persons (manager)",
    "tasks to check (manager)",
    "day table (manager)",
}


class Comparison:
    """Walks two answers together and collects their differences."""

    def __init__(self, pairs, preexisting=()):
        self.pairs = dict(pairs)  # our id -> reference id
        # Rows that existed before the run (the admin, the lookups): their values are each
        # server's own data (an admin whose phone was set to "" by hand...): only their keys are
        # compared, their scalar values are reported as notes.
        self.preexisting = set(preexisting)
        self.notes = []
        self.reverse = {ref: ours for ours, ref in pairs.items()}
        self.known_ours = set(self.pairs)
        self.known_ref = set(self.reverse)

    def same_id(self, ours, ref):
        if ours in self.pairs or ref in self.reverse:
            return self.pairs.get(ours) == ref
        self.pairs[ours] = ref
        self.reverse[ref] = ours
        return True

    def keep_known(self, value, known):
        """Rows of global lists (at the root or one level down) left out unless paired up front."""
        if isinstance(value, list):
            return [
                row
                for row in value
                if not isinstance(row, dict) or row.get("id") in known or row.get("project_id") in known
            ]
        if isinstance(value, dict):
            # tables keyed by person (time tables): other persons' entries left out too
            kept = {}
            for key, item in value.items():
                if UUID_RE.match(key) and key not in known:
                    continue
                if isinstance(item, list | dict):
                    filtered = self.keep_known(item, known)
                    if item and not filtered:  # only other data under it (a year of other people)
                        continue
                    item = filtered
                kept[key] = item
            return kept
        return value

    def partner_of(self, our_key, our_value, candidates):
        """The reference key matching `our_key` among `candidates` ({key: value}): the same key,
        its paired id, else the candidate whose value looks most like ours (ids met in the
        same place are then paired)."""
        if isinstance(our_key, str) and our_key in candidates and not UUID_RE.match(our_key):
            return our_key
        paired = self.pairs.get(self.row_id(our_key, our_value))
        if paired is not None:
            return next((key for key, value in candidates.items() if self.row_id(key, value) == paired), None)
        if not candidates:
            return None
        return max(candidates, key=lambda key: self.likeness(our_value, candidates[key]))

    @staticmethod
    def row_id(key, value):
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            return value["id"]
        return key

    def likeness(self, ours, ref):
        """How many scalar values of two rows agree (ids through their pairs)."""
        if not isinstance(ours, dict) or not isinstance(ref, dict):
            return int(ours == ref)
        score = 0
        for key, value in ours.items():
            other = ref.get(key)
            if isinstance(value, str) and isinstance(other, str) and UUID_RE.match(value):
                score += self.pairs.get(value) == other
            elif not isinstance(value, dict | list) and value == other:
                score += 1
        return score

    def matched(self, ours_items, ref_items):
        """[(our key, reference key)] of two collections of rows, each reference row used once."""
        left = dict(ref_items)
        result = []
        for key, value in ours_items:
            partner = self.partner_of(key, value, left)
            if partner is None:
                result.append((key, None))
                continue
            left.pop(partner)
            result.append((key, partner))
        return result, list(left)

    def walk(self, ours, ref, path, differences):
        if type(ours) is not type(ref):
            numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (ours, ref))
            if not numbers:
                differences.append(f"{path}: type ours {short(ours)} / reference {short(ref)}")
                return
        if isinstance(ours, dict):
            if any(UUID_RE.match(key) for key in list(ours) + list(ref)):
                self.walk_collection(list(ours.items()), list(ref.items()), path, differences, keyed=True)
                return
            only_ours = sorted(set(ours) - set(ref))
            only_ref = sorted(set(ref) - set(ours))
            if only_ours:
                differences.append(f"{path}: keys only in ours {only_ours}")
            if only_ref:
                differences.append(f"{path}: keys only in reference {only_ref}")
            own_data = ours.get("id") in self.preexisting
            for key in ours:
                if key in ref and key not in VOLATILE_KEYS:
                    if own_data and not isinstance(ours[key], dict | list):
                        self.walk(ours[key], ref[key], f"{path}.{key}", self.notes)
                        continue
                    self.walk(ours[key], ref[key], f"{path}.{key}", differences)
        elif isinstance(ours, list):
            if len(ours) != len(ref):
                differences.append(f"{path}: {len(ours)} items in ours / {len(ref)} in reference")
            if ours and all(isinstance(row, dict) and "id" in row for row in ours + ref):
                self.walk_collection(list(enumerate(ours)), list(enumerate(ref)), path, differences)
            elif ours and all(isinstance(v, str) and UUID_RE.match(v) and v in self.pairs for v in ours):
                # id lists (a project's task types...) are sets: the order is the database's
                translated = sorted(self.pairs[v] for v in ours)
                if translated != sorted(ref):
                    differences.append(f"{path}: other ids ({len(ours)} / {len(ref)})")
            else:
                for index, (a, b) in enumerate(zip(ours, ref, strict=False)):
                    self.walk(a, b, f"{path}[{index}]", differences)
        elif isinstance(ours, str):
            if UUID_RE.match(ours) and UUID_RE.match(ref):
                if not self.same_id(ours, ref):
                    differences.append(f"{path}: another object ({ours} / {ref})")
            elif DATETIME_RE.match(ours) and DATETIME_RE.match(ref):
                return
            elif ours != ref:
                differences.append(f"{path}: value ours {short(ours)} / reference {short(ref)}")
        elif ours != ref:
            differences.append(f"{path}: value ours {short(ours)} / reference {short(ref)}")

    def walk_collection(self, ours_items, ref_items, path, differences, keyed=False):
        """Rows (or entries of a dict keyed by ids) matched by id, not by position: the order of
        rows that tie on the sort key is the database's own on both sides."""
        matches, unmatched = self.matched(ours_items, ref_items)
        ref_values = dict(ref_items)
        for key, partner in matches:
            where = f"{path}[{key}]" if not keyed or not UUID_RE.match(key) else f"{path}[<id>]"
            if partner is None:
                if keyed:
                    differences.append(f"{path}: key only in ours {short(key)}")
                continue
            if keyed and UUID_RE.match(key) and UUID_RE.match(partner) and not self.same_id(key, partner):
                differences.append(f"{path}: another key ({key} / {partner})")
            self.walk(dict(ours_items)[key], ref_values[partner], where, differences)
        if keyed:
            for key in unmatched:
                differences.append(f"{path}: key only in reference {short(key)}")


def short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ours", default="http://127.0.0.1:8000/api")
    parser.add_argument("--reference", default="http://127.0.0.1:5000")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")
    parser.add_argument("--only", default=None, help="compare only the routes whose label contains this")
    args = parser.parse_args()
    tag = uuid.uuid4().hex[:8]
    ours, ref = Server("ours", args.ours), Server("reference", args.reference)
    our_made, our_sessions = build(ours, tag, args.email, args.password)
    ref_made, ref_sessions = build(ref, tag, args.email, args.password)
    pairs = {our_made[label]: ref_made[label] for label in our_made.ids}
    preexisting = [
        our_made[label] for label in our_made.ids if label == "admin" or label.split(":")[0] in LOOKUPS
    ]
    comparison = Comparison(pairs, preexisting)
    names = dict(our_made.ids)
    names["day"] = DAY
    names["year"], names["month"] = DAY[:4], DAY[5:7]
    names["modeling_type"] = our_made["task_type:Modeling"]
    names["animation_type"] = our_made["task_type:Animation"]
    names["character_type"] = our_made["asset_type:Character"]
    names["modeling"] = our_made["task:Modeling:Hero"]
    ref_names = dict(ref_made.ids)
    ref_names["day"] = DAY
    ref_names["year"], ref_names["month"] = DAY[:4], DAY[5:7]
    ref_names["modeling_type"] = ref_made["task_type:Modeling"]
    ref_names["animation_type"] = ref_made["task_type:Animation"]
    ref_names["character_type"] = ref_made["asset_type:Character"]
    ref_names["modeling"] = ref_made["task:Modeling:Hero"]
    total = 0
    for label, template, who in ROUTES:
        if args.only and args.only not in label:
            continue
        our_route = template.format_map(names)
        ref_route = template.format_map(ref_names)
        our_answer = ours.call("GET", our_route, session=our_sessions[who])
        ref_answer = ref.call("GET", ref_route, session=ref_sessions[who])
        if label in GLOBAL_ROUTES:
            our_answer = comparison.keep_known(our_answer, comparison.known_ours)
            ref_answer = comparison.keep_known(ref_answer, comparison.known_ref)
        differences = []
        comparison.notes = []
        comparison.walk(our_answer, ref_answer, "$", differences)
        for difference in list(differences):
            why = REFERENCE_QUIRKS.get((label, difference.split(":")[0]))
            if why:
                differences.remove(difference)
                comparison.notes.append(f"{difference} ({why})")
        total += len(differences)
        print(f"{label}  {template}  ({who}): {len(differences) or 'same'}")
        for difference in differences:
            print(f"    {difference}")
        for note in comparison.notes:
            print(f"    (not counted) {note}")
    print(f"{total} difference(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
