"""Per-model rules of the assets app's /data routes: entities, entity types, entity links and
asset instances."""

import uuid

import pytest

from assets.models import AssetInstance, Entity, EntityLink, EntityType
from people.models import DepartmentLink
from productions.models import MetadataDescriptor
from tasks.models import ApiEvent, Subscription, TaskPersonLink
from tests import factories
from tests.factories import client_for, join

pytestmark = pytest.mark.django_db


def make_person(role="user", **fields):
    return factories.make_person(role=role, password=None, **fields)  # no password: no slow hashing


def events():
    """(name, data) of the recorded events; the project id every event data carries is checked apart."""
    return [
        (name, {k: v for k, v in data.items() if k != "project_id"})
        for name, data in ApiEvent.objects.order_by("created_at").values_list("name", "data")
    ]


@pytest.fixture
def api():
    return client_for(make_person("admin"))


@pytest.fixture
def project():
    return factories.make_project(name="Open show")


@pytest.fixture
def people(project):
    """One member of the project per role, plus an artist outside its team."""
    return factories.make_team(project, outsider={"role": "user"}, admin=False, password=None)


def as_(people, role):
    return client_for(people[role])


@pytest.fixture
def asset(project):
    return factories.make_asset(project, name="Hero")


@pytest.fixture
def shot(project):
    return factories.make_shot(project, factories.make_sequence(project, name="SQ01"), name="SH01")


# --- entities: lists -------------------------------------------------------------------------


def test_entities_are_typed_by_kind(api, asset, shot):
    rows = api.get("/api/data/entities").json()
    assert sorted((row["name"], row["type"]) for row in rows) == [
        ("Hero", "Asset"),
        ("SH01", "Shot"),
        ("SQ01", "Sequence"),
    ]
    assert api.get(f"/api/data/entities/{shot.id}").json()["type"] == "Shot"


def test_entity_lists_filter_paginate_and_carry_the_casting(api, project, asset, shot):
    prop = factories.make_asset(project, factories.make_asset_type("Prop"), name="Cup")
    EntityLink.objects.create(entity_in=shot, entity_out=asset, nb_occurences=2)
    by_type = api.get(f"/api/data/entities?entity_type_id={prop.entity_type_id}").json()
    assert [row["name"] for row in by_type] == ["Cup"]
    listed = api.get(f'/api/data/entities?id=["{asset.id}","{prop.id}"]').json()
    assert {row["name"] for row in listed} == {"Hero", "Cup"}
    page = api.get("/api/data/entities?page=1&limit=2").json()
    assert (page["total"], page["nb_pages"], page["limit"], page["offset"], len(page["data"])) == (
        4,
        2,
        2,
        0,
        2,
    )
    rows = {row["name"]: row for row in api.get("/api/data/entities?relations=true").json()}
    assert rows["SH01"]["entities_out"] == [str(asset.id)]
    assert rows["Hero"]["entities_in"] == [str(shot.id)]
    assert rows["Cup"]["entities_in"] == [] and rows["Cup"]["instance_casting"] == []
    detail = api.get(f"/api/data/entities/{asset.id}").json()
    assert detail["entities_in"] == [str(shot.id)] and detail["type"] == "Asset"


def test_members_list_the_entities_of_their_open_projects(asset, people):
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    factories.make_asset(closed, name="Old")
    join(closed, people["user"])
    assert [row["name"] for row in as_(people, "user").get("/api/data/entities").json()] == ["Hero"]
    assert as_(people, "outsider").get("/api/data/entities").json() == []


def test_vendors_list_only_the_entities_they_hold_a_task_on(asset, project, people):
    assert as_(people, "vendor").get("/api/data/entities").json() == []
    other = factories.make_asset(project, name="Villain")
    task = factories.make_task(asset)
    TaskPersonLink.objects.create(task=task, person=people["vendor"])
    # Unlike the reference (the whole project once a task of it is assigned): that entity only.
    names = sorted(row["name"] for row in as_(people, "vendor").get("/api/data/entities").json())
    assert names == ["Hero"]
    assert as_(people, "vendor").get(f"/api/data/entities/{other.id}").status_code == 403
    assert as_(people, "vendor").get(f"/api/data/entities/{asset.id}").status_code == 200


def test_entity_list_queries_do_not_grow_with_rows(api, project, django_assert_max_num_queries):
    factories.make_asset(project)
    with django_assert_max_num_queries(8) as one:
        assert len(api.get("/api/data/entities?relations=true").json()) == 1
    for _ in range(30):
        factories.make_asset(project)
    with django_assert_max_num_queries(8) as many:
        assert len(api.get("/api/data/entities?relations=true").json()) == 31
    assert len(many.captured_queries) <= len(one.captured_queries)


# --- entities: reads and writes --------------------------------------------------------------


def test_read_entity(shot, people):
    for role in ("manager", "supervisor", "user", "client"):
        assert as_(people, role).get(f"/api/data/entities/{shot.id}").status_code == 200, role
    assert as_(people, "outsider").get(f"/api/data/entities/{shot.id}").status_code == 403
    assert as_(people, "vendor").get(f"/api/data/entities/{shot.id}").status_code == 403
    assert as_(people, "user").get(f"/api/data/entities/{uuid.uuid4()}").status_code == 404
    assert as_(people, "user").get("/api/data/entities/123").json()["message"] == "Malformed ID."


def test_managers_create_entities(project, people):
    character = factories.make_asset_type("Character")
    body = {"name": "Hero", "project_id": str(project.id), "entity_type_id": str(character.id)}
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert as_(people, role).post("/api/data/entities", body, format="json").status_code == 403, role
    response = as_(people, "manager").post("/api/data/entities", body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["created_by"] == str(people["manager"].id) and created["type"] == "Asset"
    assert created["entities_out"] == [] and created["entities_in"] == []
    assert events() == [("asset:new", {"asset_id": created["id"]})]
    assert ApiEvent.objects.get().project_id == project.id


def test_entity_events_follow_the_kind(api, project):
    sequence_type = EntityType.objects.create(name="Sequence")
    folder_type = EntityType.objects.create(name="ConceptFolder")
    for name, entity_type in (("SQ01", sequence_type), ("Refs", folder_type)):
        body = {"name": name, "project_id": str(project.id), "entity_type_id": str(entity_type.id)}
        assert api.post("/api/data/entities", body, format="json").status_code == 201
    created = {e.name: e.data for e in ApiEvent.objects.all()}
    assert set(created) == {"sequence:new", "concept-folder:new"}
    assert "concept_folder_id" in created["concept-folder:new"]


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"entity_type_id": None}, "entity_type_id"),
        ({"nb_frames": "many"}, "nb_frames"),
        ({"status": "sleeping"}, "status"),
        ({"project_id": "not-an-id"}, "project_id"),
    ],
)
def test_create_entity_refuses_bad_input(api, project, change, fragment):
    character = factories.make_asset_type("Character")
    body = {"name": "Hero", "project_id": str(project.id), "entity_type_id": str(character.id)} | change
    body = {key: value for key, value in body.items() if value is not None}
    response = api.post("/api/data/entities", body, format="json")
    assert response.status_code == 400 and fragment in response.json()["message"]
    assert not Entity.objects.exists() and not ApiEvent.objects.exists()


def test_update_entity_by_role(asset, people):
    url = f"/api/data/entities/{asset.id}"
    response = as_(people, "manager").put(url, {"description": "big"}, format="json")
    assert response.status_code == 200 and response.json()["type"] == "Asset"
    assert as_(people, "supervisor").put(url, {"description": "no"}, format="json").status_code == 403
    for role in ("user", "client", "vendor", "outsider"):
        assert as_(people, role).put(url, {"data": {"x": 1}}, format="json").status_code == 403, role
    assert events() == [("asset:update", {"asset_id": str(asset.id)})]


def test_update_merges_data_and_ignores_fixed_columns(api, asset):
    Entity.objects.filter(pk=asset.pk).update(data={"kept": 1, "changed": 1}, shotgun_id=5)
    body = {"data": {"changed": 2}, "shotgun_id": 9, "created_by": str(make_person().id)}
    response = api.put(f"/api/data/entities/{asset.id}", body, format="json")
    assert response.status_code == 200
    assert response.json()["data"] == {"kept": 1, "changed": 2}
    asset.refresh_from_db()
    assert asset.shotgun_id == 5 and asset.created_by_id is None


def test_casting_sent_back_in_an_entity_update_is_ignored(api, asset, shot):
    body = {"entities_out": [str(asset.id)], "instance_casting": [str(asset.id)], "description": "Cast"}
    response = api.put(f"/api/data/entities/{shot.id}", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["entities_out"] == [] and response.json()["description"] == "Cast"
    assert not EntityLink.objects.exists()


def test_supervisors_fill_the_custom_fields_of_their_departments(asset, project, people):
    url = f"/api/data/entities/{asset.id}"
    assert as_(people, "supervisor").put(url, {"data": {"look": "red"}}, format="json").status_code == 200
    lighting, modeling = (
        factories.make_department(name="Lighting"),
        factories.make_department(name="Modeling"),
    )
    DepartmentLink.objects.create(person=people["supervisor"], department=lighting)
    descriptor = MetadataDescriptor.objects.create(
        project=project, entity_type="Asset", name="Look", field_name="look"
    )
    descriptor.departments.add(modeling)
    assert as_(people, "supervisor").put(url, {"data": {"look": "blue"}}, format="json").status_code == 403
    descriptor.departments.add(lighting)
    assert as_(people, "supervisor").put(url, {"data": {"look": "blue"}}, format="json").status_code == 200
    assert as_(people, "supervisor").put(url, {"data": {"other": 1}}, format="json").status_code == 403
    asset.refresh_from_db()
    assert asset.data == {"look": "blue"}


def test_creators_update_and_delete_their_entities(project, people):
    mine = factories.make_asset(project, name="Sketch", created_by=people["user"])
    url = f"/api/data/entities/{mine.id}"
    assert as_(people, "user").put(url, {"description": "mine"}, format="json").status_code == 200
    assert as_(people, "supervisor").delete(url).status_code == 403
    assert as_(people, "user").delete(url).status_code == 204
    assert not Entity.objects.filter(pk=mine.pk).exists()


def test_update_keeps_names_unique(api, project, asset):
    other = factories.make_asset(project, asset.entity_type, name="Villain")
    response = api.put(f"/api/data/entities/{other.id}", {"name": "Hero"}, format="json")
    assert response.status_code == 400 and "already exists" in response.json()["message"]
    other.refresh_from_db()
    assert other.name == "Villain"


def test_delete_entity(api, asset, shot, people):
    EntityLink.objects.create(entity_in=shot, entity_out=asset)
    assert as_(people, "user").delete(f"/api/data/entities/{asset.id}").status_code == 403
    assert as_(people, "manager").delete(f"/api/data/entities/{asset.id}").status_code == 204
    assert not EntityLink.objects.exists()  # the casting goes with the entity
    assert ("asset:delete", {"asset_id": str(asset.id)}) in events()
    assert api.delete(f"/api/data/entities/{uuid.uuid4()}").status_code == 404


def test_delete_entity_with_tasks_is_400_naming_them(api, asset):
    factories.make_task(asset)
    response = api.delete(f"/api/data/entities/{asset.id}")
    assert response.status_code == 400 and "task" in response.json()["message"]
    assert Entity.objects.filter(pk=asset.pk).exists()


def test_deleting_a_sequence_drops_its_subscriptions(api, project, people):
    sequence = factories.make_sequence(project)
    Subscription.objects.create(person=people["user"], entity=sequence, task_type=factories.make_task_type())
    assert api.delete(f"/api/data/entities/{sequence.id}").status_code == 204
    assert not Subscription.objects.exists()
    assert events()[-1] == ("sequence:delete", {"sequence_id": str(sequence.id)})


# --- entity types ----------------------------------------------------------------------------


def test_everyone_reads_entity_types(people):
    character = factories.make_asset_type("Character")
    for role in ("user", "client", "vendor", "outsider"):
        assert [row["name"] for row in as_(people, role).get("/api/data/entity-types").json()] == [
            "Character"
        ]
        assert as_(people, role).get(f"/api/data/entity-types/{character.id}").status_code == 200


def test_admins_write_entity_types_with_asset_type_events(api, people):
    assert (
        as_(people, "manager").post("/api/data/entity-types", {"name": "Prop"}, format="json").status_code
        == 403
    )
    created = api.post("/api/data/entity-types", {"name": "Prop"}, format="json").json()
    duplicate = api.post("/api/data/entity-types", {"name": "PROP"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["message"] == "Entity type with this name already exists"
    assert (
        api.put(f"/api/data/entity-types/{created['id']}", {"short_name": "PR"}, format="json").status_code
        == 200
    )
    assert api.delete(f"/api/data/entity-types/{created['id']}").status_code == 204
    assert [name for name, _ in events()] == ["asset-type:new", "asset-type:update", "asset-type:delete"]
    assert events()[0][1] == {"asset_type_id": created["id"]}
    assert not EntityType.objects.exists()


def test_renamed_entity_type_changes_the_kind(api, project):
    entity_type = EntityType.objects.create(name="Set")
    entity = Entity.objects.create(name="Bridge", project=project, entity_type=entity_type)
    assert api.get(f"/api/data/entities/{entity.id}").json()["type"] == "Asset"
    api.put(f"/api/data/entity-types/{entity_type.id}", {"name": "Edit"}, format="json")
    assert api.get(f"/api/data/entities/{entity.id}").json()["type"] == "Edit"


# --- entity links and asset instances --------------------------------------------------------


def test_entity_links_are_for_admins(api, asset, shot, people):
    body = {"entity_in_id": str(shot.id), "entity_out_id": str(asset.id)}
    assert as_(people, "manager").post("/api/data/entity-links", body, format="json").status_code == 403
    assert as_(people, "user").get("/api/data/entity-links").status_code == 403
    created = api.post("/api/data/entity-links", body, format="json").json()
    assert created["nb_occurences"] == 1 and created["type"] == "EntityLink"
    assert events() == [("entity-link:new", {"entity_link_id": created["id"]})]
    assert api.get(f"/api/data/entity-links?entity_in_id={shot.id}").json()[0]["id"] == created["id"]
    assert api.get(f"/api/data/entity-links/{uuid.uuid4()}").status_code == 404


def test_asset_instances(api, asset, people):
    instance = AssetInstance.objects.create(asset=asset, name="hero_1", number=1)
    assert as_(people, "user").get("/api/data/asset-instances").status_code == 403
    assert len(api.get(f"/api/data/asset-instances?asset_id={asset.id}").json()) == 1
    url = f"/api/data/asset-instances/{instance.id}"
    assert as_(people, "user").get(url).json()["name"] == "hero_1"
    assert as_(people, "outsider").get(url).status_code == 403
    assert as_(people, "vendor").get(url).status_code == 403
    response = as_(people, "user").put(url, {"description": "front", "number": 7}, format="json")
    assert response.status_code == 200 and response.json()["number"] == 1
    assert as_(people, "manager").delete(url).status_code == 403
    body = {"asset_id": str(asset.id), "number": 2}
    assert as_(people, "manager").post("/api/data/asset-instances", body, format="json").status_code == 403
    assert api.post("/api/data/asset-instances", body, format="json").status_code == 201
    assert api.post("/api/data/asset-instances", {"number": 3}, format="json").status_code == 400
    assert AssetInstance.objects.count() == 2
