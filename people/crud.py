"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from rest_framework.exceptions import PermissionDenied

from kitsu_server.api.crud import CrudPolicy, ReadableByAllPolicy, register
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
from productions.models import ProjectPersonLink


@register
class PersonsPolicy(CrudPolicy):
    model = Person
    path = "persons"
    # Secrets and lockout state never leave the server (the reference's SENSITIVE_FIELDS),
    # nor does Django's own `last_login` column, which the reference does not have.
    hidden_columns = (
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
    # What a person may not change on their own row (an admin may).
    ADMIN_ONLY_COLUMNS = (
        "role",
        "active",
        "is_bot",
        "archived",
        "is_generated_from_ldap",
        "ldap_uid",
        "last_presence",
        "studio_id",
        "expiration_date",
    )

    def visible(self, access, queryset):
        # Every person reads the studio's directory; preview accounts stay out of it.
        return queryset.filter(preview_project__isnull=True)

    def check_read(self, access, instance):
        if access.role == "client" and not access.is_admin and not shares_a_project(access.person, instance):
            raise PermissionDenied

    def check_update(self, access, instance, data):
        if instance.pk != access.person.pk:
            access.check_admin()

    def prepare_update(self, access, instance, data):
        if not access.is_admin:
            data = {k: v for k, v in data.items() if k not in self.ADMIN_ONLY_COLUMNS}
        return data

    def check_delete(self, access, instance):
        if instance.pk == access.person.pk:
            raise PermissionDenied
        access.check_admin()


@register
class DepartmentsPolicy(ReadableByAllPolicy):
    model = Department
    path = "departments"


@register
class StudiosPolicy(ReadableByAllPolicy):
    model = Studio
    path = "studios"


@register
class OrganisationsPolicy(CrudPolicy):
    model = Organisation
    path = "organisations"


@register
class DayOffsPolicy(CrudPolicy):
    """Writes stay between the person and the admins (reference: check_day_off_access)."""

    model = DayOff
    path = "day-offs"

    def _check_self_or_admin(self, access, person_id):
        if not access.is_admin and str(person_id) != str(access.person.pk):
            raise PermissionDenied

    def check_read(self, access, instance):
        self._check_self_or_admin(access, instance.person_id)

    def check_create(self, access, data):
        person = data.get("person_id", data.get("person"))
        self._check_self_or_admin(access, getattr(person, "pk", person))

    def check_update(self, access, instance, data):
        self._check_self_or_admin(access, instance.person_id)
        for key in ("person_id", "person"):
            if key in data:
                self._check_self_or_admin(access, getattr(data[key], "pk", data[key]))

    def check_delete(self, access, instance):
        self._check_self_or_admin(access, instance.person_id)


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


def shares_a_project(person, other):
    """True when both persons are in the team of one same project (what a client may see of others)."""
    projects = ProjectPersonLink.objects.filter(person=person).values("project_id")
    return ProjectPersonLink.objects.filter(person=other, project_id__in=projects).exists()
