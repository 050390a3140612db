"""`manage.py doctor [--fix] [--check NAME ...] [--project NAME_OR_ID] [--json]`."""

import sys
import time

import orjson
from django.core.management.base import BaseCommand, CommandError

from kitsu_server.core.doctor import UnknownCheck, fix_checks, has_problems, load_checks, run_checks
from kitsu_server.core.management.arguments import find_project

EXAMPLE_WIDTH = 100


class Command(BaseCommand):
    help = (
        "Check what the database constraints cannot (tasks in another production than their entity, "
        "casting stats, preview media missing from storage, orphan rows, tokens of deactivated "
        "persons, counters out of date...): a count and an example per check. Exits 1 when a problem "
        "is found (after --fix: when one is left). --fix repairs what is safe, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair what the fixable checks found.")
        parser.add_argument(
            "--check",
            action="append",
            dest="checks",
            metavar="NAME",
            help="Run this check only (repeatable).",
        )
        parser.add_argument(
            "--project", help="Only this production (its id or name); studio-wide checks skip."
        )
        parser.add_argument("--json", action="store_true", help="Print the findings as JSON.")
        parser.add_argument("--list", action="store_true", help="List the checks and stop.")

    def handle(self, *args, fix=False, checks=None, project=None, json=False, list=False, **options):
        if list:
            for check in load_checks().values():
                fixable = "fixable" if check.fixable else "report-only"
                self.stdout.write(f"{check.name:28} {check.severity:8} {fixable:12} {check.title}")
            return
        target = find_project(project) if project else None
        started = time.monotonic()
        try:
            findings = run_checks(checks, target)
        except UnknownCheck as error:
            raise CommandError(str(error)) from None
        repairs = []
        if fix:
            repairs = fix_checks(checks, target, findings)
            if repairs:
                findings = run_checks(checks, target)
        seconds = round(time.monotonic() - started, 3)
        if json:
            body = {
                "project": str(target.pk) if target else None,
                "checks": [finding.as_dict() for finding in findings],
                "fixed": [repair.as_dict() for repair in repairs],
                "problems": sum(finding.count for finding in findings),
                "seconds": seconds,
            }
            self.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode())
        else:
            self.print_repairs(repairs)
            self.print_table(findings, target, seconds)
        if has_problems(findings):
            sys.exit(1)

    def print_repairs(self, repairs):
        for repair in repairs:
            self.stdout.write(
                f"fixed {repair.name}: {repair.done} ({repair.count_before} -> {repair.count_after})"
            )
        if repairs:
            self.stdout.write("")

    def print_table(self, findings, target, seconds):
        rows = [("check", "severity", "count", "fixable", "example")]
        for finding in findings:
            count = "failed" if finding.error else finding.skipped or str(finding.count)
            example = finding.error or finding.example
            example = example if len(example) <= EXAMPLE_WIDTH else example[:99] + "…"
            rows.append((finding.name, finding.severity, count, "yes" if finding.fixable else "no", example))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
            self.stdout.write("  ".join([*cells, row[4]]).rstrip())
        problems = sum(finding.count for finding in findings)
        finding_some = sum(1 for finding in findings if finding.count)
        failed = sum(1 for finding in findings if finding.error)
        where = f" on {target.name}" if target else ""
        if problems or failed:
            style = self.style.ERROR
            said = (
                [f"{problems} problems in {finding_some} of {len(findings)} checks{where}"]
                if problems
                else []
            )
            said += [f"{failed} checks failed"] if failed else []
            summary = f"{', '.join(said)} ({seconds} s)."
        else:
            style = self.style.SUCCESS
            summary = f"No problem found by {len(findings)} checks{where} ({seconds} s)."
        self.stdout.write(style(summary))
