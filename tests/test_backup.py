"""Backup and restore (`manage.py backup FILE`, `manage.py restore FILE`): a database full
of real work comes back whole in a new, empty database, on the backend the suite runs on
(SQLite, and PostgreSQL in CI).

The data is committed (transactional tests), because pg_dump and the restored database
are other connections. The restore runs as `manage.py` in a subprocess with DATABASE_URL
pointing at the new database, the way an operator runs it.
"""

import io
import json
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from psycopg import sql

from effektkedjor.models import Kedjerad, LangsiktigEffekt, Periodbild, Rapportperiod
from tests.conftest import have_command, require_tool, run_manage
from tests.personas import row_post_data

pytestmark = pytest.mark.django_db(transaction=True)

Connect = Callable[[], Any]


@dataclass
class Database:
    url: str
    connect: Connect


def _pg_params(name: str) -> dict[str, Any]:
    s = connection.settings_dict
    params = {"dbname": name, "host": s["HOST"], "port": s["PORT"], "user": s["USER"]}
    params["password"] = s["PASSWORD"]
    return {k: v for k, v in params.items() if v}


def _url(name: str) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    s = connection.settings_dict
    auth = quote(s["USER"], safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


def _source() -> Database:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        return Database(_url(name), lambda: sqlite3.connect(name))
    return Database(_url(name), lambda: psycopg.connect(**_pg_params(name), autocommit=True))


def _require_pg_tools() -> None:
    if connection.vendor == "postgresql":
        for tool in ("pg_dump", "pg_restore"):
            require_tool(have_command(tool), tool)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[Database]:
    """A new, empty database beside the test database: a file on SQLite, a second
    database on the same PostgreSQL server (dropped afterwards)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "aterstalld.sqlite3"
        yield Database(_url(str(path)), lambda: sqlite3.connect(path))
        return
    name = f"{connection.settings_dict['NAME']}_aterstalld"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(**_pg_params("postgres"), autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield Database(_url(name), lambda: psycopg.connect(**_pg_params(name), autocommit=True))
    with psycopg.connect(**_pg_params("postgres"), autocommit=True) as admin:
        admin.execute(drop)


def _manage(*args: str, database: Database) -> subprocess.CompletedProcess[str]:
    return run_manage(*args, env={**os.environ, "DATABASE_URL": database.url})


def _query(db: Any, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(db, sqlite3.Connection):
        cursor = db.execute(query.replace("%s", "?"), params)
    else:
        cursor = db.execute(query, params)
    return cursor.fetchall() if cursor.description else []


def _schema(db: Any) -> dict[str, list[str]]:
    """Names of every table, index and trigger: the rules the data keeps, not only data."""
    if isinstance(db, sqlite3.Connection):
        rows = _query(
            db, "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%'"
        )
    else:
        rows = (
            _query(db, "SELECT 'table', tablename FROM pg_tables WHERE schemaname = 'public'")
            + _query(db, "SELECT 'index', indexname FROM pg_indexes WHERE schemaname = 'public'")
            + _query(db, "SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal")
            + _query(
                db,
                "SELECT 'constraint', conname FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'",
            )
        )
    schema: dict[str, list[str]] = {}
    for kind, name in rows:
        schema.setdefault(kind, []).append(name)
    return {kind: sorted(names) for kind, names in schema.items()}


def _contents(db: Any) -> dict[str, list[str]]:
    """Every row of every table (sqlite_sequence included), in a stable order."""
    contents = {}
    for table in _schema(db)["table"]:
        rows = _query(db, f'SELECT * FROM "{table}"')  # noqa: S608
        contents[table] = sorted(repr(row) for row in rows)
    return contents


def _fill(client: Client) -> dict[str, Any]:
    """A year of work: the seed programme and demo accounts (closed periods with frozen
    reports), then a row edited twice, a report, the current period closed, a period
    reopened and closed again, a session and a sign-in lockout."""
    devnull = io.StringIO()
    call_command("load_program", stdout=devnull)
    call_command("create_demo", "--force", stdout=devnull)
    director = User.objects.get(username="stadsdirektor")
    client.force_login(director)
    row = Kedjerad.objects.order_by("pk").first()
    assert row is not None
    original = row.aktivitet
    for text in (
        "Uppsökande verksamhet i Norrby",
        "Uppsökande verksamhet i Norrby och Hässleholmen",
    ):
        row.refresh_from_db()
        response = client.post(
            reverse("effektkedjor:rad_andra", args=[row.pk]), row_post_data(row, aktivitet=text)
        )
        assert response.status_code == 302
    period = Rapportperiod.current()
    assert period is not None
    client.post(
        reverse("effektkedjor:rapportera", args=[row.pk]),
        {
            "period": period.pk,
            "datum": timezone.localdate().isoformat(),
            "status": "pagar",
            "bedomning": "risk",
            "kommentar": "Två träffar ställdes in.\nNya datum i december.",
        },
    )
    assert row.rapporter.filter(kommentar__startswith="Två träffar").exists()
    client.post(reverse("effektkedjor:period_stang", args=[period.pk]), {"bekrafta": "ja"})
    first = Rapportperiod.objects.order_by("slut").first()
    assert first is not None and first.stangd
    client.post(reverse("effektkedjor:period_oppna", args=[first.pk]), {"skal": "Sen rapport"})
    client.post(reverse("effektkedjor:period_stang", args=[first.pk]), {"bekrafta": "ja"})
    assert Periodbild.objects.filter(period=period).exists()

    for _ in range(5):
        Client().post(reverse("login"), {"username": "namndledamot", "password": "fel"})
    assert AccessAttempt.objects.get(username="namndledamot").failures_since_start == 5

    other_area_effect = LangsiktigEffekt.objects.exclude(malomrade=row.malomrade).first()
    assert other_area_effect is not None
    return {
        "row": row,
        "original": original,
        "period": period,
        "other_area_effect": other_area_effect,
    }


def test_backup_and_restore_into_an_empty_database_lose_nothing(
    client: Client, tmp_path: Path, empty_database: Database
) -> None:
    _require_pg_tools()
    facts = _fill(client)
    row, period = facts["row"], facts["period"]
    backup = tmp_path / "effektkedjor.backup"

    out = io.StringIO()
    call_command("backup", str(backup), stdout=out)
    assert backup.is_file()
    tables = len(connection.introspection.table_names())
    assert f"{tables} tabeller, " in out.getvalue() and str(backup) in out.getvalue()

    restored = _manage("restore", str(backup), database=empty_database)
    assert restored.returncode == 0, restored.stderr
    assert "är återställd" in restored.stdout and f"{tables} tabeller" in restored.stdout

    with _source().connect() as source, empty_database.connect() as target:
        assert _schema(target) == _schema(source)
        before, after = _contents(source), _contents(target)
        assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
        assert after == before

        history_table = Kedjerad.history.model._meta.db_table
        history = (
            f"SELECT aktivitet, history_type, history_user_id FROM {history_table} "  # noqa: S608
            "WHERE id = %s ORDER BY history_date, history_id"
        )
        director = User.objects.get(username="stadsdirektor")
        assert _query(target, history, (row.pk,)) == [
            (facts["original"], "+", None),
            ("Uppsökande verksamhet i Norrby", "~", director.pk),
            ("Uppsökande verksamhet i Norrby och Hässleholmen", "~", director.pk),
        ]

        snapshot = _query(
            target, "SELECT data FROM effektkedjor_periodbild WHERE period_id = %s", (period.pk,)
        )[0][0]
        snapshot = json.loads(snapshot) if isinstance(snapshot, str) else snapshot
        assert snapshot == Periodbild.objects.get(period=period).data
        assert "Två träffar ställdes in." in json.dumps(snapshot, ensure_ascii=False)

        (password,) = _query(
            target, "SELECT password FROM auth_user WHERE username = %s", ("stadsdirektor",)
        )[0]
        assert check_password("demo", password)

        # The rule of migration effektkedjor/0002 still holds in the restored database.
        with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="samma_omrade"):
            _query(
                target,
                "INSERT INTO effektkedjor_effektbidrag (rad_id, effekt_id) VALUES (%s, %s)",
                (row.pk, facts["other_area_effect"].pk),
            )
        # Sequences came along: a new record gets a fresh key, not one in use.
        _query(target, "INSERT INTO auth_group (name) VALUES ('Ny efter återställningen')")

    # Now the database has content: restore refuses (non-zero exit), --force replaces it.
    refused = _manage("restore", str(backup), database=empty_database)
    assert refused.returncode == 1
    assert "är inte tom" in refused.stderr and "--force" in refused.stderr
    forced = _manage("restore", str(backup), "--force", database=empty_database)
    assert forced.returncode == 0, forced.stderr
    with _source().connect() as source, empty_database.connect() as target:
        assert _contents(target) == _contents(source)


def test_restore_refuses_a_database_that_is_not_empty(client: Client, tmp_path: Path) -> None:
    _require_pg_tools()
    facts = _fill(client)
    backup = tmp_path / "effektkedjor.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    Kedjerad.objects.filter(pk=facts["row"].pk).update(aktivitet="Ändrad efter kopian")
    with _source().connect() as source:
        before = _contents(source)
    with pytest.raises(CommandError, match=r"är inte tom.*--force"):
        call_command("restore", str(backup), stdout=io.StringIO())
    with _source().connect() as source:
        assert _contents(source) == before
    assert Kedjerad.objects.get(pk=facts["row"].pk).aktivitet == "Ändrad efter kopian"


def test_clear_errors_for_bad_files(tmp_path: Path) -> None:
    _require_pg_tools()
    with pytest.raises(CommandError, match="finns inte"):
        call_command("restore", str(tmp_path / "saknas.backup"), stdout=io.StringIO())

    text = tmp_path / "anteckningar.txt"
    text.write_text("Inte en säkerhetskopia", encoding="utf-8")
    with pytest.raises(CommandError, match="ingen säkerhetskopia från Effektkedjor"):
        call_command("restore", str(text), stdout=io.StringIO())

    other = tmp_path / "annan.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(100))
        expected = "PostgreSQL-databas, men den inställda databasen är SQLite"
    else:
        other.write_bytes(b"SQLite format 3\x00" + bytes(100))
        expected = "SQLite-databas, men den inställda databasen är PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), stdout=io.StringIO())

    # A backup cut short (a full disk, an interrupted copy) is refused before anything.
    backup = tmp_path / "hel.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    cut = tmp_path / "avbruten.backup"
    cut.write_bytes(backup.read_bytes()[:2000])
    with pytest.raises(CommandError, match="är skadad eller ofullständig"):
        call_command("restore", str(cut), "--force", stdout=io.StringIO())

    with pytest.raises(CommandError, match=r"finns redan.*--force"):
        call_command("backup", str(backup), stdout=io.StringIO())


def test_backup_says_when_pg_dump_is_missing(tmp_path: Path) -> None:
    # A PostgreSQL installation without the client tools, run in its own process so it
    # works whichever database this suite runs on; the tool is looked for before any
    # connection is made, so no server is needed.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_SQLITE_NAME"}}
    env |= {"PATH": str(tmp_path), "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    run = run_manage("backup", str(tmp_path / "x.backup"), env=env, timeout=60)
    assert run.returncode != 0
    assert "pg_dump finns inte installerat" in run.stderr
    assert not (tmp_path / "x.backup").exists()


def test_a_backup_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    backup = tmp_path / "agare.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    assert backup.stat().st_mode & 0o777 == 0o600
