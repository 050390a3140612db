"""The manage.py commands mirroring the reference CLI: init_data, create_admin, seed_demo."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from assets.models import Entity, EntityLink, EntityType
from people.models import Department, Person
from productions.models import Project, ProjectPersonLink, ProjectStatus, ProjectTaskTypeLink
from productions.setup_data import ASSET_TYPES, PIPELINES
from shots.models import Episode, Sequence, Shot
from tasks.models import Comment, Task, TaskPersonLink, TaskStatus, TaskType, TimeSpent
from tests import factories

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (ProjectStatus, EntityType, Department, TaskType, TaskStatus, Person, Project, Task)
    }


def test_init_data_creates_the_reference_defaults(capsys):
    call_command("init_data")
    assert set(ProjectStatus.objects.values_list("name", "color")) == {
        ("Open", "#000000"),
        ("Closed", "#000000"),
    }
    assert set(EntityType.objects.values_list("name", flat=True)) == {
        "Character",
        "Prop",
        "Environment",
        "FX",
        "Episode",
        "Sequence",
        "Shot",
        "Edit",
    }
    todo = TaskStatus.objects.get(short_name="todo")
    assert (todo.name, todo.color, todo.is_default) == ("Todo", "#f5f5f5", True)
    assert TaskStatus.objects.get(short_name="retake").is_retake
    assert TaskStatus.objects.get(short_name="done").is_done
    assert TaskStatus.objects.get(short_name="wfa").is_feedback_request
    assert TaskStatus.objects.get(short_name="wip").is_wip
    neutral = TaskStatus.objects.get(short_name="neutral")
    assert neutral.for_concept and neutral.is_default
    assert TaskStatus.objects.count() == 9
    modeling = TaskType.objects.get(name="Modeling")
    assert (modeling.for_entity, modeling.priority, modeling.color, modeling.department.name) == (
        "Asset",
        2,
        "#78909C",
        "Modeling",
    )
    assert TaskType.objects.filter(name="Concept").count() == 2  # for assets and for concepts
    assert TaskType.objects.count() == 13
    # The reference's init-data writes an empty short name, which the task type lists read.
    assert set(TaskType.objects.values_list("short_name", flat=True)) == {""}
    assert "Task statuses initialized" in capsys.readouterr().out


def test_init_data_twice_creates_no_duplicates():
    call_command("init_data")
    first = counts()
    call_command("init_data")
    assert counts() == first


def test_init_data_keeps_renamed_case_variants():
    TaskType.objects.create(name="modeling", for_entity="Asset")  # an existing studio setup
    call_command("init_data")
    assert TaskType.objects.filter(name__iexact="modeling", for_entity="Asset").count() == 1


@pytest.mark.parametrize("domain", ["2d", "3d", "vfx", "games"])
def test_each_domain_preset(domain):
    call_command("init_data", domain=domain)
    names = set(EntityType.objects.values_list("name", flat=True))
    assert set(ASSET_TYPES[domain]) <= names
    assert set(Department.objects.values_list("name", flat=True)) == {
        name for name, _ in PIPELINES[domain]["departments"]
    }
    assert TaskType.objects.count() == len(PIPELINES[domain]["task_types"])


def test_init_data_refuses_an_unknown_domain():
    with pytest.raises(CommandError):
        call_command("init_data", domain="cartoon")
    assert not ProjectStatus.objects.exists()


def test_create_admin_creates_an_admin_who_can_log_in(capsys):
    call_command("create_admin", "boss@studio.test", password="long-enough-password")
    person = Person.objects.get(email="boss@studio.test")
    assert (person.role, person.first_name, person.last_name) == ("admin", "Super", "Admin")
    assert authenticate(email="boss@studio.test", password="long-enough-password") == person
    assert person.is_staff
    assert "Admin boss@studio.test created." in capsys.readouterr().out


def test_create_admin_promotes_an_existing_person_and_keeps_the_password_when_none_is_given(capsys):
    artist = factories.make_person(role="user", email="lead@studio.test", password="artist-password")
    call_command("create_admin", "LEAD@studio.test")
    artist.refresh_from_db()
    assert artist.role == "admin"
    assert artist.check_password("artist-password")
    out = capsys.readouterr().out
    assert "upgraded to admin" in out and "Password" not in out
    call_command("create_admin", "lead@studio.test")
    assert "already exists" in capsys.readouterr().out


def test_create_admin_with_a_password_sets_it_on_an_existing_person(capsys):
    """Regression: the password was ignored for an existing person, so a changed
    DEMO_ADMIN_PASSWORD had no effect on an existing database."""
    artist = factories.make_person(role="user", email="lead@studio.test", password="artist-password")
    call_command("create_admin", "lead@studio.test", password="another-password")
    artist.refresh_from_db()
    assert artist.role == "admin"
    assert artist.check_password("another-password")
    assert not artist.check_password("artist-password")
    out = capsys.readouterr().out
    assert "upgraded to admin" in out and "Password of lead@studio.test set." in out

    call_command("create_admin", "lead@studio.test", password="third-password")
    artist.refresh_from_db()
    assert artist.check_password("third-password")
    assert "already exists" in capsys.readouterr().out


def test_create_admin_again_with_the_same_password_ends_no_session(capsys):
    admin = factories.make_person(role="admin", email="boss@studio.test", password="boss-password")
    generation = admin.token_generation
    call_command("create_admin", "boss@studio.test", password="boss-password")
    admin.refresh_from_db()
    assert admin.token_generation == generation
    assert "Password" not in capsys.readouterr().out


def test_create_admin_refuses_a_short_password_for_an_existing_person(capsys):
    artist = factories.make_person(role="user", email="lead@studio.test", password="artist-password")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_admin", "lead@studio.test", password="short")
    artist.refresh_from_db()
    assert artist.role == "user" and artist.check_password("artist-password")


def test_create_admin_accepts_the_documented_default_address():
    call_command("create_admin", "admin@example.com", password="mysecretpassword")
    assert Person.objects.get(email="admin@example.com").role == "admin"


@pytest.mark.parametrize(
    "email, password, message",
    [
        ("boss@studio.test", "short", "too short"),
        ("not-an-email", "long-enough-password", "Email is not valid"),
    ],
)
def test_create_admin_refuses_bad_input_and_writes_nothing(email, password, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_admin", email, password=password)
    assert not Person.objects.exists()


def test_create_admin_without_password_and_without_terminal_fails_clearly(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password"):
        call_command("create_admin", "boss@studio.test")
    assert not Person.objects.exists()


def test_seed_demo_builds_a_believable_production(capsys):
    call_command("seed_demo")
    project = Project.objects.get(name="Demo TV Show")
    assert project.production_type == "tvshow"
    assert project.project_status.name == "Open"
    assert Episode.objects.filter(project=project).count() == 1
    assert Sequence.objects.filter(project=project).count() == 2
    shots = Shot.objects.filter(project=project)
    assert shots.count() == 6
    shot = shots.select_related("parent__parent").first()
    assert shot.parent.entity_type.name == "Sequence"
    assert shot.parent.parent.entity_type.name == "Episode"
    assert shot.nb_frames and shot.data["frame_out"] - shot.data["frame_in"] + 1 == shot.nb_frames
    assert Entity.objects.filter(project=project, entity_type__name="Character").count() == 2
    # 18 shot castings, and the episode casts the 5 assets its shots cast.
    assert EntityLink.objects.filter(entity_in__entity_type__name="Shot").count() == 18
    episode_links = EntityLink.objects.filter(entity_in__entity_type__name="Episode")
    assert episode_links.count() == 5 and all(link.data == {"auto": True} for link in episode_links)
    assert Episode.objects.get(project=project).nb_entities_out == 5
    assert sorted(shots.values_list("nb_entities_out", flat=True)) == [3] * 6
    assert ProjectPersonLink.objects.filter(project=project).count() == 7
    assert ProjectTaskTypeLink.objects.filter(project=project).exists()
    tasks = Task.objects.filter(project=project)
    assert tasks.count() > 40
    assert TaskPersonLink.objects.filter(task__project=project).count() > 20
    assert Comment.objects.filter(object_type="Task").count() > 5
    assert TimeSpent.objects.filter(task__project=project).count() == 8
    supervisor = Person.objects.get(email="maya.okafor@demo.kitsu")
    assert supervisor.role == "supervisor"
    assert authenticate(email="maya.okafor@demo.kitsu", password="demo-password") == supervisor
    assert "6 shots" in capsys.readouterr().out


def test_demo_opening_page_lists_the_episode_assets_and_the_artists_see_their_episodes():
    """The production's opening page (the assets of its first episode) and the artist's to-do
    read the episode casting: the demo writes its casting the breakdown's way, so that casting
    exists, and entities hold an empty `data` as when created through the API."""
    call_command("seed_demo")
    project = Project.objects.get(name="Demo TV Show")
    episode = Episode.objects.get(project=project)
    admin = factories.make_person(role="admin")
    api = factories.client_for(admin)
    rows = api.get(f"/api/data/assets/with-tasks?project_id={project.pk}&episode_id={episode.pk}").json()
    assert sorted(row["name"] for row in rows) == [
        "Lantern",
        "Nina",
        "Old Harbour",
        "Professor Bolt",
        "Rocket",
    ]
    assert all(row["casting_episode_ids"] == [str(episode.pk)] for row in rows)
    assert all(row["data"] == {} and row["episode_id"] == "" for row in rows)
    listed = api.get(f"/api/data/assets/with-tasks?project_id={project.pk}").json()
    assert [row["casting_episode_ids"] for row in listed] == [[str(episode.pk)]] * 5
    lea = Person.objects.get(email="lea.martin@demo.kitsu")  # a modeler: asset tasks
    tasks = factories.client_for(lea).get("/api/data/user/tasks").json()
    asset_tasks = [task for task in tasks if task["task_type_for_entity"] == "Asset"]
    assert asset_tasks and all(task["episode_ids"] == [str(episode.pk)] for task in asset_tasks)
    assert all(task["episode_names"] == ["E01"] and task["entity_data"] == {} for task in asset_tasks)
    episodes = api.get(f"/api/data/projects/{project.pk}/episodes").json()
    assert episodes[0]["data"] == {}


def test_seed_demo_repairs_the_episode_casting_of_an_older_demo():
    """A demo seeded before its casting went through the breakdown has shot links only: running
    seed_demo again (as `make run` does) casts their assets in the episode, once."""
    call_command("seed_demo")
    episode = Episode.objects.get(project__name="Demo TV Show")
    EntityLink.objects.filter(entity_in=episode).delete()
    Episode.objects.filter(pk=episode.pk).update(nb_entities_out=0)
    call_command("seed_demo")
    assert EntityLink.objects.filter(entity_in=episode, data={"auto": True}).count() == 5
    assert Episode.objects.get(pk=episode.pk).nb_entities_out == 5
    call_command("seed_demo")
    assert EntityLink.objects.filter(entity_in=episode).count() == 5


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert "already exists" in capsys.readouterr().out


def test_seed_demo_with_admin(settings):
    settings.DEMO_ADMIN_EMAIL = "demo-admin@studio.test"
    settings.DEMO_ADMIN_PASSWORD = "demo-admin-password"
    call_command("seed_demo", with_admin=True)
    assert authenticate(email="demo-admin@studio.test", password="demo-admin-password").role == "admin"
