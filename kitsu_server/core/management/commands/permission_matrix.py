"""`manage.py permission_matrix [--check]`: the role x route matrix, docs/permissions.md and .json.

The matrix is computed on a small production written for the purpose and rolled back at the end:
the database is left as it was. `--check` writes nothing and fails (exit 1) when the committed
files differ from what the rules decide now.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kitsu_server.core.explain.fixture import build_fixture
from kitsu_server.core.explain.matrix import compute_matrix, matrix_json, matrix_markdown

DOCS = Path(settings.BASE_DIR) / "docs"


class Command(BaseCommand):
    help = "Compute the role x route permission matrix (docs/permissions.md and docs/permissions.json)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail when the committed files differ; write nothing."
        )
        parser.add_argument("--output", default=str(DOCS), help="The folder of the two files (docs/).")

    def handle(self, *args, check=False, output=str(DOCS), **options):
        folder = Path(output)
        files = {folder / "permissions.md": None, folder / "permissions.json": None}
        with transaction.atomic():
            matrix = compute_matrix(
                build_fixture(), progress=self.progress if options["verbosity"] > 1 else None
            )
            transaction.set_rollback(True)
        files[folder / "permissions.md"] = matrix_markdown(matrix)
        files[folder / "permissions.json"] = matrix_json(matrix)
        cells = sum(len(row["cells"]) for row in matrix["routes"])
        if check:
            stale = [
                str(path) for path, text in files.items() if not path.exists() or path.read_text() != text
            ]
            if stale:
                raise CommandError(
                    f"The permission matrix changed: {', '.join(stale)} differ from the rules. "
                    "Run `python manage.py permission_matrix` and commit the files."
                )
            self.stdout.write(
                f"The permission matrix is up to date ({len(matrix['routes'])} routes, {cells} cells)."
            )
            return
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            path.write_text(text)
        self.stdout.write(
            f"Wrote {', '.join(str(path) for path in files)} ({len(matrix['routes'])} routes, {cells} cells)."
        )

    def progress(self, done, total):
        if done % 50 == 0 or done == total:
            sys.stderr.write(f"{done}/{total} routes\n")
