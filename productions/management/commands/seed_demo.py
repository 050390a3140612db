import os

from django.conf import settings
from django.core.management.base import BaseCommand

from productions.setup_data import AdminCreationError, create_admin, seed_demo_production

DEFAULT_DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = (
        "Create a small demo TV show once: an episode, two sequences, six shots, five assets with casting, "
        "a team, tasks with assignees, a few comments and time spents. Team members log in with their "
        f"email and the password in DEMO_PASSWORD (default {DEFAULT_DEMO_PASSWORD!r})."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help="Also create the demo admin (DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD settings).",
        )

    def handle(self, *args, with_admin, **options):
        if with_admin:
            try:
                person, outcome, _ = create_admin(settings.DEMO_ADMIN_EMAIL, settings.DEMO_ADMIN_PASSWORD)
            except AdminCreationError as error:
                self.stderr.write(f"Demo admin not created: {error}")
            else:
                self.stdout.write(f"Demo admin {person.email}: {outcome}.")
        summary = seed_demo_production(os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD))
        if summary is None:
            self.stdout.write("The demo production already exists: nothing changed.")
            return
        self.stdout.write(f"Demo production {summary.pop('project')!r} created:")
        for group, count in summary.items():
            self.stdout.write(f"  {count} {group}")
