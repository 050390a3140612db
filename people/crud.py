"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from rest_framework.exceptions import PermissionDenied

from kitsu_server.api.crud import CrudPolicy, ReadableByAllPolicy, parse_bool, register
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import refuse_unknown_time_zone
from kitsu_server.api.json import ModelShape
from people.models import (
    DayOff,
    Department,
    DepartmentLink,
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
from tasks import deletion
from tasks.models import TimeSpent
from tasks.services import refresh_task_duration


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
    column_validators = {"timezone": [refuse_unknown_time_zone]}
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

    def _check_self_or_admin(self, access, person_id):
        if not access.is_admin and str(person_id) != str(access.person.pk):
            raise PermissionDenied

    def check_read(self, access, instance):
        day_off_read_level(access, instance.person_id)

    def shape_for(self, access, instance=None):
        if instance is not None and day_off_read_level(access, instance.person_id) == "dates":
            return self.dates_shape
        return self.shape

    def check_create(self, access, data):
        person = data.get("person_id")
        self._check_self_or_admin(access, getattr(person, "pk", person))
        check_no_overlap(getattr(person, "pk", person), data.get("date"), data.get("end_date"))

    def check_update(self, access, instance, data):
        self._check_self_or_admin(access, instance.person_id)
        if "person_id" in data:
            self._check_self_or_admin(access, getattr(data["person_id"], "pk", data["person_id"]))
        person = data.get("person_id", instance.person_id)
        check_no_overlap(
            getattr(person, "pk", person),
            data.get("date", instance.date),
            data.get("end_date", instance.end_date),
            exclude=instance.pk,
        )

    def check_delete(self, access, instance):
        self._check_self_or_admin(access, instance.person_id)

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


def day_off_read_level(access, person_id):
    """ "full" when this person reads the day offs of `person_id` with their description (an
    admin, the person, a manager of a production the person is on), "dates" for a supervisor
    of such a production who supervises the person; PermissionDenied for anyone else."""
    cache = access.__dict__.setdefault("_day_off_levels", {})
    key = str(person_id)
    if key not in cache:
        cache[key] = _day_off_read_level(access, person_id)
    if cache[key] is None:
        raise PermissionDenied
    return cache[key]


def _day_off_read_level(access, person_id):
    if access.is_admin or str(access.person.pk) == str(person_id):
        return "full"
    scopes = {}
    for project_id in access.member_project_ids():
        role = access.project_role(project_id)
        if role in ("manager", "supervisor"):
            scopes[project_id] = role
    shared = ProjectPersonLink.objects.filter(project_id__in=list(scopes), person_id=person_id)
    roles = {scopes[project_id] for project_id in shared.values_list("project_id", flat=True)}
    if "manager" in roles:
        return "full"
    if "supervisor" in roles:
        departments = list(access.person.departments.values_list("pk", flat=True))
        if (
            not departments
            or DepartmentLink.objects.filter(person_id=person_id, department_id__in=departments).exists()
        ):
            return "dates"
    return None


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
