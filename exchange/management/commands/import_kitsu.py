"""`manage.py import_kitsu --url URL --email E --password P [--project NAME]`: copy the
productions of a live Kitsu (Zou) server here (see exchange.kitsu.copying), as the `kitsu.copy`
job, with its progress shown as it goes and the rows of each kind counted on both sides at the
end. Interrupted, the same command started again resumes where it stopped."""

from django.core.management.base import BaseCommand, CommandError

from exchange.import_runs import run_job_here
from exchange.kitsu.copying import LOOKUP_STEPS, MEDIA_STEPS, ROW_STEPS, SESSION, Session
from exchange.kitsu.jobs import copy_kitsu_server
from exchange.kitsu.source import SourceServer, SourceUnavailable


class Command(BaseCommand):
    help = (
        "Copy the productions of a live Kitsu server (people, settings, entities, tasks, comments, "
        "previews with their media...) here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", required=True, help="The API of the source, e.g. https://kitsu.studio/api"
        )
        parser.add_argument("--email", required=True, help="An admin of the source")
        parser.add_argument("--password", required=True)
        parser.add_argument("--project", default=None, help="Copy this production only (by name)")

    def handle(self, url, email, password, project, **options):
        try:
            source = SourceServer(url, email, password)
        except SourceUnavailable as error:
            raise CommandError(str(error)) from error
        self._step = None
        token = SESSION.set(Session(source, display=self.show_progress))
        try:
            job = run_job_here(copy_kitsu_server, url=source.url, email=email, project_name=project)
        finally:
            SESSION.reset(token)
        self.stdout.write("")
        if job.state != "succeeded":
            raise CommandError(
                f"The copy stopped ({job.error}); run the same command again to resume it (job {job.pk})."
            )
        self.show_counts(job.result)
        if not job.result["verified"]:
            raise CommandError(f"The counts differ between the source and here (job {job.pk}).")
        self.stdout.write(self.style.SUCCESS(f"Copied, counts verified (job {job.pk})."))

    def show_progress(self, step, done, total):
        if step != self._step and self._step is not None:
            self.stdout.write("")
        self._step = step
        self.stdout.write(f"\r{step:<20} {done:>7}/{total}", ending="")
        self.stdout.flush()

    def show_counts(self, result):
        self.stdout.write(f"{'rows':<20} {'source':>7} {'here':>7}")
        order = (*LOOKUP_STEPS, *ROW_STEPS, *MEDIA_STEPS)  # the job's row stores them unordered
        counts = sorted(result["counts"].items(), key=lambda item: order.index(item[0]))
        for step, count in counts:
            mark = "" if count["source"] == count["here"] else "  <- differs"
            self.stdout.write(f"{step:<20} {count['source']:>7} {count['here']:>7}{mark}")
        if result["errors"]:
            self.stdout.write(f"{result['errors']} rows refused: see the import errors (source 'kitsu').")
        self.stdout.write(result["media"])
