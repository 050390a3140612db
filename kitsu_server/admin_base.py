"""Shared bases of the back-office admins (one `admin.py` per app builds on them).

Every Kitsu table carries a UUID `id` and, except pure link tables, the
`created_at` / `updated_at` audit dates: change pages show them read-only,
changelists list the newest rows first. Big tables (entities, tasks, comments,
events...) skip the second COUNT(*) Django runs to show "N total".

One write path: a model the API serves at `/data/<path>` is saved and deleted
here through that route's policy and services (`kitsu_server.core.data`): the
same access rules, hooks (dates, derived data, deletion rules) and events as a
`PUT` / `POST` / `DELETE` of the API, in the transaction Django's admin opens
around each save and delete. A refusal (a 400 or 403 of the API) is shown as
an error message and nothing is written.
"""

import csv
import json
import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.html import format_html, strip_tags
from django.utils.text import slugify
from rest_framework.exceptions import APIException

from kitsu_server.admin_access import InlinePermissions, PolicyPermissions, policy_of
from kitsu_server.api.errors import flatten_messages
from kitsu_server.core.data.inputs import PROTECTED_ON_UPDATE, RowInput, changes_only
from kitsu_server.core.data.services import create_row, delete_row, update_row
from kitsu_server.core.trash.units import TRASHED_MODELS

AUDIT_FIELDS = ("id", "created_at", "updated_at")


def has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def is_uuid(text):
    try:
        uuid.UUID(text.strip())
    except ValueError:
        return False
    return True


def refusal_message(error):
    """What an API refusal says, as one line for the back-office's messages."""
    return " ".join(flatten_messages(error.detail)) or str(error)


class ServiceWrites(PolicyPermissions):
    """Saves and deletes through the `/data` policy of the model (see the module): the admin's
    form is the request body, the logged-in person the requester. Who may do what: the same
    policy (kitsu_server/admin_access.py)."""

    # The query string of a delete (the reference's `force=true` where a delete takes the rows
    # hanging off it instead of refusing).
    delete_params = {}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if model._meta.concrete_model._meta.label_lower in TRASHED_MODELS:  # the confirmation says so
            self.delete_confirmation_template = "kitsu_admin/trash_delete_confirmation.html"
            self.delete_selected_confirmation_template = "kitsu_admin/trash_delete_selected_confirmation.html"

    def policy_read_only_fields(self, obj):
        """Fields an update through the API ignores (the project of a row...): read-only here."""
        policy = self.write_policy()
        if policy is None or obj is None:
            return ()
        ignored = (*PROTECTED_ON_UPDATE, *policy.read_only_on_update)
        names = []
        for field in self.model._meta.concrete_fields:
            if (field.column in ignored or field.name in ignored) and not field.primary_key:
                if field.name not in AUDIT_FIELDS:
                    names.append(field.name)
        return tuple(names)

    def form_columns(self, policy, form, names):
        """{column: cleaned value} of the form fields in `names` that are writable columns."""
        columns = {}
        for name in names:
            try:
                field = form._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            column = getattr(field, "column", None)
            if column in policy.fields_by_column and column not in policy.hidden_columns:
                columns[column] = form.cleaned_data.get(name)
        return columns

    def write_form(self, request, policy, form, obj, change):
        """The row of a valid (model or inline) form written through `policy`, as a `POST` (a new
        row) or a `PUT` (what changed) of its route."""
        access = self.access(request)
        if not change:
            row = RowInput(self.form_columns(policy, form, form.cleaned_data), {}, {})
            policy.check_create(access, row.checked())
            data = create_row(policy, access, row, instance=obj)
            if str(obj.pk) != data["id"]:  # the policy updated an existing row instead
                obj.pk = data["id"]
                obj._state.adding = False
            return
        original = type(obj)._base_manager.get(pk=obj.pk)
        policy.precheck_update(access, original)
        sent = RowInput(self.form_columns(policy, form, form.changed_data), {}, {})
        changes = changes_only(policy, original, sent)
        if not any(changes):  # nothing to write: no event either
            return
        policy.check_update(access, original, changes.checked())
        update_row(policy, access, original, changes)
        obj.refresh_from_db()

    def save_model(self, request, obj, form, change):
        policy = self.write_policy()
        if policy is None:
            return super().save_model(request, obj, form, change)
        return self.write_form(request, policy, form, obj, change)

    def save_formset(self, request, form, formset, change):
        """The rows of an inline served at `/data` go through their policy too, one by one; those
        of a link table the API writes by its own routes, through the inline's `save_links`."""
        inline = getattr(formset, "kitsu_inline", None)
        if inline is not None and inline.save_links is not None:
            return inline.save_links(request, form.instance, formset)
        policy = policy_of(formset.model)
        if policy is None:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # lists the new, changed and deleted rows, writes nothing
        access = self.access(request)
        for obj in formset.deleted_objects:
            policy.check_delete(access, obj)
            delete_row(policy, access, obj, {})
        for inline_form in formset.forms:
            if inline_form.has_changed() and not formset._should_delete_form(inline_form):
                instance = inline_form.instance
                self.write_form(request, policy, inline_form, instance, change=not instance._state.adding)
        return None

    def delete_model(self, request, obj):
        policy = self.write_policy()
        if policy is None:
            return super().delete_model(request, obj)
        access = self.access(request)
        policy.check_delete(access, obj)
        delete_row(policy, access, obj, self.delete_params)
        return None

    def delete_queryset(self, request, queryset):
        if self.write_policy() is None:
            return super().delete_queryset(request, queryset)
        with transaction.atomic():  # all or none: a refusal of one row writes nothing
            for obj in queryset:
                self.delete_model(request, obj)
        return None

    def get_deleted_objects(self, objs, request):
        """What goes with the rows is the service's to decide (the API's deletion rules, which
        refuse with a message), not Django's collector: the confirmation lists the rows."""
        if self.write_policy() is None:
            return super().get_deleted_objects(objs, request)
        opts = self.model._meta
        rows = [format_html("{}: {}", opts.verbose_name.capitalize(), obj) for obj in objs]
        return rows, {opts.verbose_name_plural: len(rows)}, set(), []

    def refused(self, request, error, url=None):
        self.message_user(request, refusal_message(error), messages.ERROR)
        return HttpResponseRedirect(url or request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except APIException as error:  # raised inside the admin's transaction: nothing written
            return self.refused(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except APIException as error:
            return self.refused(request, error)

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except APIException as error:
            return self.refused(request, error)


class ReadableJSONField(forms.JSONField):
    """A JSON column as indented text (empty for null), refused with a message when no JSON."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value is None:
            return ""
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, cls=self.encoder)


class JSONTextarea(forms.Textarea):
    """As tall as its text, in a monospace font."""

    def get_context(self, name, value, attrs):
        lines = (value or "").count("\n") + 2 if isinstance(value, str) else 3
        attrs = {**(attrs or {}), "rows": min(max(lines, 3), 30), "class": "vLargeTextField kitsu-json"}
        return super().get_context(name, value, attrs)


JSON_FORM_FIELD = {"form_class": ReadableJSONField, "widget": JSONTextarea}


class KitsuModelAdmin(ServiceWrites, admin.ModelAdmin):
    """Base admin: read-only audit fields, newest rows first, UUID search.

    `list_select_related` also applies to `get_queryset`, so the relations
    the changelist columns (and `__str__`) read are joined on every page that
    lists rows, the autocomplete answers included, not only the changelist.
    """

    list_per_page = 50
    formfield_overrides = {models.JSONField: JSON_FORM_FIELD}
    # A UUID pasted from a Kitsu URL finds its row by these exact-match fields.
    uuid_search_fields = ("pk",)

    class Media:
        css = {"all": ("kitsu_admin/admin.css",)}

    def get_ordering(self, request):
        if self.ordering:
            return self.ordering
        return ("-created_at",) if has_field(self.model, "created_at") else ()

    def get_audit_fields(self):
        return tuple(name for name in AUDIT_FIELDS if has_field(self.model, name))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        readonly += tuple(name for name in self.policy_read_only_fields(obj) if name not in readonly)
        if obj is None:  # an unsaved row has no dates yet, and its id is not final
            return readonly
        return readonly + tuple(name for name in self.get_audit_fields() if name not in readonly)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.fieldsets:
            return fieldsets  # without declared fieldsets the read-only fields come last anyway
        return [*fieldsets, ("Record", {"fields": self.get_audit_fields(), "classes": ("collapse",)})]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is None:  # inlines listing what only a saved row has (a shot's tasks) wait for it
            inlines = [inline for inline in inlines if not getattr(inline, "saved_rows_only", False)]
        return inlines

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, list | tuple) and self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_search_results(self, request, queryset, search_term):
        if not is_uuid(search_term):
            return super().get_search_results(request, queryset, search_term)
        value = uuid.UUID(search_term.strip())
        match = Q()
        for name in self.uuid_search_fields:
            match |= Q(**{name: value})
        return queryset.filter(match), False


class LabelledAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, which reads its chosen row with one query per widget; in
    an inline of many rows (a project's team) the formset reads them all at once first
    (`known_labels`, see LabelledInlineFormSet)."""

    known_labels = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.known_labels is None or not selected <= self.known_labels.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            options.append(self.create_option(name, pk, self.known_labels[pk], selected, len(options)))
        return [(None, options, 0)]


def autocomplete_widget(field):
    widget = getattr(field.widget, "widget", field.widget)  # inside the "add another" wrapper
    return widget if isinstance(widget, LabelledAutocompleteSelect) else None


class LabelledInlineFormSet(BaseInlineFormSet):
    """An inline formset whose autocomplete fields read the chosen rows of all its forms in one
    query per field (not one per form)."""

    @cached_property
    def forms(self):
        forms = super().forms
        if not forms:
            return forms
        for name, field in forms[0].fields.items():
            if autocomplete_widget(field) is None:
                continue
            values = {str(form.initial[name]) for form in forms if form.initial.get(name) is not None}
            rows = field.queryset.filter(pk__in=values) if values else []
            labels = {str(row.pk): field.label_from_instance(row) for row in rows}
            for form in forms:
                autocomplete_widget(form.fields[name]).known_labels = labels
        return forms


class KitsuInline(InlinePermissions, admin.TabularInline):
    """Base of the back-office's inlines: no empty extra rows, foreign keys chosen by
    autocomplete, their chosen rows read once for the whole inline.

    `save_links(request, owner, formset)`, when set, writes what the inline's submission changes
    through the API's services (a link table its routes add and remove: see `link_changes`)."""

    extra = 0
    formset = LabelledInlineFormSet
    formfield_overrides = {models.JSONField: JSON_FORM_FIELD}
    save_links = None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.kitsu_inline = self  # how the owner's save_formset finds `save_links`
        return formset

    def get_queryset(self, request):
        """With the rows each one names (each row's title shows them: `str()` of a team link
        reads its project and person)."""
        related = [field.name for field in self.model._meta.concrete_fields if field.is_relation]
        return super().get_queryset(request).select_related(*related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def link_changes(formset, fields):
    """What the submission of a link inline changes, as the API's link routes take it:
    (removed, added), lists of {field: id of the linked row} (a row now naming another is its
    old link removed and its new one added). Writes nothing."""
    formset.save(commit=False)  # lists the deleted rows
    removed = [{name: getattr(link, f"{name}_id") for name in fields} for link in formset.deleted_objects]
    added = []
    for form in formset.forms:
        if not form.has_changed() or formset._should_delete_form(form):
            continue
        if not any(name in form.changed_data for name in fields):
            continue
        if not form.instance._state.adding:
            removed.append({name: getattr(form.initial[name], "pk", form.initial[name]) for name in fields})
        added.append({name: form.cleaned_data[name].pk for name in fields})
    return removed, added


class BoundedCountPaginator(Paginator):
    """Counts at most `count_cap` + 1 rows (a COUNT over a LIMITed subquery): a list of 100k
    rows answers as fast as one of 10k; past the cap it says "at least" (`count_capped`)."""

    count_cap = 10_000
    count_capped = False

    @cached_property
    def count(self):
        counted = self.object_list[: self.count_cap + 1].count()
        self.count_capped = counted > self.count_cap
        return min(counted, self.count_cap)

    def page(self, number):
        """The page's rows in two steps: their ids, sorted and cut on the table alone (an index
        walk), then those rows with their related rows. One query joining every related table
        first would sort 100k joined rows to show 100 ("sorted by due date": 0.5 s)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = self.object_list.model._base_manager.none()
        if ids:
            found = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
            rows = [found[pk] for pk in ids if pk in found]
        return self._get_page(rows, number, self)


class LargeTableAdmin(KitsuModelAdmin):
    """Admin of a table that grows to 100k rows and more in one production.

    The changelist counts the filtered rows once, up to a cap (see BoundedCountPaginator), and
    never the whole table a second time; list filters list their choices from small tables.
    """

    show_full_result_count = False
    paginator = BoundedCountPaginator
    change_list_template = "kitsu_admin/big_change_list.html"


@admin.action(description="Export the selected rows to CSV")
def export_selected_csv(modeladmin, request, queryset):
    """The list's columns of the selected rows, as text, in a CSV file (every list offers it)."""
    names = [name for name in modeladmin.get_list_display(request) if name != "action_checkbox"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = slugify(modeladmin.model._meta.verbose_name_plural) or "rows"
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow([label_for_field(name, modeladmin.model, modeladmin) for name in names])
    for row in queryset:
        writer.writerow([csv_cell(name, row, modeladmin) for name in names])
    return response


def csv_cell(name, row, modeladmin):
    _, _, value = lookup_field(name, row, modeladmin)
    if value is None:
        return ""
    return strip_tags(str(value))


admin.site.add_action(export_selected_csv)
