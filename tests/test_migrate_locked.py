"""`migrate_locked`: several servers starting at once migrate one at a time."""

import io
import threading
import time

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections

from malomraden.management.commands.migrate_locked import LOCK_ID

pytestmark = pytest.mark.django_db(transaction=True)


def _run(out: io.StringIO) -> None:
    try:
        call_command("migrate_locked", stdout=out)
    finally:
        connections.close_all()


def test_migrate_locked_waits_for_another_server_and_then_has_nothing_to_do() -> None:
    out = io.StringIO()
    if connection.vendor != "postgresql":
        # One file, one server: plain migrate.
        _run(out)
        assert "No migrations to apply." in out.getvalue()
        return
    params = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"}},
        autocommit=True,
    ) as other_server:
        other_server.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        waiting = threading.Thread(target=_run, args=(out,))
        waiting.start()
        time.sleep(1.5)
        assert waiting.is_alive(), "it migrated while another server held the lock"
        assert "En annan server migrerar" in out.getvalue()
        other_server.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
        waiting.join(timeout=30)
        assert not waiting.is_alive()
        assert "No migrations to apply." in out.getvalue()
        # And it let go of the lock.
        row = other_server.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID]).fetchone()
        assert row is not None and row[0] is True
