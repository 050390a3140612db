"""Fixtures of the media tests: a storage folder of the test's own, real small pictures made with
Pillow and real clips made with the shipped ffmpeg (never a mock of a tool)."""

import io
import subprocess

import pytest
from PIL import Image

from files.media.movies import ffmpeg_binary
from tasks.models import Comment
from tests import factories


@pytest.fixture(autouse=True)
def media_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "previews"
    settings.FFMPEG_PRESET = "ultrafast"
    settings.FFMPEG_THREADS = 1
    settings.MOVIE_HIGHDEF_BITRATE = 1
    settings.MOVIE_LOWDEF_BITRATE = 1
    return settings


def png_bytes(size=(64, 48), mode="RGB", color=(200, 30, 30), fmt="PNG", **save):
    image = Image.new(mode, size, color)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def make_clip(
    path, size="64x48", seconds=1, fps=25, audio=True, codec="libx264", container=None, pix_fmt="yuv420p"
):
    """A real clip made by ffmpeg: a test pattern (and a tone)."""
    arguments = [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y"]
    arguments += ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={fps}:duration={seconds}"]
    if audio:
        arguments += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    arguments += ["-c:v", codec]
    if codec == "libx264":
        arguments += ["-pix_fmt", pix_fmt, "-preset", "ultrafast"]
    if audio:
        arguments += ["-c:a", "aac", "-shortest"]
    if container:
        arguments += ["-f", container]
    arguments.append(str(path))
    subprocess.run(arguments, check=True, capture_output=True)
    return path


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """{name: path} of the clips the tests upload, made once per session."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "h264_audio": make_clip(folder / "h264_audio.mp4"),
        "silent_odd": make_clip(
            folder / "silent_odd.mov", size="63x37", audio=False, container="mov", pix_fmt="yuv444p"
        ),
        "mpeg4": make_clip(folder / "mpeg4.avi", codec="mpeg4", audio=False, container="avi"),
    }


@pytest.fixture
def review(show):
    """A task of `show` with a comment to attach previews to, its team by role."""
    team = factories.make_team(show, password=None)
    show.fps = "25"
    show.resolution = "64x48"
    show.save(update_fields=["fps", "resolution"])
    asset = factories.make_asset(show)
    task = factories.make_task(asset)
    factories.assign(task, team["user"])
    comment = Comment.objects.create(
        object_id=task.pk, object_type="Task", task_status=task.task_status, person=team["manager"], text="v1"
    )
    return {"team": team, "task": task, "asset": asset, "comment": comment, "project": show}
