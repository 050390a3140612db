"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from kitsu_server.api.crud import CrudPolicy, register
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
    )


@register
class DepartmentsPolicy(CrudPolicy):
    model = Department
    path = "departments"


@register
class StudiosPolicy(CrudPolicy):
    model = Studio
    path = "studios"


@register
class OrganisationsPolicy(CrudPolicy):
    model = Organisation
    path = "organisations"


@register
class DayOffsPolicy(CrudPolicy):
    model = DayOff
    path = "day-offs"


@register
class SearchFiltersPolicy(CrudPolicy):
    model = SearchFilter
    path = "search-filters"


@register
class SearchFilterGroupsPolicy(CrudPolicy):
    model = SearchFilterGroup
    path = "search-filter-groups"


@register
class SoftwaresPolicy(CrudPolicy):
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
