"""A production where a manager creates assets and an artist comments, for the idempotency tests."""

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def prop(db):
    return factories.make_asset_type("Prop")


@pytest.fixture
def new_asset_path(show, prop):
    return f"/api/data/projects/{show.id}/asset-types/{prop.id}/assets/new"


@pytest.fixture
def wip(db):
    return factories.make_task_status(name="Work In Progress", short_name="wip", is_wip=True)


@pytest.fixture
def task(show, team, wip):
    factories.make_task_status(name="Todo", short_name="todo", is_default=True)
    task = factories.make_task(factories.make_asset(show, name="chair"))
    task.assignees.add(team["user"])
    return task
