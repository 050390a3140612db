"""Time upload-to-ready of a movie and a picture, and watch a server's memory while a big file
uploads; run the same against ours and the reference on the same machine, compare the numbers.

    .venv/bin/python bench/media_upload.py --url http://127.0.0.1:8000/api            # ours (make serve)
    .venv/bin/python bench/media_upload.py --url http://127.0.0.1:5000                # the reference
    .venv/bin/python bench/media_upload.py --url ... --big-upload 2048 --server-pid PID

Defaults are the issue's: a 10 s 1080p clip (with sound: the reference needs a track), a
24-megapixel picture (6000x4000), and with --big-upload N a file of N MiB streamed from a
generator (never built in memory here either) while the server's resident memory (VmRSS of
--server-pid and its children) is sampled: the peak above the idle value is printed. The clip and
the picture are made with the shipped ffmpeg and Pillow in a temporary folder.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import gazu
import requests
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def ffmpeg():
    from shutil import which

    if which("ffmpeg"):
        return which("ffmpeg")
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def make_clip(path, seconds, size):
    subprocess.run(
        [ffmpeg(), "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast",
         "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def make_picture(path, megapixels):
    width = int((megapixels * 1_000_000 * 3 / 2) ** 0.5)
    height = int(width * 2 / 3)
    gradient = Image.linear_gradient("L").resize((width, height))
    Image.merge("RGB", (gradient, gradient.rotate(90, expand=False), gradient)).save(path, "JPEG", quality=90)
    return path


def task_to_upload_to(client):
    name = f"bench-media-{uuid.uuid4().hex[:6]}"
    project = gazu.project.new_project(name, "tvshow", client=client)
    asset_type = gazu.asset.new_asset_type(f"Type {name}", client=client)
    asset = gazu.asset.new_asset(project, asset_type, f"Asset {name}", client=client)
    task_type = gazu.task.new_task_type(f"Task {name}", client=client)
    task = gazu.task.new_task(asset, task_type, client=client)
    status = (
        gazu.task.get_task_status_by_short_name("todo", client=client)
        or gazu.task.all_task_statuses(client=client)[0]
    )
    return task, status


def upload_to_ready(client, task, status, path, timeout):
    """Seconds from the start of the upload to a ready preview (polling while it processes)."""
    start = time.perf_counter()
    comment = gazu.task.add_comment(task, status, "bench", client=client)
    preview = gazu.task.add_preview(task, comment, str(path), client=client)
    while preview["status"] == "processing":
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{path.name}: still processing after {timeout} s")
        time.sleep(0.2)
        preview = gazu.client.fetch_one("preview-files", preview["id"], client=client)
    if preview["status"] != "ready":
        raise RuntimeError(f"{path.name}: {preview['status']}")
    return time.perf_counter() - start


def rss_kib(pid):
    """Resident memory of `pid` and its descendants (KiB)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending.extend(int(child) for child in children)
    return total


class MultipartBody:
    """A multipart body of `size_mib` MiB of random bytes, read piece by piece (a known length,
    so that it is sent with a Content-Length, never built whole)."""

    def __init__(self, head, size_mib, tail):
        self.parts = [head, *([os.urandom(1024 * 1024)] * size_mib), tail]
        self.length = sum(len(part) for part in self.parts)
        self.buffer = b""

    def __len__(self):
        return self.length

    def read(self, size=-1):
        while self.parts and (size < 0 or len(self.buffer) < size):
            self.buffer += self.parts.pop(0)
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def big_upload_peak(url, token, size_mib, pid, preview_id):
    """Peak server memory (MiB above idle) while `size_mib` MiB are posted as one multipart file."""
    idle = rss_kib(pid)
    peak = [idle]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.05)

    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mov"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = MultipartBody(head, size_mib, tail)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        response = requests.post(
            f"{url}/pictures/preview-files/{preview_id}",
            data=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
            timeout=3600,
        )
    finally:
        done.set()
        sampler.join()
    return response.status_code, (peak[0] - idle) / 1024


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True, help="the API root (ours: http://host:port/api)")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")
    parser.add_argument("--seconds", type=float, default=10, help="clip duration")
    parser.add_argument("--size", default="1920x1080", help="clip size")
    parser.add_argument("--megapixels", type=float, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--big-upload", type=int, default=0, help="MiB to upload while watching memory")
    parser.add_argument("--server-pid", type=int, help="the server process to watch (with --big-upload)")
    args = parser.parse_args()

    client = gazu.client.create_client(args.url)
    gazu.log_in(args.email, args.password, client=client)
    task, status = task_to_upload_to(client)
    with tempfile.TemporaryDirectory(prefix="bench-media-") as folder:
        clip = make_clip(Path(folder) / "clip.mp4", args.seconds, args.size)
        picture = make_picture(Path(folder) / "picture.jpg", args.megapixels)
        for label, path in (
            (f"movie {args.seconds:g} s {args.size}", clip),
            (f"picture {args.megapixels:g} MP", picture),
        ):
            timings = sorted(
                upload_to_ready(client, task, status, path, args.timeout) for _ in range(args.runs)
            )
            print(f"{label}: upload to ready, median {timings[len(timings) // 2]:.2f} s ({args.runs} runs)")
    if args.big_upload:
        if not args.server_pid:
            parser.error("--big-upload needs --server-pid")
        comment = gazu.task.add_comment(task, status, "big upload", client=client)
        slot = gazu.task.create_preview(task, comment, client=client)
        status_code, peak = big_upload_peak(
            args.url, client.access_token, args.big_upload, args.server_pid, slot["id"]
        )
        print(
            f"upload of {args.big_upload} MiB: HTTP {status_code}, "
            f"server memory peak {peak:.1f} MiB above idle"
        )


if __name__ == "__main__":
    main()
