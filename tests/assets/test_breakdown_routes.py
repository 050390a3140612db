"""The `breakdown` area: castings read and written (one entity, several, one asset in several),
their side effects (episode auto links, link counts, casting stats, events), the production-wide
castings, the entity links of a production, and the asset instances of scenes and shots."""

import uuid

import pytest

from assets.models import AssetInstance, AssetInstanceLink, Entity, EntityLink, EntityType
from productions.models import ProjectPersonLink, ProjectTaskTypeLink
from shots.models import Scene
from tasks.models import ApiEvent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


events = factories.recorded_events


@pytest.fixture
def show():
    return factories.make_project(name="Show", production_type="tvshow")


@pytest.fixture
def world(show):
    """An episode with two sequences (two shots, one shot), three assets of two types."""

    class World:
        character = factories.make_asset_type("Character")
        prop = factories.make_asset_type("Prop")
        episode = factories.make_episode(show, name="E01")
        sq1 = factories.make_sequence(show, episode, name="SQ01")
        sq2 = factories.make_sequence(show, episode, name="SQ02")

    world = World()
    world.sh1 = factories.make_shot(show, world.sq1, name="SH01")
    world.sh2 = factories.make_shot(show, world.sq1, name="SH02")
    world.sh3 = factories.make_shot(show, world.sq2, name="SH03")
    world.hero = factories.make_asset(show, world.character, name="Hero")
    world.villain = factories.make_asset(show, world.character, name="Villain")
    world.sword = factories.make_asset(show, world.prop, name="Sword")
    return world


def casting_url(show, entity):
    return f"/api/data/projects/{show.id}/entities/{entity.id}/casting"


def put_casting(person, show, entity, casting):
    return client_for(person).put(casting_url(show, entity), casting, format="json")


def links_of(entity):
    return {
        (str(asset_id), nb, label)
        for asset_id, nb, label in EntityLink.objects.filter(entity_in=entity).values_list(
            "entity_out_id", "nb_occurences", "label"
        )
    }


def count_of(entity):
    return Entity.objects.get(pk=entity.pk).nb_entities_out


# --- one entity's casting ------------------------------------------------------------------------


def test_shot_casting_round_trip(world, team, show):
    casting = [
        {"asset_id": str(world.hero.id), "nb_occurences": 2, "label": "fixed"},
        {"asset_id": str(world.sword.id), "nb_occurences": 1},
    ]
    response = put_casting(team["manager"], show, world.sh1, casting)
    assert response.status_code == 200 and response.json() == casting
    rows = client_for(team["user"]).get(casting_url(show, world.sh1)).json()
    assert [(row["asset_id"], row["nb_occurences"], row["label"]) for row in rows] == [
        (str(world.hero.id), 2, "fixed"),
        (str(world.sword.id), 1, ""),
    ]
    assert rows[0] == {
        "asset_id": str(world.hero.id),
        "asset_name": "Hero",
        "asset_type_name": "Character",
        "ready_for": None,
        "episode_id": None,
        "preview_file_id": None,
        "nb_occurences": 2,
        "label": "fixed",
        "is_shared": False,
        "project_id": str(show.id),
    }
    assert count_of(world.sh1) == 2
    # Cast in a shot, cast in its episode: one occurrence, the shot's label, flagged auto.
    episode_links = EntityLink.objects.filter(entity_in=world.episode).order_by("entity_out__name")
    assert [(link.entity_out_id, link.nb_occurences, link.label, link.data) for link in episode_links] == [
        (world.hero.id, 1, "fixed", {"auto": True}),
        (world.sword.id, 1, "", {"auto": True}),
    ]
    assert count_of(world.episode) == 2
    assert [name for name, _ in events("entity-link:new", "asset:update")].count("entity-link:new") == 2
    assert sorted(data["asset_id"] for _, data in events("asset:update")) == sorted(
        [str(world.hero.id), str(world.sword.id)]
    )
    [(_, update)] = events("shot:casting-update")
    assert update == {
        "shot_id": str(world.sh1.id),
        "nb_entities_out": 2,
        "added_asset_ids": sorted([str(world.hero.id), str(world.sword.id)]),
        "removed_asset_ids": [],
    }
    new_link = [
        data for name, data in events("entity-link:new") if data["entity_out_id"] == str(world.hero.id)
    ]
    assert new_link[0]["entity_in_id"] == str(world.sh1.id) and new_link[0]["nb_occurences"] == 2


def test_replacing_a_shot_casting_drops_the_unused_episode_links(world, team, show):
    hero = {"asset_id": str(world.hero.id), "nb_occurences": 1}
    put_casting(team["manager"], show, world.sh1, [hero])
    put_casting(team["manager"], show, world.sh2, [hero])
    ApiEvent.objects.all().delete()
    assert put_casting(team["manager"], show, world.sh1, []).status_code == 200
    assert links_of(world.sh1) == set() and count_of(world.sh1) == 0
    assert EntityLink.objects.filter(entity_in=world.episode, entity_out=world.hero).exists()  # SH02 casts it
    assert events("episode:casting-update") == []
    put_casting(team["manager"], show, world.sh2, [])
    assert not EntityLink.objects.filter(entity_in=world.episode).exists()
    assert count_of(world.episode) == 0
    assert events("episode:casting-update") == [
        (
            "episode:casting-update",
            {
                "episode_id": str(world.episode.id),
                "nb_entities_out": 0,
                "added_asset_ids": [],
                "removed_asset_ids": [str(world.hero.id)],
            },
        )
    ]
    assert ("asset:update", {"asset_id": str(world.hero.id)}) in events("asset:update")


def test_a_link_set_from_the_episode_breakdown_stays(world, team, show):
    hero = {"asset_id": str(world.hero.id), "nb_occurences": 1}
    put_casting(team["manager"], show, world.episode, [hero])  # a decision of its own: no auto flag
    put_casting(team["manager"], show, world.sh1, [hero])
    put_casting(team["manager"], show, world.sh1, [])
    assert EntityLink.objects.filter(entity_in=world.episode, entity_out=world.hero).exists()


def test_removing_an_asset_from_an_episode_removes_it_from_its_shots(world, team, show):
    casting = [
        {"asset_id": str(world.hero.id), "nb_occurences": 1},
        {"asset_id": str(world.sword.id), "nb_occurences": 1},
    ]
    put_casting(team["manager"], show, world.sh1, casting)
    put_casting(team["manager"], show, world.sh3, casting)
    ApiEvent.objects.all().delete()
    response = put_casting(team["manager"], show, world.episode, casting[:1])
    assert response.status_code == 200
    assert links_of(world.sh1) == {(str(world.hero.id), 1, "")}
    assert links_of(world.sh3) == {(str(world.hero.id), 1, "")}
    assert count_of(world.sh1) == 1 and count_of(world.sh3) == 1
    removals = [data for _, data in events("shot:casting-update") if data["removed_asset_ids"]]
    assert sorted(data["shot_id"] for data in removals) == sorted([str(world.sh1.id), str(world.sh3.id)])
    assert all(data["removed_asset_ids"] == [str(world.sword.id)] for data in removals)
    [(_, episode_update)] = events("episode:casting-update")
    assert episode_update["removed_asset_ids"] == [str(world.sword.id)]
    assert episode_update["nb_entities_out"] == 1
    assert ("asset:update", {"asset_id": str(world.hero.id)}) in events("asset:update")


def test_an_asset_casting_records_an_asset_casting_update(world, team, show):
    response = put_casting(
        team["manager"], show, world.hero, [{"asset_id": str(world.sword.id), "nb_occurences": 3}]
    )
    assert response.status_code == 200
    assert links_of(world.hero) == {(str(world.sword.id), 3, "")}
    [(_, update)] = events("asset:casting-update")
    assert update["asset_id"] == str(world.hero.id) and update["added_asset_ids"] == [str(world.sword.id)]
    assert not EntityLink.objects.filter(entity_in=world.episode).exists()


def test_casting_skips_unknown_assets_and_incomplete_entries(world, team, show):
    ghost = str(uuid.uuid4())
    casting = [
        {"asset_id": ghost, "nb_occurences": 2},
        {"asset_id": str(world.hero.id)},
        {"nb_occurences": 4},
        {"asset_id": str(world.sword.id), "nb_occurences": 1, "label": "a"},
        {"asset_id": str(world.sword.id), "nb_occurences": 5, "label": "b"},
    ]
    response = put_casting(team["manager"], show, world.sh1, casting)
    assert response.status_code == 200 and response.json() == casting
    assert links_of(world.sh1) == {(str(world.sword.id), 5, "b")}
    assert count_of(world.sh1) == 1
    link_id = str(EntityLink.objects.get(entity_in=world.sh1).pk)
    assert [data["nb_occurences"] for _, data in events("entity-link:new")] == [1]  # as first cast
    assert events("entity-link:update") == [
        ("entity-link:update", {"entity_link_id": link_id, "nb_occurences": 5})
    ]


def test_canceled_assets_are_not_listed_nor_counted(world, team, show):
    Entity.objects.filter(pk=world.villain.pk).update(canceled=True)
    casting = [
        {"asset_id": str(world.hero.id), "nb_occurences": 1},
        {"asset_id": str(world.villain.id), "nb_occurences": 1},
    ]
    put_casting(team["manager"], show, world.sh1, casting)
    rows = client_for(team["manager"]).get(casting_url(show, world.sh1)).json()
    assert [row["asset_name"] for row in rows] == ["Hero"]
    assert count_of(world.sh1) == 1 and len(links_of(world.sh1)) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"asset_id": "x"},
        [{"asset_id": "not-an-id", "nb_occurences": 1}],
        [{"asset_id": "ASSET", "nb_occurences": "many"}],
        ["just a string"],
        [{"asset_id": "ASSET", "nb_occurences": 1, "label": "x" * 81}],
    ],
)
def test_casting_bad_input_writes_nothing(world, team, show, body):
    put_casting(team["manager"], show, world.sh1, [{"asset_id": str(world.sword.id), "nb_occurences": 1}])
    before = set(EntityLink.objects.values_list("pk", flat=True)), ApiEvent.objects.count()
    if isinstance(body, list) and isinstance(body[0], dict) and body[0]["asset_id"] == "ASSET":
        body[0]["asset_id"] = str(world.hero.id)
    response = put_casting(team["manager"], show, world.sh1, body)
    assert response.status_code == 400 and response.json()["error"] is True
    assert response.json()["message"]
    assert (set(EntityLink.objects.values_list("pk", flat=True)), ApiEvent.objects.count()) == before


def test_casting_access(world, team, show):
    EntityLink.objects.create(entity_in=world.sh1, entity_out=world.hero)
    for role in ("manager", "supervisor", "user", "client", "admin"):
        assert client_for(team[role]).get(casting_url(show, world.sh1)).status_code == 200, role
    for role in ("vendor", "outsider"):
        assert client_for(team[role]).get(casting_url(show, world.sh1)).status_code == 403, role
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert put_casting(team[role], show, world.sh1, []).status_code == 403, role
    assert links_of(world.sh1) == {(str(world.hero.id), 1, "")}
    api = client_for(team["manager"])
    assert api.get(f"/api/data/projects/{show.id}/entities/{uuid.uuid4()}/casting").status_code == 404
    assert api.get(f"/api/data/projects/{uuid.uuid4()}/entities/{world.sh1.id}/casting").status_code == 404
    other = factories.make_project(name="Other")
    elsewhere = factories.make_asset(other, world.prop, name="Elsewhere")
    assert api.get(casting_url(show, elsewhere)).status_code == 403
    assert put_casting(team["manager"], show, elsewhere, []).status_code == 403
    assert put_casting(team["admin"], show, elsewhere, []).status_code == 403
    assert (
        put_casting(team["manager"], show, world.sh1, {}).json()["message"]
        == "Request body must be a JSON array"
    )


def test_casting_refreshes_the_shot_tasks_asset_readiness(world, team, show):
    layout = factories.make_task_type("Layout", for_entity="Shot")
    animation = factories.make_task_type("Animation", for_entity="Shot")
    ProjectTaskTypeLink.objects.create(project=show, task_type=layout, priority=1)
    ProjectTaskTypeLink.objects.create(project=show, task_type=animation, priority=2)
    Entity.objects.filter(pk=world.hero.pk).update(ready_for=layout)
    layout_task = factories.make_task(world.sh1, layout)
    animation_task = factories.make_task(world.sh1, animation)
    casting = [
        {"asset_id": str(world.hero.id), "nb_occurences": 1},
        {"asset_id": str(world.sword.id), "nb_occurences": 1},
    ]
    put_casting(team["manager"], show, world.sh1, casting)
    layout_task.refresh_from_db()
    animation_task.refresh_from_db()
    assert (layout_task.nb_assets_ready, animation_task.nb_assets_ready) == (1, 0)


# --- several entities, one asset ----------------------------------------------------------------


def test_several_castings_at_once(world, team, show):
    body = {
        str(world.sh1.id): [{"asset_id": str(world.hero.id), "nb_occurences": 2}],
        str(world.sh3.id): [{"asset_id": str(world.sword.id), "nb_occurences": 1, "label": "x"}],
    }
    url = f"/api/data/projects/{show.id}/entities/casting"
    response = client_for(team["manager"]).put(url, body, format="json")
    assert response.status_code == 200 and response.json() == body
    assert links_of(world.sh1) == {(str(world.hero.id), 2, "")}
    assert links_of(world.sh3) == {(str(world.sword.id), 1, "x")}
    assert len(events("shot:casting-update")) == 2
    assert client_for(team["user"]).put(url, body, format="json").status_code == 403
    bad = client_for(team["manager"]).put(url, [], format="json")
    assert bad.status_code == 400 and "mapping entity ids" in bad.json()["message"]
    before = EntityLink.objects.count()
    unknown = {str(world.sh2.id): [], str(uuid.uuid4()): []}
    assert client_for(team["manager"]).put(url, unknown, format="json").status_code == 404
    assert EntityLink.objects.count() == before and links_of(world.sh1)


def test_castings_write_in_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    url = f"/api/data/projects/{show.id}/entities/casting"
    assets = [factories.make_asset(show, world.prop, name=f"Prop {n}") for n in range(6)]
    for size in (2, 12):
        shots = [factories.make_shot(show, world.sq1, name=f"B{size}-{n}") for n in range(size)]
        for shot in shots:
            factories.make_task(shot, factories.make_task_type(for_entity="Shot"))
        body = {
            str(shot.id): [{"asset_id": str(asset.id), "nb_occurences": 1} for asset in assets]
            for shot in shots
        }
        with django_assert_max_num_queries(30):
            assert api.put(url, body, format="json").status_code == 200
        assert EntityLink.objects.filter(entity_in__in=shots).count() == size * len(assets)
        # Dropping assets from the episode drops them from every shot of it: still bounded.
        with django_assert_max_num_queries(30):
            assert put_casting(team["manager"], show, world.episode, []).status_code == 200
        assert not EntityLink.objects.filter(entity_in__in=shots).exists()
        assert Entity.objects.filter(pk__in=[shot.pk for shot in shots], nb_entities_out=0).count() == size


def test_cast_one_asset_in_several_entities(world, team, show):
    url = f"/api/data/projects/{show.id}/entities/casting/assets/{world.hero.id}"
    api = client_for(team["manager"])
    targets = [str(world.sh1.id), str(world.sh2.id)]
    response = api.put(url, {"entity_ids": targets, "nb_occurences": 3}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == targets
    assert [(row["asset_name"], row["nb_occurences"], row["label"]) for row in body[targets[0]]] == [
        ("Hero", 3, "")
    ]
    response = api.put(url, {"entity_ids": targets[:1], "label": "lbl"}, format="json")
    assert (
        response.json()[targets[0]][0]["nb_occurences"] == 3
        and response.json()[targets[0]][0]["label"] == "lbl"
    )
    assert (
        "entity-link:update",
        {"entity_link_id": str(EntityLink.objects.get(entity_in=world.sh1).pk), "nb_occurences": 3},
    ) in events()
    response = api.put(url, {"entity_ids": targets, "nb_occurences": 0}, format="json")
    assert response.json() == {targets[0]: [], targets[1]: []}
    assert not EntityLink.objects.exists()  # the episode's auto link went with the last shot
    assert count_of(world.sh1) == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"entity_ids": []}, {"entity_ids": ["nope"]}, {"entity_ids": ["SHOT"], "nb_occurences": -1}],
)
def test_cast_one_asset_bad_input(world, team, show, body):
    if "entity_ids" in body:
        body = {**body, "entity_ids": [str(world.sh1.id) if x == "SHOT" else x for x in body["entity_ids"]]}
    url = f"/api/data/projects/{show.id}/entities/casting/assets/{world.hero.id}"
    response = client_for(team["manager"]).put(url, body, format="json")
    assert response.status_code == 400
    assert not EntityLink.objects.exists()


def test_cast_one_asset_refusals(world, team, show):
    body = {"entity_ids": [str(world.sh1.id)]}
    base = f"/api/data/projects/{show.id}/entities/casting/assets"
    assert (
        client_for(team["supervisor"]).put(f"{base}/{world.hero.id}", body, format="json").status_code == 403
    )
    api = client_for(team["manager"])
    assert api.put(f"{base}/{uuid.uuid4()}", body, format="json").status_code == 404
    assert api.put(f"{base}/{world.sh2.id}", body, format="json").status_code == 404  # a shot is no asset
    missing = {"entity_ids": [str(uuid.uuid4())]}
    assert api.put(f"{base}/{world.hero.id}", missing, format="json").status_code == 404
    assert not EntityLink.objects.exists()


# --- production-wide castings ----------------------------------------------------------------------


def cast_world(world, team, show):
    put_casting(
        team["manager"], show, world.sh1, [{"asset_id": str(world.hero.id), "nb_occurences": 2, "label": "l"}]
    )
    put_casting(team["manager"], show, world.sh3, [{"asset_id": str(world.sword.id), "nb_occurences": 1}])
    put_casting(team["manager"], show, world.hero, [{"asset_id": str(world.sword.id), "nb_occurences": 4}])


def test_sequence_and_production_shot_castings(world, team, show):
    cast_world(world, team, show)
    api = client_for(team["user"])
    base = f"/api/data/projects/{show.id}"
    body = api.get(f"{base}/sequences/{world.sq1.id}/casting").json()
    assert body == {
        str(world.sh1.id): [
            {
                "asset_id": str(world.hero.id),
                "name": "Hero",
                "asset_name": "Hero",
                "asset_type_name": "Character",
                "sequence_name": "SQ01",
                "preview_file_id": None,
                "nb_occurences": 2,
                "label": "l",
                "is_shared": False,
                "project_id": str(show.id),
            }
        ]
    }
    everything = api.get(f"{base}/sequences/all/casting").json()
    assert list(everything) == [str(world.sh1.id), str(world.sh3.id)]
    assert everything[str(world.sh3.id)][0]["sequence_name"] == "SQ02"
    assert api.get(f"{base}/episodes/{world.episode.id}/sequences/all/casting").json() == everything
    assert api.get(f"{base}/episodes/{uuid.uuid4()}/sequences/all/casting").json() == {}
    assert api.get(f"{base}/episodes/main/sequences/all/casting").json() == {}
    assert api.get(f"{base}/sequences/{world.sh1.id}/casting").status_code == 404
    assert api.get(f"{base}/sequences/{uuid.uuid4()}/casting").status_code == 404
    other = factories.make_project(name="Other")
    ProjectPersonLink.objects.create(project=other, person=team["user"])
    foreign = factories.make_sequence(other, name="SQ09")
    assert api.get(f"{base}/sequences/{foreign.id}/casting").status_code == 403
    for role in ("vendor", "outsider"):
        assert client_for(team[role]).get(f"{base}/sequences/all/casting").status_code == 403


def test_episode_and_asset_type_castings(world, team, show):
    cast_world(world, team, show)
    api = client_for(team["client"])
    base = f"/api/data/projects/{show.id}"
    episodes = api.get(f"{base}/episodes/casting").json()
    assert [row["asset_name"] for row in episodes[str(world.episode.id)]] == ["Hero", "Sword"]
    assert set(episodes[str(world.episode.id)][0]) == {
        "asset_id", "name", "asset_name", "asset_type_name", "preview_file_id", "nb_occurences", "label",
        "is_shared", "project_id",
    }  # fmt: skip
    assert str(world.sh1.id) in episodes  # like the reference, every casting entity of the production
    by_type = api.get(f"{base}/asset-types/{world.character.id}/casting").json()
    assert by_type == {
        str(world.hero.id): [
            {
                "asset_id": str(world.sword.id),
                "name": "Sword",
                "asset_name": "Sword",
                "asset_type_name": "Prop",
                "preview_file_id": None,
                "nb_occurences": 4,
                "label": "",
            }
        ]
    }
    assert api.get(f"{base}/asset-types/{world.episode.entity_type_id}/casting").status_code == 404
    assert api.get(f"{base}/asset-types/{uuid.uuid4()}/casting").status_code == 404
    assert client_for(team["vendor"]).get(f"{base}/episodes/casting").status_code == 403
    assert client_for(team["admin"]).get(f"/api/data/projects/{uuid.uuid4()}/episodes/casting").json() == {}
    assert (
        client_for(team["user"]).get(f"/api/data/projects/{uuid.uuid4()}/episodes/casting").status_code == 404
    )


def test_production_castings_read_in_a_bounded_number_of_queries(
    world, team, show, django_assert_max_num_queries
):
    api = client_for(team["user"])
    assets = [factories.make_asset(show, world.prop, name=f"Prop {n}") for n in range(5)]
    for size in (1, 15):
        for n in range(size):
            shot = factories.make_shot(show, world.sq2, name=f"R{size}-{n}")
            EntityLink.objects.bulk_create([EntityLink(entity_in=shot, entity_out=asset) for asset in assets])
        with django_assert_max_num_queries(6):
            assert api.get(f"/api/data/projects/{show.id}/sequences/all/casting").status_code == 200
        with django_assert_max_num_queries(6):
            assert api.get(f"/api/data/projects/{show.id}/episodes/casting").status_code == 200
        with django_assert_max_num_queries(6):
            assert (
                api.get(f"/api/data/projects/{show.id}/sequences/{world.sq2.id}/casting").status_code == 200
            )


# --- entity links ------------------------------------------------------------------------------------


def test_project_entity_links_list_and_pages(world, team, show):
    cast_world(world, team, show)
    api = client_for(team["manager"])
    url = f"/api/data/projects/{show.id}/entity-links"
    rows = api.get(url).json()
    assert len(rows) == 5  # 3 castings and the episode's 2 auto links
    assert set(rows[0]) == {
        "id",
        "entity_in_id",
        "entity_out_id",
        "nb_occurences",
        "label",
        "data",
        "created_at",
        "type",
    }
    assert rows[0]["type"] == "EntityLink" and len(rows[0]["created_at"]) == 26
    assert len(api.get(f"{url}?limit=2").json()) == 2
    page = api.get(f"{url}?page=2&limit=2").json()
    assert (page["total"], page["nb_pages"], page["offset"], len(page["data"])) == (5, 3, 2, 2)
    assert "updated_at" in page["data"][0]
    cursor = api.get(f"{url}?cursor_created_at={rows[1]['created_at']}&limit=10").json()
    assert cursor["total"] == 5 and [row["id"] for row in cursor["data"]] == [row["id"] for row in rows[2:]]
    assert api.get(f"{url}?cursor_created_at=yesterday").status_code == 400
    assert api.get(f"{url}?page=x").status_code == 400
    for role in ("supervisor", "user", "outsider"):
        assert client_for(team[role]).get(url).status_code == 403
    assert client_for(team["admin"]).get(f"/api/data/projects/{uuid.uuid4()}/entity-links").status_code == 404


def test_delete_an_entity_link(world, team, show):
    cast_world(world, team, show)
    link = EntityLink.objects.get(entity_in=world.sh1)
    url = f"/api/data/projects/{show.id}/entity-links/{link.id}"
    assert client_for(team["user"]).delete(url).status_code == 403
    response = client_for(team["manager"]).delete(url)
    assert response.status_code == 200
    assert response.json()["id"] == str(link.id) and response.json()["type"] == "EntityLink"
    assert response.json()["nb_occurences"] == 2
    assert not EntityLink.objects.filter(pk=link.pk).exists()
    assert count_of(world.sh1) == 0
    assert not EntityLink.objects.filter(entity_in=world.episode, entity_out=world.hero).exists()
    assert client_for(team["manager"]).delete(url).status_code == 404
    other = factories.make_project(name="Other")
    foreign = EntityLink.objects.create(
        entity_in=factories.make_asset(other, world.prop), entity_out=factories.make_asset(other, world.prop)
    )
    assert (
        client_for(team["admin"])
        .delete(f"/api/data/projects/{show.id}/entity-links/{foreign.id}")
        .status_code
        == 403
    )


# --- asset instances ---------------------------------------------------------------------------------


@pytest.fixture
def scene(show, world):
    return Scene.objects.create(project=show, parent=world.sq1, name="SC01")


def test_scene_asset_instances(world, team, show, scene):
    api = client_for(team["user"])
    url = f"/api/data/scenes/{scene.id}/asset-instances"
    first = api.post(url, {"asset_id": str(world.hero.id), "description": "d"}, format="json")
    assert first.status_code == 201
    assert (first.json()["name"], first.json()["number"], first.json()["type"]) == (
        "Hero_0001",
        1,
        "AssetInstance",
    )
    second = api.post(url, {"asset_id": str(world.hero.id)}, format="json").json()
    assert (second["name"], second["description"]) == ("Hero_0002", None)
    body = api.get(url).json()
    assert [row["number"] for row in body[str(world.hero.id)]] == [1, 2]
    assert ("asset_instance:new", {
        "scene_id": str(scene.id), "asset_id": str(world.hero.id), "asset_instance_id": first.json()["id"],
    }) in events()  # fmt: skip
    before = AssetInstance.objects.count()
    assert api.post(url, {}, format="json").status_code == 400
    assert api.post(url, {"asset_id": str(uuid.uuid4())}, format="json").status_code == 404
    assert AssetInstance.objects.count() == before
    assert api.get(f"/api/data/scenes/{world.sh1.id}/asset-instances").status_code == 404
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["vendor"]).get(url).status_code == 403  # no task on the scene


def test_scene_camera_instances_create_the_camera_type(world, team, show, scene):
    api = client_for(team["user"])
    assert api.get(f"/api/data/scenes/{scene.id}/camera-instances").json() == {}
    camera_type = EntityType.objects.get(name="Camera")
    assert events("asset-type:new") == [("asset-type:new", {"asset_type_id": str(camera_type.id)})]
    camera = factories.make_asset(show, camera_type, name="Cam")
    api.post(f"/api/data/scenes/{scene.id}/asset-instances", {"asset_id": str(camera.id)}, format="json")
    api.post(f"/api/data/scenes/{scene.id}/asset-instances", {"asset_id": str(world.hero.id)}, format="json")
    body = api.get(f"/api/data/scenes/{scene.id}/camera-instances").json()
    assert list(body) == [str(camera.id)]
    assert EntityType.objects.filter(name="Camera").count() == 1


def test_shot_asset_instances(world, team, show, scene):
    instance = AssetInstance.objects.create(asset=world.hero, scene=scene, number=1, name="Hero_0001")
    api = client_for(team["user"])
    url = f"/api/data/shots/{world.sh1.id}/asset-instances"
    response = api.post(url, {"asset_instance_id": str(instance.id)}, format="json")
    assert response.status_code == 201
    assert response.json()["id"] == str(world.sh1.id) and response.json()["type"] == "Entity"
    assert AssetInstanceLink.objects.filter(entity=world.sh1, asset_instance=instance).count() == 1
    assert api.post(url, {"asset_instance_id": str(instance.id)}, format="json").status_code == 201
    assert AssetInstanceLink.objects.filter(entity=world.sh1).count() == 1
    body = api.get(url).json()
    assert [row["id"] for row in body[str(world.hero.id)]] == [str(instance.id)]
    assert api.post(url, {"asset_instance_id": str(uuid.uuid4())}, format="json").status_code == 404
    assert api.post(url, {"asset_instance_id": "x"}, format="json").status_code == 400
    assert api.delete(f"{url}/{instance.id}").status_code == 204
    assert not AssetInstanceLink.objects.exists()
    assert api.delete(f"{url}/{instance.id}").status_code == 404
    assert [name for name, _ in events("asset_instance:add-to-shot", "asset_instance:remove-from-shot")] == [
        "asset_instance:add-to-shot",
        "asset_instance:add-to-shot",
        "asset_instance:remove-from-shot",
    ]
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["vendor"]).get(url).status_code == 403
    assert api.get(f"/api/data/shots/{scene.id}/asset-instances").status_code == 404
