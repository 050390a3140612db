"""The OTIO import (/import/otio/projects/{id}[/episodes/{id}]): a timeline made with the
opentimelineio package makes or updates shots (frame in and out: the clip's place in the edit),
creates their sequences and tasks, twice changes nothing, dry run, bad files, roles."""

import opentimelineio as otio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import Entity
from shots.models import Sequence, Shot
from tasks.models import ApiEvent, Task
from tests import factories
from tests.exchange.conftest import empty_show, statuses


def timeline(*clips, rate=24, adapter="otio_json"):
    """A timeline of one video track with a clip per (name, first source frame, length), written
    by the `adapter` of opentimelineio."""
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    for name, start, length in clips:
        source = otio.opentime.TimeRange(
            otio.opentime.RationalTime(start, rate), otio.opentime.RationalTime(length, rate)
        )
        media = otio.schema.ExternalReference(target_url=f"/edit/{name}.mov")
        track.append(otio.schema.Clip(name=name, source_range=source, media_reference=media))
    edit = otio.schema.Timeline(name="Montage")
    edit.tracks.append(track)
    return otio.adapters.write_to_string(edit, adapter).encode()


def upload(client, path, content, name="edit.otio", data=None, query=""):
    file = SimpleUploadedFile(name, content)
    return client.post(f"/api/import/otio/{path}{query}", {"file": file, **(data or {})}, format="multipart")


@pytest.fixture
def short(db):
    statuses()
    return empty_show("Court", production_type="short")


def test_a_timeline_makes_shots(short, admin_person):
    client = factories.client_for(admin_person)
    content = timeline(
        ("Court_SQ01-SH010.mov", 1001, 48), ("Court_SQ01-SH020", 0, 24), ("Court_SQ02-SH030", 0, 10)
    )
    response = upload(client, f"projects/{short.pk}", content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [shot["name"] for shot in body["created_shots"]] == ["SH010", "SH020", "SH030"]
    assert body["updated_shots"] == []
    shots = {shot.name: shot for shot in Shot.objects.filter(project=short)}
    assert (shots["SH010"].data, shots["SH010"].nb_frames) == ({"frame_in": 0, "frame_out": 47}, 48)
    assert shots["SH020"].data == {"frame_in": 48, "frame_out": 71}
    assert shots["SH030"].parent.name == "SQ02"
    assert Task.objects.filter(entity__project=short).count() == 3 * 2  # the production's two shot task types
    before = (Entity.objects.count(), Task.objects.count(), ApiEvent.objects.count())
    response = upload(client, f"projects/{short.pk}", content)
    assert response.status_code == 201
    assert len(response.json()["updated_shots"]) == 3
    assert (Entity.objects.count(), Task.objects.count(), ApiEvent.objects.count()) == before


def test_an_edl_at_the_production_frame_rate(short, admin_person):
    short.fps = "25"
    short.save()
    content = timeline(
        ("Court_SQ01-SH010", 0, 50), ("Court_SQ01-SH020", 100, 25), rate=25, adapter="cmx_3600"
    )
    assert content.startswith(b"TITLE:")
    response = upload(factories.client_for(admin_person), f"projects/{short.pk}", content, name="cut.edl")
    assert response.status_code == 201, response.json()
    shots = {shot.name: (shot.data, shot.nb_frames) for shot in Shot.objects.filter(project=short)}
    assert shots == {
        "SH010": ({"frame_in": 0, "frame_out": 49}, 50),
        "SH020": ({"frame_in": 50, "frame_out": 74}, 25),
    }


def test_a_new_cut_updates_shots_and_a_dry_run_shows_it(short, admin_person):
    client = factories.client_for(admin_person)
    upload(client, f"projects/{short.pk}", timeline(("Court_SQ01-SH010", 0, 48), ("Court_SQ01-SH020", 0, 24)))
    recut = timeline(("Court_SQ01-SH010", 0, 40), ("Court_SQ01-SH020", 0, 24))
    plan = upload(client, f"projects/{short.pk}", recut, query="?dry_run=true").json()
    assert plan["summary"] == {"create": 0, "update": 2, "unchanged": 0, "error": 0}
    assert plan["rows"][0]["changes"]["nb_frames"] == [48, 40]
    assert Shot.objects.get(name="SH010").nb_frames == 48
    upload(client, f"projects/{short.pk}", recut)
    assert Shot.objects.get(name="SH020").data == {"frame_in": 40, "frame_out": 63}


def test_an_episode_and_a_naming_convention(db, admin_person):
    statuses()
    show = empty_show("Serie")
    episode = factories.make_episode(show, name="E01")
    client = factories.client_for(admin_person)
    content = timeline(("Serie_E01-SQ1-SH1", 0, 12))
    response = upload(client, f"projects/{show.pk}/episodes/{episode.pk}", content)
    assert response.status_code == 201, response.json()
    assert Sequence.objects.get(project=show).parent == episode
    response = upload(client, f"projects/{show.pk}", content)
    assert response.status_code == 400  # a TV show's edit goes into an episode
    data = {"naming_convention": "${sequence_name}_${shot_name}", "match_case": "false"}
    response = upload(
        client,
        f"projects/{show.pk}/episodes/{episode.pk}",
        timeline(("sq1_sh1", 0, 5), ("SQ9_X", 0, 5)),
        data=data,
    )
    assert response.status_code == 201
    assert [shot["name"] for shot in response.json()["updated_shots"]] == ["SH1"]
    assert [shot["name"] for shot in response.json()["created_shots"]] == ["X"]


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"not json", "edit.otio", "Failed to parse OTIO file"),
        (b"{}", "edit.xyz", "Unsupported file type '.xyz'"),
    ],
)
def test_bad_files(short, admin_person, content, name, message):
    response = upload(factories.client_for(admin_person), f"projects/{short.pk}", content, name=name)
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    assert not Shot.objects.exists()


def test_a_clip_the_convention_cannot_read(short, admin_person):
    content = timeline(("Court_SQ01-SH010", 0, 5), ("no match here", 0, 5))
    response = upload(factories.client_for(admin_person), f"projects/{short.pk}", content)
    assert response.status_code == 400
    assert response.json()["line_number"] == 2
    assert not Shot.objects.exists()


@pytest.mark.parametrize(
    "role,expected",
    [
        ("manager", 201),
        ("supervisor", 403),
        ("user", 403),
        ("client", 403),
        ("vendor", 403),
        ("outsider", 403),
    ],
)
def test_who_may_import_an_edit(short, role, expected):
    team = factories.make_team(short, password=None)
    response = upload(factories.client_for(team[role]), f"projects/{short.pk}", timeline(("Court_A-B", 0, 5)))
    assert response.status_code == expected


def test_unknown_production_and_episode(short, admin_person):
    client = factories.client_for(admin_person)
    unknown = "6ec5aa3c-5ec5-4e08-9a1b-3b3a7f8d2c11"
    assert upload(client, f"projects/{unknown}", timeline(("Court_A-B", 0, 5))).status_code == 404
    assert (
        upload(client, f"projects/{short.pk}/episodes/{unknown}", timeline(("Court_A-B", 0, 5))).status_code
        == 404
    )
