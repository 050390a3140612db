"""Who may do what in the back-office: the API's rules, not Django's permission tables.

Active admins, managers and supervisors enter the back-office (`Person.is_staff`); admins may do
everything there. For anyone else each admin answers from the `/data` policy of its model
(`kitsu_server.core.data`), with the person's `Access`:

- a list shows the rows the policy's `visible` lets the person list (their productions...), and a
  model whose list the API refuses them is absent from the index;
- a row may be read when `check_read` passes, changed when `precheck_update` does (a page they
  may read but not change opens read-only), deleted when `check_delete` does;
- adding is offered where the policy has its own creation rule (the base rule is admins only),
  and the rule itself is checked with the form's values when saved (ServiceWrites);
- a model no policy serves (a link table...) is the admins' only, except as an inline on the
  page of a row the person may read: its rows are shown, and written only where the inline says
  its writes go through the API's rules (`staff_writes`).

Writes the API refuses (a 400 or 403) show its message and write nothing (ServiceWrites).
"""

from django.contrib.admin import RelatedFieldListFilter
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Q
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied

from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY, CrudPolicy


def policy_of(model):
    """The `/data` policy serving `model` (a typed proxy: its table's), or None."""
    concrete = model._meta.concrete_model
    return next((policy for policy in REGISTRY.values() if policy.model is concrete), None)


def is_full_admin(request):
    """An active admin: every permission, as Django's superuser."""
    return bool(getattr(request.user, "is_superuser", False))


def is_staff(request):
    return bool(getattr(request.user, "is_staff", False))


def passes(check, *args):
    """True when the API's rule `check(*args)` lets the request through."""
    try:
        check(*args)
    except APIException:
        return False
    return True


def has_own_rule(policy, name):
    """True when `policy` overrides the base rule `name` (the base: admins only)."""
    return getattr(type(policy), name) is not getattr(CrudPolicy, name)


def readable_project_ids(request):
    """The productions a list filter offers: None (all) for an admin, else the person's team's."""
    if is_full_admin(request):
        return None
    return list(access_for(request).member_project_ids())


class ReadableProjectFilter(RelatedFieldListFilter):
    """A list's filter by project, offering only the productions the person reads (the others'
    names are no business of theirs)."""

    def field_choices(self, field, request, model_admin):
        project_ids = readable_project_ids(request)
        if project_ids is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to=Q(pk__in=project_ids)
        )


def listed_by_project(policy, access, queryset):
    """Where the API's list rule depends on the `project_id` asked (schedule versions: a project's
    members list its own), the rows of the person's productions it lets them list."""
    if passes(policy.check_list, access, {}):
        return queryset
    allowed = [
        str(project_id)
        for project_id in sorted(access.member_project_ids())
        if passes(policy.check_list, access, {"project_id": str(project_id)})
    ]
    if not allowed:
        raise PermissionDenied
    if "project_id" not in policy.custom_filters:
        return queryset.filter(project_id__in=allowed)
    narrowed = queryset.none()
    for project_id in allowed:
        narrowed |= policy.custom_filter(queryset, "project_id", {"project_id": project_id})
    return narrowed


def may_create_some(policy, access):
    """Whether the creation rule of `policy` may let this person create a row at all: it is asked
    with no values, a refusal of the person (403) is a no; a refusal of the missing values (a
    400, or a rule that cannot read them) leaves it to the rule when the form is saved."""
    try:
        policy.check_create(access, {})
    except (PermissionDenied, NotAuthenticated):
        return False
    except Exception:  # noqa: BLE001 (the values it needs are missing: decided when saved)
        return True
    return True


class PolicyPermissions:
    """The permissions of a ModelAdmin (or inline) from the API's policy of its model (see the
    module)."""

    def access(self, request):
        """The permission rules of the API, for the person logged in."""
        return access_for(request)

    def write_policy(self):
        if not hasattr(self, "_write_policy"):
            self._write_policy = policy_of(self.model)
        return self._write_policy

    def visible_rows(self, request, queryset):
        """The rows of `queryset` the (non-admin) person may list; raises the API's refusal when
        they may list none. An admin whose model the API lists by another rule overrides it
        (with `check_row_read`)."""
        policy = self.write_policy()
        if policy is None:
            raise PermissionDenied
        access = self.access(request)
        if has_own_rule(policy, "check_list"):
            queryset = listed_by_project(policy, access, queryset)
        return policy.visible(access, queryset)

    def check_row_read(self, request, obj):
        """Raise unless the (non-admin) person may read `obj`."""
        policy = self.write_policy()
        if policy is None:
            raise PermissionDenied
        policy.check_read(self.access(request), obj)

    def check_listed(self, request, obj):
        """A `check_row_read` for an admin whose `visible_rows` is its reading rule: `obj` is one
        of the rows the person lists."""
        if not self.visible_rows(request, self.model._default_manager.filter(pk=obj.pk)).exists():
            raise PermissionDenied

    def staff_rule(self, request, obj, rule):
        """For a non-admin: the policy's `rule` on `obj` (`None`: whether the policy has a rule
        of its own for the model at all, the base one being admins only)."""
        policy = self.write_policy()
        if policy is None or not has_own_rule(policy, rule):
            return False
        if obj is None:
            return self.has_view_permission(request)
        if rule == "check_update":
            return passes(policy.precheck_update, self.access(request), obj)
        return passes(getattr(policy, rule), self.access(request), obj)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if is_full_admin(request):
            return filters
        return [("project", ReadableProjectFilter) if name == "project" else name for name in filters]

    # --- Django's permission hooks --------------------------------------------------------------
    def has_module_permission(self, request):
        if is_full_admin(request):
            return super().has_module_permission(request)
        return is_staff(request) and self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        if is_full_admin(request):
            return super().has_view_permission(request, obj)
        if not is_staff(request):
            return False
        if obj is None:
            return passes(self.visible_rows, request, self.model._default_manager.none())
        return passes(self.check_row_read, request, obj)

    def has_change_permission(self, request, obj=None):
        if is_full_admin(request):
            return super().has_change_permission(request, obj)
        return is_staff(request) and self.staff_rule(request, obj, "check_update")

    def has_delete_permission(self, request, obj=None):
        if is_full_admin(request):
            return super().has_delete_permission(request, obj)
        return is_staff(request) and self.staff_rule(request, obj, "check_delete")

    def has_add_permission(self, request):
        if is_full_admin(request):
            return super().has_add_permission(request)
        policy = self.write_policy()
        if not (is_staff(request) and policy is not None and has_own_rule(policy, "check_create")):
            return False
        return may_create_some(policy, self.access(request))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_full_admin(request):
            return queryset
        if not is_staff(request):
            return queryset.none()
        try:
            return self.visible_rows(request, queryset)
        except APIException:
            return queryset.none()


class InlinePermissions(PolicyPermissions):
    """The permissions of an inline: its rows are read on the page of a row (`obj`) the person
    may read; written by a non-admin only where the inline's writes go through the API's rules
    (its model's policy, its `save_links`, or `staff_writes`: checked when saved, e.g.
    assignations) and the person may change the row."""

    staff_writes = False

    def parent_admin(self):
        return self.admin_site._registry.get(self.parent_model)

    def may_write(self, request, obj):
        checked = self.staff_writes or self.write_policy() is not None or getattr(self, "save_links", None)
        if not (is_staff(request) and checked):
            return False
        parent = self.parent_admin()
        return parent is not None and parent.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if is_full_admin(request):
            return InlineModelAdmin.has_view_permission(self, request, obj)
        return is_staff(request)  # the parent's page is only shown to who may read it

    def has_change_permission(self, request, obj=None):
        if is_full_admin(request):
            return InlineModelAdmin.has_change_permission(self, request, obj)
        return self.may_write(request, obj)

    def has_add_permission(self, request, obj):
        if is_full_admin(request):
            return InlineModelAdmin.has_add_permission(self, request, obj)
        return self.may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        if is_full_admin(request):
            return InlineModelAdmin.has_delete_permission(self, request, obj)
        return self.may_write(request, obj)

    def get_queryset(self, request):
        queryset = InlineModelAdmin.get_queryset(self, request)
        if is_full_admin(request) or self.write_policy() is None:  # rows of a row they read
            return queryset if is_staff(request) else queryset.none()
        try:
            return self.visible_rows(request, queryset)
        except APIException:
            return queryset.none()
