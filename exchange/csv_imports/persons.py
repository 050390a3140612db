"""The persons import (/import/csv/persons): the columns of the persons export (First Name, Last
Name, Email, Phone, Role, Departments, Studio, Country, Contract Type, Position, Seniority, Daily
Salary, Active), a person keyed by their email (case-insensitive), changed only with `update`.
Choices read as their label ("Production Manager") or code ("manager"); departments and studio
must exist."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

from exchange.rows import Importer, RowError, RowPlan, in_batches, parse_int, parse_yes_no, rendered_in_order
from kitsu_server.core.events import record_event
from people.models import (
    CONTRACT_TYPES,
    POSITION_TYPES,
    ROLE_TYPES,
    SENIORITY_TYPES,
    Department,
    DepartmentLink,
    Person,
    Studio,
)

CHOICES = {
    "Role": ("role", ROLE_TYPES),
    "Contract Type": ("contract_type", CONTRACT_TYPES),
    "Position": ("position", POSITION_TYPES),
    "Seniority": ("seniority", SENIORITY_TYPES),
}
PERSON_FIELDS = (
    "pk",
    "email",
    "first_name",
    "last_name",
    "phone",
    "role",
    "contract_type",
    "position",
    "seniority",
    "country",
    "daily_salary",
    "studio_id",
    "active",
)


def choice(column, value, choices):
    folded = value.strip().casefold()
    for code, label in choices:
        if folded in (code.casefold(), label.casefold()):
            return code
    accepted = ", ".join(label for _, label in choices)
    raise RowError(f"{column}: {value} (accepted values: {accepted})", column)


class PersonsImporter(Importer):
    name = "csv-import.persons"
    required_columns = ("First Name", "Last Name", "Email")

    def prepare(self, header):
        super().prepare(header)
        self.persons = {
            row["email"].lower(): row
            for row in Person.objects.filter(is_bot=False).values(*PERSON_FIELDS)
            if row["email"]
        }
        self.departments = {}
        for link in DepartmentLink.objects.values("person_id", "department_id"):
            self.departments.setdefault(link["person_id"], set()).add(link["department_id"])
        self.department_ids = dict(Department.objects.values_list("name", "pk"))
        self.studio_ids = {name.lower(): pk for name, pk in Studio.objects.values_list("name", "pk")}
        self.planned = set()

    def plan(self, line, row):
        email = (row["Email"] or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise RowError(f"Email: {email} is not a valid email", "Email") from None
        values = {"first_name": row["First Name"], "last_name": row["Last Name"]}
        for column, (name, choices) in CHOICES.items():
            if row.get(column):
                values[name] = choice(column, row[column], choices)
        country = (row.get("Country") or "").strip().upper()
        if country:
            if len(country) != 2 or not country.isascii() or not country.isalpha():
                raise RowError(f"Country: {row['Country']}", "Country")
            values["country"] = country
        if row.get("Daily Salary"):
            values["daily_salary"] = parse_int(row["Daily Salary"], "Daily Salary")
        if row.get("Studio"):
            studio_id = self.studio_ids.get(row["Studio"].strip().lower())
            if studio_id is None:
                raise RowError(f"Studio not found: {row['Studio']}", "Studio")
            values["studio_id"] = studio_id
        if row.get("Phone"):
            values["phone"] = row["Phone"]
        if row.get("Active"):
            values["active"] = parse_yes_no(row["Active"], "Active")
        departments = None
        if row.get("Departments"):
            departments = set()
            for name in (name.strip() for name in row["Departments"].split(",")):
                if name and name not in self.department_ids:
                    raise RowError(f"Department not found: {name}", "Departments")
                if name:
                    departments.add(self.department_ids[name])
        plan = RowPlan(
            line, email, "create", values={"email": email, "person": values, "departments": departments}
        )
        existing = self.persons.get(email.lower())
        if existing is None and email.lower() not in self.planned:
            self.planned.add(email.lower())
            plan.changes = {name: [None, value] for name, value in values.items()}
            return plan
        if not self.update or existing is None:
            plan.action = "unchanged" if existing is not None or not self.update else "update"
            if not self.update:
                plan.reason = "The person exists: send update=true to change them."
            return plan
        plan.changes = {
            name: [existing[name], value] for name, value in values.items() if existing[name] != value
        }
        if departments is not None and departments != self.departments.get(existing["pk"], set()):
            plan.changes["departments"] = [
                sorted(str(pk) for pk in self.departments.get(existing["pk"], ())),
                sorted(str(pk) for pk in departments),
            ]
        plan.action = "update" if plan.changes else "unchanged"
        return plan

    def apply(self, plans, report):
        imported = []
        for batch in in_batches(plans, report):
            for plan in batch:
                email, values = plan.values["email"], plan.values["person"]
                person = (
                    Person.objects.annotate(lowered=Lower("email"))
                    .filter(lowered=email.lower(), is_bot=False)
                    .first()
                )
                created = person is None
                if created:
                    person = Person.objects.create_user(email, password=None, **values)
                    record_event("person:new", {"person_id": str(person.pk)}, user=self.user)
                elif self.update and plan.action == "update":
                    for name, value in values.items():
                        setattr(person, name, value)
                    person.save()
                    record_event("person:update", {"person_id": str(person.pk)}, user=self.user)
                departments = plan.values["departments"]
                if departments is not None and (created or self.update):
                    have = set(
                        DepartmentLink.objects.filter(person=person).values_list("department_id", flat=True)
                    )
                    DepartmentLink.objects.filter(person=person).exclude(
                        department_id__in=departments
                    ).delete()
                    DepartmentLink.objects.bulk_create(
                        [DepartmentLink(person=person, department_id=pk) for pk in departments - have]
                    )
                imported.append(person.pk)
        return rendered_in_order(Person, imported)
