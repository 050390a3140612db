import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from productions.setup_data import AdminCreationError, create_admin


class Command(BaseCommand):
    help = (
        "Create an admin (studio manager) who can log into the API and the back-office, "
        "or give the admin role to the person with this email (as `zou create-admin`); "
        "--password sets the password of an existing person too."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--password", help="Asked twice on the terminal when omitted.")

    def handle(self, *args, email, password, **options):
        if password is None and not _is_existing(email):
            password = self.ask_password()
        try:
            person, outcome, password_set = create_admin(email, password)
        except AdminCreationError as error:
            raise CommandError(str(error)) from None
        messages = {
            "created": f"Admin {person.email} created.",
            "promoted": f"User {person.email} upgraded to admin.",
            "exists": f"Admin {person.email} already exists.",
        }
        self.stdout.write(messages[outcome])
        if password_set and outcome != "created":
            self.stdout.write(f"Password of {person.email} set.")

    def ask_password(self):
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask the password on: pass --password.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password


def _is_existing(email):
    from people.models import Person

    return Person.objects.filter(email__iexact=email.strip(), is_bot=False).exists()
