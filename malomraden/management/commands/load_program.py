"""Load the seed programme (fixtures/program.json) into an empty database.

`make run` calls this every time; it leaves a database that already holds a programme
alone, so edits made in the demo are not overwritten by the seed on the next start.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from effektkedjor.models import Indikator, Indikatorvarde, Kedjerad, LangsiktigEffekt
from malomraden.models import Malomrade, Omradestext, Program

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
        with transaction.atomic():
            call_command("loaddata", str(FIXTURE), verbosity=0)
            record_initial_history()
        self.stdout.write(f"Programmet lästes in från {FIXTURE.name}.")


def record_initial_history() -> None:
    """Give every loaded object its first history entry ("created").

    loaddata saves raw and so writes no history; without a first entry nobody could see
    later what an edit changed, and edit conflicts could not show the other's changes.
    """
    reason = "Inläst från programmets källa"
    models: list[Any] = [
        Malomrade,
        Omradestext,
        LangsiktigEffekt,
        Kedjerad,
        Indikator,
        Indikatorvarde,
    ]
    for model in models:
        history = model.history
        last_before = history.order_by("-history_id").values_list("history_id", flat=True).first()
        for obj in model.objects.all():
            obj._change_reason = reason
            obj.save()
        history.filter(history_id__gt=last_before or 0).update(history_type="+")
