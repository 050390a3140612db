"""The doctor's check of schedules (kitsu_server.core.doctor)."""

from django.db.models import Exists, OuterRef

from assets.models import Entity, EntityType
from kitsu_server.core.doctor import WARNING, Check, register
from productions.models import ScheduleItem


@register
class ScheduleItemWithoutEntity(Check):
    """A schedule item whose entity or asset type (what it plans;
    `schedule_item.object_id` is no foreign key) is gone: the schedule shows a line for nothing.
    Fix: remove those items (the entity they planned no longer exists)."""

    name = "schedule-item-orphans"
    title = "Schedule items whose entity or asset type does not exist"
    severity = WARNING

    def problems(self, project):
        items = ScheduleItem.objects.filter(object_id__isnull=False).filter(
            ~Exists(Entity.objects.filter(pk=OuterRef("object_id"))),
            ~Exists(EntityType.objects.filter(pk=OuterRef("object_id"))),
        )
        if project is not None:
            items = items.filter(project=project)
        return items.select_related("project", "task_type").order_by("pk")

    def example(self, item):
        project = item.project.name if item.project_id else "(no project)"
        task_type = item.task_type.name if item.task_type_id else "(no task type)"
        dates = f"{item.start_date}..{item.end_date}"
        return f"{project} / {task_type}: item {item.pk} plans {item.object_id} ({dates})"

    def fix(self, project):
        count = ScheduleItem.objects.filter(
            pk__in=list(self.problems(project).values_list("pk", flat=True))
        ).delete()[0]
        return f"{count} schedule items of entities that are gone removed"
