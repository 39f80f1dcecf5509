"""Settings for Effektkedjor, read from the environment.

Every variable is listed in the README's configuration table and in `.env.example`.
The helpers below fail loudly on a malformed value rather than guessing, so that a
typo in production stops the start instead of silently changing behaviour.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    # An empty variable counts as unset, so `DATABASE_URL= make test` means the default.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must set its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README, Configuration)."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "import_export",
    "simple_history",
    "django_tasks_db",
    "axes",
    "malomraden",
    "effektkedjor",
]

MIDDLEWARE = [
    "boras_social.middleware.DatabaseUnavailableMiddleware",  # first: see its docstring
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files with far-future caching when DEBUG is off, so the
    # app servers need no separate static file server behind the proxy.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "boras_social.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view requires sign-in unless it opts out with @login_not_required,
    # so a new URL can never be left open by mistake.
    # (the project's subclass answers htmx requests with 401 rather than a redirect)
    "boras_social.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the signed-in user as the author of every history entry.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# For `make bench` only: report each response's number of database queries.
QUERY_COUNT_HEADER = env_bool("QUERY_COUNT_HEADER", default=False)
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "boras_social.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "boras_social.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "malomraden.context_processors.roles",
                "django.template.context_processors.csp",
                "boras_social.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "boras_social.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before use, so a database restart costs one
        # failed request at most instead of every request on a dead connection.
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file, not memory: browser tests run the server in another
    # thread, which then gets its own connection instead of sharing the test's.
    # TEST_SQLITE_NAME lets two test runs share one checkout without sharing a file.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("TEST_SQLITE_NAME", str(BASE_DIR / ".test-db.sqlite3"))
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "effektkedjor:start"
LOGOUT_REDIRECT_URL = "login"

# The interface is Swedish for everyone, whatever language the browser asks for.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
# Swedish for libraries that ship none (django-axes' admin); the .mo file is committed.
LOCALE_PATHS = [BASE_DIR / "boras_social" / "locale"]
# Dates read "31 augusti 2026" everywhere a person reads them (boras_social/formats/sv).
FORMAT_MODULE_PATH = ["boras_social.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Production serves hashed, compressed files from STATIC_ROOT (after collectstatic).
# STATIC_MANIFEST=false keeps plain names, for tests and development without collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Security -------------------------------------------------------------------------
# HTTPS is on by default in production: the reverse proxy terminates TLS and says so in
# X-Forwarded-Proto. HTTPS=false is for serving on loopback only (the load test).
HTTPS = env_bool("HTTPS", default=not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The health check answers the proxy over plain HTTP inside the data centre.
SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The app uses no camera, microphone, location or the like; say so to the browser.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# Strict Content Security Policy: scripts and styles only from our own origin (htmx and
# app.js are files; htmx's own script tag carries the nonce), no inline handlers, no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is locked for AXES_COOLOFF_MINUTES. An admin
# unlocks at once by deleting the attempt under Administration → Axes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/utelast.html"
AXES_USERNAME_FORM_FIELD = "username"
# Behind PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For
# (boras_social/client_ip.py), so one person's guessing locks only their own address.
PROXY_COUNT = int(env_str("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "boras_social.client_ip.client_ip"

# Accessibility statement (tillgänglighetsredogörelse): where users report problems.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "social.hallbarhet@boras.se")

# Long jobs (large PDF reports) run outside the request, on a database queue that every
# app server shares; `python manage.py db_worker` runs them (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Reports with more rows than this are rendered by the worker, not in the request.
PDF_SYNC_MAX_ROWS = int(env_str("PDF_SYNC_MAX_ROWS", "300"))

# Indicators (nyckeltal) from Kolada's open API v3: where it answers, and the municipality
# whose figures an indicator shows unless it names another (Borås is 1490).
KOLADA_BASE_URL = env_str("KOLADA_BASE_URL", "https://api.kolada.se/v3").rstrip("/")
KOLADA_MUNICIPALITY = env_str("KOLADA_MUNICIPALITY", "1490")
# Fetch comparison values with every fetch: the whole country ("0000") and the group below.
KOLADA_JAMFORELSER = env_bool("KOLADA_JAMFORELSER", default=True)
# The title (as Kolada writes it) of the municipality group whose mean the charts compare
# with, e.g. a "Liknande kommuner …" group; looked up by title because its id changes
# yearly. Empty: compare with the whole country only.
KOLADA_JAMFORELSEGRUPP = env_str("KOLADA_JAMFORELSEGRUPP", "")

# E-mail (password reset). Development prints mail to the console; production sends
# through the SMTP server given here (Django 6.1's MAILERS setting).
if env_str("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": int(env_str("EMAIL_PORT", "25")),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "effektkedjor@example.invalid")
