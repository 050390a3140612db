"""People and the studio: persons (the auth user), departments, studios, the organisation,
logins, day offs, saved search filters, software and hardware, plugins."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from kitsu_server.db import KitsuModel, KitsuQuerySet, LinkModel

ROLE_TYPES = [
    ("user", "Artist"),
    ("admin", "Studio Manager"),
    ("supervisor", "Supervisor"),
    ("manager", "Production Manager"),
    ("client", "Client"),
    ("vendor", "Vendor"),
]
POSITION_TYPES = [("supervisor", "Supervisor"), ("lead", "Lead"), ("artist", "Artist")]
SENIORITY_TYPES = [("senior", "Senior"), ("mid", "Mid"), ("junior", "Junior")]
CONTRACT_TYPES = [
    ("open-ended", "Open-ended"),
    ("fixed-term", "Fixed-term"),
    ("short-term", "Short-term"),
    ("freelance", "Freelance"),
    ("apprentice", "Apprentice"),
    ("internship", "Internship"),
]
TWO_FACTOR_AUTHENTICATION_TYPES = [("totp", "TOTP"), ("email_otp", "Email OTP"), ("fido", "FIDO")]
ORIGINS = [("web", "Web"), ("script", "Script")]


def default_timezone():
    return settings.DEFAULT_TIMEZONE


def default_locale():
    return settings.DEFAULT_LOCALE


class DayOff(KitsuModel):
    date = models.DateField()
    end_date = models.DateField()
    description = models.TextField(null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="day_offs"
    )

    class Meta:
        db_table = "day_off"
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="day_off_uc"),
            models.CheckConstraint(
                condition=models.Q(date__lte=models.F("end_date")), name="day_off_date_check"
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.date}..{self.end_date}"


class HardwareItemDepartmentLink(KitsuModel):
    department = models.ForeignKey(
        "Department", on_delete=models.CASCADE, related_name="hardware_item_department_links"
    )
    hardware_item = models.ForeignKey(
        "HardwareItem", on_delete=models.CASCADE, related_name="hardware_item_department_links"
    )

    class Meta:
        db_table = "hardware_item_department_link"
        constraints = [
            models.UniqueConstraint(
                fields=["hardware_item", "department"], name="hardware_item_department_link_uc"
            ),
        ]

    def __str__(self):
        return f"{self.department} - {self.hardware_item}"


class SoftwareDepartmentLink(KitsuModel):
    department = models.ForeignKey(
        "Department", on_delete=models.CASCADE, related_name="software_department_links"
    )
    software = models.ForeignKey(
        "Software", on_delete=models.CASCADE, related_name="software_department_links"
    )

    class Meta:
        db_table = "software_department_link"
        constraints = [
            models.UniqueConstraint(fields=["department", "software"], name="software_department_link_uc"),
        ]

    def __str__(self):
        return f"{self.department} - {self.software}"


class Department(KitsuModel):
    name = models.CharField(max_length=80, unique=True)
    color = models.CharField(max_length=7)
    archived = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "department"

    def __str__(self):
        return self.name


class DesktopLoginLog(KitsuModel):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="desktop_login_logs"
    )
    date = models.DateTimeField()

    class Meta:
        db_table = "desktop_login_log"

    def __str__(self):
        return f"{self.person} {self.date}"


class HardwareItem(KitsuModel):
    name = models.CharField(max_length=40, unique=True)
    short_name = models.CharField(max_length=20)
    archived = models.BooleanField(null=True, blank=True, default=False)
    monthly_cost = models.IntegerField(null=True, blank=True, default=0)
    inventory_amount = models.IntegerField(null=True, blank=True, default=0)

    class Meta:
        db_table = "hardware_item"

    def __str__(self):
        return self.name


class LoginLog(KitsuModel):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="login_logs")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    origin = models.CharField(max_length=255, choices=ORIGINS, null=True, blank=True)

    class Meta:
        db_table = "login_log"

    def __str__(self):
        return f"{self.person} {self.created_at} {self.origin or ''}"


class Organisation(KitsuModel):
    name = models.CharField(max_length=80, unique=True)
    hours_by_day = models.FloatField(default=8)
    has_avatar = models.BooleanField(null=True, blank=True, default=False)
    use_original_file_name = models.BooleanField(null=True, blank=True, default=False)
    timesheets_locked = models.BooleanField(null=True, blank=True, default=False)
    format_duration_in_hours = models.BooleanField(null=True, blank=True, default=False)
    hd_by_default = models.BooleanField(null=True, blank=True, default=False)
    chat_token_slack = models.CharField(max_length=80, null=True, blank=True, default="")
    chat_webhook_mattermost = models.CharField(max_length=80, null=True, blank=True, default="")
    chat_token_discord = models.CharField(max_length=80, null=True, blank=True, default="")
    dark_theme_by_default = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "organisation"

    def __str__(self):
        return self.name


class DepartmentLink(LinkModel):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("Department", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "department_link"
        constraints = [
            models.UniqueConstraint(fields=["person", "department"], name="department_link_uc"),
        ]

    def __str__(self):
        return f"{self.person} - {self.department}"


# The global roles that enter the back-office (the Django admin).
BACK_OFFICE_ROLES = ("admin", "manager", "supervisor")


class PersonManager(BaseUserManager.from_queryset(KitsuQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        """Log in by email, case-insensitively, among persons (bots log in by token)."""
        return self.get(email__iexact=email, is_bot=False)

    def email_in_use(self, email, exclude=None):
        """Whether a person (bots aside) has this email, in any case (the `only_one_email_by_person`
        constraint); `exclude`: the person whose own email it may be."""
        if not email:
            return False
        taken = self.alias(lowered_email=Lower("email")).filter(lowered_email=email.strip().lower())
        taken = taken.exclude(is_bot=True)
        if exclude is not None:
            taken = taken.exclude(pk=exclude.pk)
        return taken.exists()

    def create_user(self, email, password=None, **fields):
        fields.setdefault("first_name", "")
        fields.setdefault("last_name", "")
        person = self.model(email=self.normalize_email(email), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields["role"] = "admin"
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, KitsuModel):
    """A member of the studio, and the account they log in with (AUTH_USER_MODEL).

    Admin rights follow the reference's `role`: a studio manager ("admin")
    is Django staff and superuser; nobody else enters the back-office.
    """

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(max_length=255, null=True, blank=True)
    phone = models.CharField(max_length=30, null=True, blank=True)
    country = models.CharField(max_length=2, null=True, blank=True)
    contract_type = models.CharField(max_length=255, choices=CONTRACT_TYPES, default="open-ended")
    active = models.BooleanField(null=True, blank=True, default=True)
    archived = models.BooleanField(null=True, blank=True, default=False)
    last_presence = models.DateField(null=True, blank=True)
    # A Django password hash (the reference stores bcrypt bytes); empty for bots.
    password = models.CharField(max_length=128, null=True, blank=True)
    desktop_login = models.CharField(max_length=80, null=True, blank=True)
    login_failed_attemps = models.IntegerField(null=True, blank=True, default=0)
    last_login_failed = models.DateTimeField(null=True, blank=True)
    totp_enabled = models.BooleanField(null=True, blank=True, default=False)
    totp_secret = models.CharField(max_length=32, null=True, blank=True, default=None)
    email_otp_enabled = models.BooleanField(null=True, blank=True, default=False)
    email_otp_secret = models.CharField(max_length=32, null=True, blank=True, default=None)
    fido_enabled = models.BooleanField(null=True, blank=True, default=False)
    fido_credentials = models.JSONField(null=True, blank=True)
    otp_recovery_codes = models.JSONField(null=True, blank=True)
    preferred_two_factor_authentication = models.CharField(
        max_length=255, choices=TWO_FACTOR_AUTHENTICATION_TYPES, null=True, blank=True
    )
    shotgun_id = models.IntegerField(null=True, blank=True, unique=True)
    timezone = models.CharField(max_length=64, null=True, blank=True, default=default_timezone)
    locale = models.CharField(max_length=10, null=True, blank=True, default=default_locale)
    use_12_hour_clock = models.BooleanField(null=True, blank=True, default=False)
    display_date_format = models.CharField(max_length=20, null=True, blank=True, default="YYYY-MM-DD")
    data = models.JSONField(null=True, blank=True)
    role = models.CharField(max_length=255, choices=ROLE_TYPES, default="user")
    position = models.CharField(
        max_length=255, choices=POSITION_TYPES, null=True, blank=True, default="artist"
    )
    seniority = models.CharField(
        max_length=255, choices=SENIORITY_TYPES, null=True, blank=True, default="mid"
    )
    daily_salary = models.IntegerField(null=True, blank=True, default=0)
    has_avatar = models.BooleanField(null=True, blank=True, default=False)
    notifications_enabled = models.BooleanField(null=True, blank=True, default=False)
    notifications_slack_enabled = models.BooleanField(null=True, blank=True, default=False)
    notifications_slack_userid = models.CharField(max_length=60, null=True, blank=True, default="")
    notifications_mattermost_enabled = models.BooleanField(null=True, blank=True, default=False)
    notifications_mattermost_userid = models.CharField(max_length=60, null=True, blank=True, default="")
    notifications_discord_enabled = models.BooleanField(null=True, blank=True, default=False)
    notifications_discord_userid = models.CharField(max_length=60, null=True, blank=True, default="")
    is_bot = models.BooleanField(default=False)
    is_guest = models.BooleanField(default=False)
    preview_project = models.OneToOneField(
        "productions.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="preview_person"
    )
    preview_opened_at = models.DateTimeField(null=True, blank=True)
    preview_open_until = models.DateTimeField(null=True, blank=True)
    jti = models.CharField(max_length=60, null=True, blank=True, unique=True)
    # Not in the reference: login tokens carry it, and a new password moves it on,
    # so that the tokens issued before stop working (people.auth.authentication).
    token_generation = models.IntegerField(default=0)
    expiration_date = models.DateField(null=True, blank=True)
    is_generated_from_ldap = models.BooleanField(null=True, blank=True, default=False)
    ldap_uid = models.CharField(max_length=60, null=True, blank=True, default=None, unique=True)
    oidc_issuer = models.TextField(null=True, blank=True)
    oidc_subject = models.CharField(max_length=255, null=True, blank=True)
    saml_issuer = models.TextField(null=True, blank=True)
    saml_subject = models.CharField(max_length=255, null=True, blank=True)
    departments = models.ManyToManyField(
        "Department", through="DepartmentLink", related_name="persons", blank=True
    )
    studio = models.ForeignKey(
        "Studio", on_delete=models.PROTECT, null=True, blank=True, related_name="persons"
    )

    class Meta:
        db_table = "person"
        constraints = [
            # The reference's constraint, regardless of case (its emails are stored lowered).
            models.UniqueConstraint(
                Lower("email"),
                name="only_one_email_by_person",
                condition=~models.Q(is_bot=True),
                violation_error_message="Email already in use.",
            ),
            models.UniqueConstraint(fields=["oidc_issuer", "oidc_subject"], name="person_oidc_identity_uc"),
            models.UniqueConstraint(fields=["saml_issuer", "saml_subject"], name="person_saml_identity_uc"),
        ]

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    def __str__(self):
        return self.full_name or (self.email or str(self.pk))

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_disabled = True

    def save(self, *args, **kwargs):
        # Whatever sets a new password (the person, an admin, a reset, the back-office, a
        # command) ends the sessions opened with the old one. `_password` holds a new raw
        # password until saved; a rehash on login (check_password) leaves it unset.
        if not self._state.adding and (
            self._password is not None or getattr(self, "_password_disabled", False)
        ):
            self.token_generation = (self.token_generation or 0) + 1
            self._password_disabled = False
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "token_generation"}
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.first_name

    @property
    def is_active(self):
        return bool(self.active)

    @property
    def is_admin(self):
        return self.role == "admin"

    # The Django admin and its permission checks read these. Active admins, managers and
    # supervisors enter the back-office; admins may do everything there, the others what the
    # API's rules let them (kitsu_server/admin_access.py), never by Django's permission tables.
    @property
    def is_staff(self):
        return self.is_active and self.role in BACK_OFFICE_ROLES

    @property
    def is_superuser(self):
        return self.is_active and self.is_admin

    def has_perm(self, perm, obj=None):
        return self.is_superuser

    def has_perms(self, perm_list, obj=None):
        return self.is_superuser

    def has_module_perms(self, app_label):
        return self.is_superuser


class Plugin(KitsuModel):
    plugin_id = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=80, db_index=True)
    description = models.TextField(null=True, blank=True)
    version = models.CharField(max_length=50)
    maintainer_name = models.CharField(max_length=200)
    maintainer_email = models.EmailField(max_length=255, null=True, blank=True)
    website = models.URLField(max_length=2048, null=True, blank=True)
    license = models.CharField(max_length=80)
    revision = models.CharField(max_length=12, null=True, blank=True)
    frontend_project_enabled = models.BooleanField(null=True, blank=True, default=False)
    frontend_studio_enabled = models.BooleanField(null=True, blank=True, default=False)
    icon = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        db_table = "plugin"

    def __str__(self):
        return self.name


class SearchFilter(KitsuModel):
    list_type = models.CharField(max_length=80, db_index=True)
    entity_type = models.CharField(max_length=80, null=True, blank=True)
    name = models.CharField(max_length=200, blank=True, default="")
    search_query = models.CharField(max_length=500, blank=True, default="")
    is_shared = models.BooleanField(default=False)
    department = models.ForeignKey(
        "Department", on_delete=models.PROTECT, null=True, blank=True, related_name="search_filters"
    )
    search_filter_group = models.ForeignKey(
        "SearchFilterGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="search_filters"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="search_filters",
    )
    project = models.ForeignKey(
        "productions.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="search_filters"
    )

    class Meta:
        db_table = "search_filter"

    def __str__(self):
        return self.name


class SearchFilterGroup(KitsuModel):
    list_type = models.CharField(max_length=80, db_index=True)
    entity_type = models.CharField(max_length=80, null=True, blank=True)
    name = models.CharField(max_length=200, blank=True, default="")
    color = models.CharField(max_length=8, blank=True, default="")
    is_shared = models.BooleanField(default=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="search_filter_groups",
    )
    project = models.ForeignKey(
        "productions.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="search_filter_groups",
    )
    department = models.ForeignKey(
        "Department", on_delete=models.PROTECT, null=True, blank=True, related_name="search_filter_groups"
    )

    class Meta:
        db_table = "search_filter_group"

    def __str__(self):
        return self.name


class Software(KitsuModel):
    name = models.CharField(max_length=40, unique=True)
    short_name = models.CharField(max_length=20)
    archived = models.BooleanField(null=True, blank=True, default=False)
    version = models.CharField(max_length=20, null=True, blank=True)
    file_extension = models.CharField(max_length=20)
    secondary_extensions = models.JSONField(null=True, blank=True)
    monthly_cost = models.IntegerField(null=True, blank=True, default=0)
    inventory_amount = models.IntegerField(null=True, blank=True, default=0)

    class Meta:
        db_table = "software"

    def __str__(self):
        return self.name


class Studio(KitsuModel):
    name = models.CharField(max_length=80, unique=True)
    color = models.CharField(max_length=7)
    archived = models.BooleanField(null=True, blank=True, default=False)

    class Meta:
        db_table = "studio"

    def __str__(self):
        return self.name


AUTH_TOKEN_KINDS = [
    ("revoked", "Revoked JWT"),
    ("reset-password", "Password reset token"),
    ("email-otp", "Email one-time password"),
    ("app-login", "App login code"),
    ("sso-state", "Single sign-on request"),
    ("sso-seen", "Single sign-on response seen"),
    ("fido-challenge", "Security key challenge"),
]


class AuthToken(KitsuModel):
    """Short-lived state of the auth routes, which the reference keeps in its token store.

    It lives in the database rather than in the cache because every server
    process must see it at once (the default cache is per process) and a
    revocation must not be evicted. Each row expires and is purged by the
    auth services; `key` never holds a secret a client could replay:

    - `revoked`: the `jti` of a JWT refused until it would have expired (logout);
    - `reset-password` / `app-login`: the SHA-256 of a one-time token mailed
      to a person or handed to an app;
    - `email-otp`: the person's id, `data` holding the counter of the code mailed last;
    - `sso-state`: the SHA-256 of a pending sign-in's state (OIDC) or request id (SAML), `data`
      holding its nonce, PKCE verifier and the SHA-256 of the browser's cookie (people.sso);
    - `sso-seen`: the SHA-256 of a SAML assertion id signed in with, refused again until it expires;
    - `fido-challenge`: the person's id (and the use), `data` holding the security key ceremony's state.
    """

    kind = models.CharField(max_length=20, choices=AUTH_TOKEN_KINDS)
    key = models.CharField(max_length=128)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="auth_tokens"
    )
    data = models.JSONField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "auth_token"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="auth_token_uc")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key[:12]}"


def full_name(first_name, last_name):
    """The reference's `full_name`: both names with a space, or whichever is set."""
    if first_name and last_name:
        return f"{first_name} {last_name}"
    return f"{first_name or ''}{last_name or ''}"
