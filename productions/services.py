"""Writes on productions and their settings, with their events."""

from django.db import transaction

from kitsu_server.core.events import record_event
from productions.models import ProjectTaskStatusLink, ProjectTaskTypeLink


def _set_link_priorities(link_model, key, project_id, ordered_ids, user):
    """Priority = 1-based position in `ordered_ids`; ids without a link on the project are skipped."""
    links = {
        getattr(link, key): link
        for link in link_model.objects.filter(project_id=project_id, **{f"{key}__in": ordered_ids})
    }
    changed = []
    for priority, linked_id in enumerate(ordered_ids, start=1):
        link = links.get(linked_id)
        if link is not None:
            link.priority = priority
            changed.append(link)
    link_model.objects.bulk_update(changed, ["priority", "updated_at"])
    # The clients read these links through the project: the project is what they refetch.
    record_event("project:update", {}, project_id=project_id, user=user)
    return changed


@transaction.atomic
def reorder_project_task_types(project_id, task_type_ids, user=None):
    return _set_link_priorities(ProjectTaskTypeLink, "task_type_id", project_id, task_type_ids, user)


@transaction.atomic
def reorder_project_task_statuses(project_id, task_status_ids, user=None):
    return _set_link_priorities(ProjectTaskStatusLink, "task_status_id", project_id, task_status_ids, user)
