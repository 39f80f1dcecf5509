"""`migrate` that several app servers may run at the same moment (`make serve` runs it).

Django takes no lock of its own while migrating, so two servers starting together could
both apply the same migration. On PostgreSQL this holds an advisory lock for the whole
run: one server migrates, the others wait and then find nothing left to do. SQLite is a
single file on a single server, so there it is plain `migrate`.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

# Any fixed number, the same on every server: the name of the lock.
LOCK_ID = 7_112_026


class Command(BaseCommand):
    help = "Tillämpar migreringar; en server i taget när flera startar samtidigt."

    def handle(self, *args: Any, **options: Any) -> None:
        def migrate() -> None:
            call_command(
                "migrate",
                interactive=False,
                verbosity=options["verbosity"],
                stdout=self.stdout,
                stderr=self.stderr,
            )

        if connection.vendor != "postgresql":
            migrate()
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
            if not cursor.fetchone()[0]:
                self.stdout.write("En annan server migrerar; väntar på att den blir klar …")
                cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        try:
            migrate()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
