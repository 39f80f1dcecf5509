"""Restore a backup made by `python manage.py backup` into the configured database:
`python manage.py restore FILE [--force]`.

The database must be empty (no tables): a restore is meant for a new or rebuilt server,
and refusing a database with content means a mistyped DATABASE_URL cannot overwrite the
live data. `--force` replaces the content instead (PostgreSQL: `pg_restore --clean
--if-exists`; SQLite: the whole file is replaced).
"""

import re
import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from .backup import (
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    VENDOR_NAMES,
    describe,
    file_size,
    open_sqlite_read_only,
    pg_environment,
    pg_tool,
    run_tool,
    sqlite_path,
    supported_vendor,
    table_counts,
)

NOT_A_BACKUP = (
    "Filen {path} är ingen säkerhetskopia från Effektkedjor: den är varken en SQLite-databas "
    "eller en pg_dump-fil i custom-format (så som python manage.py backup gör dem)."
)


def backup_vendor(path: Path) -> str | None:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


class Command(BaseCommand):
    help = (
        "Läser tillbaka en säkerhetskopia från backup till den inställda databasen, "
        "som måste vara tom (eller --force för att ersätta innehållet)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="säkerhetskopian att läsa tillbaka")
        parser.add_argument(
            "--force",
            action="store_true",
            help="ersätt innehållet även om databasen inte är tom",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="databasen i inställningarna"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        vendor = supported_vendor(connection)
        path = Path(options["file"]).resolve()
        if not path.is_file():
            raise CommandError(f"Filen {path} finns inte.")
        kind = backup_vendor(path)
        if kind is None:
            raise CommandError(NOT_A_BACKUP.format(path=path))
        if kind != vendor:
            raise CommandError(
                f"Filen {path} är en säkerhetskopia av en {VENDOR_NAMES[kind]}-databas, men "
                f"den inställda databasen är {VENDOR_NAMES[vendor]}. Läs tillbaka den i samma "
                "slags databas som den kom ifrån."
            )
        # The file is checked before the database, so a bad file is named as such.
        env = pg_environment(connection) if vendor == "postgresql" else {}
        if vendor == "sqlite":
            self._check_sqlite(path)
        else:
            self._check_postgresql(path, env)
        tables = connection.introspection.table_names()
        if tables and not options["force"]:
            raise CommandError(
                f"Databasen {connection.settings_dict['NAME']} är inte tom ({len(tables)} "
                "tabeller). Återställningen skriver bara till en tom databas, så att inget "
                "skrivs över av misstag. Skapa en ny, tom databas och låt DATABASE_URL peka "
                "på den, eller använd --force för att ersätta databasens innehåll."
            )
        # Our own session would hold locks on the tables that --clean drops, and SQLite's
        # file is replaced under it; a fresh connection afterwards sees the restored data.
        connection.close()
        if vendor == "sqlite":
            self._restore_sqlite(connection, path)
        else:
            self._restore_postgresql(connection, path, env, clean=bool(tables))
        counts = table_counts(connection)
        replaced = " (det tidigare innehållet är ersatt)" if tables else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Säkerhetskopian {path} ({file_size(path)}) är återställd i "
                f"{VENDOR_NAMES[vendor]}-databasen {connection.settings_dict['NAME']}"
                f"{replaced}: {describe(counts)}."
            )
        )

    def _check_sqlite(self, path: Path) -> None:
        try:
            source = open_sqlite_read_only(path)
        except sqlite3.Error as error:
            raise CommandError(NOT_A_BACKUP.format(path=path)) from error
        try:
            check = source.execute("PRAGMA quick_check").fetchone()[0]
            names = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            raise CommandError(f"Filen {path} är skadad eller ofullständig: {error}") from error
        finally:
            source.close()
        if check != "ok":
            raise CommandError(f"Filen {path} är skadad eller ofullständig: {check}")
        if "django_migrations" not in names:
            raise CommandError(NOT_A_BACKUP.format(path=path))

    def _restore_sqlite(self, connection: BaseDatabaseWrapper, path: Path) -> None:
        target = sqlite_path(connection)
        if target == path:
            raise CommandError("Säkerhetskopian är själva databasfilen; det finns inget att göra.")
        source = open_sqlite_read_only(path)
        target_db = sqlite3.connect(target)
        try:
            # The backup API writes every page of the target, so the result is the
            # backup exactly (schema, triggers, sequences), whatever was there before.
            source.backup(target_db)
        except sqlite3.Error as error:
            raise CommandError(f"SQLite kunde inte skriva databasen: {error}") from error
        finally:
            target_db.close()
            source.close()

    def _check_postgresql(self, path: Path, env: dict[str, str]) -> None:
        listing = run_tool(
            [pg_tool("pg_restore"), "--list", str(path)],
            env,
            failure=f"Filen {path} är skadad eller ofullständig",
        ).stdout
        if not re.search(r"\bTABLE \S+ django_migrations\b", listing):
            raise CommandError(NOT_A_BACKUP.format(path=path))

    def _restore_postgresql(
        self, connection: BaseDatabaseWrapper, path: Path, env: dict[str, str], *, clean: bool
    ) -> None:
        args = [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            # All or nothing: a failure leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
        ]
        if clean:
            args += ["--clean", "--if-exists"]
        run_tool([*args, str(path)], env)
        # pg_restore leaves the planner without statistics, which makes the dashboard
        # several times slower until autovacuum gets round to the tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
