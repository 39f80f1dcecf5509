"""The task worker that `make serve` runs: django-tasks-db's `db_worker`, started again
when the database goes away under it.

`db_worker` stops with an error when PostgreSQL restarts. Beside gunicorn nothing would
notice, and large PDF orders would wait for ever; so this waits a moment and carries on,
the same way the web workers recover with their next request.
"""

import logging
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Kör uppgiftskön (stora PDF-rapporter) och fortsätter när databasen varit borta."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retry-seconds",
            type=float,
            default=5.0,
            help="väntetid innan ett nytt försök när databasen inte svarar",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                # Returns when the worker is asked to stop (SIGTERM, SIGINT).
                call_command("db_worker", "--no-reload", "--no-startup-delay")
                return
            except (OperationalError, InterfaceError) as error:
                logger.warning("task worker: database unavailable (%s); retrying", error)
                self.stderr.write(
                    f"Databasen svarar inte; uppgiftskön försöker igen om "
                    f"{options['retry_seconds']:g} s."
                )
                connections.close_all()
                time.sleep(options["retry_seconds"])
