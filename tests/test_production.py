"""The documented production environment (.env.example) passes `check --deploy`, and a
server started with it sends the security headers, secure cookies and hashed static files.

Both run in a subprocess: the settings are read from the environment once, at start.
"""

import json
import os
import secrets
import subprocess
from pathlib import Path

from tests.conftest import ROOT, run_manage


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    # As the file's comment says: a real installation generates its own key.
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["STATIC_ROOT"] = str(tmp_path / "static")
    # A database the subprocess can use without a server; nothing else changes.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    # The test run's own overrides (tests/environment.py) must not leak into production.
    for key in ("STATIC_MANIFEST", "TEST_SQLITE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_manage(*args, env=env, timeout=120)


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path: Path) -> None:
    run = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout


def test_check_deploy_complains_without_https(tmp_path: Path) -> None:
    # The check is a real one: turning HTTPS off (loopback only) is reported.
    env = production_env(tmp_path) | {"HTTPS": "false"}
    run = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert run.returncode != 0
    assert "security.W008" in run.stderr + run.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path) | {"SECRET_KEY": ""}
    run = manage(env, "check")
    assert run.returncode != 0
    assert "SECRET_KEY must be set" in run.stderr


PROBE = """
import json
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
host = settings.ALLOWED_HOSTS[0]
client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
plain = Client(HTTP_HOST=host).get("/konto/logga-in/")
page = client.get("/konto/logga-in/")
from django.contrib.auth.models import User
User.objects.create_user("probe", password="Prov-lösenord-2026")
signed_in = client.post("/konto/logga-in/", {"username": "probe", "password": "Prov-lösenord-2026"})
session = signed_in.cookies["sessionid"]
css_url = static("css/app.css")
css = client.get(css_url)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "status": page.status_code,
    "headers": dict(page.headers),
    "csrf_cookie": {k: page.cookies["csrftoken"][k] for k in ("secure", "httponly", "samesite")},
    "signed_in_status": signed_in.status_code,
    "session_cookie": {k: session[k] for k in ("secure", "httponly", "samesite")},
    "css_url": css_url,
    "css_status": css.status_code,
    "css_cache": css.get("Cache-Control", ""),
}))
"""


def test_production_server_sends_security_headers_and_static_files(tmp_path: Path) -> None:
    run = manage(production_env(tmp_path), "shell", "-c", PROBE)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout.strip().splitlines()[-1])
    # Plain HTTP is sent to HTTPS.
    assert got["plain_status"] == 301
    assert got["plain_location"].startswith("https://effektkedjor.boras.se/")
    headers = {k.lower(): v for k, v in got["headers"].items()}
    assert got["status"] == 200
    assert headers["strict-transport-security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]
    assert "geolocation=()" in headers["permissions-policy"]
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert got["csrf_cookie"]["secure"] is True
    # The session cookie a real sign-in sets: HTTPS only, out of reach of scripts.
    assert got["signed_in_status"] == 302
    assert got["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    # WhiteNoise serves the collected, content-hashed file with a long cache lifetime.
    assert got["css_url"].startswith("/static/css/app.") and got["css_url"] != "/static/css/app.css"
    assert got["css_status"] == 200
    assert "max-age=315360000" in got["css_cache"] and "immutable" in got["css_cache"]
