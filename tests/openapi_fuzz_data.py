"""Seeded data for the OpenAPI fuzzer (tests/test_openapi_fuzz.py): the demo production, one row of
every other `/data` model, and the real ids the fuzzer puts in URL paths."""

import datetime
import itertools

from django.db import IntegrityError, models, transaction
from django.utils import timezone

import kitsu_server.urls  # noqa: F401  (the URL modules register every /data policy)
from kitsu_server.core.data.policies import REGISTRY
from productions.setup_data import create_admin, init_data, seed_demo_production

ADMIN_EMAIL = "fuzz-admin@example.com"
ADMIN_PASSWORD = "fuzz-admin-password"
_numbers = itertools.count(1)


def _value_for(field):
    """A plausible value for a required column of a row built blind."""
    if field.choices:
        return field.choices[0][0]
    if field.is_relation:
        related = field.related_model._base_manager.order_by("created_at").first()
        return related
    if isinstance(field, models.EmailField):
        return f"fuzz-{next(_numbers)}@example.com"
    if isinstance(field, models.CharField | models.TextField):
        text = f"fuzz-{field.name}-{next(_numbers)}"
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 5)
    if isinstance(field, models.JSONField):
        return {}
    return None


def fill_row(model):
    """One row of `model` with every required column set (foreign keys to the oldest row)."""
    instance = model()
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        value = _value_for(field)
        if value is None:
            return None
        setattr(instance, field.name, value)
    try:
        with transaction.atomic():
            instance.save()
    except (IntegrityError, ValueError, TypeError):
        return None
    return instance


def add_other_entities():
    """A scene (in the first sequence), an edit and a concept: the demo production has none."""
    from assets.models import Entity, EntityType

    sequence = Entity.objects.filter(entity_type__name="Sequence").order_by("created_at").first()
    for kind, parent in (("Scene", sequence), ("Edit", None), ("Concept", None)):
        entity_type, _ = EntityType.objects.get_or_create(name=kind)
        Entity.objects.create(
            name=f"fuzz-{kind.lower()}", project=sequence.project, entity_type=entity_type, parent=parent
        )


def seed():
    """The demo production and its admin, then a row of every `/data` model still empty."""
    init_data()
    admin, *_ = create_admin(ADMIN_EMAIL, ADMIN_PASSWORD)
    seed_demo_production("fuzz-demo-password")
    add_other_entities()
    for _ in range(3):  # a model whose foreign keys point to models filled later waits a round
        for policy in REGISTRY.values():
            model = policy.model
            if not model._base_manager.exists():
                fill_row(model)
    add_trash_item(admin)
    return admin


def add_trash_item(admin):
    """A deleted playlist in the trash (for the `/trash/{item_id}` routes)."""
    from files.models import Playlist
    from kitsu_server.core import deletion
    from kitsu_server.core.trash.units import trashing
    from productions.models import Project

    playlist = Playlist.objects.create(
        name="fuzz-trashed", project=Project.objects.order_by("created_at").first()
    )
    with transaction.atomic(), trashing(playlist, admin):
        deletion.remove_playlists(Playlist.objects.filter(pk=playlist.pk))


def path_ids(admin):
    """Real ids for the URL parameters the fuzzer fills ({parameter name: value}), and for the
    `/data/<model>/{instance_id}` routes ({path: id}). The admin's own row is never the target
    (a write to it could lock the fuzzer out)."""
    from assets.models import Entity
    from kitsu_server.core.trash_models import TrashItem

    def first(model, **filters):
        row = model._base_manager.filter(**filters).exclude(pk=admin.pk).order_by("created_at").first()
        return str(row.pk) if row else None

    by_name = {}
    for policy in REGISTRY.values():
        name = f"{policy.model._meta.model_name}_id"
        by_name.setdefault(policy.table + "_id", first(policy.model))
        by_name.setdefault(name, by_name[policy.table + "_id"])
    for kind in ("Asset", "Shot", "Sequence", "Episode", "Scene", "Edit", "Concept"):
        by_name[f"{kind.lower()}_id"] = first(Entity, entity_type__name=kind) or by_name.get(
            f"{kind.lower()}_id"
        )
    by_name["entity_id"] = by_name["shot_id"] or by_name["asset_id"]
    by_name["item_id"] = first(TrashItem)
    by_name["asset_type_id"] = first(REGISTRY["entity-types"].model, name="Character") or by_name.get(
        "asset_type_id"
    )
    instances = {
        f"/api/data/{path}/{{instance_id}}": first(policy.model) for path, policy in REGISTRY.items()
    }
    return {key: value for key, value in by_name.items() if value}, instances
