"""Shot-side entity kinds (episodes, sequences, shots, scenes, edits) as typed proxies
of the one entity table, and the shot version history."""

from django.conf import settings
from django.db import models

from assets.models import TypedEntity
from kitsu_server.db import KitsuModel


class EntityVersion(KitsuModel):
    name = models.CharField(max_length=160)
    data = models.JSONField(null=True, blank=True)
    entity = models.ForeignKey(
        "assets.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="versions"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "entity_version"

    def __str__(self):
        return self.name


class Episode(TypedEntity):
    entity_type_name = "Episode"

    class Meta:
        proxy = True


class Sequence(TypedEntity):
    """Its `parent` is the episode (TV shows) or nothing."""

    entity_type_name = "Sequence"

    class Meta:
        proxy = True


class Shot(TypedEntity):
    """Its `parent` is the sequence; frame range in `nb_frames` and `data`."""

    entity_type_name = "Shot"

    class Meta:
        proxy = True


class Scene(TypedEntity):
    entity_type_name = "Scene"

    class Meta:
        proxy = True


class Edit(TypedEntity):
    entity_type_name = "Edit"

    class Meta:
        proxy = True
