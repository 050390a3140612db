"""Data every installation starts with, the first admin, and a demo production.

`init_data` creates what the reference's `zou init-data` creates, per domain
preset; `create_admin` mirrors `zou create-admin`; `seed_demo_production`
builds a small believable TV show for trying the server out. All three are
idempotent: running them again changes nothing that exists.
"""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from assets.breakdown.services import CastEntry, cast_in_episodes, casting_targets, update_castings
from assets.models import EntityLink, EntityType
from kitsu_server.core.events import EventLog
from people.models import Department, DepartmentLink, Person
from productions.models import (
    Project,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectStatus,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
)
from shots.models import Episode, Sequence, Shot
from tasks.assignations.services import assign_tasks
from tasks.comments.services import post_comment
from tasks.models import Comment, Task, TaskStatus, TaskType, TimeSpent
from tasks.services import create_tasks
from tasks.time_spents.services import set_time_spent

DOMAINS = ("3d", "2d", "vfx", "games")

ASSET_TYPES = {
    "2d": ("Character", "Prop", "Background", "FX"),
    "3d": ("Character", "Prop", "Environment", "FX"),
    "vfx": ("Character", "Prop", "Environment", "FX", "Vehicle"),
    "games": ("Character", "Prop", "Environment", "FX", "UI"),
}
SHOT_SIDE_TYPES = ("Episode", "Sequence", "Shot", "Edit")

# Departments (name, color) and task types (department, name, color, priority, for_entity).
PIPELINES = {
    "2d": {
        "departments": [
            ("Concept", "#8D6E63"),
            ("Layout", "#7CB342"),
            ("Animation", "#009688"),
            ("Compositing", "#F06292"),
        ],
        "task_types": [
            ("Concept", "Concept", "#8D6E63", 1, "Asset"),
            ("Concept", "Storyboard", "#43A047", 1, "Shot"),
            ("Layout", "Layout", "#7CB342", 2, "Shot"),
            ("Animation", "Animation", "#009688", 3, "Shot"),
            ("Animation", "Clean-up", "#4DB6AC", 4, "Shot"),
            ("Compositing", "Color", "#F9A825", 5, "Shot"),
            ("Compositing", "Compositing", "#ff5252", 6, "Shot"),
            ("Compositing", "Edit", "#9b298c", 7, "Edit"),
            ("Concept", "Concept", "#8D6E63", 1, "Concept"),
        ],
    },
    "vfx": {
        "departments": [
            ("Modeling", "#78909C"),
            ("Animation", "#009688"),
            ("FX", "#26C6DA"),
            ("Compositing", "#F06292"),
            ("Concept", "#8D6E63"),
            ("Layout", "#7CB342"),
            ("Matchmove", "#5C6BC0"),
            ("DMP", "#8D6E63"),
        ],
        "task_types": [
            ("Concept", "Concept", "#8D6E63", 1, "Asset"),
            ("Modeling", "Modeling", "#78909C", 2, "Asset"),
            ("Modeling", "Shading", "#64B5F6", 3, "Asset"),
            ("Animation", "Rigging", "#9CCC65", 4, "Asset"),
            ("Matchmove", "Matchmove", "#5C6BC0", 1, "Shot"),
            ("Matchmove", "Rotomation", "#7986CB", 2, "Shot"),
            ("Concept", "Storyboard", "#43A047", 1, "Shot"),
            ("Layout", "Layout", "#7CB342", 2, "Shot"),
            ("Animation", "Animation", "#009688", 3, "Shot"),
            ("Compositing", "Lighting", "#F9A825", 4, "Shot"),
            ("FX", "FX", "#26C6DA", 5, "Shot"),
            ("Compositing", "Rendering", "#F06292", 6, "Shot"),
            ("Compositing", "Compositing", "#ff5252", 7, "Shot"),
            ("DMP", "DMP", "#A1887F", 8, "Shot"),
            ("Compositing", "Edit", "#9b298c", 9, "Edit"),
            ("Concept", "Concept", "#8D6E63", 1, "Concept"),
        ],
    },
    "games": {
        "departments": [
            ("Game Design", "#7B1FA2"),
            ("Level Design", "#00897B"),
            ("Character Art", "#78909C"),
            ("Environment Art", "#43A047"),
            ("Animation", "#009688"),
            ("VFX", "#26C6DA"),
            ("QA", "#E53935"),
        ],
        "task_types": [
            ("Game Design", "Game Design", "#7B1FA2", 1, "Asset"),
            ("Level Design", "Level Design", "#00897B", 2, "Asset"),
            ("Character Art", "Character Art", "#78909C", 3, "Asset"),
            ("Environment Art", "Environment Art", "#43A047", 4, "Asset"),
            ("Animation", "Animation", "#009688", 5, "Asset"),
            ("VFX", "VFX", "#26C6DA", 6, "Asset"),
            ("Character Art", "Concept", "#8D6E63", 1, "Concept"),
            ("QA", "QA", "#E53935", 1, "Shot"),
        ],
    },
    "3d": {
        "departments": [
            ("Modeling", "#78909C"),
            ("Animation", "#009688"),
            ("FX", "#26C6DA"),
            ("Compositing", "#F06292"),
            ("Concept", "#8D6E63"),
            ("Layout", "#7CB342"),
        ],
        "task_types": [
            ("Concept", "Concept", "#8D6E63", 1, "Asset"),
            ("Modeling", "Modeling", "#78909C", 2, "Asset"),
            ("Modeling", "Shading", "#64B5F6", 3, "Asset"),
            ("Animation", "Rigging", "#9CCC65", 4, "Asset"),
            ("Concept", "Storyboard", "#43A047", 1, "Shot"),
            ("Layout", "Layout", "#7CB342", 2, "Shot"),
            ("Animation", "Animation", "#009688", 3, "Shot"),
            ("Compositing", "Lighting", "#F9A825", 4, "Shot"),
            ("FX", "FX", "#26C6DA", 5, "Shot"),
            ("Compositing", "Rendering", "#F06292", 6, "Shot"),
            ("Compositing", "Compositing", "#ff5252", 7, "Shot"),
            ("Compositing", "Edit", "#9b298c", 8, "Edit"),
            ("Concept", "Concept", "#8D6E63", 1, "Concept"),
        ],
    },
}

# (name, short name, color, flags): the default "Todo" first, then the reference's set.
TASK_STATUSES = [
    ("Todo", "todo", "#f5f5f5", {"is_default": True}),
    ("Work In Progress", "wip", "#3273dc", {"is_wip": True}),
    ("Waiting For Approval", "wfa", "#ab26ff", {"is_feedback_request": True}),
    ("Retake", "retake", "#ff3860", {"is_retake": True}),
    ("Done", "done", "#22d160", {"is_done": True}),
    ("Ready To Start", "ready", "#fbc02d", {}),
    ("Neutral", "neutral", "#CCCCCC", {"is_default": True, "for_concept": True}),
    ("Approved", "approved", "#66BB6A", {"for_concept": True}),
    ("Rejected", "rejected", "#E81123", {"for_concept": True}),
]


def get_or_create_task_status(name, short_name, color, **flags):
    """Found by name, then by short name, within the same concept scope, as the reference does."""
    for_concept = flags.get("for_concept", False)
    status = (
        TaskStatus.objects.filter(name=name, for_concept=for_concept).first()
        or TaskStatus.objects.filter(short_name=short_name, for_concept=for_concept).first()
    )
    if status is None:
        status = TaskStatus.objects.create(name=name, short_name=short_name, color=color, **flags)
    return status


@transaction.atomic
def init_data(domain="3d"):
    """The minimum data set Kitsu needs. Returns {group: number of rows created}."""
    if domain not in DOMAINS:
        raise ValueError(f"Unknown domain {domain!r}: choose one of {', '.join(DOMAINS)}.")
    created = {
        "project statuses": 0,
        "entity types": 0,
        "departments": 0,
        "task types": 0,
        "task statuses": 0,
    }
    for name in ("Open", "Closed"):
        created["project statuses"] += ProjectStatus.objects.get_or_create(
            name=name, defaults={"color": "#000000"}
        )[1]
    for name in (*ASSET_TYPES[domain], *SHOT_SIDE_TYPES):
        if not EntityType.objects.filter(name__iexact=name).exists():
            EntityType.objects.create(name=name)
            created["entity types"] += 1
    departments = {}
    for name, color in PIPELINES[domain]["departments"]:
        departments[name], was_created = Department.objects.get_or_create(
            name=name, defaults={"color": color}
        )
        created["departments"] += was_created
    for department, name, color, priority, for_entity in PIPELINES[domain]["task_types"]:
        if not TaskType.objects.filter(name__iexact=name, for_entity=for_entity).exists():
            TaskType.objects.create(
                name=name,
                short_name="",  # as the reference's init-data writes it
                color=color,
                priority=priority,
                for_entity=for_entity,
                department=departments[department],
            )
            created["task types"] += 1
    before = TaskStatus.objects.count()
    for name, short_name, color, flags in TASK_STATUSES:
        get_or_create_task_status(name, short_name, color, **flags)
    created["task statuses"] = TaskStatus.objects.count() - before
    return created


class AdminCreationError(Exception):
    pass


@transaction.atomic
def create_admin(email, password=None):
    """Create an admin, or promote the person with this email; `password`, when given, becomes theirs.

    Returns (person, what happened: "created", "promoted" or "exists", whether the password was set).
    A password the person already has is left alone, so running this again ends no session.
    """
    email = (email or "").strip()
    person = Person.objects.filter(email__iexact=email, is_bot=False).first()
    if person is not None:
        password_set = password is not None and not person.check_password(password)
        if password_set:
            check_admin_password(password)
            person.set_password(password)  # which also ends the sessions of the old one
        outcome = "exists" if person.role == "admin" else "promoted"
        person.role = "admin"
        person.save(update_fields=["role", "password"] if password_set else ["role"])
        return person, outcome, password_set
    if password is None:
        raise AdminCreationError("A password is needed to create an admin (--password).")
    if email != "admin@example.com":  # Kitsu's documented default address is accepted as is
        try:
            validate_email(email)
        except ValidationError:
            raise AdminCreationError(f"Email is not valid: {email!r}.") from None
    check_admin_password(password)
    person = Person.objects.create_user(email, password, first_name="Super", last_name="Admin", role="admin")
    return person, "created", True


def check_admin_password(password):
    try:
        validate_password(password)
    except ValidationError as error:
        raise AdminCreationError(" ".join(error.messages)) from None


# --- the demo production ------------------------------------------------------------------

DEMO_PROJECT_NAME = "Demo TV Show"
DEMO_TEAM = [
    # (first name, last name, email, role, department)
    ("Maya", "Okafor", "maya.okafor@demo.kitsu", "supervisor", "Animation"),
    ("Tom", "Berger", "tom.berger@demo.kitsu", "manager", None),
    ("Lea", "Martin", "lea.martin@demo.kitsu", "user", "Modeling"),
    ("Hugo", "Silva", "hugo.silva@demo.kitsu", "user", "Animation"),
    ("Ines", "Park", "ines.park@demo.kitsu", "user", "Layout"),
    ("Sam", "Reed", "sam.reed@demo.kitsu", "user", "Compositing"),
    ("Clara", "Weiss", "clara.weiss@demo.kitsu", "client", None),
]
DEMO_ASSETS = [
    ("Character", "Nina"),
    ("Character", "Professor Bolt"),
    ("Prop", "Rocket"),
    ("Prop", "Lantern"),
]
DEMO_ASSETS_ENV = ("Environment", "Old Harbour")
DEMO_SEQUENCES = {"SQ010": ["SH0010", "SH0020", "SH0030"], "SQ020": ["SH0010", "SH0020", "SH0030"]}


def repair_demo_episode_casting(project):
    """Cast in their episode the assets the demo's shots cast: a demo seeded by an earlier
    version wrote its shot casting without the episode links, and its opening page (the assets
    of the first episode) was empty. Nothing happens when the links are there."""
    shot_links = EntityLink.objects.filter(entity_in__project=project, entity_in__entity_type__name="Shot")
    links = list(shot_links.values("entity_in_id", "entity_out_id", "label"))
    targets = casting_targets({link["entity_in_id"] for link in links})
    log = EventLog(None)
    cast_in_episodes(
        [(targets[link["entity_in_id"]], link["entity_out_id"], link["label"]) for link in links], log
    )
    log.record()


@transaction.atomic
def seed_demo_production(password):
    """Build the demo TV show once. Returns None when it already exists, else a summary of counts."""
    existing = Project.objects.filter(name=DEMO_PROJECT_NAME).first()
    if existing is not None:
        repair_demo_episode_casting(existing)
        return None
    if not TaskStatus.objects.filter(short_name="todo").exists():
        init_data("3d")
    statuses = {s.short_name: s for s in TaskStatus.objects.filter(for_concept=False)}
    project = Project.objects.create(
        name=DEMO_PROJECT_NAME,
        code="DEMO",
        production_type="tvshow",
        production_style="3d",
        fps="25",
        nb_episodes=1,
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 12, 18),
        project_status=ProjectStatus.objects.get(name="Open"),
        description="A small TV show to try Kitsu out: one episode, two sequences, a handful of assets.",
    )

    team = {}
    for first_name, last_name, email, role, department in DEMO_TEAM:
        person = Person.objects.filter(email__iexact=email, is_bot=False).first()
        if person is None:
            person = Person.objects.create_user(
                email, password, first_name=first_name, last_name=last_name, role=role
            )
        if department:
            department_row = Department.objects.filter(name=department).first()
            if (
                department_row
                and not DepartmentLink.objects.filter(person=person, department=department_row).exists()
            ):
                DepartmentLink.objects.create(person=person, department=department_row)
        ProjectPersonLink.objects.create(project=project, person=person)
        team[email.split(".")[0]] = person

    asset_task_types = list(
        TaskType.objects.filter(for_entity="Asset", department__isnull=False).order_by("priority")
    )
    shot_task_types = list(
        TaskType.objects.filter(for_entity="Shot", department__isnull=False).order_by("priority")
    )
    for priority, task_type in enumerate([*asset_task_types, *shot_task_types], start=1):
        ProjectTaskTypeLink.objects.create(project=project, task_type=task_type, priority=priority)
    for priority, status in enumerate(statuses.values(), start=1):
        ProjectTaskStatusLink.objects.create(project=project, task_status=status, priority=priority)

    assets = []
    for type_name, name in [*DEMO_ASSETS, DEMO_ASSETS_ENV]:
        asset_type = EntityType.objects.filter(name=type_name).first() or EntityType.objects.create(
            name=type_name
        )
        ProjectAssetTypeLink.objects.get_or_create(project=project, asset_type=asset_type)
        assets.append(
            project.entities.create(
                name=name,
                entity_type=asset_type,
                description=f"{type_name} of the demo show",
                data={},
                created_by=team["tom"],
            )
        )

    episode = Episode.objects.create(project=project, name="E01", description="Pilot", data={})
    shots = []
    frame_in = 1001
    for sequence_name, shot_names in DEMO_SEQUENCES.items():
        sequence = Sequence.objects.create(project=project, name=sequence_name, parent=episode, data={})
        for index, shot_name in enumerate(shot_names):
            nb_frames = 48 + 24 * index
            shots.append(
                Shot.objects.create(
                    project=project,
                    name=shot_name,
                    parent=sequence,
                    nb_frames=nb_frames,
                    data={"frame_in": frame_in, "frame_out": frame_in + nb_frames - 1, "fps": "25"},
                )
            )
            frame_in += nb_frames

    # Casting: every shot sees the harbour and one or two characters or props. Written the
    # breakdown's way, so the episode casts what its shots cast (its asset list is drawn
    # from that) and the counts and casting stats follow.
    targets = casting_targets([shot.pk for shot in shots])
    update_castings(
        [
            (
                targets[shot.pk],
                [
                    CastEntry(asset.pk, nb_occurences, "", complete=True)
                    for nb_occurences, asset in enumerate(
                        [assets[-1], assets[index % 2], assets[2 + index % 2]], start=1
                    )
                ],
            )
            for index, shot in enumerate(shots)
        ],
        user=team["tom"],
    )

    # Tasks, assignations, comments and time through the API's services: the events, news,
    # notifications and task dates are those of a production made in the web UI.
    artists_by_department = {}
    for person in team.values():
        for department_id in person.departments.values_list("id", flat=True):
            artists_by_department.setdefault(department_id, []).append(person)
    tasks = []
    for entities, task_types in ((assets, asset_task_types), (shots, shot_task_types)):
        for task_type in task_types:
            create_tasks(task_type, entities, team["tom"])
        made = Task.objects.filter(entity__in=entities).select_related("project", "task_type")
        by_key = {(task.entity_id, task.task_type_id): task for task in made}
        for task_type in task_types:
            assignees = artists_by_department.get(task_type.department_id, [])[:1]
            for person in assignees:
                assign_tasks([by_key[(entity.pk, task_type.pk)] for entity in entities], person, team["tom"])
        tasks += [by_key[(entity.pk, task_type.pk)] for entity in entities for task_type in task_types]

    # A short review history on a few tasks: work started, sent for review, a retake, done.
    history = [("wip", "hugo", "Blocking pass is up."), ("wfa", "hugo", "Ready for review.")]
    history += [
        ("retake", "maya", "Push the anticipation on frame 20."),
        ("done", "maya", "Approved, nice work!"),
    ]
    reviewed = [task for task in tasks if task.assignees.exists()][:4]
    for task_number, task in enumerate(reviewed):
        for short_name, author, text in history[: 2 + task_number % 3]:
            post_comment(task, statuses[short_name], team[author], team[author], text=text)
        assignee = task.assignees.first()
        for day, minutes in ((datetime.date(2026, 3, 2), 240), (datetime.date(2026, 3, 3), 180)):
            set_time_spent(task, assignee, day, minutes, add=False, user=assignee)

    return {
        "project": project.name,
        "persons": len(team),
        "assets": len(assets),
        "episodes": 1,
        "sequences": len(DEMO_SEQUENCES),
        "shots": len(shots),
        "casting links": EntityLink.objects.filter(entity_in__project=project).count(),
        "tasks": len(tasks),
        "comments": Comment.objects.filter(object_id__in=[t.id for t in reviewed]).count(),
        "time spents": TimeSpent.objects.filter(task__project=project).count(),
    }
