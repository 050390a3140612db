"""Batch comments (`/actions/tasks/batch-comment`): several comments, each with its attachments
and previews uploaded in the same multipart request, as the web UI's review room posts them.

Each comment is checked (act on its task, use its status) before anything is written; a preview
whose file is refused is skipped, as on the reference, the comment staying."""

import datetime

from rest_framework.exceptions import NotFound

from files.media.services import receive_preview_upload
from files.models import PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance
from kitsu_server.api.params import uuid_or_none
from kitsu_server.core.data.policies import REGISTRY
from people.models import Person
from tasks.comments.services import post_comment
from tasks.models import Comment, Task, TaskStatus
from tasks.previews.services import add_preview_to_comment


def files_of(request, field, index):
    """The uploaded files of field `<field>-<index>` or `<field>-<index>-<n>` (`preview_file-0`,
    `preview_file-0-1`...): those of comment `index` (and not of comment 10 for comment 1)."""
    token = f"{field}-{index}"
    return [
        uploaded
        for name in request.FILES
        if name == token or name.startswith(f"{token}-")
        for uploaded in request.FILES.getlist(name)
    ]


def created_at_of(value):
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(value or "", layout).replace(tzinfo=datetime.UTC)
        except (TypeError, ValueError):
            continue
    return None


def checked_entries(access, comments, task):
    """(task, status, entry) of each comment, once every one is allowed (nothing written before)."""
    entries = []
    for entry in comments:
        target = task or Task.objects.select_related("project", "entity").filter(pk=entry["task_id"]).first()
        if target is None:
            raise NotFound("Task not found.")
        access.check_task_action_access(target)
        status = TaskStatus.objects.filter(pk=uuid_or_none(entry.get("task_status_id"))).first()
        if status is None:
            raise WrongParameter("Each comment needs a valid task_status_id.")
        access.check_task_status_access(status.pk, target.project_id)
        entries.append((target, status, entry))
    return entries


def post_batch_comments(access, request, comments, task=None):
    """Post the comments (and upload their files); the comments, each with `preview_files`."""
    results = []
    for index, (target, status, entry) in enumerate(checked_entries(access, comments, task)):
        author, created_at = request.user, None
        if access.may_comment_for_others(target.project_id):
            author = Person.objects.filter(pk=uuid_or_none(entry.get("person_id"))).first() or request.user
            created_at = created_at_of(entry.get("created_at"))
        comment = post_comment(
            target,
            status,
            author,
            request.user,
            text=str(entry.get("text") or entry.get("comment") or ""),
            checklist=entry.get("checklist") or [],
            links=entry.get("links") or [],
            files=files_of(request, "attachment_file", index),
            created_at=created_at,
        )
        comment["preview_files"] = []
        for uploaded in files_of(request, "preview_file", index):
            slot = add_preview_to_comment(target, Comment.objects.get(pk=comment["id"]), author)
            preview = PreviewFile.objects.select_related("task__project").get(pk=slot["id"])
            try:
                preview = receive_preview_upload(preview, uploaded, request.user)
            except WrongParameter:
                continue  # the file is refused and its slot removed; the comment stays
            comment["preview_files"].append(
                serialize_instance(preview, shape=REGISTRY["preview-files"].shape)
            )
        results.append(comment)
    return results
