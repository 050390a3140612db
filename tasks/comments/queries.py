"""Reads of comment threads: a task's comments with their previews, attachments, mentions,
acknowledgements and reply authors (narrowed for clients), and a project's comments.
"""

from collections import defaultdict

from django.db.models import OuterRef, Subquery

from files.models import AttachmentFile
from kitsu_server.api.json import (
    serialize_rows,
    text_or_none,
)
from kitsu_server.api.params import is_uuid
from kitsu_server.core.delta import delta_list
from people.models import Person
from tasks.models import (
    Comment,
    CommentAcknowledgement,
    CommentDepartmentMention,
    CommentMention,
    CommentPreviewLink,
    Task,
)
from tasks.queries import author_role, paginated, shape_of, short_person

# --- comments -----------------------------------------------------------------------------------

COMMENT_JOINED = (
    "person__first_name",
    "person__last_name",
    "person__has_avatar",
    "person__role",
    "editor__first_name",
    "editor__last_name",
    "editor__has_avatar",
    "editor__role",
    "task_status__name",
    "task_status__short_name",
    "task_status__color",
)


def task_comments(task, as_client=False, as_supervisor=False, reader=None):
    """A task's thread, newest first, as the comment panel reads it: each comment with its author,
    editor, status, previews, mentions, acknowledgements, attachments and reply authors.

    Artists and vendors do not read what clients wrote; a client reads the comments meant for
    clients, those of clients (in an isolated project: their own), and the previews of the others
    with their text blanked."""
    queryset = Comment.objects.filter(object_id=task.pk, task_status__isnull=False).order_by(
        "-created_at", "pk"
    )
    if not as_supervisor and not as_client:
        queryset = queryset.annotate(author_role=author_role()).exclude(author_role="client")
    shape = shape_of("comments")
    comments = []
    for row in queryset.values(*shape.attnames, *COMMENT_JOINED):
        data = shape.format_row(row)
        data["person"] = {**short_person(row, "person"), "id": data["person_id"]}
        if row["editor_id"] is not None:
            editor = short_person(row, "editor")
            del editor["full_name"]
            data["editor"] = {**editor, "id": data["editor_id"]}
        data["task_status"] = {
            "name": row["task_status__name"],
            "short_name": row["task_status__short_name"],
            "color": row["task_status__color"],
            "id": data["task_status_id"],
        }
        comments.append(data)
    if comments:
        comment_ids = [comment["id"] for comment in comments]
        links = {
            "acknowledgements": _link_map(CommentAcknowledgement, "person_id", comment_ids),
            "previews": comment_previews(comment_ids, skip_rejected=as_client),
            "mentions": _link_map(CommentMention, "person_id", comment_ids),
            "department_mentions": _link_map(CommentDepartmentMention, "department_id", comment_ids),
            "attachment_files": comment_attachments(comment_ids),
        }
        for comment in comments:
            for name, by_comment in links.items():
                comment[name] = by_comment.get(comment["id"], [])
        embed_reply_authors(comments)
    if as_client:
        comments = comments_for_client(comments, task, reader)
    return comments


def _link_map(link_model, column, comment_ids):
    by_comment = defaultdict(list)
    for comment_id, value in link_model.objects.filter(comment_id__in=comment_ids).values_list(
        "comment_id", column
    ):
        by_comment[str(comment_id)].append(str(value))
    return by_comment


PREVIEW_SUMMARY = (
    "id",
    "task_id",
    "revision",
    "extension",
    "width",
    "height",
    "duration",
    "status",
    "validation_status",
    "original_name",
    "position",
    "annotations",
)


def comment_previews(comment_ids, skip_rejected=False):
    links = CommentPreviewLink.objects.filter(comment_id__in=comment_ids)
    if skip_rejected:
        links = links.exclude(preview_file__validation_status="rejected")
    rows = links.order_by("preview_file__revision", "preview_file__position", "preview_file__created_at")
    by_comment = defaultdict(list)
    lookups = [f"preview_file__{name}" for name in PREVIEW_SUMMARY]
    for row in rows.values("comment_id", *lookups):
        preview = {name: row[f"preview_file__{name}"] for name in PREVIEW_SUMMARY}
        preview["id"], preview["task_id"] = str(preview["id"]), text_or_none(preview["task_id"])
        preview["status"] = preview["status"] or "ready"
        preview["validation_status"] = preview["validation_status"] or "neutral"
        by_comment[str(row["comment_id"])].append(preview)
    return by_comment


def comment_attachments(comment_ids):
    by_comment = defaultdict(list)
    rows = AttachmentFile.objects.filter(comment_id__in=comment_ids).order_by("created_at", "pk")
    for comment_id, pk, name, extension, reply_id, size in rows.values_list(
        "comment_id", "pk", "name", "extension", "reply_id", "size"
    ):
        by_comment[str(comment_id)].append(
            {
                "id": str(pk),
                "name": name,
                "extension": extension,
                "reply_id": text_or_none(reply_id),
                "size": size,
            }
        )
    return by_comment


def embed_reply_authors(comments):
    """Each reply carries a short view of its author, read in one query for the whole thread."""
    person_ids = {
        reply.get("person_id")
        for comment in comments
        for reply in comment.get("replies") or []
        if isinstance(reply, dict) and reply.get("person_id")
    }
    if not person_ids:
        return
    valid_ids = [person_id for person_id in person_ids if is_uuid(person_id)]
    people = {}
    for row in Person.objects.filter(pk__in=valid_ids).values(
        "pk", "first_name", "last_name", "has_avatar", "role"
    ):
        first_name, last_name = row["first_name"], row["last_name"]
        people[str(row["pk"])] = {
            "id": str(row["pk"]),
            "first_name": first_name,
            "last_name": last_name,
            "full_name": f"{first_name} {last_name}"
            if first_name and last_name
            else f"{first_name}{last_name}",
            "has_avatar": row["has_avatar"],
            "role": row["role"],
        }
    for comment in comments:
        for reply in comment.get("replies") or []:
            if isinstance(reply, dict):
                reply["person"] = people.get(str(reply.get("person_id")))


def comments_for_client(comments, task, reader):
    """What a client reads of a thread (see `task_comments`); authors are judged by their global
    role, as the reference does."""
    isolated = bool(task.project.is_clients_isolated)
    author_ids = {comment["person_id"] for comment in comments}
    roles = dict(Person.objects.filter(pk__in=author_ids).values_list("pk", "role"))
    roles = {str(pk): role for pk, role in roles.items()}
    kept = []
    for comment in comments:
        by_client = roles.get(comment["person_id"]) == "client"
        for_client = bool(comment.get("for_client"))
        own = comment["person_id"] == str(reader.pk)
        allowed = for_client or (isolated and own) or (not isolated and by_client)
        if comment["previews"] and not by_client and not for_client:
            comment.update({"text": "", "attachment_files": [], "checklist": [], "replies": []})
            kept.append(comment)
        elif allowed:
            kept.append(comment)
    return kept


def project_comments(project, access, page, limit, window=None):
    """A project's comments that `access` reads (visible_comments: an artist not the clients'),
    last changed first, with their relation id lists (paginated on ask). With a delta `window`,
    those changed in it and the ids of the production's comments trashed in it."""
    queryset = Comment.objects.filter(object_id__in=Task.objects.filter(project=project).values("pk"))
    queryset = access.visible_comments(queryset).order_by("-updated_at", "pk")

    def render(rows):
        comments = serialize_rows(rows, shape=shape_of("comments"))
        comment_ids = [comment["id"] for comment in comments]
        if not comment_ids:
            return comments
        links = {
            "previews": _link_map(CommentPreviewLink, "preview_file_id", comment_ids),
            "mentions": _link_map(CommentMention, "person_id", comment_ids),
            "department_mentions": _link_map(CommentDepartmentMention, "department_id", comment_ids),
            "acknowledgements": _link_map(CommentAcknowledgement, "person_id", comment_ids),
            "attachment_files": defaultdict(list),
        }
        for comment_id, pk in AttachmentFile.objects.filter(comment_id__in=comment_ids).values_list(
            "comment_id", "pk"
        ):
            links["attachment_files"][str(comment_id)].append(str(pk))
        for comment in comments:
            for name, by_comment in links.items():
                comment[name] = by_comment.get(comment["id"], [])
        return comments

    if window is not None:
        return delta_list(window, queryset, render, Comment, [project.pk])
    return paginated(queryset, page, limit, render)


def last_client_comments(project_id, task_ids):
    """(task, its last comment written by a client of the project) for each listed task of the
    project that has one and a status, in task id order. Two queries."""
    last_client_comment = (
        Comment.objects.filter(object_id=OuterRef("pk"))
        .annotate(author_role=author_role())
        .filter(author_role="client")
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    tasks = list(
        Task.objects.filter(project_id=project_id, pk__in=task_ids, task_status__isnull=False)
        .annotate(client_comment_id=Subquery(last_client_comment))
        .filter(client_comment_id__isnull=False)
        .order_by("pk")
    )
    comments = Comment.objects.in_bulk([task.client_comment_id for task in tasks])
    return [(task, comments[task.client_comment_id]) for task in tasks]


def reply_in(replies, reply_id):
    """The reply of `reply_id` among a comment's `replies` (a JSON list), or None."""
    wanted = str(reply_id)
    for reply in replies or []:
        if isinstance(reply, dict) and reply.get("id") == wanted:
            return reply
    return None
