"""ShotGrid push imports of the breakdown: assets (with their parents' casting), episodes,
sequences, scenes and shots (frames, custom fields, casting), matched by ShotGrid id and adopted
by natural key when made here first."""

import pytest

from assets.models import Asset, EntityLink
from files.models import DataImportError
from productions.models import Project
from shots.models import Episode, Scene, Sequence, Shot
from tests import factories
from tests.exchange import shotgrid_payloads as sg
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(team):
    return client_for(team["admin"])


@pytest.fixture
def production(admin):
    assert admin.post("/api/import/shotgun/projects", [sg.project()], format="json").status_code == 200
    return Project.objects.get(shotgun_id=70)


def push(client, kind, records):
    response = client.post(f"/api/import/shotgun/{kind}", records, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_assets_with_their_type_and_the_casting_of_their_parents(admin, production, team):
    rows = push(
        admin,
        "assets",
        [
            sg.asset(1001, "Forest", asset_type="Environment"),
            sg.asset(1002, "Tree", asset_type="Prop", parents=[1001]),
            sg.asset(1003, "Rock", asset_type="Prop", parents=[1001]),
            sg.asset(1004, "Ghost", asset_type=None),
            sg.asset(1005, "Elsewhere", project_id=12345),
        ],
    )
    forest, tree, rock = (Asset.objects.get(shotgun_id=n) for n in (1001, 1002, 1003))
    assert [row["id"] for row in rows] == [str(forest.id), str(tree.id), str(rock.id)]
    assert rows[1]["type"] == "Entity"  # as the reference answers its imported entities
    assert (tree.name, tree.entity_type.name, tree.project, tree.description, tree.created_by) == (
        "Tree",
        "Prop",
        production,
        "The hero",
        team["admin"],
    )
    assert set(forest.entities_out.all()) == {tree, rock}
    reasons = sorted(error.event_data["error"] for error in DataImportError.objects.all())
    assert reasons == ["The project of this asset is not imported.", "This asset has no asset type."]

    push(admin, "assets", [sg.asset(1002, "Tree v2", asset_type="Prop")])
    tree.refresh_from_db()
    assert tree.name == "Tree v2"
    assert Asset.objects.filter(project=production).count() == 3


def test_an_asset_made_here_first_is_adopted(admin, production):
    here = factories.make_asset(production, factories.make_asset_type("Character"), name="Bunny")
    rows = push(admin, "assets", [sg.asset()])
    assert rows[0]["id"] == str(here.id)
    here.refresh_from_db()
    assert here.shotgun_id == 1001
    assert Asset.objects.filter(name="Bunny").count() == 1


def test_episodes_sequences_scenes_and_shots(admin, production):
    [episode_row] = push(admin, "episodes", [sg.episode(), sg.episode(202, "E02", project_name="Unknown")])
    episode = Episode.objects.get(shotgun_id=201)
    assert (episode_row["id"], episode_row["type"], episode.description) == (
        str(episode.id),
        "Entity",
        "Pilot",
    )
    [sequence_row] = push(admin, "sequences", [sg.sequence()])
    sequence = Sequence.objects.get(shotgun_id=301)
    assert (sequence_row["id"], sequence.parent_id) == (str(sequence.id), episode.id)
    [scene_row] = push(admin, "scenes", [sg.scene()])
    scene = Scene.objects.get(shotgun_id=401)
    assert (scene_row["type"], scene.parent_id) == ("Entity", sequence.id)
    push(admin, "assets", [sg.asset()])
    bunny = Asset.objects.get(shotgun_id=1001)

    [shot_row] = push(admin, "shots", [sg.shot(assets=[1001], sg_scene=sg.link("Scene", 401))])
    shot = Shot.objects.get(shotgun_id=501)
    assert shot_row["id"] == str(shot.id)
    assert (shot.parent_id, shot.source_id, shot.project) == (sequence.id, scene.id, production)
    assert shot.data == {
        "frame_in": 1001,
        "frame_out": 1049,
        "sg_cut_duration": 48,
        "sg_status_list": "ip",
        "sg_scene": sg.link("Scene", 401),
    }
    assert list(shot.entities_out.all()) == [bunny]

    # A second push updates in place; the data it does not send stay.
    shot.data["note"] = "kept"
    shot.save()
    push(admin, "shots", [sg.shot(cut_in=None, duration=None, assets=[])])
    shot.refresh_from_db()
    assert (shot.data["frame_in"], shot.data["frame_out"], shot.data["note"]) == (None, None, "kept")
    assert not EntityLink.objects.filter(entity_in=shot).exists()
    assert Shot.objects.filter(project=production).count() == 1
    [error] = DataImportError.objects.all()
    assert (error.event_data["kind"], error.event_data["shotgun_id"]) == ("episodes", 202)


def test_a_sequence_named_as_one_here_is_adopted_without_renaming(admin, production):
    episode = factories.make_episode(production, name="E01")
    here = factories.make_sequence(production, episode, name="SQ010")
    push(admin, "episodes", [sg.episode()])
    rows = push(admin, "sequences", [sg.sequence()])
    assert rows[0]["id"] == str(here.id)
    here.refresh_from_db()
    assert (here.shotgun_id, here.description) == (301, "Opening")
    assert Sequence.objects.filter(project=production).count() == 1
    assert Episode.objects.get(name="E01").shotgun_id == 201


VALID = {
    "assets": sg.asset(1009, "Fine"),
    "episodes": sg.episode(299, "E99"),
    "shots": sg.shot(599, "SH0990"),
    "scenes": sg.scene(499, "SC99"),
    "sequences": sg.sequence(399, "SQ990", episode_id=None),
}


@pytest.mark.parametrize(
    "kind, record, message",
    [
        ("assets", {**sg.asset(), "project": 70}, 'the field "project" must be an object with "id" or null.'),
        (
            "episodes",
            {**sg.episode(), "code": None},
            'the field "code" must be a string of at most 160 characters.',
        ),
        ("shots", {**sg.shot(), "sg_cut_in": "1001"}, 'the field "sg_cut_in" must be an integer or null.'),
        (
            "shots",
            {**sg.shot(), "assets": [{"type": "Asset"}]},
            'the field "assets" must be a list of an object with "id"s or null.',
        ),
        (
            "scenes",
            {k: v for k, v in sg.scene().items() if k != "project"},
            'the field "project" is missing.',
        ),
        (
            "sequences",
            {**sg.sequence(), "episode": "E01"},
            'the field "episode" must be an object with "id" or null.',
        ),
    ],
)
def test_a_malformed_breakdown_push_writes_nothing(admin, production, kind, record, message):
    response = admin.post(f"/api/import/shotgun/{kind}", [VALID[kind], record], format="json")
    assert response.status_code == 400
    assert response.json() == {"error": True, "message": f"Record 1: {message}"}
    assert not Asset.objects.exists()
    assert not Episode.objects.exists() and not Sequence.objects.exists()
    assert not Scene.objects.exists() and not Shot.objects.exists()


@pytest.mark.parametrize("kind", ["assets", "episodes", "sequences", "scenes", "shots"])
def test_only_admins_import_the_breakdown(team, production, kind):
    for role in ("manager", "supervisor", "user", "client", "vendor", "outsider"):
        assert (
            client_for(team[role]).post(f"/api/import/shotgun/{kind}", [], format="json").status_code == 403
        )


def test_a_push_cut_short_is_finished_by_pushing_it_again(admin, production, monkeypatch):
    from exchange.shotgrid.breakdown import EpisodeImporter
    from kitsu_server.core.models import Job

    real_save = EpisodeImporter.save
    calls = {"n": 0}

    def dying_save(self, entry):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the database went away")
        return real_save(self, entry)

    monkeypatch.setattr(EpisodeImporter, "save", dying_save)
    records = [sg.episode(200 + n, f"E{n:02d}") for n in range(1, 5)]
    response = admin.post("/api/import/shotgun/episodes", records, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "The import failed: RuntimeError: the database went away"
    job = Job.objects.get(name="shotgrid.import", state="failed")
    assert (job.progress_done, job.progress_total) == (2, 4)
    assert sorted(Episode.objects.values_list("name", flat=True)) == ["E01", "E02"]

    monkeypatch.setattr(EpisodeImporter, "save", real_save)
    rows = push(admin, "episodes", records)
    assert [row["name"] for row in rows] == ["E01", "E02", "E03", "E04"]
    assert Episode.objects.count() == 4
    assert (
        Job.objects.filter(name="shotgrid.import", state="succeeded").latest("created_at").result["created"]
        == 2
    )
