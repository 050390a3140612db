"""The media check on S3-compatible storage: one listing per variant (moto's S3 server, started by
the test), never a request per file."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from files.media.storage import media_key, stored_ids
from files.models import PreviewFile
from kitsu_server.core.doctor import run_checks
from tests import factories
from tests.media.test_s3_storage import s3_endpoint, s3_storage  # noqa: F401  (the fixtures)

pytest.importorskip("moto.server")
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_ready_previews_missing_from_the_bucket_are_found(s3_storage):  # noqa: F811
    project = factories.make_project(name="S3 Show")
    task = factories.make_task(factories.make_asset(project, name="Bunny"))
    previews = [
        PreviewFile.objects.create(
            task=task, revision=revision, extension="png", status="ready", name=f"p{revision}"
        )
        for revision in range(1, 5)
    ]
    for preview in previews[:3]:
        for prefix in ("original", "thumbnails"):
            default_storage.save(media_key("pictures", prefix, preview.pk), ContentFile(b"x"))
    default_storage.save(media_key("pictures", "thumbnails", previews[3].pk), ContentFile(b"x"))
    assert stored_ids("pictures", "original") == {str(preview.pk) for preview in previews[:3]}
    [finding] = run_checks(["preview-media-missing"])
    assert finding.count == 1 and finding.example_id == str(previews[3].pk)
    assert finding.example.endswith("missing pictures/original")
