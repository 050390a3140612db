"""Time the build of a 50-shot playlist movie (5 s clips) and watch the worker's memory; run the
same against ours and the reference on the same machine, compare the numbers.

    .venv/bin/python bench/playlists_build.py --url http://127.0.0.1:8000/api --worker-pid PID  # ours
    .venv/bin/python bench/playlists_build.py --url http://127.0.0.1:5000 --worker-pid PID      # reference

Through gazu, as a studio script: a new production with one sequence of --shots shots, each with
a task and one uploaded clip (--seconds long, --size, made once with the shipped ffmpeg; every
other clip at another size, so that part of the movie is re-encoded and part copied), waited
until every preview is ready; then a playlist of the shots, its movie built (polled until done)
--runs times, and the zip downloaded. Prints the build's seconds (median and each run), the movie
and zip sizes, and with --worker-pid the peak resident memory of that process and its children
(the Celery worker, or the reference's RQ worker) above its idle value. Heavy: the uploads alone
normalise 50 clips; run it on a quiet machine.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import gazu

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.media_upload import make_clip, rss_kib, upload_to_ready  # noqa: E402


def production(client, shots, clips, timeout):
    """A production whose sequence holds `shots` shots with a ready movie preview each."""
    name = f"bench-playlist-{uuid.uuid4().hex[:6]}"
    project = gazu.project.new_project(name, "short", client=client)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=client)
    task_type = gazu.task.new_task_type(f"Review {name}", for_entity="Shot", client=client)
    status = (
        gazu.task.get_task_status_by_short_name("wfa", client=client)
        or gazu.task.all_task_statuses(client=client)[0]
    )
    entities = []
    for index in range(shots):
        shot = gazu.shot.new_shot(project, sequence, f"SH{index + 1:04d}", client=client)
        task = gazu.task.new_task(shot, task_type, client=client)
        upload_to_ready(client, task, status, clips[index % len(clips)], timeout)
        entities.append(shot)
    return project, entities


def build_once(client, playlist, timeout):
    start = time.perf_counter()
    job = gazu.playlist.build_playlist_movie(playlist, client=client)
    while job["status"] == "running":
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"build still running after {timeout} s")
        time.sleep(0.5)
        job = gazu.playlist.get_build_job(playlist, job, client=client)
    if job["status"] != "succeeded":
        raise RuntimeError(f"build {job['status']}: {job.get('message')}")
    return time.perf_counter() - start, job


class PeakMemory:
    """The peak resident memory of `pid` (and children) above its value at the start, sampled."""

    def __init__(self, pid):
        self.pid, self.idle, self.peak, self.running = pid, rss_kib(pid) if pid else 0, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        while self.running:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.05)

    def __enter__(self):
        if self.pid:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        if self.pid:
            self.thread.join()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True, help="the API root (ours: http://host:port/api)")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")
    parser.add_argument("--shots", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--size", default="1920x1080", help="size of the clips at the production's format")
    parser.add_argument("--other-size", default="1280x720", help="size of every other clip (re-encoded)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--worker-pid", type=int, help="the worker process building the movie")
    args = parser.parse_args()

    client = gazu.client.create_client(args.url)
    gazu.log_in(args.email, args.password, client=client)
    with tempfile.TemporaryDirectory(prefix="bench-playlist-") as folder:
        clips = [
            make_clip(Path(folder) / "main.mp4", args.seconds, args.size),
            make_clip(Path(folder) / "other.mp4", args.seconds, args.other_size),
        ]
        project, shots = production(client, args.shots, clips, args.timeout)
        playlist = gazu.playlist.new_playlist(project, f"Bench {uuid.uuid4().hex[:6]}", client=client)
        for shot in shots:
            playlist = gazu.playlist.add_entity_to_playlist(playlist, shot, client=client)
        times = []
        with PeakMemory(args.worker_pid) as memory:
            for _ in range(args.runs):
                seconds, job = build_once(client, playlist, args.timeout)
                times.append(seconds)
        movie = Path(folder) / "movie.mp4"
        gazu.playlist.download_playlist_build(playlist, job, str(movie), client=client)
        archive = Path(folder) / "previews.zip"
        start = time.perf_counter()
        gazu.playlist.download_playlist_zip(playlist, str(archive), client=client)
        zip_seconds = time.perf_counter() - start
        print(f"build of {args.shots} x {args.seconds:g} s: median {statistics.median(times):.1f} s", end="")
        print(f" (runs: {', '.join(f'{t:.1f}' for t in times)})")
        print(f"movie: {movie.stat().st_size / 2**20:.1f} MiB; zip: {archive.stat().st_size / 2**20:.1f} MiB")
        print(f"zip download: {zip_seconds:.1f} s")
        if args.worker_pid:
            print(f"worker peak memory above idle: {(memory.peak - memory.idle) / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
