import pytest

from tests import factories


@pytest.mark.django_db
def test_factories_build_a_small_production():
    project = factories.make_project()
    sequence = factories.make_sequence(project)
    shot = factories.make_shot(project, sequence)
    task = factories.make_task(shot, factories.make_task_type(for_entity="Shot"))
    assert task.entity.entity_type.name == "Shot"
    assert shot.parent_id == sequence.id
