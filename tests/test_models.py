"""Model rules that the reference enforces in its schema: defaults, uniqueness, checks."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from assets.models import Asset, AssetType, Entity, EntityLink, EntityType
from people.models import DayOff, Person
from productions.models import MetadataDescriptor, Project, ProjectPersonLink, ProjectTaskStatusLink
from shots.models import Episode, Sequence, Shot
from tasks.models import Task, TimeSpent
from tests import factories

pytestmark = pytest.mark.django_db


def assert_integrity_error(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_audit_fields_and_uuid_primary_key():
    project = factories.make_project()
    assert isinstance(project.id, uuid.UUID)
    assert project.created_at is not None and project.updated_at is not None
    first_update = project.updated_at
    project.description = "changed"
    project.save(update_fields=["description"])
    project.refresh_from_db()
    assert project.updated_at > first_update
    assert project.created_at <= project.updated_at


def test_project_defaults_match_the_reference():
    project = Project.objects.create(name="Defaults")
    assert project.fps == "25"
    assert project.ratio == "16:9"
    assert project.resolution == "1920x1080"
    assert project.production_type == "short"
    assert project.production_style == "2d3d"
    assert project.homepage == "assets"
    assert project.is_client_stats_visible is True
    assert project.is_clients_isolated is False
    assert project.revision_padding == 0
    assert project.max_retakes == 0


def test_person_defaults_match_the_reference(settings):
    person = Person.objects.create(first_name="Ann", last_name="Lee", email="ann@example.com")
    assert person.role == "user"
    assert person.contract_type == "open-ended"
    assert person.position == "artist"
    assert person.seniority == "mid"
    assert person.active is True and person.is_active
    assert person.timezone == settings.DEFAULT_TIMEZONE
    assert person.locale == settings.DEFAULT_LOCALE
    assert person.display_date_format == "YYYY-MM-DD"
    assert person.is_bot is False
    assert person.full_name == "Ann Lee"
    assert not person.is_staff


def test_back_office_roles_are_staff_only_admins_superusers():
    for role in ("user", "client", "vendor"):
        assert not factories.make_person(role=role).is_staff
    for role in ("supervisor", "manager"):  # they enter the back-office, with the API's rules
        person = factories.make_person(role=role)
        assert person.is_staff and not person.is_superuser
        assert not person.has_perm("tasks.change_task") and not person.has_module_perms("tasks")
    admin = factories.make_person(role="admin")
    assert admin.is_staff and admin.is_superuser and admin.has_perm("tasks.change_task")
    admin.active = False
    assert not admin.is_staff and not admin.is_superuser


def test_email_unique_among_non_bots_only():
    factories.make_person(email="same@example.com")
    assert_integrity_error(lambda: factories.make_person(email="same@example.com"))
    # bots may share an address, as in the reference's partial unique index
    Person.objects.create(first_name="Bot", last_name="1", email="same@example.com", is_bot=True)
    Person.objects.create(first_name="Bot", last_name="2", email="same@example.com", is_bot=True)
    assert Person.objects.filter(email="same@example.com").count() == 3


def test_task_unique_and_difficulty_check():
    project = factories.make_project()
    asset = factories.make_asset(project)
    task_type = factories.make_task_type()
    status = factories.make_task_status()
    factories.make_task(asset, task_type, status)
    assert Task.objects.get().difficulty == 3
    assert Task.objects.get().priority == 0
    assert_integrity_error(lambda: factories.make_task(asset, task_type, status))
    assert_integrity_error(lambda: factories.make_task(asset, task_type, status, name="other", difficulty=6))
    assert_integrity_error(lambda: factories.make_task(asset, task_type, status, name="other", difficulty=0))
    assert Task.objects.count() == 1


def test_time_spent_positive_and_unique_per_day():
    project = factories.make_project()
    task = factories.make_task(factories.make_asset(project))
    person = factories.make_person()
    day = datetime.date(2026, 3, 2)
    TimeSpent.objects.create(task=task, person=person, date=day, duration=60)
    assert_integrity_error(lambda: TimeSpent.objects.create(task=task, person=person, date=day, duration=30))
    assert_integrity_error(
        lambda: TimeSpent.objects.create(task=task, person=person, date=day.replace(day=3), duration=0)
    )


def test_day_off_dates_are_ordered():
    person = factories.make_person()
    DayOff.objects.create(person=person, date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 9))
    assert_integrity_error(
        lambda: DayOff.objects.create(
            person=person, date=datetime.date(2026, 2, 5), end_date=datetime.date(2026, 2, 1)
        )
    )


def test_entity_name_unique_within_project_type_and_parent():
    project = factories.make_project()
    sequence = factories.make_sequence(project)
    factories.make_shot(project, sequence, name="SH0010")
    assert_integrity_error(lambda: factories.make_shot(project, sequence, name="SH0010"))
    other_sequence = factories.make_sequence(project)
    factories.make_shot(project, other_sequence, name="SH0010")  # another parent: allowed
    assert Shot.objects.filter(name="SH0010").count() == 2


def test_typed_proxies_filter_by_entity_type_and_set_it_on_save():
    project = factories.make_project()
    episode = factories.make_episode(project)
    sequence = factories.make_sequence(project, episode)
    shot = factories.make_shot(project, sequence)
    asset = factories.make_asset(project, factories.make_asset_type("Props"))
    assert shot.entity_type.name == "Shot"
    assert list(Shot.objects.all()) == [shot]
    assert list(Sequence.objects.all()) == [sequence]
    assert list(Episode.objects.all()) == [episode]
    assert list(Asset.objects.values_list("id", flat=True)) == [asset.id]
    assert set(AssetType.objects.values_list("name", flat=True)) == {"Props"}
    assert Entity.objects.count() == 4
    assert EntityType.objects.filter(name__in=["Shot", "Sequence", "Episode"]).count() == 3


def test_casting_through_entity_links():
    project = factories.make_project()
    shot = factories.make_shot(project, factories.make_sequence(project))
    asset = factories.make_asset(project)
    EntityLink.objects.create(entity_in=shot, entity_out=asset, nb_occurences=3, label="animate")
    assert list(shot.entities_out.all()) == [asset.entity_ptr if hasattr(asset, "entity_ptr") else asset]
    assert list(Entity.objects.get(pk=asset.pk).entities_in.values_list("id", flat=True)) == [shot.id]
    assert_integrity_error(lambda: EntityLink.objects.create(entity_in=shot, entity_out=asset))
    link = EntityLink.objects.get()
    assert (link.nb_occurences, link.label) == (3, "animate")


def test_team_and_task_status_links():
    project = factories.make_project()
    person = factories.make_person()
    ProjectPersonLink.objects.create(project=project, person=person)
    assert list(project.team.all()) == [person]
    assert list(person.projects.all()) == [project]
    assert_integrity_error(lambda: ProjectPersonLink.objects.create(project=project, person=person))
    status = factories.make_task_status()
    link = ProjectTaskStatusLink.objects.create(project=project, task_status=status)
    assert link.roles_for_board == ["user", "admin", "supervisor", "manager", "vendor"]
    assert link.priority is None


def test_metadata_descriptor_unique_per_project_entity_type_and_task_type():
    project = factories.make_project()
    fields = {"project": project, "entity_type": "Asset", "name": "Difficulty", "field_name": "difficulty"}
    MetadataDescriptor.objects.create(**fields)
    assert_integrity_error(lambda: MetadataDescriptor.objects.create(**fields))
    task_type = factories.make_task_type()
    MetadataDescriptor.objects.create(**fields, task_type=task_type)  # a task type scope: allowed
    assert_integrity_error(lambda: MetadataDescriptor.objects.create(**fields, task_type=task_type))


def test_referenced_rows_are_protected_from_deletion():
    project = factories.make_project()
    asset = factories.make_asset(project)
    factories.make_task(asset)
    with pytest.raises(ProtectedError):
        Entity.objects.get(pk=asset.pk).delete()
    with pytest.raises(ProtectedError):
        project.delete()
    assert Entity.objects.filter(pk=asset.pk).exists()


def test_link_rows_follow_their_owner_on_delete():
    project = factories.make_project()
    person = factories.make_person()
    ProjectPersonLink.objects.create(project=project, person=person)
    project.delete()
    assert not ProjectPersonLink.objects.exists()
    assert Person.objects.filter(pk=person.pk).exists()
