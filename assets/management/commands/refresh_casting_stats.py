from django.core.management.base import BaseCommand, CommandError

from assets.jobs import refresh_project_casting_stats
from kitsu_server.core.management.arguments import find_project


class Command(BaseCommand):
    help = (
        "Recount the casting stats of every shot of a project (its id or name) in a background job: "
        "run by a Celery worker with REDIS_URL set, at once without."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help="The project's id or name (case-insensitive).")

    def handle(self, *args, project, **options):
        target = find_project(project)
        row = refresh_project_casting_stats.enqueue(project=target, project_id=str(target.pk))
        row.refresh_from_db()
        self.stdout.write(f"Job {row.pk} ({row.name}) on {target.name}: {row.state}, {row.progress} shots.")
        if row.state == "failed":
            raise CommandError(row.error)
