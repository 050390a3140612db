"""`GET /api/permissions/explain`: why a person may or may not call a route (an extension).

Admins ask about anyone; a person about themselves; anyone else is refused (403). The route is
run as the person through the real view and rolled back (kitsu_server.core.explain.explainer).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.explain.explainer import BODY_METHODS, ExplainError, explain
from people.models import Person

METHODS = ("GET", *BODY_METHODS)


class ExplainQuerySerializer(serializers.Serializer):
    person_id = serializers.UUIDField(required=False, help_text="Whose access; the caller by default")
    route = serializers.CharField(
        max_length=1000,
        help_text="A path under /api (`/data/shots/<id>`) or a route of routes.tsv "
        "(`/data/shots/{shot_id}`) whose first id `object_id` fills; a query string may follow",
    )
    method = serializers.ChoiceField(choices=METHODS, default="GET")
    object_id = serializers.UUIDField(
        required=False,
        help_text="Fills the route's first {id}; on a list route, the row whose presence is explained",
    )


class RuleStepSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's name (an Access method, a scoped or /data rule)")
    kind = serializers.ChoiceField(choices=("route", "rule", "list", "fact"))
    depth = serializers.IntegerField(min_value=0, help_text="Nesting: the rules a rule called")
    says = serializers.CharField(allow_blank=True, help_text="What the rule says (its docstring)")
    subject = serializers.ListField(child=serializers.JSONField(), help_text="What it was given")
    outcome = serializers.JSONField(
        required=False,
        help_text='passed, refused, "not found", yes/no, a fact\'s value, or "all rows"/"narrowed"',
    )
    value = serializers.CharField(required=False, help_text="The role a rule returned")
    source = serializers.CharField(
        required=False, help_text="Where a project role was read: team link or global role"
    )
    row = serializers.DictField(required=False, help_text="{id, kept}: the explained row, for list rules")


class ExplainedPersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    is_active = serializers.BooleanField()


class ExplainedObjectSerializer(serializers.Serializer):
    type = serializers.CharField(allow_null=True)
    id = serializers.CharField()
    name = serializers.CharField(required=False)


class ExplanationSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=("allowed", "refused", "not found"))
    status = serializers.IntegerField(
        allow_null=True, help_text="What the real request answers; null when it stopped before answering"
    )
    stopped_at = serializers.ChoiceField(
        choices=("body", "write"),
        allow_null=True,
        help_text="Past its permission checks, the route went on to read its body or to write: "
        "the explainer stops there",
    )
    person = ExplainedPersonSerializer()
    method = serializers.CharField()
    route = serializers.CharField(help_text="The route as routes.tsv writes it")
    path = serializers.CharField(help_text="The path run")
    object = ExplainedObjectSerializer(allow_null=True)
    is_list = serializers.BooleanField(help_text="The route answered a list of rows")
    listed = serializers.BooleanField(
        allow_null=True, help_text="On a list route with object_id: whether that row is in the list"
    )
    rules = RuleStepSerializer(many=True)
    decided_by = RuleStepSerializer(allow_null=True)
    message = serializers.CharField(allow_null=True, help_text="The route's error message when refused")
    summary = serializers.CharField()


class PermissionExplainView(KitsuView):
    @extend_schema(
        operation_id="permissions_explain",
        tags=["permissions"],
        parameters=[ExplainQuerySerializer],
        responses={200: ExplanationSerializer},
    )
    def get(self, request):
        """Whether a person may call a route, the rules that decided and why: the route run as
        them, traced, and rolled back (nothing is written, nothing is sent)."""
        query = validated(ExplainQuerySerializer, request.query_params.dict())
        access = access_for(request)
        person_id = query.get("person_id", request.user.pk)
        if not access.is_admin and person_id != request.user.pk:
            raise PermissionDenied
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise NotFound("Person not found.")
        try:
            answer = explain(person, query["route"], query["method"], query.get("object_id"))
        except ExplainError as error:
            if error.status == 404:
                raise NotFound(error.message) from None
            raise WrongParameter(error.message) from None
        return Response(answer)
