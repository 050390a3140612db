"""Back-office of the shot-side kinds of entity (episodes, sequences, shots, scenes,
edits: typed views of the one entity table) and the shot version history."""

from django.contrib import admin

from assets.admin import TypedEntityAdmin
from kitsu_server.admin_base import LargeTableAdmin
from shots.models import Edit, EntityVersion, Episode, Scene, Sequence, Shot


@admin.register(Episode)
class EpisodeAdmin(TypedEntityAdmin):
    list_display = ("name", "project", "status", "canceled", "updated_at")
    list_select_related = ("project",)
    search_fields = ("name", "code")


@admin.register(Sequence)
class SequenceAdmin(TypedEntityAdmin):
    list_display = ("name", "episode", "project", "status", "canceled", "updated_at")

    @admin.display(description="episode", ordering="parent__name")
    def episode(self, sequence):
        return sequence.parent


@admin.register(Shot)
class ShotAdmin(TypedEntityAdmin):
    list_display = ("name", "sequence", "project", "nb_frames", "status", "canceled", "updated_at")

    @admin.display(description="sequence", ordering="parent__name")
    def sequence(self, shot):
        return shot.parent


@admin.register(Scene)
class SceneAdmin(TypedEntityAdmin):
    pass


@admin.register(Edit)
class EditAdmin(TypedEntityAdmin):
    pass


@admin.register(EntityVersion)
class EntityVersionAdmin(LargeTableAdmin):
    list_display = ("name", "entity", "person", "created_at")
    list_select_related = ("entity", "person")
    search_fields = ("name", "entity__name")
    autocomplete_fields = ("entity", "person")
