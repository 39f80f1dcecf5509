"""Load the seed programme (fixtures/program.json) into an empty database.

`make run` calls this every time; it leaves a database that already holds a programme
alone, so edits made in the demo are not overwritten by the seed on the next start.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from malomraden.models import Program

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "program.json"


class Command(BaseCommand):
    help = "Läser in programmet från fixtures/program.json om databasen saknar program."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Läs in programmet igen även om det redan finns (skriver över ändringar).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Program.objects.exists() and not options["reset"]:
            self.stdout.write("Programmet finns redan i databasen; inget lästes in.")
            return
        call_command("loaddata", str(FIXTURE), verbosity=0)
        self.stdout.write(f"Programmet lästes in från {FIXTURE.name}.")
