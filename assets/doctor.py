"""The doctor's checks of entities and their casting (kitsu_server.core.doctor)."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from assets.breakdown.services import refresh_casting_stats
from assets.models import Entity, EntityLink
from files.models import PreviewFile
from kitsu_server.core.doctor import ERROR, Check, register
from kitsu_server.core.doctor.registry import entity_label
from kitsu_server.core.events import EventLog

BATCH_SIZE = 500  # shots recounted per statement batch, as the casting stats job does


def live_cast_count():
    """How many live (not canceled) assets a shot casts: what `nb_entities_out` keeps."""
    return Coalesce(
        Subquery(
            EntityLink.objects.filter(entity_in_id=OuterRef("pk"), entity_out__canceled=False)
            .order_by()
            .values("entity_in_id")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        Value(0),
    )


@register
class ShotCastingStats(Check):
    """A shot's casting stats (`nb_entities_out`, the count of live assets it casts) do not match
    its casting links: the breakdown and the shot lists show a wrong count. Fix: recount, as the
    casting stats job does (with the tasks' `nb_assets_ready` and a `shot:casting-update` event
    for each count that moves)."""

    name = "casting-stats"
    title = "Shots whose casting stats do not match their casting"

    def problems(self, project):
        shots = Entity.objects.filter(entity_type__name="Shot")
        if project is not None:
            shots = shots.filter(project=project)
        return (
            shots.annotate(cast_count=live_cast_count(), stored_count=Coalesce("nb_entities_out", Value(0)))
            .filter(~Q(stored_count=F("cast_count")))
            .select_related("project", "parent")
            .order_by("pk")
        )

    def example(self, shot):
        counts = f"{shot.stored_count} cast instead of {shot.cast_count}"
        return f"{shot.project.name} / {entity_label(shot)}: {counts}"

    def fix(self, project):
        shot_ids = list(self.problems(project).values_list("pk", flat=True))
        for start in range(0, len(shot_ids), BATCH_SIZE):
            log = EventLog(None)
            refresh_casting_stats(shot_ids[start : start + BATCH_SIZE], log)
            log.record()
        return f"{len(shot_ids)} shots' casting stats recounted"


@register
class EntityPreviewOfAnotherEntity(Check):
    """An entity's main preview (its thumbnail in every list) is a preview of another entity's
    task. Report-only: choose the right one with "set main preview"."""

    name = "entity-preview-elsewhere"
    title = "Entities whose main preview belongs to another entity"
    severity = ERROR

    def problems(self, project):
        entities = Entity.objects.filter(preview_file__isnull=False).exclude(
            pk=Subquery(
                PreviewFile.objects.filter(pk=OuterRef("preview_file_id")).values("task__entity_id")[:1]
            )
        )
        if project is not None:
            entities = entities.filter(project=project)
        return entities.select_related("project", "parent", "preview_file__task__entity").order_by("pk")

    def example(self, entity):
        task = entity.preview_file.task
        owner = entity_label(task.entity) if task is not None and task.entity_id else "no entity"
        shown = f"shows preview {entity.preview_file_id} of {owner}"
        return f"{entity.project.name} / {entity_label(entity)}: {shown}"
