"""Fetch every Kolada indicator's values (schedule it: README, "Indicators")."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from effektkedjor.kolada import KoladaError
from effektkedjor.services.indicators import fetch_indicators


def parse_years(text: str) -> list[int]:
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            return list(range(first, last + 1))
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise CommandError(f"Åren anges som 2020-2024 eller 2022,2023, inte ”{text}”.") from error


class Command(BaseCommand):
    help = (
        "Hämtar värdena för alla nyckeltal från Kolada (Källa: Kolada). Med --fil läses "
        "ett sparat svar från Kolada i stället, utan nätverk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fil", help="Ett svar från Kolada (JSON) sparat för hand; inget hämtas över nätet."
        )
        parser.add_argument("--ar", help="Vilka år: 2020-2024 eller 2022,2023.")

    def handle(self, *args: Any, **options: Any) -> None:
        payload = None
        fil = options.get("fil")
        if fil:
            path = Path(fil)
            try:
                payload = json.loads(path.read_text(encoding="utf-8"))
            except OSError as error:
                raise CommandError(f"Kunde inte läsa {path}: {error.strerror}.") from error
            except json.JSONDecodeError as error:
                raise CommandError(
                    f"{path} är inte JSON: {error.msg} (rad {error.lineno})."
                ) from error
        years = parse_years(options["ar"]) if options.get("ar") else None
        try:
            log = fetch_indicators(payload=payload, fil=fil, years=years)
        except KoladaError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{log.vad}: {log.antal_varden} värden, varav {log.antal_andrade} nya eller ändrade."
        )
        if log.fel:
            self.stderr.write(log.fel)
