"""Movies: probe a file (PyAV, whose wheels carry the FFmpeg libraries) and run ffmpeg on it
(the system's when one is on PATH, else the binary imageio-ffmpeg ships; FFMPEG_BINARY names
another): normalise to H.264 MP4, low-definition copy, first frame, tile strip, frame extraction.

Every tool failure is a `ToolError` carrying the tool's own last words, which the preview keeps.
"""

import ctypes
import functools
import math
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass

import av
from django.conf import settings

LOWDEF_WIDTH = 1280
DEFAULT_HEIGHT = 1080
DEFAULT_FPS = 25.0
TILE_COLUMNS, TILE_MAX_ROWS, TILE_HEIGHT = 8, 480, 100
ERROR_TAIL = 2000  # characters of a tool's error output kept


class NotAMovie(ValueError):
    """The file holds no video stream this server reads."""


class ToolError(RuntimeError):
    """ffmpeg failed: the message is its error output (the end of it)."""


@functools.cache
def ffmpeg_binary():
    """FFMPEG_BINARY, else the system's ffmpeg, else imageio-ffmpeg's (installed from PyPI)."""
    if settings.FFMPEG_BINARY:
        return settings.FFMPEG_BINARY
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg_source():
    """Which ffmpeg runs: "setting", "system" or "imageio-ffmpeg" (for the status and README)."""
    binary = ffmpeg_binary()
    if settings.FFMPEG_BINARY:
        return "setting"
    return "system" if binary == shutil.which("ffmpeg") else "imageio-ffmpeg"


# --- probing --------------------------------------------------------------------------------


@dataclass
class MovieInfo:
    width: int
    height: int
    fps: float
    duration: float
    video_codec: str
    has_audio: bool
    display_ratio: float

    @property
    def frames(self):
        return round(self.duration * self.fps)


def probe(path):
    """What the movie at `path` is (NotAMovie when it holds no video, or only a still picture)."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            video = next((stream for stream in container.streams if stream.type == "video"), None)
            if video is None or container.format.name in ("image2", "png_pipe", "jpeg_pipe"):
                raise NotAMovie("The file is not a movie.")
            has_audio = any(stream.type == "audio" for stream in container.streams)
            context = video.codec_context
            width, height = context.width, context.height
            rate = video.average_rate or video.guessed_rate or video.base_rate
            fps = float(rate) if rate else 0.0
            if container.duration:
                duration = container.duration / av.time_base
            elif video.duration and video.time_base:
                duration = float(video.duration * video.time_base)
            else:
                duration = 0.0
            aspect = video.sample_aspect_ratio or context.sample_aspect_ratio
            ratio = (width / height) * (float(aspect) if aspect else 1.0) if height else 0.0
            if not width or not height or fps <= 0:
                raise NotAMovie("The file is not a movie.")
            return MovieInfo(width, height, fps, duration, context.name, has_audio, ratio)
    except NotAMovie:
        raise
    except (av.FFmpegError, OSError, ValueError, ZeroDivisionError) as error:
        raise NotAMovie("The file is not a movie.") from error


# --- running ffmpeg -------------------------------------------------------------------------


def _die_with_parent():
    """In the ffmpeg child: killed with its parent (a worker killed mid-transcode leaves no
    ffmpeg running on), on Linux."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def run_ffmpeg(*arguments):
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *map(str, arguments)]
    result = subprocess.run(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    if result.returncode != 0:
        output = result.stderr.decode("utf-8", "replace").strip()
        raise ToolError(f"ffmpeg exited with {result.returncode}: {output[-ERROR_TAIL:] or 'no output'}")


def threads():
    return ["-threads", settings.FFMPEG_THREADS] if settings.FFMPEG_THREADS else []


# --- normalisation --------------------------------------------------------------------------


def even(number):
    number = max(2, int(number))
    return number + 1 if number % 2 else number


def target_size(info, resolution):
    """(width, height) of the normalised movie: the project's "WxH" resolution; a height alone
    ("x720") or nothing keeps the movie's display ratio at that height (1080 by default).
    Always even (H.264 in yuv420p wants it)."""
    width, height = None, DEFAULT_HEIGHT
    if resolution and "x" in resolution:
        left, _, right = resolution.partition("x")
        try:
            height = int(right)
            width = int(left) if left else None
        except ValueError:
            width, height = None, DEFAULT_HEIGHT
    if width is None:
        width = math.floor(height * (info.display_ratio or info.width / info.height))
    return even(width), even(height)


def parse_fps(value):
    try:
        fps = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return DEFAULT_FPS
    return fps if 0 < fps <= 240 else DEFAULT_FPS


def encode(source, target, info, fps, width, height, bitrate):
    """H.264 (yuv420p) MP4 of `source` fitted in width x height (display ratio kept, black
    bars), at `fps`, with an AAC track (the source's padded with silence to the end of the
    picture, or silence when it has none), ready to stream (faststart)."""
    picture = (
        "scale=trunc(iw*sar/2)*2:ih,"
        f"scale={width}:{height}:force_original_aspect_ratio=decrease:force_divisible_by=2,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1"
    )
    if info.has_audio:
        sound_input, sound_map = [], ["-map", "0:a:0", "-af", "apad"]
    else:
        sound_input = ["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]
        sound_map = ["-map", "1:a:0"]
    run_ffmpeg(
        "-i", source, *sound_input,
        "-map", "0:v:0", *sound_map,
        "-vf", picture, "-r", f"{fps:.3f}",
        "-c:v", "libx264", "-preset", settings.FFMPEG_PRESET, "-pix_fmt", "yuv420p",
        "-b:v", f"{bitrate}M", "-maxrate", f"{bitrate}M", "-bufsize", f"{bitrate * 2}M",
        "-c:a", "aac", "-b:a", "128k", "-shortest", *threads(),
        "-movflags", "+faststart", "-f", "mp4", target,
    )  # fmt: skip
    return target


def lowdef_size(width, height):
    """1280 wide as the reference's, but never larger than the normalised movie."""
    low_width = min(LOWDEF_WIDTH, width)
    return low_width, even(math.floor(height / width * low_width))


def first_frame(source, target):
    """The movie's first frame as a PNG."""
    run_ffmpeg(
        "-i", source, "-frames:v", "1", "-update", "1", "-pix_fmt", "rgb24",
        "-f", "image2", "-c:v", "png", target,
    )  # fmt: skip
    return target


def frame_at(source, target, frame_number, fps):
    """Frame `frame_number` (1 for the first) as a PNG."""
    seconds = max(0, frame_number - 1) / fps
    run_ffmpeg(
        "-ss", f"{seconds:.6f}", "-i", source, "-frames:v", "1", "-update", "1", "-f", "image2",
        "-c:v", "png", target,
    )  # fmt: skip
    return target


def tile_strip(source, target, info):
    """The web UI's timeline strip: frames 100 px high, 8 per row, at most 480 rows (frames
    skipped evenly beyond), in one PNG."""
    frames = max(1, info.frames)
    rows = min(math.ceil(frames / TILE_COLUMNS), TILE_MAX_ROWS)
    width = math.ceil(TILE_HEIGHT * (info.display_ratio or info.width / info.height))
    select = ""
    if rows == TILE_MAX_ROWS:
        step = math.ceil(frames / (TILE_COLUMNS * TILE_MAX_ROWS))
        select = f"select='not(mod(n\\,{step}))',"
    run_ffmpeg(
        "-i", source, "-vf", f"{select}scale={width}:{TILE_HEIGHT},tile={TILE_COLUMNS}x{rows}",
        "-frames:v", "1", "-update", "1", "-f", "image2", "-c:v", "png", *threads(), target,
    )  # fmt: skip
    return target
