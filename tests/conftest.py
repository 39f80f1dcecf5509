"""Shared test set-up: settings for tests, the tool check, the demo programme."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAM_FIXTURE = ROOT / "fixtures" / "program.json"


def require_tool(available: bool, what: str) -> None:
    """Skip a test for a missing tool locally; in CI (CI=true) a missing tool is a failure.

    `.ci/run` installs every tool the suite needs, so a skip there would hide a broken
    set-up rather than a missing convenience.
    """
    if available:
        return
    message = f"{what} saknas (installeras av .ci/run)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def have_command(name: str) -> bool:
    return shutil.which(name) is not None


def run_manage(
    *args: str, env: dict[str, str], timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """`manage.py ARGS` in its own process with `env` (settings are read at start, so a
    different environment needs a process of its own)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    # Fetches ask only for the indicators' own places unless a test turns comparisons on.
    settings.KOLADA_JAMFORELSER = False  # type: ignore[attr-defined]


@pytest.fixture
def program(db: None) -> None:
    """The seed's programme, loaded the way `make run` loads it (with first history)."""
    from django.core.management import call_command

    call_command("load_program", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def demo_users(db: None) -> None:
    from django.core.management import call_command

    call_command("create_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115


def pytest_report_header() -> str:
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
