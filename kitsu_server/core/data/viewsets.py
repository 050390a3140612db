"""The one viewset of the `/data/<path>` routes: the policy of the route decides the rules, the
shape and the hooks; the viewset parses, checks, calls a service and renders."""

from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import KitsuJSONParser
from kitsu_server.api.json import serialize_row_chunks, serialize_rows
from kitsu_server.api.params import parse_bool, uuid_or_none
from kitsu_server.api.permissions import IsActivePerson
from kitsu_server.api.responses import json_list_response
from kitsu_server.core import delta
from kitsu_server.core.access import access_for
from kitsu_server.core.data.filters import RESERVED_PARAMETERS, DataFilterBackend
from kitsu_server.core.data.inputs import PROTECTED_ON_UPDATE, changes_only, input_serializer, validated_input
from kitsu_server.core.data.pagination import DataPagination
from kitsu_server.core.data.schema import DataSchema
from kitsu_server.core.data.services import create_row, delete_row, update_row


class DataViewSet(GenericViewSet):
    """`/data/<path>` (list, create) and `/data/<path>/<instance_id>` (retrieve, update, destroy)
    of one registered policy (`DataViewSet.serving(policy)`: the router's class for its routes)."""

    policy = None
    permission_classes = [IsActivePerson]
    # JSON bodies only, as the reference's /data routes (a form's values would arrive as lists): 415.
    parser_classes = [KitsuJSONParser]
    filter_backends = [DataFilterBackend]
    pagination_class = DataPagination
    lookup_url_kwarg = "instance_id"
    lookup_value_regex = "[^/]+"  # any one path segment: a malformed id is a 400, not a 404
    schema = DataSchema()

    @classmethod
    def serving(cls, policy):
        """The viewset of one policy's routes (DRF's routers map a path to a viewset class)."""
        name = "".join(part.capitalize() for part in policy.path.split("-"))
        return type(f"{name}DataViewSet", (cls,), {"policy": policy, "__doc__": cls.__doc__})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and the permission classes
        self.access = access_for(request)

    def get_queryset(self):
        """The rows this person may list (the policy's `visible`)."""
        return self.policy.visible(self.access, self.policy.base_queryset())

    def get_object(self):
        """The row of the URL: a 400 when its id is malformed, a 404 when there is none."""
        return self.policy.get_object(self.kwargs[self.lookup_url_kwarg])

    def get_serializer_class(self):
        """What a body of this route holds (OPTIONS describes it): the writable columns."""
        return input_serializer(self.policy, partial=self.detail)

    def list(self, request):
        """The rows this person may see, narrowed by the query string's filters; with `page`, one
        page of them in an envelope; `relations=true` adds the relation id lists; `fields` keeps
        only the columns named."""
        policy, params = self.policy, request.query_params
        policy.check_list(self.access, params)
        self.shape = policy.shape_for(self.access)  # the columns read, and so the columns filtered
        queryset = self.filter_queryset(self.get_queryset())  # lazy: read after the delta's cursor
        window = self.delta_window(request)
        relations = parse_bool(params.get("relations", "false"))
        if window is not None:
            return self.delta_list(window, queryset, relations)
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.only_fields(serialize_rows(page, relations, self.shape)))
        if policy.list_cap is not None:
            queryset = queryset.order_by("-created_at", "pk")[: policy.list_cap]
        # The whole list: read, rendered and sent a chunk at a time when it is long.
        chunks = serialize_row_chunks(queryset, relations, self.shape, self.chunk_size)
        return json_list_response(self.only_fields(chunk) for chunk in chunks)

    chunk_size = 1000  # rows read, rendered and sent at a time in an unpaginated list

    def delta_window(self, request):
        """`?updated_since=`: the window of a delta read, None for the full list; a 400 for a
        model without `updated_at` or with `page` (a delta is one answer)."""
        if delta.PARAMETER not in request.query_params:
            return None
        if "updated_at" not in self.policy.fields_by_column:
            raise WrongParameter(
                f"/data/{self.policy.path} has no updated_at: it takes no {delta.PARAMETER}."
            )
        return delta.delta_window(request)

    def delta_list(self, window, queryset, relations):
        """The rows of the list created or changed in the window, and the ids of the rows of its
        model trashed in it (in the productions the person reaches: the one its `project_id`
        filter names, else their team's; rows of no production too) or changed in it out of the
        list's filters."""
        policy, params = self.policy, self.request.query_params
        changed = window.changed(queryset)
        queryset = changed
        if policy.list_cap is not None:
            queryset = queryset.order_by("-created_at", "pk")[: policy.list_cap]
        project_id = None
        if "project_id" in policy.fields_by_column:
            project_id = uuid_or_none(params.get("project_id"))
        projects = delta.project_scope(self.access, project_id)
        deleted = delta.deleted_ids(window, policy.model, projects, studio_wide=project_id is None)
        if any(key not in RESERVED_PARAMETERS for key in params):
            # Rows changed in the window that the filters no longer keep (a task moved to another
            # entity...): dropped by a client that holds them.
            scope = window.changed(self.get_queryset())
            if project_id is not None:
                scope = scope.filter(project_id=project_id)
            deleted |= {
                str(pk) for pk in scope.exclude(pk__in=changed.values("pk")).values_list("pk", flat=True)
            }
        chunks = serialize_row_chunks(queryset, relations, self.shape, self.chunk_size)
        return json_list_response(
            (self.only_fields(chunk) for chunk in chunks), window.envelope(deleted_ids=deleted)
        )

    def only_fields(self, rows):
        """`rows` cut to the columns the `fields` parameter names, when it names some."""
        names = self.request.query_params.get("fields")
        if not names:
            return rows
        wanted = [name.strip() for name in names.split(",") if name.strip()]
        return [{name: row[name] for name in wanted if name in row} for row in rows]

    def create(self, request):
        """A new row from the JSON body (201)."""
        policy = self.policy
        row = validated_input(policy, request.data, partial=False, ignored=policy.read_only_on_create)
        policy.check_create(self.access, row.checked())
        return Response(create_row(policy, self.access, row), status=201)

    def retrieve(self, request, instance_id):
        """One row, with its relation id lists unless `relations=false`."""
        instance = self.get_object()
        self.policy.check_read(self.access, instance)
        relations = parse_bool(request.query_params.get("relations", "true"))
        return Response(self.policy.render(instance, relations=relations, access=self.access))

    def update(self, request, instance_id):
        """The row changed by the JSON body: what it sends back unchanged, or may not change, is
        ignored."""
        policy, access = self.policy, self.access
        instance = self.get_object()
        # Who may not update this row learns nothing about the body: refused before validation,
        # checked again below with the validated values (some rules depend on the columns).
        policy.precheck_update(access, instance)
        ignored = (*PROTECTED_ON_UPDATE, *policy.read_only_for(access, instance))
        sent = validated_input(policy, request.data, partial=True, ignored=ignored)
        changes = changes_only(policy, instance, sent)
        policy.check_update(access, instance, changes.checked())
        return Response(update_row(policy, access, instance, changes))

    def destroy(self, request, instance_id):
        """The row removed (204); a 400 naming the rows that still depend on it."""
        instance = self.get_object()
        self.policy.check_delete(self.access, instance)
        delete_row(self.policy, self.access, instance, request.query_params)
        return Response(status=204)
