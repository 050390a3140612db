"""Shared bases of the back-office admins (one `admin.py` per app builds on them).

Every Kitsu table carries a UUID `id` and, except pure link tables, the
`created_at` / `updated_at` audit dates: change pages show them read-only,
changelists list the newest rows first. Big tables (entities, tasks, comments,
events...) skip the second COUNT(*) Django runs to show "N total".
"""

import uuid

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

AUDIT_FIELDS = ("id", "created_at", "updated_at")


def has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class KitsuModelAdmin(admin.ModelAdmin):
    """Base admin: read-only audit fields, newest rows first, UUID search.

    `list_select_related` also applies to `get_queryset`, so the relations
    the changelist columns (and `__str__`) read are joined on every page that
    lists rows, the autocomplete answers included, not only the changelist.
    """

    list_per_page = 50
    # A UUID pasted from a Kitsu URL finds its row by these exact-match fields.
    uuid_search_fields = ("pk",)

    def get_ordering(self, request):
        if self.ordering:
            return self.ordering
        return ("-created_at",) if has_field(self.model, "created_at") else ()

    def get_audit_fields(self):
        return tuple(name for name in AUDIT_FIELDS if has_field(self.model, name))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is None:  # an unsaved row has no dates yet, and its id is not final
            return readonly
        return readonly + tuple(name for name in self.get_audit_fields() if name not in readonly)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.fieldsets:
            return fieldsets  # without declared fieldsets the read-only fields come last anyway
        return [*fieldsets, ("Record", {"fields": self.get_audit_fields(), "classes": ("collapse",)})]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, list | tuple) and self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_search_results(self, request, queryset, search_term):
        try:
            value = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        match = Q()
        for name in self.uuid_search_fields:
            match |= Q(**{name: value})
        return queryset.filter(match), False


class LargeTableAdmin(KitsuModelAdmin):
    """Admin of a table that grows to 100k rows and more in one production.

    The changelist counts the filtered rows once (for the paginator) but not
    the whole table a second time; list filters stay on small tables.
    """

    show_full_result_count = False
