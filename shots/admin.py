"""Back-office of the shot-side kinds of entity (episodes, sequences, shots, scenes,
edits: typed views of the one entity table) and the shot version history.

A shot's frame range and frame rate, kept in its `data` as on the reference, are
fields of its form; its tasks are listed on its page."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.functional import cached_property

from assets.admin import TypedEntityAdmin
from kitsu_server.admin_base import LargeTableAdmin
from shots.models import Edit, EntityVersion, Episode, Scene, Sequence, Shot
from tasks.admin import EntityTasksInline

FRAME_KEYS = ("frame_in", "frame_out", "fps")


class ShotForm(forms.ModelForm):
    """The shot's `data` keys `frame_in`, `frame_out` and `fps` as fields; `data` shows the rest."""

    frame_in = forms.IntegerField(required=False, min_value=0, max_value=10**9)
    frame_out = forms.IntegerField(required=False, min_value=0, max_value=10**9)
    fps = forms.DecimalField(required=False, min_value=Decimal("0.001"), max_digits=8, decimal_places=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.instance.data if isinstance(self.instance.data, dict) else {}
        for key in FRAME_KEYS:
            self.fields[key].initial = data.get(key)
        if "data" in self.fields and isinstance(self.instance.data, dict):
            self.initial["data"] = {k: v for k, v in data.items() if k not in FRAME_KEYS}

    @cached_property
    def changed_data(self):
        names = list(super().changed_data)
        if any(key in names for key in FRAME_KEYS) and "data" not in names:
            names.append("data")
        return names

    def clean(self):
        cleaned = super().clean()
        frame_in, frame_out = cleaned.get("frame_in"), cleaned.get("frame_out")
        if frame_in is not None and frame_out is not None and frame_out < frame_in:
            self.add_error("frame_out", "The last frame comes after the first one.")
        data = cleaned.get("data")
        data = dict(data) if isinstance(data, dict) else {}
        for key in FRAME_KEYS:
            if key in self.changed_data or (key in self.fields and self.fields[key].initial is not None):
                value = cleaned.get(key)
                # The web UI writes the frame rate as text ("25"), the frames as numbers.
                data[key] = format(value.normalize(), "f") if key == "fps" and value is not None else value
        cleaned["data"] = data
        return cleaned


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
    form = ShotForm
    list_display = (
        "name",
        "sequence",
        "project",
        "frame_range",
        "nb_frames",
        "status",
        "canceled",
        "updated_at",
    )
    list_select_related = ("project", "parent__parent")
    search_fields = ("name", "code", "parent__name", "parent__parent__name")
    inlines = (*TypedEntityAdmin.inlines, EntityTasksInline)
    fieldsets = (
        (None, {"fields": ("project", "parent", "name", "code", "description", "status", "canceled")}),
        ("Frames", {"fields": ("frame_in", "frame_out", "nb_frames", "fps")}),
        (
            "More",
            {
                "classes": ("collapse",),
                "fields": (
                    "data",
                    "preview_file",
                    "source",
                    "ready_for",
                    "is_casting_standby",
                    "is_shared",
                    "nb_entities_out",
                    "shotgun_id",
                    "created_by",
                ),
            },
        ),
    )

    @admin.display(description="sequence", ordering="parent__name")
    def sequence(self, shot):
        if shot.parent is None:
            return ""
        episode = shot.parent.parent
        return f"{episode.name} / {shot.parent.name}" if episode is not None else shot.parent.name

    @admin.display(description="frames")
    def frame_range(self, shot):
        data = shot.data if isinstance(shot.data, dict) else {}
        frame_in, frame_out = data.get("frame_in"), data.get("frame_out")
        if frame_in is None and frame_out is None:
            return ""
        fps = f" @ {data['fps']} fps" if data.get("fps") else ""
        return (
            f"{frame_in if frame_in is not None else '?'}-{frame_out if frame_out is not None else '?'}{fps}"
        )


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
