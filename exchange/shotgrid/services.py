"""ShotGrid imports: a push of records imported row by row as a job, and the list of import
errors the sync daemon and the imports keep (`DataImportError`, source "shotgun").

Each record is written in its own transaction: a record that cannot be imported (a row error)
leaves the others in place and is kept in the errors list with the reason, and the rows already
written stay when the push breaks off; pushing it again finishes it, since every record is
matched before it is written.
"""

from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError

from exchange.import_runs import keep_row_error
from exchange.shotgrid.breakdown import (
    AssetImporter,
    EpisodeImporter,
    SceneImporter,
    SequenceImporter,
    ShotImporter,
)
from exchange.shotgrid.importing import RowSkipped
from exchange.shotgrid.studio import (
    PersonImporter,
    ProjectConnectionImporter,
    ProjectImporter,
    StatusImporter,
    StepImporter,
)
from exchange.shotgrid.work import NoteImporter, TaskImporter, VersionImporter
from files.models import DataImportError
from kitsu_server.api.errors import integrity_message
from people.models import Person

SOURCE = "shotgun"
IMPORTERS = {
    importer.kind: importer
    for importer in (
        ProjectImporter,
        PersonImporter,
        StepImporter,
        StatusImporter,
        AssetImporter,
        EpisodeImporter,
        SequenceImporter,
        SceneImporter,
        ShotImporter,
        TaskImporter,
        VersionImporter,
        NoteImporter,
        ProjectConnectionImporter,
    )
}


def import_records(report, kind, entries, person_id):
    """Import the ShotGrid records `entries` of `kind` (checked already, see payloads.py) for the
    person `person_id`: {"created", "updated", "skipped", "ids"} where `ids` are the rows of the
    records imported, in their order."""
    importer = IMPORTERS[kind](Person.objects.filter(pk=person_id).first())
    importer.prepare(entries)
    selected = [entry for entry in entries if importer.accepts(entry)]
    counts = {"created": 0, "updated": 0, "skipped": 0}
    ids = []
    report(0, len(selected))
    for done, entry in enumerate(selected, start=1):
        try:
            with transaction.atomic():
                row, created = importer.save(entry)
                importer.announce(row, created)
        except RowSkipped as skipped:
            keep_row_error(SOURCE, kind, str(skipped), report.job_id, shotgun_id=entry.get("id"), entry=entry)
            counts["skipped"] += 1
        except (IntegrityError, DataError, ProtectedError) as error:
            keep_row_error(
                SOURCE, kind, integrity_message(error), report.job_id, shotgun_id=entry.get("id"), entry=entry
            )
            counts["skipped"] += 1
        else:
            ids.append(str(row.pk))
            counts["created" if created else "updated"] += 1
        report(done)
    with transaction.atomic():
        importer.finish()
    return {"kind": kind, **counts, "ids": ids}


def import_errors():
    return DataImportError.objects.filter(source=SOURCE).order_by("created_at")


def add_import_error(event_data):
    return DataImportError.objects.create(source=SOURCE, event_data=event_data)
