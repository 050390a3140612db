"""Reads of the news feed: the news of the productions narrowed by the feed's filters, a page of
them with the names and previews they show, and their counts per status."""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count

from files.models import PreviewFile
from kitsu_server.api.json import datetime_or_none, text_or_none
from kitsu_server.core.access.scopes import team_project_ids
from tasks.models import News
from tasks.queries import full_entity_names, short_persons

NEWS_PAGE_SIZE = 50


@dataclass
class NewsFilters:
    """The news feed's criteria. `project_ids` scopes the feed (the projects the reader may see);
    when empty, a non-admin `reader` sees the projects of their team. `access`, the reader's,
    keeps the entries whose comment they may read (visible_news)."""

    project_ids: list | None = None
    reader: object = None
    access: object = None
    task_status_id: object = None
    task_type_id: object = None
    author_id: object = None
    episode_id: object = None
    only_preview: bool = False
    after: datetime.datetime | None = None
    before: datetime.datetime | None = None
    project_id: object = None


def filtered_news(filters):
    """The news matching `filters`: those of tasks with a project and an entity, as the reference's
    inner joins keep them."""
    news = News.objects.filter(task__project__isnull=False, task__entity__isnull=False)
    if filters.access is not None:
        news = filters.access.visible_news(news)
    if filters.project_id is not None:
        news = news.filter(task__project_id=filters.project_id)
    if filters.project_ids:
        news = news.filter(task__project_id__in=filters.project_ids)
    elif filters.reader is not None and filters.reader.role != "admin":
        news = news.filter(task__project_id__in=team_project_ids(filters.reader))
    if filters.episode_id is not None:
        news = news.filter(task__entity__parent__parent_id=filters.episode_id)
    if filters.task_status_id is not None:
        news = news.filter(comment__task_status_id=filters.task_status_id)
    if filters.task_type_id is not None:
        news = news.filter(task__task_type_id=filters.task_type_id)
    if filters.author_id is not None:
        news = news.filter(author_id=filters.author_id)
    if filters.only_preview:
        news = news.filter(preview_file__isnull=False)
    if filters.after is not None:
        news = news.filter(created_at__gt=filters.after)
    if filters.before is not None:
        news = news.filter(created_at__lt=filters.before)
    return news


NEWS_LOOKUPS = (
    "pk",
    "author_id",
    "comment_id",
    "task_id",
    "task__task_type_id",
    "comment__task_status_id",
    "task__entity_id",
    "preview_file_id",
    "preview_file__extension",
    "preview_file__revision",
    "task__project_id",
    "task__project__name",
    "created_at",
    "change",
    "task__entity__preview_file_id",
)


def news_page(filters, page=1, limit=NEWS_PAGE_SIZE, news_id=None, with_stats=False):
    """A page of the feed, newest first, in the reference's envelope; with `only_preview`, each
    entry lists the previews of its revision; `with_stats`: and the feed's `stats` ({task status id: number
    of status changes}), counted with its total. Four queries (five with the previews)."""
    news = filtered_news(filters)
    if news_id is not None:
        news = news.filter(pk=news_id)
    if with_stats:
        total, stats = news_counts(news)
    else:
        total = news.count()
    offset = (page - 1) * limit
    rows = list(news.order_by("-created_at", "-pk").values(*NEWS_LOOKUPS)[offset : offset + limit])
    names = full_entity_names({row["task__entity_id"] for row in rows})
    authors = short_persons({row["author_id"] for row in rows if row["author_id"] is not None})
    data = []
    for row in rows:
        entity_name, episode_id = names.get(row["task__entity_id"], ("", None))
        data.append(
            {
                "id": str(row["pk"]),
                "type": "News",
                "author_id": text_or_none(row["author_id"]),
                "comment_id": text_or_none(row["comment_id"]),
                "task_id": text_or_none(row["task_id"]),
                "task_type_id": text_or_none(row["task__task_type_id"]),
                "task_status_id": text_or_none(row["comment__task_status_id"]),
                "task_entity_id": text_or_none(row["task__entity_id"]),
                "preview_file_id": text_or_none(row["preview_file_id"]),
                "preview_file_extension": row["preview_file__extension"],
                "preview_file_revision": row["preview_file__revision"],
                "project_id": text_or_none(row["task__project_id"]),
                "project_name": row["task__project__name"],
                "created_at": datetime_or_none(row["created_at"]),
                "change": row["change"],
                "full_entity_name": entity_name,
                "episode_id": text_or_none(episode_id),
                "entity_preview_file_id": text_or_none(row["task__entity__preview_file_id"]),
                "person": authors.get(text_or_none(row["author_id"])),
            }
        )
    if filters.only_preview:
        attach_revision_previews(data)
    result = {
        "data": data,
        "total": total,
        "nb_pages": math.ceil(total / limit),
        "limit": limit,
        "offset": offset,
        "page": page,
    }
    if with_stats:
        result["stats"] = stats
    return result


def news_counts(news):
    """(how many `news`, {task status id: number of status changes among them}): one pass over
    them, counted by change flag and comment status (a news without comment has none)."""
    counts = news.values_list("change", "comment__task_status_id").annotate(count=Count("pk")).order_by()
    total, stats = 0, {}
    for change, status_id, count in counts:
        total += count
        if change and status_id is not None:
            stats[str(status_id)] = stats.get(str(status_id), 0) + count
    return total, stats


def attach_revision_previews(entries):
    """Each entry's `preview_files`: every preview of its task's revision, by position. One query."""
    task_ids = {entry["task_id"] for entry in entries if entry["task_id"]}
    revisions = {
        entry["preview_file_revision"] for entry in entries if entry["preview_file_revision"] is not None
    }
    by_revision = {}
    if task_ids and revisions:
        previews = (
            PreviewFile.objects.filter(task_id__in=task_ids, revision__in=revisions)
            .order_by("task_id", "revision", "position", "pk")
            .values_list("task_id", "revision", "pk", "name", "extension", "position", "status")
        )
        for task_id, revision, pk, name, extension, position, status in previews:
            by_revision.setdefault((str(task_id), revision), []).append(
                {
                    "id": str(pk),
                    "name": name,
                    "extension": extension,
                    "revision": revision,
                    "position": position,
                    "status": status,
                }
            )
    for entry in entries:
        entry["preview_files"] = by_revision.get((entry["task_id"], entry["preview_file_revision"]), [])
