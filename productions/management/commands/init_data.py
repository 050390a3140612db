from django.core.management.base import BaseCommand, CommandError

from productions.setup_data import DOMAINS, init_data


class Command(BaseCommand):
    help = "Generate the minimal data set Kitsu needs (as the reference's `zou init-data`). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--domain",
            "-d",
            choices=DOMAINS,
            default="3d",
            type=str.lower,
            help="Preset: 3d (3D animation, default), 2d (2D production), vfx, games.",
        )

    def handle(self, *args, domain, **options):
        try:
            created = init_data(domain)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for group, count in created.items():
            self.stdout.write(f"{group.capitalize()} initialized ({count} created, domain {domain}).")
