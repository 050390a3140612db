"""The frame of a ShotGrid import: one `Importer` per kind of record, which finds the row a record
names (by its ShotGrid id first, then by its natural key) and creates or updates it.

Importing the same records twice changes nothing the second time, and a push interrupted half
way is finished by pushing it again: every row is matched before it is written.
"""

from kitsu_server.core.events import record_event


class RowSkipped(Exception):
    """A record left out, with the reason kept in the import errors (a project not imported yet,
    a placeholder person...)."""


class Importer:
    """How one kind of ShotGrid record becomes rows here.

    kind: the route's name (`/import/shotgun/<kind>`); model: the model of the rows answered;
    event: the name of their events (`<event>:new` / `<event>:update`).
    """

    kind = None
    model = None
    event = None

    def __init__(self, user):
        self.user = user

    def prepare(self, entries):
        """Once before the rows: lookups and the rows every record needs (statuses, types)."""

    def accepts(self, entry):
        """Whether the record is for this import at all (ShotGrid sends tasks without a step,
        notes on no task...): the others are passed over silently, as the reference does."""
        return True

    def save(self, entry):
        """(row, created) for one record, inside its own transaction; `RowSkipped` to leave it."""
        raise NotImplementedError

    def finish(self):
        """Once after the rows (links that need every row of the push)."""

    def announce(self, row, created):
        """The event of a row written: `<event>:new` or `<event>:update`."""
        if self.event is None:
            return
        project_id = getattr(row, "project_id", None)
        name = self.event.replace("-", "_")
        record_event(
            f"{self.event}:{'new' if created else 'update'}",
            {f"{name}_id": str(row.pk)},
            project_id=project_id,
            user=self.user,
        )


def by_shotgun_id(queryset, shotgun_id):
    """The row of `queryset` with this ShotGrid id, or None (the oldest when several have it)."""
    if shotgun_id is None:
        return None
    ordering = (
        "created_at" if any(field.name == "created_at" for field in queryset.model._meta.fields) else "pk"
    )
    return queryset.filter(shotgun_id=shotgun_id).order_by(ordering).first()


def link_id(entry, name):
    """The ShotGrid id of the record a link field names (`{"type": ..., "id": ...}`), or None."""
    link = entry.get(name)
    return link.get("id") if isinstance(link, dict) else None


def custom_fields(entry, excluded=()):
    """The studio's own fields of a record (`sg_...`), without the empty ones."""
    return {
        name: value
        for name, value in entry.items()
        if name.startswith("sg_") and name not in excluded and value is not None
    }


def hex_color(rgb, default="0,0,0"):
    """ShotGrid's "red,green,blue" as "#rrggbb"."""
    red, green, blue = (int(part) for part in (rgb or default).split(","))
    return f"#{red:02x}{green:02x}{blue:02x}"


def update_fields(row, values):
    """Set `values` on `row` and save those columns if any changed; answers whether one did."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=[*changed, "updated_at"])
    return bool(changed)
