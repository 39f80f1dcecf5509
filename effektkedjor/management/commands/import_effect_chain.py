"""Import an area's effect chain from an xlsx or csv file, by the same rules as the
upload page: `python manage.py import_effect_chain PATH --area SLUG [--dry-run]`.

Prints every line's outcome; exits with a non-zero status, having written nothing, if any
line has an error."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from effektkedjor.services.imports import import_table
from effektkedjor.spreadsheets.importing import preview_import
from effektkedjor.spreadsheets.reading import ImportFileError, read_table
from malomraden.models import Malomrade


class Command(BaseCommand):
    help = "Läser in ett målområdes effektkedja från en xlsx- eller csv-fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="filen att läsa in")
        parser.add_argument("--area", required=True, help="målområdets adressnamn (slug)")
        parser.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle hända")

    def handle(self, *args: Any, **options: Any) -> None:
        area = Malomrade.objects.filter(slug=options["area"]).first()
        if area is None:
            raise CommandError(f"Det finns inget målområde med adressnamnet ”{options['area']}”.")
        path = Path(options["path"])
        try:
            table = read_table(path.read_bytes(), path.name)
        except FileNotFoundError as error:
            raise CommandError(f"Filen {path} finns inte.") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if options["dry_run"]:
            result = preview_import(table, area)
        else:
            result = import_table(table=table, area=area)
        if table.sheet:
            self.stdout.write(f"Läste bladet ”{table.sheet}”.")
        for line in result.lines:
            self.stdout.write(f"Rad {line.number}: {line.kind} – {line.activity}")
            for column, before, after in line.changes:
                self.stdout.write(f"    {column}: ”{before}” → ”{after}”")
            for column, message in line.errors:
                self.stdout.write(f"    fel i {column or 'raden'}: {message}")
        summary = ", ".join(f"{result.count(k)} {k}" for k in ("ny", "ändrad", "oförändrad", "fel"))
        if result.errors:
            raise CommandError(f"Ingenting lästes in: {summary}.")
        verb = "skulle läsas in" if options["dry_run"] else "lästes in"
        self.stdout.write(f"Klart, {verb}: {summary}.")
