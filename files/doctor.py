"""The doctor's checks of previews and stored files (kitsu_server.core.doctor): media missing
from the storage, and the stored file registry's rows in states that cannot be."""

from django.db.models import Exists, F, Func, OuterRef, Q, UUIDField
from django.utils import timezone

from files.media.storage import stored_ids
from files.models import AttachmentFile, PreviewBackgroundFile, PreviewFile, StoredFile
from kitsu_server.core.doctor import ERROR, WARNING, Check, register
from kitsu_server.core.doctor.registry import TASK_LABEL_RELATED, task_label
from people.models import Organisation, Person
from productions.models import Project

MOVIES = ("previews", "lowdef", "source")  # a movie is served from whichever is there


def missing_variants(extension, stored):
    """The variants a ready preview of `extension` lacks, as `bucket/prefix` words; `stored`
    answers whether (bucket, prefix) holds the preview."""
    if extension == "png":
        wanted = [("pictures", "original"), ("pictures", "thumbnails")]
    elif extension == "mp4":
        missing = [] if any(stored("movies", prefix) for prefix in MOVIES) else ["movies/previews"]
        return missing + ([] if stored("pictures", "thumbnails") else ["pictures/thumbnails"])
    else:
        wanted = [("files", "previews")]
    return [f"{bucket}/{prefix}" for bucket, prefix in wanted if not stored(bucket, prefix)]


@register
class PreviewMediaMissing(Check):
    """A preview marked ready whose media is not in the storage (its picture or movie, or its
    thumbnail): the web UI shows a broken image or a movie that does not play. The storage is
    listed once per variant (an S3 listing, not one request per file), then compared with the
    ready previews. Report-only: re-upload, or restore the storage."""

    name = "preview-media-missing"
    title = "Ready previews whose media is missing from the storage"
    severity = ERROR

    def previews(self, project):
        previews = PreviewFile.objects.filter(status="ready")
        return previews if project is None else previews.filter(task__project=project)

    def find(self, project):
        previews = self.previews(project)
        if not previews.exists():
            return self.finding()
        listings = {}

        def listing(bucket, prefix):
            if (bucket, prefix) not in listings:
                listings[bucket, prefix] = stored_ids(bucket, prefix)
            return listings[bucket, prefix]

        count, example_id, example_missing = 0, None, None
        rows = previews.order_by("pk").values_list("pk", "extension")
        for pk, extension in rows.iterator(chunk_size=5000):
            text = str(pk)
            missing = missing_variants(
                extension, lambda bucket, prefix, text=text: text in listing(bucket, prefix)
            )
            if missing:
                count += 1
                if example_id is None:
                    example_id, example_missing = pk, missing
        if not count:
            return self.finding()
        preview = PreviewFile.objects.select_related(*(f"task__{name}" for name in TASK_LABEL_RELATED)).get(
            pk=example_id
        )
        where = task_label(preview.task) if preview.task_id else "no task"
        example = (
            f"preview {preview.pk} ({where}, v{preview.revision}, {preview.extension}): "
            f"missing {', '.join(example_missing)}"
        )
        return self.finding(count=count, example=example, example_id=str(example_id))


class UUIDFromText(Func):
    """A UUID column's value from its text (`str(uuid)`), to match a row by an id kept as text:
    a cast on PostgreSQL (NULL for text that is no UUID), the stored form on SQLite (32 hex digits)."""

    output_field = UUIDField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            pattern = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'"
            return f"(CASE WHEN {sql} ~ {pattern} THEN CAST({sql} AS uuid) END)", [*params, *params]
        return f"LOWER(REPLACE({sql}, '-', ''))", params


OWNERS = (PreviewFile, AttachmentFile, PreviewBackgroundFile, Person, Project, Organisation)


@register
class StoredFileWithoutOwner(Check):
    """A stored file the registry holds as live (not deleted) whose row (preview, attachment,
    avatar, thumbnail...) is gone: the purge never removes it, and the storage grows. Fix: mark
    it deleted, for the purge."""

    name = "stored-file-orphans"
    title = "Live stored files whose preview, attachment or owner is gone"
    studio_wide = True

    def problems(self, project):
        owner_id = UUIDFromText(OuterRef("file_id"))
        orphan = Q()
        for model in OWNERS:
            orphan &= ~Exists(model.objects.filter(pk=owner_id))
        return StoredFile.objects.filter(deleted_at__isnull=True).filter(orphan).order_by("pk")

    def example(self, stored):
        return f"{stored.bucket}/{stored.key} (file {stored.file_id}, {stored.size or 0} bytes)"

    def fix(self, project):
        now = timezone.now()
        count = StoredFile.objects.filter(pk__in=self.problems(project).values("pk")).update(
            deleted_at=now, updated_at=now
        )
        return f"{count} stored files marked deleted, for the purge"


@register
class StoredFileStates(Check):
    """A stored file row in a state that cannot be: purged but not deleted, purged before it was
    deleted, or forced to the purge while live. Fix: the deletion date becomes the purge date;
    a live row's forced purge is dropped."""

    name = "stored-file-states"
    title = "Stored file rows in inconsistent states"
    severity = WARNING
    studio_wide = True

    def problems(self, project):
        return StoredFile.objects.filter(
            Q(purged_at__isnull=False, deleted_at__isnull=True)
            | Q(purged_at__isnull=False, deleted_at__gt=F("purged_at"))
            | Q(purge_forced=True, deleted_at__isnull=True, purged_at__isnull=True)
        ).order_by("pk")

    def example(self, stored):
        return (
            f"{stored.bucket}/{stored.key}: deleted {stored.deleted_at or 'never'}, purged "
            f"{stored.purged_at or 'never'}, purge forced {stored.purge_forced}"
        )

    def fix(self, project):
        now = timezone.now()
        purged = StoredFile.objects.filter(purged_at__isnull=False).filter(
            Q(deleted_at__isnull=True) | Q(deleted_at__gt=F("purged_at"))
        )
        dated = purged.update(deleted_at=F("purged_at"), updated_at=now)
        unforced = StoredFile.objects.filter(
            purge_forced=True, deleted_at__isnull=True, purged_at__isnull=True
        ).update(purge_forced=False, updated_at=now)
        return (
            f"{dated} purged rows dated deleted at their purge, "
            f"{unforced} live rows no longer forced to the purge"
        )
