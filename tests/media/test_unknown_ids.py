"""Every media route answers 404 in the reference's error shape for an id that names nothing
(or a malformed one), whoever asks: nothing is read from the storage for it."""

import pytest

from tests.factories import client_for

pytestmark = pytest.mark.django_db

UNKNOWN = "6f1c2a3e-1111-4222-8333-944455556666"

ROUTES = [
    ("get", "/api/movies/low/preview-files/{}.mp4"),
    ("get", "/api/movies/originals/preview-files/{}.mp4"),
    ("get", "/api/movies/originals/preview-files/{}/download"),
    ("get", "/api/movies/source/preview-files/{}.mp4"),
    ("get", "/api/movies/tiles/preview-files/{}.png"),
    ("get", "/api/pictures/originals/preview-files/{}.png"),
    ("get", "/api/pictures/originals/preview-files/{}.pdf"),
    ("get", "/api/pictures/originals/preview-files/{}/download"),
    ("get", "/api/pictures/previews/preview-files/{}.png"),
    ("get", "/api/pictures/thumbnails-square/preview-files/{}.png"),
    ("get", "/api/pictures/thumbnails/preview-files/{}.png"),
    ("post", "/api/pictures/preview-files/{}"),
    ("get", "/api/pictures/thumbnails/persons/{}.png"),
    ("post", "/api/pictures/thumbnails/persons/{}"),
    ("get", "/api/pictures/thumbnails/projects/{}"),
    ("post", "/api/pictures/thumbnails/projects/{}"),
    ("get", "/api/pictures/thumbnails/attachment-files/{}.png"),
    ("post", "/api/pictures/preview-background-files/{}"),
    ("get", "/api/pictures/preview-background-files/{}.hdr"),
    ("get", "/api/pictures/thumbnails/preview-background-files/{}.png"),
    ("put", "/api/actions/preview-files/{}/set-main-preview"),
    ("put", "/api/actions/preview-files/{}/update-annotations"),
    ("put", "/api/actions/preview-files/{}/update-position"),
    ("get", "/api/actions/preview-files/{}/extract-frame"),
    ("get", "/api/actions/preview-files/{}/extract-tile"),
    ("get", "/api/actions/preview-files/{}/extract-annotated-frame"),
    ("get", "/api/actions/preview-files/{}/extract-annotated-frames"),
    ("get", "/api/actions/preview-files/{}/extract-annotated-frames-pdf"),
    ("post", "/api/actions/tasks/{}/batch-comment"),
]


@pytest.mark.parametrize("method, route", ROUTES)
@pytest.mark.parametrize("value", [UNKNOWN, "not-an-id"])
def test_an_unknown_id_is_a_404(admin_person, method, route, value):
    response = getattr(client_for(admin_person), method)(route.format(value), {}, format="json")

    assert response.status_code == 404, (route, response.content)
    assert response.json()["error"] is True
