"""ShotGrid records shaped as the sync daemon pushes them (shotgun_api3 `find` results: links are
`{"type", "id", "name"}` objects, empty fields are null, the studio's own fields start with sg_)."""


def link(kind, shotgun_id, name=None):
    return {"type": kind, "id": shotgun_id, "name": name}


def project(shotgun_id=70, name="Big Buck Bunny", status="Active", **fields):
    return {
        "type": "Project",
        "id": shotgun_id,
        "name": name,
        "sg_status": status,
        "sg_description": "An open movie",
        "sg_type": None,
        **fields,
    }


def human_user(shotgun_id=88, email="rita@studio.example", group="Artist", department="Animation", **fields):
    return {
        "type": "HumanUser",
        "id": shotgun_id,
        "firstname": "Rita",
        "lastname": "Moreno",
        "email": email,
        "login": "rmoreno",
        "sg_status_list": "act",
        "permission_rule_set": {"type": "PermissionRuleSet", "id": 7, "name": group},
        "department": {"type": "Department", "id": 3, "name": department} if department else None,
        **fields,
    }


def step(shotgun_id=12, code="Anim", entity_type="Shot", color="255,128,0", short_name="ANM"):
    return {
        "type": "Step",
        "id": shotgun_id,
        "code": code,
        "short_name": short_name,
        "color": color,
        "entity_type": entity_type,
    }


def status(shotgun_id=5, name="Waiting to Start", code="wtg", bg_color="128,128,128"):
    return {"type": "Status", "id": shotgun_id, "name": name, "code": code, "bg_color": bg_color}


def asset(shotgun_id=1001, code="Bunny", asset_type="Character", project_id=70, parents=()):
    return {
        "type": "Asset",
        "id": shotgun_id,
        "code": code,
        "description": "The hero",
        "sg_asset_type": asset_type,
        "project": link("Project", project_id, "Big Buck Bunny"),
        "parents": [link("Asset", parent) for parent in parents],
    }


def episode(shotgun_id=201, code="E01", project_name="Big Buck Bunny"):
    return {
        "type": "Episode",
        "id": shotgun_id,
        "code": code,
        "description": "Pilot",
        "project": link("Project", 70, project_name),
    }


def sequence(shotgun_id=301, code="SQ010", episode_id=201, project_name="Big Buck Bunny"):
    return {
        "type": "Sequence",
        "id": shotgun_id,
        "code": code,
        "description": "Opening",
        "project": link("Project", 70, project_name),
        "episode": link("Episode", episode_id) if episode_id else None,
    }


def scene(shotgun_id=401, code="SC01", sequence_id=301):
    return {
        "type": "Scene",
        "id": shotgun_id,
        "code": code,
        "project": link("Project", 70, "Big Buck Bunny"),
        "sequence_sg_scenes_1_sequences": [link("Sequence", sequence_id)] if sequence_id else [],
    }


def shot(shotgun_id=501, code="SH0010", sequence_id=301, cut_in=1001, duration=48, assets=(), **fields):
    return {
        "type": "Shot",
        "id": shotgun_id,
        "code": code,
        "project": link("Project", 70, "Big Buck Bunny"),
        "sg_sequence": link("Sequence", sequence_id) if sequence_id else None,
        "sg_scene": None,
        "sg_cut_in": cut_in,
        "sg_cut_out": cut_in + duration if cut_in is not None else None,
        "sg_cut_duration": duration,
        "sg_status_list": "ip",
        "assets": [link("Asset", asset_id) for asset_id in assets],
        **fields,
    }


def task(
    shotgun_id=601, entity=("Shot", 501), step_id=12, status_code="wtg", assignees=(88,), creator=88, **fields
):
    return {
        "type": "Task",
        "id": shotgun_id,
        "cached_display_name": "Animation",
        "content": "Animation",
        "entity": link(entity[0], entity[1]) if entity else None,
        "step": link("Step", step_id) if step_id else None,
        "project": link("Project", 70, "Big Buck Bunny"),
        "sg_status_list": status_code,
        "created_by": link("HumanUser", creator) if creator else None,
        "task_assignees": [link("HumanUser", person) for person in assignees],
        "start_date": "2024-03-01",
        "due_date": "2024-03-15",
        "sg_sort_order": 3,
        "duration": 4800,
        **fields,
    }


def version(shotgun_id=701, code="SH0010_anim_v001", task_id=601, user=88, movie=True):
    return {
        "type": "Version",
        "id": shotgun_id,
        "code": code,
        "description": "First pass",
        "sg_task": link("Task", task_id) if task_id else None,
        "user": link("HumanUser", user) if user else None,
        "sg_uploaded_movie": (
            {
                "url": "https://sg.example/files/v001.mov",
                "name": "v001.mov",
                "content_type": "video/quicktime",
            }
            if movie
            else None
        ),
    }


def note(shotgun_id=801, task_id=601, user=88, content="Faster ears, please"):
    return {
        "type": "Note",
        "id": shotgun_id,
        "content": content,
        "tasks": [link("Task", task_id)] if task_id else [],
        "user": link("HumanUser", user),
        "created_at": "2024-03-02T14:30:00Z",
    }


def project_connection(shotgun_id=901, project_id=70, user=88):
    return {
        "type": "ProjectUserConnection",
        "id": shotgun_id,
        "project": link("Project", project_id),
        "user": link("HumanUser", user),
    }
