"""`/api/trash...`: the deletions kept for restore (an extension: the reference has none).

Admins see, restore and purge every item; a production's managers list and restore the items
of the productions they manage (not a deleted production); anyone else is refused (403).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import datetime_or_none, text_or_none
from kitsu_server.api.params import uuid_or_none
from kitsu_server.api.requests import query_choice, query_id, query_int
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE, component, rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.data.pagination import NB_RECORDS_PER_PAGE
from kitsu_server.core.trash import services
from kitsu_server.core.trash.jobs import purge_trash_item
from kitsu_server.core.trash.units import TRASHED_MODELS
from kitsu_server.core.trash_models import TRASH_STATES, TrashItem

TAGS = ["trash"]
LIST_CAP = 1000  # most items the list sends without `page` (the newest)
STATES = [state for state, _ in TRASH_STATES]
MODELS = sorted(TRASHED_MODELS)


class TrashItemSerializer(serializers.Serializer):
    """A trash item as the API answers it."""

    id = serializers.UUIDField()
    type = serializers.CharField(help_text='"TrashItem"')
    model = serializers.ChoiceField(choices=MODELS, help_text='The root row\'s model, e.g. "tasks.task"')
    object_id = serializers.UUIDField(help_text="The root row's id")
    name = serializers.CharField(allow_blank=True)
    project_id = serializers.UUIDField(allow_null=True)
    project_name = serializers.CharField(allow_blank=True)
    deleted_by = serializers.UUIDField(allow_null=True, help_text="The person who deleted it")
    state = serializers.ChoiceField(choices=TRASH_STATES)
    row_count = serializers.IntegerField(min_value=0, help_text="Rows the deletion removed")
    trashed_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text="When the sweep purges it")
    restored_at = serializers.DateTimeField(allow_null=True)
    purged_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class TrashItemDetailSerializer(TrashItemSerializer):
    counts = serializers.DictField(
        child=serializers.IntegerField(min_value=0), help_text="Rows removed per model label"
    )


class TrashErrorSerializer(serializers.Serializer):
    """The reference's error shape."""

    error = serializers.BooleanField()
    message = serializers.CharField()


class TrashPurgeSerializer(TrashItemSerializer):
    job_id = serializers.UUIDField(help_text="The purge job (`/api/data/jobs/{job_id}`)")


FIELDS = [
    "id",
    "model",
    "object_id",
    "name",
    "project_id",
    "project_name",
    "deleted_by_id",
    "state",
    "row_count",
    "trashed_at",
    "expires_at",
    "restored_at",
    "purged_at",
    "created_at",
    "updated_at",
]
DATES = ("trashed_at", "expires_at", "restored_at", "purged_at", "created_at", "updated_at")


def render_item(row):
    """An item's values (`FIELDS`) in the API's shape."""
    data = {"type": "TrashItem"}
    for field in FIELDS:
        value = row[field]
        if field in DATES:
            data[field] = datetime_or_none(value)
        elif field == "deleted_by_id":
            data["deleted_by"] = text_or_none(value)
        elif field in ("row_count", "name", "project_name", "model", "state"):
            data[field] = value
        else:
            data[field] = text_or_none(value)
    return data


def item_values(item):
    return {field: getattr(item, field) for field in FIELDS}


def item_or_404(access, item_id):
    """The item of the URL (404 for none or a malformed id), checked readable by the person."""
    item_id = uuid_or_none(item_id)
    item = TrashItem.objects.filter(pk=item_id).first() if item_id is not None else None
    if item is None:
        raise NotFound("Trash item not found.")
    access.check_trash_read(item)
    return item


class TrashListView(KitsuView):
    @extend_schema(
        operation_id="trash_list",
        tags=TAGS,
        parameters=[
            OpenApiParameter("project_id", OpenApiTypes.UUID),
            OpenApiParameter("model", str, enum=MODELS, description="The root row's model"),
            OpenApiParameter("state", str, enum=STATES, description="Default: every state"),
            OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
            OpenApiParameter("limit", PAGE_SIZE, description="Rows per page (default 100)"),
        ],
        responses={200: rows_or_page(component(TrashItemSerializer))},
    )
    def get(self, request):
        """The deletions kept, newest first (the newest 1,000 without `page`)."""
        items = access_for(request).visible_trash_items()
        project_id = query_id(request, "project_id", "Malformed ID for project_id: {value}.")
        if project_id is not None:
            items = items.filter(project_id=project_id)
        model = query_choice(request, "model", MODELS)
        if model is not None:
            items = items.filter(model=model)
        state = query_choice(request, "state", STATES)
        if state is not None:
            items = items.filter(state=state)
        items = items.order_by("-trashed_at", "-pk").values(*FIELDS)
        page = query_int(request, "page", -1)
        if page < 1:  # as the /data lists: no page is the whole list
            return Response([render_item(row) for row in items[:LIST_CAP]])
        limit = query_int(request, "limit", 0) or NB_RECORDS_PER_PAGE
        if limit < 1:
            raise WrongParameter("limit must be a positive integer.")
        total = items.count()
        offset = (page - 1) * limit
        rows = [render_item(row) for row in items[offset : offset + limit]] if offset < total else []
        return Response(
            {
                "data": rows,
                "total": total,
                "nb_pages": -(-total // limit),
                "limit": limit,
                "offset": offset,
                "page": page,
            }
        )


class TrashItemView(KitsuView):
    @extend_schema(operation_id="trash_retrieve", tags=TAGS, responses=TrashItemDetailSerializer)
    def get(self, request, item_id):
        """One deletion, with the number of rows it removed per model."""
        item = item_or_404(access_for(request), item_id)
        return Response(render_item(item_values(item)) | {"counts": services.counts_by_model(item)})

    @extend_schema(
        operation_id="trash_destroy", tags=TAGS, request=None, responses={202: TrashPurgeSerializer}
    )
    def delete(self, request, item_id):
        """Purge the item now (admins): as `POST /api/trash/{item_id}/purge`."""
        return purge_response(request, item_id)


class TrashRestoreView(KitsuView):
    @extend_schema(
        operation_id="trash_restore",
        tags=TAGS,
        request=None,
        responses={200: TrashItemSerializer, 409: TrashErrorSerializer},
    )
    def post(self, request, item_id):
        """Put the deletion back whole: 409 naming what stands in the way, nothing written."""
        access = access_for(request)
        item = item_or_404(access, item_id)
        access.check_trash_restore(item)
        item = services.restore_item(item.pk, user=request.user)
        return Response(render_item(item_values(item)))


class TrashPurgeView(KitsuView):
    @extend_schema(operation_id="trash_purge", tags=TAGS, request=None, responses={202: TrashPurgeSerializer})
    def post(self, request, item_id):
        """Purge the item now (admins): a job empties it for good (its media released); 202."""
        return purge_response(request, item_id)


def purge_response(request, item_id):
    access = access_for(request)
    item = item_or_404(access, item_id)
    access.check_trash_purge(item)
    item = services.start_purge(item.pk)
    job = purge_trash_item.enqueue(created_by=request.user, item_id=str(item.pk))
    item.refresh_from_db()
    return Response(render_item(item_values(item)) | {"job_id": str(job.pk)}, status=202)
