"""Reads of the previews of tasks: a task's preview files, a project's preview files."""

from files.models import PreviewFile
from kitsu_server.api.json import (
    serialize_rows,
)
from tasks.queries import paginated, shape_of


def project_preview_files(project, page):
    queryset = PreviewFile.objects.filter(task__project=project).order_by("-updated_at", "pk")
    return paginated(queryset, page, None, lambda rows: serialize_rows(rows, shape=shape_of("preview-files")))


def task_previews(task, as_client=False):
    queryset = PreviewFile.objects.filter(task=task).order_by("-revision", "position", "created_at")
    if as_client:
        queryset = queryset.exclude(validation_status="rejected")
    return serialize_rows(queryset, shape=shape_of("preview-files"))
