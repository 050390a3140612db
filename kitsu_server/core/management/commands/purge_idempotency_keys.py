"""`manage.py purge_idempotency_keys`: remove the expired answers of Idempotency-Keys.

Every keyed write removes them already; this is for a server whose clients stopped sending keys
(a cron line, or before a backup)."""

from django.core.management.base import BaseCommand

from kitsu_server.core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Remove the expired answers kept for Idempotency-Key retries."

    def handle(self, *args, **options):
        removed = purge_expired()
        self.stdout.write(f"{removed} expired idempotency key(s) removed.")
