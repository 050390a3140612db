"""The `/data/...` routes of this app: one policy per model (see kitsu_server.core.data)."""

import datetime

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import refuse_unknown_time_zone
from kitsu_server.api.json import ModelShape
from kitsu_server.api.params import parse_bool
from kitsu_server.core import deletion
from kitsu_server.core.data.policies import CrudPolicy, ReadableByAllPolicy, register
from people.models import (
    DayOff,
    Department,
    HardwareItem,
    Organisation,
    Person,
    Plugin,
    SearchFilter,
    SearchFilterGroup,
    Software,
    Studio,
)
from tasks.models import TimeSpent
from tasks.services import refresh_task_duration

# What the reference shows of a person to whoever may not read the whole row: the names, the
# avatar flag, the role and the departments to the studio (`present_minimal`), less to a client
# (`present_client`).
MINIMAL_PERSON_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "has_avatar",
    "active",
    "studio_id",
    "role",
    "desktop_login",
    "is_bot",
)
CLIENT_PERSON_COLUMNS = ("id", "first_name", "last_name", "has_avatar", "active", "role", "is_bot")


class PersonShape(ModelShape):
    """A person's JSON: its columns, and `full_name` as the reference adds it. The short forms
    carry `departments` even when the relations are not asked (empty then), the client's none."""

    def __init__(self, columns=None, hidden=(), departments=False):
        if columns is not None:
            hidden = [field.column for field in Person._meta.concrete_fields if field.column not in columns]
            hidden += [] if departments else ["departments"]
        super().__init__(Person, hidden=hidden)
        self.always_departments = departments

    def complete(self, data):
        from people.models import full_name  # people.queries leads back to this module

        data["full_name"] = full_name(data["first_name"], data["last_name"])
        if self.always_departments:
            data.setdefault("departments", [])
        return data

    def format_row(self, row):
        return self.complete(super().format_row(row))

    def format_tuple(self, values, as_text):
        return self.complete(super().format_tuple(values, as_text))


@register
class PersonsPolicy(CrudPolicy):
    model = Person
    path = "persons"
    # Secrets and lockout state never leave the server (the reference's SENSITIVE_FIELDS),
    # nor do our columns the reference does not have: Django's `last_login`, and
    # `token_generation`, which no client may write (it would revive old tokens).
    hidden_columns = (
        "token_generation",
        "password",
        "totp_secret",
        "email_otp_secret",
        "otp_recovery_codes",
        "fido_credentials",
        "jti",
        "login_failed_attemps",
        "last_login_failed",
        "last_login",
        "oidc_issuer",
        "oidc_subject",
        "saml_issuer",
        "saml_subject",
    )
    # A project's preview account is made and kept by its own routes only.
    PREVIEW_COLUMNS = ("preview_project_id", "preview_opened_at", "preview_open_until")
    read_only_on_create = PREVIEW_COLUMNS
    read_only_on_update = PREVIEW_COLUMNS
    column_validators = {"timezone": [refuse_unknown_time_zone]}
    # `email` filters for everyone (gazu's get_person_by_email) though only admins read it.
    custom_filters = ("email",)
    # What a person may not change on their own row (an admin may): ignored when sent back.
    ADMIN_ONLY_COLUMNS = (
        "role",
        "departments",
        "active",
        "is_bot",
        "archived",
        "is_generated_from_ldap",
        "ldap_uid",
        "last_presence",
        "studio_id",
        "expiration_date",
    )

    # The web UI's people page and team schedule list `?is_guest=false` whatever the role; the
    # reference filters on it for everyone though it shows it to admins only.
    filterable_hidden = ("is_guest",)

    def __init__(self):
        super().__init__()
        self.shape = PersonShape(hidden=self.hidden_columns)
        self.minimal_shape = PersonShape(MINIMAL_PERSON_COLUMNS, departments=True)
        self.client_shape = PersonShape(CLIENT_PERSON_COLUMNS)

    def shape_for(self, access, instance=None):
        # The whole row (secrets aside) to admins, to managers reading one person and to the
        # person reading their own row (the reference answers its own update so); the studio
        # directory to everyone else, less to clients (the reference's serializers).
        if access.is_admin or (
            instance is not None and (access.role == "manager" or instance.pk == access.person.pk)
        ):
            return self.shape
        if access.role == "client":
            return self.client_shape
        return self.minimal_shape

    def render(self, instance, relations=True, access=None):
        shape = self.shape if access is None else self.shape_for(access, instance)
        data = shape.complete(super().render(instance, relations, access))
        if shape is self.client_shape:
            data.pop("departments", None)
        if getattr(instance, "api_token", None):
            data["access_token"] = instance.api_token  # a bot's new token: shown once, to whoever set it
        return data

    def custom_filter(self, queryset, name, params):
        return queryset.filter(email=params[name])

    def visible(self, access, queryset):
        # The directory (a client's: the teams of their productions); preview accounts stay out.
        return access.visible_persons(queryset.filter(preview_project__isnull=True))

    def check_read(self, access, instance):
        if not access.visible_persons(Person.objects.filter(pk=instance.pk)).exists():
            raise PermissionDenied

    def check_create(self, access, data):
        access.check_admin()
        if not data.get("is_bot"):
            check_email_available(data.get("email"))

    def check_update(self, access, instance, data):
        if instance.pk != access.person.pk:
            access.check_admin()

    def read_only_for(self, access, instance):
        if access.is_admin:
            return self.read_only_on_update
        return (*self.read_only_on_update, *self.ADMIN_ONLY_COLUMNS)

    def extra_inputs(self, creating):
        if not creating:
            return {}  # a password changes through the password routes
        from people.auth.passwords import MIN_PASSWORD_LENGTH  # it imports this module

        password = serializers.CharField(
            required=False,
            allow_null=True,
            write_only=True,
            trim_whitespace=False,
            min_length=MIN_PASSWORD_LENGTH,
            max_length=128,
            error_messages={"min_length": "Password is too short."},
            help_text="Stored hashed, never sent back; none: the person cannot log in with a password",
        )
        return {"password": password}

    def apply_inputs(self, access, instance, inputs, values, created):
        if inputs.get("password") is not None:
            instance.set_password(inputs["password"])
            instance.save(update_fields=["password"])

    def prepare_update(self, access, instance, data):
        expiry = instance.expiration_date
        instance.expiry_moved = data.get("expiration_date", expiry) != expiry
        if ("email" in data or "is_bot" in data) and not data.get("is_bot", instance.is_bot):
            check_email_available(data.get("email", instance.email), person=instance)
        return data

    def after_write(self, access, instance, created):
        # A bot gets its token when it is made and each time its expiration date moves (the
        # reference then hands one out even for an unchanged date, revoking the one in use).
        from people.services import issue_api_token  # it imports this module

        expired = instance.expiration_date is not None and instance.expiration_date < datetime.date.today()
        if instance.is_bot and (created or getattr(instance, "expiry_moved", False)) and not expired:
            instance.api_token = issue_api_token(instance)

    def check_delete(self, access, instance):
        if instance.pk == access.person.pk:
            raise PermissionDenied
        access.check_admin()

    def delete(self, access, instance, params):
        deletion.remove_person(instance, parse_bool(params.get("force", "false")), user=access.person)


@register
class DepartmentsPolicy(ReadableByAllPolicy):
    model = Department
    path = "departments"


@register
class StudiosPolicy(ReadableByAllPolicy):
    model = Studio
    path = "studios"


@register
class OrganisationsPolicy(ReadableByAllPolicy):
    """Everyone reads the studio's settings; admins write them and alone see the chat tokens
    (which non-admins cannot filter on either)."""

    model = Organisation
    path = "organisations"
    SENSITIVE_COLUMNS = ("chat_token_slack", "chat_webhook_mattermost", "chat_token_discord")

    def __init__(self):
        super().__init__()
        self.public_shape = ModelShape(Organisation, hidden=self.SENSITIVE_COLUMNS)

    def shape_for(self, access, instance=None):
        return self.shape if access.is_admin else self.public_shape


@register
class DayOffsPolicy(CrudPolicy):
    """Admins list. Writes stay between the person and the admins (reference:
    check_day_off_access). A manager of a production the person works on reads their day off;
    a supervisor of such a production supervising the person's department reads its dates,
    not its description. Two day offs of a person never overlap; a day off wipes the time
    logged on the days it covers."""

    model = DayOff
    path = "day-offs"

    def __init__(self):
        super().__init__()
        self.dates_shape = ModelShape(DayOff, hidden=("description",))

    def check_read(self, access, instance):
        access.day_off_read_level(instance.person_id)

    def shape_for(self, access, instance=None):
        if instance is not None and access.day_off_read_level(instance.person_id) == "dates":
            return self.dates_shape
        return self.shape

    def check_create(self, access, data):
        person = data.get("person_id")
        access.check_self_or_admin(getattr(person, "pk", person))
        check_no_overlap(getattr(person, "pk", person), data.get("date"), data.get("end_date"))

    def check_update(self, access, instance, data):
        access.check_self_or_admin(instance.person_id)
        if "person_id" in data:
            access.check_self_or_admin(getattr(data["person_id"], "pk", data["person_id"]))
        person = data.get("person_id", instance.person_id)
        check_no_overlap(
            getattr(person, "pk", person),
            data.get("date", instance.date),
            data.get("end_date", instance.end_date),
            exclude=instance.pk,
        )

    def check_delete(self, access, instance):
        access.check_self_or_admin(instance.person_id)

    def after_write(self, access, instance, created):
        covered = TimeSpent.objects.filter(
            person_id=instance.person_id, date__gte=instance.date, date__lte=instance.end_date
        )
        task_ids = set(covered.values_list("task_id", flat=True))
        covered.delete()
        for task_id in task_ids:
            refresh_task_duration(task_id, user=access.person)


def check_no_overlap(person_id, start, end, exclude=None):
    if start is None or end is None:
        return
    if start > end:
        raise WrongParameter("The end date of a day off cannot come before its start date.")
    overlapping = DayOff.objects.filter(person_id=person_id, end_date__gte=start, date__lte=end)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.exists():
        raise WrongParameter("Day off already exists for this period")


@register
class SearchFiltersPolicy(CrudPolicy):
    model = SearchFilter
    path = "search-filters"


@register
class SearchFilterGroupsPolicy(CrudPolicy):
    model = SearchFilterGroup
    path = "search-filter-groups"


@register
class SoftwaresPolicy(ReadableByAllPolicy):
    model = Software
    path = "softwares"


@register
class HardwareItemsPolicy(CrudPolicy):
    model = HardwareItem
    path = "hardware-items"


@register
class PluginsPolicy(CrudPolicy):
    model = Plugin
    path = "plugins"


def check_email_available(email, person=None):
    """The reference's 400 when another person (bots aside) has this email, in any case."""
    if Person.objects.email_in_use(email, exclude=person):
        raise WrongParameter("Email already in use.")
