"""Scoped view bases: the project, entity or task of the URL resolved once, the caller's role on
it held, and who may call each method declared in a table.

    class ProjectTeamView(ProjectScopedView):
        rules = {"GET": MEMBER, "POST": MANAGER}

        def get(self, request, project_id):
            return Response(render_rows(self.project.team.all()))

Before the handler runs (and so before any body is read): the URL's object is looked up (404 when
it names none), then the method's rule is checked (403). The handler finds `self.access` (the
caller's `Access`), `self.role` (their role on the project of the object) and the object under
its name (`self.project`, `self.entity`, `self.task`). A method absent from `rules` is refused to
everyone but admins: a forgotten entry fails closed.

A rule is a name from the table of the scope's kind (MEMBER, MANAGER, SUPERVISOR, ADMIN, READER,
ACTOR...) or a callable `rule(access, obj)` that raises PermissionDenied: where a route's rule
is its own, it is written once in kitsu_server.core.access and named here.
"""

from rest_framework.exceptions import PermissionDenied

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.core.access import access_for
from kitsu_server.core.access.trace import step
from kitsu_server.core.lookups import entity_or_404, project_or_404, task_or_404

ADMIN = "admin"
MANAGER = "manager"  # admins and the project's managers
SUPERVISOR = "supervisor"  # ... and its supervisors
MEMBER = "member"  # admins and the project's team, whatever their role
READER = "reader"  # entity and task scopes: the team, a vendor only what they work on
ACTOR = "actor"  # task scope: its managers, clients, assignees, department supervisors
ANYONE = "anyone"  # any active person: the handler narrows what they see

# What each named rule says (the explainer shows it beside the rule's verdict).
RULE_SAYS = {
    ADMIN: "Admins only.",
    MANAGER: "Admins and the project's managers.",
    SUPERVISOR: "Admins, the project's managers and its supervisors.",
    MEMBER: "Admins and the project's team, whatever their role.",
    READER: "Admins and the project's team; a vendor only what they work on.",
    ACTOR: "The task's managers, clients, assignees and department supervisors.",
    ANYONE: "Any active person: the route narrows what they see.",
}


def _project_rules(project_id_of):
    return {
        ADMIN: lambda access, obj: access.check_admin(),
        MANAGER: lambda access, obj: access.check_manager(project_id_of(obj)),
        SUPERVISOR: lambda access, obj: access.check_supervisor(project_id_of(obj)),
        MEMBER: lambda access, obj: access.check_project_access(project_id_of(obj)),
        ANYONE: lambda access, obj: None,
    }


class ScopedView(KitsuView):
    """Base of the scoped views; subclasses set what the URL names and how it is checked."""

    url_kwarg = None  # the URL's keyword naming the object
    scope_name = None  # the attribute the handler reads it from
    rules = {}  # {HTTP method or viewset action: rule name or callable}
    rule_table = {}  # {rule name: check(access, obj)} of the scope's kind

    def lookup(self, object_id):
        raise NotImplementedError

    def project_id_of(self, obj):
        return obj.project_id

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and the permission classes
        if request.method == "OPTIONS":
            return
        self.access = access_for(request)
        obj = self.lookup(kwargs[self.url_kwarg])
        setattr(self, self.scope_name, obj)
        self.check_rule(request.method, obj)
        self.role = self.access.project_role(self.project_id_of(obj))

    def check_rule(self, method, obj):
        # A viewset's rules may name its actions ("list", "create"...), a view's its methods.
        rule = self.rules.get(getattr(self, "action", None)) or self.rules.get(
            "GET" if method == "HEAD" else method
        )
        name = f"{type(self).__name__} {method}"
        if rule is None:
            says = "A method missing from the view's rules table is for admins only."
            step(f"{name}: no rule", "route", self.access.check_admin, subject=(obj,), says=says)
            return
        check = rule if callable(rule) else self.rule_table.get(rule)
        if check is None:
            raise PermissionDenied
        label = rule if isinstance(rule, str) else getattr(rule, "__name__", "rule")
        says = RULE_SAYS.get(rule) if isinstance(rule, str) else None
        step(f"{name}: {label}", "route", check, self.access, obj, subject=(obj,), says=says)


class ProjectScopedView(ScopedView):
    """The production of `<project_id>`: `self.project`."""

    url_kwarg = "project_id"
    scope_name = "project"
    rule_table = _project_rules(lambda project: project.pk)
    not_found = "Project not found."

    def lookup(self, object_id):
        return project_or_404(object_id, self.not_found)

    def project_id_of(self, obj):
        return obj.pk


class EntityScopedView(ScopedView):
    """The entity of `<entity_id>` (of `kind` when set: "Shot", "Asset"...): `self.entity`."""

    url_kwarg = "entity_id"
    scope_name = "entity"
    kind = None
    rule_table = {
        **_project_rules(lambda entity: entity.project_id),
        READER: lambda access, entity: access.check_project_and_entity_access(entity.project_id, entity.pk),
    }

    def lookup(self, object_id):
        return entity_or_404(object_id, self.kind)


class TaskScopedView(ScopedView):
    """The task of `<task_id>`: `self.task`."""

    url_kwarg = "task_id"
    scope_name = "task"
    rule_table = {
        **_project_rules(lambda task: task.project_id),
        READER: lambda access, task: access.check_task_access(task),
        ACTOR: lambda access, task: access.check_task_action_access(task),
    }

    def lookup(self, object_id):
        return task_or_404(object_id)
