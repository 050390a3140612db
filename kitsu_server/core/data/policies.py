"""The registry of `/data/<path>` policies and the reference's base rules they override."""

import functools

from rest_framework.exceptions import NotFound

from kitsu_server.api.json import ModelShape, serialize_instance
from kitsu_server.api.params import parse_uuid
from kitsu_server.core.access.trace import current
from kitsu_server.core.events import record_event

REGISTRY = {}  # {path: policy}, filled by the apps' crud modules (imported by their AppConfig.ready)

# The checks of a policy, traced as steps of the permission explainer: {method: kind of step}.
TRACED_CHECKS = {
    "check_list": "rule",
    "visible": "list",
    "check_read": "rule",
    "check_create": "rule",
    "precheck_update": "rule",
    "check_update": "rule",
    "check_delete": "rule",
}


def traced_check(name, kind, function):
    """`function` (a policy's check) as a step of the trace when tracing, named after its route."""

    @functools.wraps(function)
    def wrapper(policy, access, *args, **kwargs):
        trace = current()
        if trace is None:
            return function(policy, access, *args, **kwargs)
        label = f"/data/{policy.path} {name}"
        return trace.run(label, kind, function, (policy, access, *args), kwargs, args)

    wrapper.traced = True
    return wrapper


def trace_checks(policy_class):
    for name, kind in TRACED_CHECKS.items():
        function = policy_class.__dict__.get(name)
        if function is not None and not getattr(function, "traced", False):
            setattr(policy_class, name, traced_check(name, kind, function))


def register(policy_class):
    """Class decorator: serve `policy_class.model` at `/data/<policy_class.path>`."""
    policy = policy_class()
    if policy.path in REGISTRY:
        raise ValueError(f"/data/{policy.path} is registered twice")
    REGISTRY[policy.path] = policy
    return policy_class


class CrudPolicy:
    """The reference's base rules for one model; subclasses override what differs."""

    model = None
    path = None
    hidden_columns = ()  # never sent (secrets)
    type_name = None  # the "type" of the JSON, the model class name by default
    list_methods = ("get", "post")  # a few link tables only take POST on their list route
    custom_filters = ()  # query-string names that are no column, handled by `custom_filter`
    list_cap = None  # most rows an unpaginated list sends (the newest first), None for all
    # Columns or relations a body may carry but that are set by other routes or hooks: ignored on
    # a creation / an update (the reference's protected fields of each resource).
    read_only_on_create = ()
    read_only_on_update = ()
    # Columns a person may filter by though their shape does not show them: plain flags the web UI
    # filters on for every role (a person's `is_guest`); never a secret.
    filterable_hidden = ()
    # Rules of a column beyond its SQL type, {column: [DRF validators]} (e.g. a person's time zone).
    column_validators = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        trace_checks(cls)

    def __init__(self):
        self.shape = ModelShape(self.model, type_name=self.type_name, hidden=self.hidden_columns)
        meta = self.model._meta
        self.table = meta.db_table
        self.fields_by_column = {f.column: f for f in meta.concrete_fields}
        self.relations = {f.name: f for f in meta.many_to_many}

    # --- who may do what (the reference's base: admins only) -----------------
    def check_list(self, access, params):
        """Before a list: where the query string decides who may list (e.g. a `project_id`)."""

    def visible(self, access, queryset):
        """The rows this person may list; raise PermissionDenied to refuse the whole list."""
        access.check_admin()
        return queryset

    def check_read(self, access, instance):
        access.check_admin()

    def check_create(self, access, data):
        access.check_admin()

    def check_update(self, access, instance, data):
        access.check_admin()

    def precheck_update(self, access, instance):
        """Before the body is read: refuse who may change nothing of this row (a 403 rather than
        a 400 about a body they may not send). By default `check_update` with no column."""
        self.check_update(access, instance, {})

    def check_delete(self, access, instance):
        access.check_admin()

    # --- hooks around writes ---------------------------------------------------
    def read_only_for(self, access, instance):
        """What an update by this person ignores (by default `read_only_on_update`): where a role
        may change fewer columns of a row without being refused for sending them back."""
        return self.read_only_on_update

    def extra_inputs(self, creating):
        """Inputs that are no writable column but that the reference's hooks take on a creation
        (`creating`) or an update: {name: serializer field}. Validated with the body (a 400 names
        them), documented with it, and handed to `apply_inputs`."""
        return {}

    def apply_inputs(self, access, instance, inputs, values, created):
        """Use the validated `extra_inputs` present in the body, once the row is saved with the
        column `values` and before `after_write` (inside the write's transaction)."""

    def clean_body(self, body, creating):
        """The raw JSON body before validation: where the reference's lenient inputs become
        plain values (e.g. "all" for no episode). Return the cleaned dict."""
        return body

    def prepare_create(self, access, data):
        """Adjust validated create data (a dict keyed by column) before the row is made."""
        return data

    def existing_for_create(self, access, data):
        """A row the create updates instead of inserting one (the reference's create-or-update
        routes), or None."""
        return None

    def prepare_update(self, access, instance, data):
        return data

    def after_write(self, access, instance, created):
        """Side effects inside the write's transaction (after the row is saved)."""

    def delete(self, access, instance, params):
        """Remove the row (`params`: the query string, e.g. the reference's `force=true`)."""
        instance.delete()

    # --- events ----------------------------------------------------------------
    @property
    def event_prefix(self):
        return self.table.replace("_", "-")

    def event_data(self, data):
        return {f"{self.table}_id": data["id"]}

    def emit(self, action, data, user):
        record_event(
            f"{self.event_prefix}:{action}",
            self.event_data(data),
            project_id=data.get("project_id"),
            user=user,
        )

    # --- reading ---------------------------------------------------------------
    def custom_filter(self, queryset, name, params):
        """`queryset` narrowed by `params[name]`, one of `custom_filters` (e.g. a task's episode_id)."""
        raise NotImplementedError(name)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_object(self, instance_id):
        pk = parse_uuid(instance_id, "Malformed ID.")
        instance = self.base_queryset().filter(pk=pk).first()
        if instance is None:
            raise NotFound(f"{self.model.__name__} not found.")
        return instance

    def shape_for(self, access, instance=None):
        """The JSON shape this person reads (of `instance`, or of a list when None): where a
        role sees fewer columns (an organisation's chat tokens, a client's task)."""
        return self.shape

    def render(self, instance, relations=True, access=None):
        shape = self.shape if access is None else self.shape_for(access, instance)
        return serialize_instance(instance, relations=relations, shape=shape)


trace_checks(CrudPolicy)


class ReadableByAllPolicy(CrudPolicy):
    """Studio-wide settings (types, statuses, departments...): every person lists and reads them;
    admins write (the base rules)."""

    def visible(self, access, queryset):
        return queryset

    def check_read(self, access, instance):
        pass
