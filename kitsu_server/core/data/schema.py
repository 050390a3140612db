"""The OpenAPI of the `/data/<path>` routes: typed bodies and answers from each route's policy."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE, UPDATED_SINCE, delta, page_envelope
from kitsu_server.core.data.inputs import input_serializer, serializer_field


def output_serializer(policy, subset=False):
    """The documented shape of one object: every visible column, `type`, relation id lists.

    Columns and `type` are always there; the relation id lists only with `relations=true` (the
    default of a single object, not of lists). `subset`: the rows of a list asked with `fields`,
    which keep only the columns named (so none is required).
    """
    cache_name = "_output_subset_serializer" if subset else "_output_serializer"
    cached = getattr(policy, cache_name, None)
    if cached is not None:
        return cached
    declared = {}
    for column, field in policy.fields_by_column.items():
        if column in policy.hidden_columns:
            continue
        if field.is_relation:
            declared[column] = serializers.UUIDField(allow_null=field.null, required=not subset)
        else:
            # The input field of the column (its type, null, choices), always present in answers.
            typed = serializer_field(field, partial=True)
            declared[column] = type(typed)(*typed._args, **{**typed._kwargs, "required": not subset})
    declared["type"] = serializers.CharField(required=not subset, help_text=f'"{policy.shape.type_name}"')
    for name in policy.relations:
        declared[name] = serializers.ListField(child=serializers.UUIDField(), required=False)
    suffix = "Fields" if subset else ""
    serializer_class = type(f"{policy.model.__name__}{suffix}", (serializers.Serializer,), declared)
    setattr(policy, cache_name, serializer_class)
    return serializer_class


class DataSchema(AutoSchema):
    """Typed request and response bodies of the /data viewset, from the view's policy."""

    def _policy(self):
        return self.view.policy

    def _lists_rows(self):
        return not self.view.detail

    def _is_list_view(self, serializer=None):
        # The answer of a list (rows, or a page's envelope) is built whole by `_list_schema`:
        # none of drf-spectacular's list mechanics (array wrapping, paginator and filter
        # parameters) applies on top of it.
        return False

    def get_tags(self):
        return [f"data/{self._policy().path}"]

    def get_description(self):
        if self._lists_rows():
            return "`GET` and `POST` on `/data/<path>`."
        return "`GET`, `PUT` and `DELETE` on `/data/<path>/<instance_id>`."

    def get_operation_id(self):
        action = {"get": "list" if self._lists_rows() else "get", "post": "create", "put": "update"}.get(
            self.method.lower(), self.method.lower()
        )
        return f"{action}_{self._policy().path.replace('-', '_')}"

    def get_request_serializer(self):
        if self.method.lower() == "post":
            return input_serializer(self._policy(), partial=False)
        if self.method.lower() == "put":
            return input_serializer(self._policy(), partial=True)
        return None

    def get_response_serializers(self):
        if self.method.lower() == "delete":
            return {204: None}
        serializer = output_serializer(self._policy())
        if self.method.lower() == "get" and self._lists_rows():
            return {200: self._list_schema(serializer)}
        if self.method.lower() == "post":
            return {201: serializer}
        return serializer

    def _list_schema(self, serializer):
        """Rows, or with `page` the envelope of one page of them; with `fields`, rows that keep
        only the columns named."""
        row = self.resolve_serializer(serializer, "response").ref
        subset = self.resolve_serializer(output_serializer(self._policy(), subset=True), "response").ref
        answers = [build_array_type({"anyOf": [row, subset]}), page_envelope({"anyOf": [row, subset]})]
        if self._takes_cursor():
            answers.append(delta({"anyOf": [row, subset]}))
        return {"oneOf": answers}

    def _takes_cursor(self):
        return "updated_at" in self._policy().fields_by_column

    def get_override_parameters(self):
        if self.method.lower() == "get" and self._lists_rows():
            return [
                OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
                OpenApiParameter("limit", PAGE_SIZE, description="Rows per page (default 100)"),
                OpenApiParameter("relations", bool, description="Add the relation id lists"),
                OpenApiParameter("fields", str, description="Comma-separated columns to keep"),
                *([UPDATED_SINCE] if self._takes_cursor() else []),
            ]
        if self.method.lower() == "get":
            return [
                OpenApiParameter("relations", bool, description="Add the relation id lists (default true)")
            ]
        return []
