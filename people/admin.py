"""Back-office of the studio: persons (the accounts), departments, studios, software,
hardware, the organisation, login logs, day offs, saved filters and plugins."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import authenticate
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, ReadOnlyPasswordHashField
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from kitsu_server.admin_base import KitsuInline, KitsuModelAdmin, LargeTableAdmin, link_changes
from kitsu_server.core.data.inputs import RowInput
from kitsu_server.core.data.services import update_row
from kitsu_server.core.explain.explainer import BODY_METHODS, ExplainError, explain
from people.auth.refusals import TooManyFailedLogins, TooManyFailuresFromAddress, WrongOTP
from people.auth.two_factor import MissingOTP
from people.departments.services import (
    link_hardware_item,
    link_software,
    unlink_hardware_item,
    unlink_software,
)
from people.models import (
    AuthToken,
    DayOff,
    Department,
    DepartmentLink,
    DesktopLoginLog,
    HardwareItem,
    HardwareItemDepartmentLink,
    LoginLog,
    Organisation,
    Person,
    Plugin,
    SearchFilter,
    SearchFilterGroup,
    Software,
    SoftwareDepartmentLink,
    Studio,
)
from people.services import add_to_department, remove_from_department

# Rights follow Person.role and the API's rules (kitsu_server/admin_access.py): Django groups
# and permissions are not used, so their admin would only mislead.
admin.site.unregister(Group)


# --- Login ---------------------------------------------------------------------


class AdminLoginForm(AdminAuthenticationForm):
    """The back-office login (admin.site.login_form), by the API login's rules
    (people.backends.EmailBackend): a two-factor code for who uses one, and the
    lockouts told as such; other refusals get Django's one message."""

    otp = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=64,
        help_text="From your authenticator app or mail, or a recovery code; only if you use one.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    TOLD = (TooManyFailedLogins, TooManyFailuresFromAddress, MissingOTP, WrongOTP)

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate(
                self.request, username=username, password=password, otp=self.cleaned_data.get("otp")
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def get_invalid_login_error(self):
        refusal = getattr(self.request, "login_refusal", None)
        if isinstance(refusal, self.TOLD):
            return forms.ValidationError(refusal.message, code="refused")
        return super().get_invalid_login_error()


# --- Persons ------------------------------------------------------------------


class UniqueLoginEmailMixin:
    """Email is unique among persons who log in (the partial constraint `only_one_email_by_person`).

    A ModelForm skips that constraint (it involves `is_bot`, maybe not a form
    field), so the form checks it, case-insensitively like the login lookup.
    """

    def clean_email(self):
        # Empty is "no email" (bots): NULLs never collide, empty strings would.
        return Person.objects.normalize_email(self.cleaned_data.get("email")) or None

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        is_bot = cleaned_data.get("is_bot", self.instance.is_bot)
        if email and not is_bot:
            if Person.objects.email_in_use(email, exclude=self.instance):
                self.add_error(
                    "email", forms.ValidationError("A person with this email already exists.", code="unique")
                )
        return cleaned_data


# Written by logins, not by hand.
PERSON_ACTIVITY_FIELDS = ("last_login", "last_presence", "login_failed_attemps", "last_login_failed")
# The two-factor secrets, recovery codes, FIDO credentials and token `jti` are
# in no fieldset: no admin form reads or writes them.
PERSON_FIELDSETS = (
    (None, {"fields": ("email", "password")}),
    (
        "Personal info",
        {"fields": ("first_name", "last_name", "phone", "country", "studio", "has_avatar")},
    ),
    ("Role", {"fields": ("role", "active", "archived", "is_bot", "is_guest", "expiration_date")}),
    ("Contract", {"fields": ("contract_type", "position", "seniority", "daily_salary")}),
    (
        "Preferences",
        {"fields": ("timezone", "locale", "use_12_hour_clock", "display_date_format", "data")},
    ),
    (
        "Notifications",
        {
            "classes": ("collapse",),
            "fields": (
                "notifications_enabled",
                "notifications_slack_enabled",
                "notifications_slack_userid",
                "notifications_mattermost_enabled",
                "notifications_mattermost_userid",
                "notifications_discord_enabled",
                "notifications_discord_userid",
            ),
        },
    ),
    (
        "Two-factor authentication",
        {
            "classes": ("collapse",),
            "fields": (
                "totp_enabled",
                "email_otp_enabled",
                "fido_enabled",
                "preferred_two_factor_authentication",
            ),
        },
    ),
    (
        "External identity",
        {
            "classes": ("collapse",),
            "fields": (
                "desktop_login",
                "shotgun_id",
                "is_generated_from_ldap",
                "ldap_uid",
                "oidc_issuer",
                "oidc_subject",
                "saml_issuer",
                "saml_subject",
            ),
        },
    ),
    (
        "Preview access",
        {
            "classes": ("collapse",),
            "fields": ("preview_project", "preview_opened_at", "preview_open_until"),
        },
    ),
    ("Activity", {"fields": PERSON_ACTIVITY_FIELDS}),
)


class PersonCreationForm(UniqueLoginEmailMixin, BaseUserCreationForm):
    """Email, names, role and the password twice; the rest is edited once the person exists."""

    class Meta:
        model = Person
        fields = ("email", "first_name", "last_name", "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True  # optional on the model for bots only


class PersonChangeForm(UniqueLoginEmailMixin, forms.ModelForm):
    password = ReadOnlyPasswordHashField(
        label="Password",
        help_text="Raw passwords are not stored, so there is no way to see this person's password.",
    )

    class Meta:
        model = Person
        fields = [name for name in flatten_fieldsets(PERSON_FIELDSETS) if name not in PERSON_ACTIVITY_FIELDS]


class DepartmentLinkInline(KitsuInline):
    model = DepartmentLink
    extra = 0
    autocomplete_fields = ("department",)
    verbose_name = "department"
    verbose_name_plural = "departments"

    def save_links(self, request, person, formset):
        """`POST /actions/persons/{id}/departments/add` and `DELETE
        /actions/persons/{id}/departments/{department_id}` (admins): the person's event."""
        removed, added = link_changes(formset, ("department",))
        if not (removed or added):
            return
        self.access(request).check_admin()
        departments = Department.objects.in_bulk([row["department"] for row in removed + added])
        for row in removed:
            remove_from_department(person, departments[row["department"]], request.user)
        for row in added:
            add_to_department(person, departments[row["department"]], request.user)


class PermissionQuestionForm(forms.Form):
    """What the permission explainer is asked on a person's page."""

    route = forms.CharField(
        max_length=1000,
        help_text="A path under /api (/data/shots/<id>) or a route of routes.tsv (/data/shots/{shot_id})",
        widget=forms.TextInput(attrs={"size": 60, "placeholder": "/data/shots/{shot_id}"}),
    )
    method = forms.ChoiceField(
        choices=[(method, method) for method in ("GET", *BODY_METHODS)], initial="GET", required=False
    )
    object_id = forms.UUIDField(
        required=False,
        help_text="Fills the route's first {id}; on a list, the row whose presence is explained",
        widget=forms.TextInput(attrs={"size": 36}),
    )


def may_explain(user, person):
    """As the API's explainer: admins about anyone, a person about themselves."""
    return user.role == "admin" or user.pk == person.pk


@admin.register(Person)
class PersonAdmin(KitsuModelAdmin, UserAdmin):
    """Django's UserAdmin (password hash shown read-only, its own change-password
    page, creation form with the password twice) adapted to a person: login by
    email, `role` instead of staff/superuser flags, no groups or permissions.
    """

    form = PersonChangeForm
    add_form = PersonCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ("full_name", "email", "role", "department_names", "active", "studio", "last_login")
    list_display_links = ("full_name", "email")
    list_select_related = ("studio",)
    list_filter = (
        "role",
        "active",
        "departments",
        "archived",
        "is_bot",
        "is_guest",
        "contract_type",
        "studio",
    )
    actions = ("deactivate",)
    search_fields = ("email", "first_name", "last_name", "desktop_login")
    ordering = ("last_name", "first_name")
    filter_horizontal = ()
    autocomplete_fields = ("studio", "preview_project")
    readonly_fields = PERSON_ACTIVITY_FIELDS
    inlines = (DepartmentLinkInline,)
    fieldsets = PERSON_FIELDSETS
    change_form_template = "people/person_change_form.html"  # the permission explainer's form
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "role", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departments")

    @admin.display(description="name", ordering="first_name")
    def full_name(self, person):
        return person.full_name

    @admin.display(description="departments")
    def department_names(self, person):
        return ", ".join(department.name for department in person.departments.all())

    @admin.action(description="Deactivate the selected persons (they can no longer log in)")
    def deactivate(self, request, queryset):
        """`PUT /data/persons/{id}` {"active": false} for each: the persons policy and its event."""
        policy, access = self.write_policy(), self.access(request)
        done = 0
        for person in queryset.filter(active=True):
            if person.pk == request.user.pk:
                self.message_user(request, "You cannot deactivate yourself.", messages.WARNING)
                continue
            changes = RowInput({"active": False}, {}, {})
            policy.check_update(access, person, changes.checked())
            update_row(policy, access, person, changes)
            done += 1
        self.message_user(request, f"{done} person(s) deactivated.", messages.SUCCESS)

    def get_inline_instances(self, request, obj=None):
        # The add page asks only what a login needs, as UserAdmin's does.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_urls(self):
        # UserAdmin names its password route after auth.User; name ours after Person.
        password_change = path(
            "<id>/password/",
            self.admin_site.admin_view(self.user_change_password),
            name="people_person_password_change",
        )
        permissions = path(
            "<id>/permissions/",
            self.admin_site.admin_view(self.permissions_view),
            name="people_person_permissions",
        )
        return [password_change, permissions, *super(UserAdmin, self).get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self.get_object(request, object_id)
        extra_context = {**(extra_context or {})}
        if person is not None and may_explain(request.user, person):
            extra_context["permission_form"] = PermissionQuestionForm()
        return super().change_view(request, object_id, form_url, extra_context)

    def permissions_view(self, request, id):
        """Why the person may or may not call a route: the API's explainer (GET
        /api/permissions/explain) asked from the back-office, its answer shown in full."""
        person = get_object_or_404(Person, pk=id)
        if not may_explain(request.user, person):
            raise PermissionDenied
        form = PermissionQuestionForm(request.GET if "route" in request.GET else None)
        answer = error = None
        if form.is_bound and form.is_valid():
            question = form.cleaned_data
            try:
                answer = explain(
                    person, question["route"], question["method"] or "GET", question["object_id"]
                )
            except ExplainError as refusal:
                error = refusal.message
        context = {
            **self.admin_site.each_context(request),
            "title": f"Permissions of {person.full_name}",
            "opts": self.model._meta,
            "original": person,
            "form": form,
            "answer": answer,
            "error": error,
        }
        return TemplateResponse(request, "people/person_permissions.html", context)


# --- Departments, studios, software and hardware ---------------------------------


class DepartmentItemInline(KitsuInline):
    """The software or hardware of a department, written as `POST /data/departments/{id}/software`
    (or `hardware-items`) and their `DELETE` (admins): `link`, `unlink` (department, item)."""

    extra = 0
    item_field = None
    item_model = None
    link = unlink = None

    def save_links(self, request, department, formset):
        removed, added = link_changes(formset, (self.item_field,))
        if not (removed or added):
            return
        self.access(request).check_admin()
        items = self.item_model.objects.in_bulk([row[self.item_field] for row in removed + added])
        for row in removed:
            type(self).unlink(department, items[row[self.item_field]])
        for row in added:
            type(self).link(department, items[row[self.item_field]])


class SoftwareDepartmentLinkInline(DepartmentItemInline):
    model = SoftwareDepartmentLink
    autocomplete_fields = ("software",)
    item_field, item_model = "software", Software
    link, unlink = staticmethod(link_software), staticmethod(unlink_software)


class HardwareItemDepartmentLinkInline(DepartmentItemInline):
    model = HardwareItemDepartmentLink
    autocomplete_fields = ("hardware_item",)
    item_field, item_model = "hardware_item", HardwareItem
    link, unlink = staticmethod(link_hardware_item), staticmethod(unlink_hardware_item)


@admin.register(Department)
class DepartmentAdmin(KitsuModelAdmin):
    list_display = ("name", "color", "archived")
    list_filter = ("archived",)
    search_fields = ("name",)
    ordering = ("name",)
    inlines = (SoftwareDepartmentLinkInline, HardwareItemDepartmentLinkInline)


@admin.register(Studio)
class StudioAdmin(KitsuModelAdmin):
    list_display = ("name", "color", "archived")
    list_filter = ("archived",)
    search_fields = ("name",)
    ordering = ("name",)


@admin.register(Software)
class SoftwareAdmin(KitsuModelAdmin):
    list_display = ("name", "short_name", "version", "file_extension", "monthly_cost", "archived")
    list_filter = ("archived",)
    search_fields = ("name", "short_name")
    ordering = ("name",)


@admin.register(HardwareItem)
class HardwareItemAdmin(KitsuModelAdmin):
    list_display = ("name", "short_name", "monthly_cost", "inventory_amount", "archived")
    list_filter = ("archived",)
    search_fields = ("name", "short_name")
    ordering = ("name",)


@admin.register(DepartmentLink)
class DepartmentLinkAdmin(KitsuModelAdmin):
    list_display = ("person", "department")
    list_select_related = ("person", "department")
    list_filter = ("department",)
    autocomplete_fields = ("person", "department")


@admin.register(SoftwareDepartmentLink)
class SoftwareDepartmentLinkAdmin(KitsuModelAdmin):
    list_display = ("department", "software")
    list_select_related = ("department", "software")
    autocomplete_fields = ("department", "software")


@admin.register(HardwareItemDepartmentLink)
class HardwareItemDepartmentLinkAdmin(KitsuModelAdmin):
    list_display = ("department", "hardware_item")
    list_select_related = ("department", "hardware_item")
    autocomplete_fields = ("department", "hardware_item")


@admin.register(Organisation)
class OrganisationAdmin(KitsuModelAdmin):
    list_display = ("name", "hours_by_day", "timesheets_locked", "hd_by_default", "dark_theme_by_default")
    search_fields = ("name",)


# --- Activity: day offs and logins --------------------------------------------


@admin.register(DayOff)
class DayOffAdmin(KitsuModelAdmin):
    list_display = ("person", "date", "end_date", "description")
    list_select_related = ("person",)
    list_filter = ("date",)
    search_fields = ("person__first_name", "person__last_name", "person__email", "description")
    autocomplete_fields = ("person",)
    ordering = ("-date",)


@admin.register(LoginLog)
class LoginLogAdmin(LargeTableAdmin):
    list_display = ("person", "created_at", "origin", "ip_address")
    list_select_related = ("person",)
    list_filter = ("origin",)
    search_fields = ("person__email", "ip_address")
    autocomplete_fields = ("person",)


@admin.register(DesktopLoginLog)
class DesktopLoginLogAdmin(LargeTableAdmin):
    list_display = ("person", "date")
    list_select_related = ("person",)
    search_fields = ("person__email",)
    autocomplete_fields = ("person",)
    ordering = ("-date",)


@admin.register(AuthToken)
class AuthTokenAdmin(LargeTableAdmin):
    """Revoked JWT ids and pending one-time codes of the auth routes (hashes, never the codes)."""

    list_display = ("kind", "person", "key", "expires_at")
    list_select_related = ("person",)
    list_filter = ("kind",)
    search_fields = ("person__email", "key")
    autocomplete_fields = ("person",)
    ordering = ("-expires_at",)


# --- Saved search filters and plugins ---------------------------------------------


@admin.register(SearchFilterGroup)
class SearchFilterGroupAdmin(KitsuModelAdmin):
    list_display = ("name", "list_type", "entity_type", "project", "person", "department", "is_shared")
    list_select_related = ("project", "person", "department")
    list_filter = ("list_type", "is_shared")
    search_fields = ("name",)
    autocomplete_fields = ("person", "project", "department")


@admin.register(SearchFilter)
class SearchFilterAdmin(KitsuModelAdmin):
    list_display = (
        "name",
        "list_type",
        "entity_type",
        "search_query",
        "project",
        "person",
        "search_filter_group",
        "is_shared",
    )
    list_select_related = ("project", "person", "search_filter_group")
    list_filter = ("list_type", "is_shared")
    search_fields = ("name", "search_query")
    autocomplete_fields = ("department", "search_filter_group", "person", "project")


@admin.register(Plugin)
class PluginAdmin(KitsuModelAdmin):
    list_display = (
        "name",
        "plugin_id",
        "version",
        "maintainer_name",
        "frontend_project_enabled",
        "frontend_studio_enabled",
    )
    list_filter = ("frontend_project_enabled", "frontend_studio_enabled")
    search_fields = ("name", "plugin_id", "maintainer_name")
    ordering = ("name",)
    # A website typed without a scheme is https (Django 6's default; 5.x warns).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
