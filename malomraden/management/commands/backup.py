"""Back up the whole database to one file: `python manage.py backup FILE`.

PostgreSQL: `pg_dump --format=custom` of the configured database. SQLite: a copy made with
the sqlite3 online backup API, a consistent snapshot even while the app writes (a plain
file copy can catch a write half done). Both keep everything: data, history, sequences,
constraints and the triggers of `effektkedjor/0002`. `python manage.py restore FILE`
(restore.py) reads the file back into an empty database.

The helpers here are shared with restore.py.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_MAGIC = b"SQLite format 3\x00"
# Every pg_dump archive in custom format starts with these bytes.
PGDUMP_MAGIC = b"PGDMP"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def supported_vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in VENDOR_NAMES:
        raise CommandError(
            f"Säkerhetskopior stöds för SQLite och PostgreSQL, inte för {connection.vendor}."
        )
    return connection.vendor


def sqlite_path(connection: BaseDatabaseWrapper) -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise CommandError("Databasen ligger bara i minnet; det finns ingen fil att kopiera.")
    return Path(name).resolve()


def open_sqlite_read_only(path: Path) -> sqlite3.Connection:
    # Read-only, so that a wrong path never creates a new empty database file.
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The connection settings as libpq environment variables: a password on the command
    line would be visible to every user of the machine in the process list."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"Programmet {name} finns inte installerat. Installera PostgreSQL:s klientprogram "
            "i samma huvudversion som servern (Debian: apt install postgresql-client)."
        )
    return path


def run_tool(
    args: list[str], env: dict[str, str], failure: str = ""
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        failure = failure or f"{Path(args[0]).name} misslyckades (status {result.returncode})"
        raise CommandError(f"{failure}:\n{result.stderr.strip()}")
    return result


def table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def describe(counts: dict[str, int]) -> str:
    rows = f"{sum(counts.values()):,}".replace(",", "\u00a0")  # Swedish: 12 345
    return f"{len(counts)} tabeller, {rows} rader"


def file_size(path: Path) -> str:
    size = path.stat().st_size
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} kB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar hela databasen till en fil (PostgreSQL: pg_dump i custom-format; "
        "SQLite: en kopia med SQLite:s backup-funktion). Läs tillbaka med restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="filen som säkerhetskopian skrivs till")
        parser.add_argument(
            "--force", action="store_true", help="skriv över filen om den redan finns"
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="databasen i inställningarna"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        vendor = supported_vendor(connection)
        target = Path(options["file"]).resolve()
        if target.exists() and not options["force"]:
            raise CommandError(
                f"Filen {target} finns redan. Välj ett annat namn, eller använd --force "
                "för att skriva över den."
            )
        if vendor == "sqlite" and target == sqlite_path(connection):
            raise CommandError("Säkerhetskopian kan inte skrivas över själva databasfilen.")
        if not target.parent.is_dir():
            raise CommandError(f"Mappen {target.parent} finns inte.")
        # Written beside the target and renamed when complete, so that a failed run never
        # leaves a half-written file under the name of a backup.
        partial = target.with_name(target.name + ".delvis")
        # Readable by the owner only from the first byte: it holds password hashes and
        # live session keys (the tools would create it under the default umask).
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)
        partial.chmod(0o600)
        try:
            if vendor == "sqlite":
                self._backup_sqlite(connection, partial)
            else:
                self._backup_postgresql(connection, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        counts = table_counts(connection)
        self.stdout.write(
            self.style.SUCCESS(
                f"Säkerhetskopian av {VENDOR_NAMES[vendor]}-databasen "
                f"{connection.settings_dict['NAME']} är sparad i {target} "
                f"({file_size(target)}): {describe(counts)}."
            )
        )

    def _backup_sqlite(self, connection: BaseDatabaseWrapper, partial: Path) -> None:
        source_path = sqlite_path(connection)
        if not source_path.is_file():
            raise CommandError(f"Databasfilen {source_path} finns inte.")
        source = open_sqlite_read_only(source_path)
        copy = sqlite3.connect(partial)
        try:
            # All pages in one step: the copy is of one moment, under a read lock that
            # lets the app go on reading (and, in WAL mode, writing) meanwhile.
            source.backup(copy)
            # A copy of a database in WAL mode would stay in WAL mode and need side files;
            # a backup should be one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CommandError("Kopian klarade inte SQLite:s kontroll (quick_check).")
        except sqlite3.Error as error:
            raise CommandError(f"SQLite kunde inte kopiera databasen: {error}") from error
        finally:
            copy.close()
            source.close()

    def _backup_postgresql(self, connection: BaseDatabaseWrapper, partial: Path) -> None:
        pg_dump = pg_tool("pg_dump")
        # Owners and grants stay out, so the file restores into a new server whose roles
        # are named differently (pg_restore gets the same options).
        run_tool(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
            ],
            pg_environment(connection),
        )
