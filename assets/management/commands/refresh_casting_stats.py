import uuid

from django.core.management.base import BaseCommand, CommandError

from assets.jobs import refresh_project_casting_stats
from productions.models import Project


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


def find_project(text):
    try:
        project = Project.objects.filter(pk=uuid.UUID(text)).first()
    except ValueError:
        project = None
    if project is not None:
        return project
    matches = list(Project.objects.filter(name__iexact=text.strip())[:2])
    if not matches:
        raise CommandError(f"No project named {text!r}.")
    if len(matches) > 1:
        raise CommandError(f"Several projects named {text!r}: give its id.")
    return matches[0]
