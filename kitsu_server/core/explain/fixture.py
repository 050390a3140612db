"""The small production the role x route matrix is computed on: one person per role and a row
of everything a route can name.

`build_fixture()` writes it (the matrix command rolls it back afterwards). Rows are made with the
models only; a model the builder does not know gets a row with every required column filled,
its relations pointing at the fixture's rows, so that a new model needs nothing here.
"""

import datetime
import itertools
import uuid

from django.apps import apps
from django.db import IntegrityError, models, transaction

from kitsu_server.core.deletion import remove_playlists
from kitsu_server.core.trash.units import trashing

# The people of the matrix: {column: (global role, in the team, what they are)}. Described in
# docs/permissions.md.
ROLES = {
    "admin": ("admin", False, "an admin (in no team: admins reach every production)"),
    "manager": ("manager", True, "a manager of the production"),
    "supervisor": ("supervisor", True, "a supervisor of the Modeling department"),
    "artist": ("user", True, "an artist of the Modeling department assigned to the modeling task"),
    "artist-unassigned": ("user", True, "an artist of the team assigned nothing"),
    "client": ("client", True, "a client of the production"),
    "vendor": ("vendor", True, "a vendor assigned to the modeling task (of the asset)"),
    "outsider": ("manager", False, "a manager by global role, in no team"),
}


class Fixture:
    """{role: person}, and the row of each model routes name (`row(model)`)."""

    def __init__(self):
        self.rows = {}  # {model class: row}
        self.people = {}
        self.counter = itertools.count(1)
        self.tag = uuid.uuid4().hex[:6]  # keeps names unique beside existing rows

    def n(self):
        return next(self.counter)

    def keep(self, row):
        self.rows.setdefault(type(row), row)
        concrete = type(row)._meta.concrete_model
        self.rows.setdefault(concrete, row)
        return row

    def make(self, label, **fields):
        model = apps.get_model(label) if isinstance(label, str) else label
        return self.keep(self.build(model, fields))

    def row(self, model):
        """The fixture's row of `model` (made with its required columns when there is none), or
        None when the model's own rules refuse such a row."""
        if model in self.rows:
            return self.rows[model]
        if model._meta.concrete_model in self.rows and not model._meta.proxy:
            return self.rows[model._meta.concrete_model]
        try:
            with transaction.atomic():
                return self.keep(self.build(model, {}))
        except (ValueError, TypeError, LookupError, IntegrityError):
            return None

    def build(self, model, fields):
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in fields or field.attname in fields:
                continue
            if field.null or field.has_default() or (field.blank and not field.is_relation):
                project = self.rows.get(apps.get_model("productions.Project"))
                if field.is_relation and field.related_model is type(project) and project is not None:
                    fields[field.name] = project  # an optional production: the fixture's
                continue
            fields[field.name] = self.value_for(field)
        return model._default_manager.create(**fields)

    def value_for(self, field):
        n = self.n()
        if field.is_relation:
            return self.row(field.related_model)
        if field.choices:
            return field.choices[0][0]
        if isinstance(field, models.EmailField):
            return f"matrix{n}-{self.tag}@example.com"
        if isinstance(field, models.CharField | models.TextField):
            return f"{field.name} {n} {self.tag}"[: field.max_length or None]
        if isinstance(field, models.BooleanField):
            return False
        if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
            return n
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
        raise ValueError(f"no made-up value for {field!r}")


def build_fixture():
    """The production of the matrix (see ROLES): written, for the caller to roll back."""
    f = Fixture()
    Person = apps.get_model("people.Person")  # noqa: N806
    status = apps.get_model("productions.ProjectStatus").objects.get_or_create(
        name="Open", defaults={"color": "#000000"}
    )[0]
    f.keep(status)
    project = f.make("productions.Project", name=f"Matrix {f.tag}", project_status=status)
    modeling_dept = f.make("people.Department", name=f"Modeling {f.tag}", color="#888888")
    animation_dept = apps.get_model("people.Department").objects.create(
        name=f"Animation {f.tag}", color="#888888"
    )
    modeling = f.make(
        "tasks.TaskType", name=f"Modeling {f.tag}", for_entity="Asset", department=modeling_dept
    )
    animation = apps.get_model("tasks.TaskType").objects.create(
        name=f"Animation {f.tag}", for_entity="Shot", department=animation_dept
    )
    task_status = f.make("tasks.TaskStatus", name=f"Todo {f.tag}", short_name=f"td{f.tag}", color="#f5f5f5")
    f.make("productions.ProjectTaskTypeLink", project=project, task_type=modeling)
    apps.get_model("productions.ProjectTaskTypeLink").objects.create(project=project, task_type=animation)
    f.make("productions.ProjectTaskStatusLink", project=project, task_status=task_status)

    for column, (role, in_team, _) in ROLES.items():
        person = Person.objects.create_user(
            f"{column}-{f.tag}@example.com",
            None,
            first_name=column.replace("-", " ").title(),
            last_name="Matrix",
            role=role,
        )
        f.people[column] = person
        if in_team:
            f.make("productions.ProjectPersonLink", project=project, person=person)
    colleague = Person.objects.create_user(
        f"colleague-{f.tag}@example.com", None, first_name="Colleague", last_name="Matrix", role="user"
    )
    apps.get_model("productions.ProjectPersonLink").objects.create(project=project, person=colleague)
    f.rows[Person] = colleague  # whose rows a route names ({person_id})
    DepartmentLink = apps.get_model("people.DepartmentLink")  # noqa: N806
    for person in (f.people["supervisor"], f.people["artist"], colleague):
        f.keep(DepartmentLink.objects.create(person=person, department=modeling_dept))

    asset_type = f.make("assets.EntityType", name=f"Prop {f.tag}")
    f.make("productions.ProjectAssetTypeLink", project=project, asset_type=asset_type)
    kinds = {
        name: apps.get_model("assets.EntityType").objects.get_or_create(name=name)[0]
        for name in (
            "Episode",
            "Sequence",
            "Shot",
            "Scene",
            "Edit",
            "Concept",
        )
    }
    asset = f.make(
        "assets.Asset",
        project=project,
        entity_type=asset_type,
        name="Sword",
        data={},
        created_by=f.people["manager"],
    )
    f.rows[apps.get_model("assets.Entity")] = asset
    episode = f.make("shots.Episode", project=project, entity_type=kinds["Episode"], name="E01", data={})
    sequence = f.make(
        "shots.Sequence", project=project, entity_type=kinds["Sequence"], parent=episode, name="SQ01", data={}
    )
    shot = f.make(
        "shots.Shot", project=project, entity_type=kinds["Shot"], parent=sequence, name="SH010", data={}
    )
    f.make("shots.Scene", project=project, entity_type=kinds["Scene"], parent=sequence, name="SC01", data={})
    f.make("shots.Edit", project=project, entity_type=kinds["Edit"], name="ED01", data={})
    f.make("assets.Concept", project=project, entity_type=kinds["Concept"], name="CO01", data={})
    f.make("assets.EntityLink", entity_in=shot, entity_out=asset, nb_occurences=1)

    Task = apps.get_model("tasks.Task")  # noqa: N806
    task = f.make(
        "tasks.Task", project=project, entity=asset, task_type=modeling, task_status=task_status, name="main"
    )
    Task.objects.create(
        project=project, entity=shot, task_type=animation, task_status=task_status, name="main"
    )
    TaskPersonLink = apps.get_model("tasks.TaskPersonLink")  # noqa: N806
    for person in (f.people["artist"], f.people["vendor"], colleague):
        f.keep(TaskPersonLink.objects.create(task=task, person=person))
    comment = f.make(
        "tasks.Comment",
        object_id=task.pk,
        object_type="Task",
        person=f.people["supervisor"],
        task_status=task_status,
        text="Internal note",
    )
    preview = f.make(
        "files.PreviewFile", task=task, name="v1", revision=1, extension="png", person=f.people["artist"]
    )
    f.make("tasks.News", author=f.people["supervisor"], task=task, comment=comment)
    f.make("files.AttachmentFile", comment=comment, name="note.png", extension="png")
    f.make("files.Playlist", project=project, name="Daily", for_client=False, created_by=f.people["manager"])
    f.make(
        "tasks.TimeSpent", task=task, person=f.people["artist"], duration=60, date=datetime.date(2026, 1, 5)
    )
    f.make(
        "tasks.Notification",
        person=colleague,
        author=f.people["supervisor"],
        type="comment",
        task=task,
        comment=comment,
    )
    f.make("files.WorkingFile", task=task, entity=asset, name="main", revision=1, person=f.people["artist"])
    f.make(
        "people.SearchFilter",
        person=colleague,
        name="mine",
        list_type="asset",
        search_query="x",
        project=project,
    )
    chat = f.make("tasks.Chat", object_id=asset.pk, object_type="entity")
    f.make("tasks.ChatMessage", chat=chat, person=f.people["artist"], text="Hello")
    del preview
    # A deletion in the trash, for the trash routes: a playlist the manager deleted.
    playlists = apps.get_model("files.Playlist").objects
    doomed = playlists.create(
        project=project, name="Old daily", for_client=False, created_by=f.people["manager"]
    )
    with trashing(doomed, f.people["manager"]):
        remove_playlists(playlists.filter(pk=doomed.pk))
    f.keep(apps.get_model("core.TrashItem").objects.get(object_id=doomed.pk))
    return f
