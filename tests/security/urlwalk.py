"""Every URL pattern of the project, from the resolver, with who may use it.

`ROUTES` classifies each pattern (keyed by its full route as the resolver spells it):
public, any signed-in user, a permission from the app's roles, or the Django admin.
The walk in test_url_walk.py and test_csrf.py fails for any pattern missing here, so a
new URL cannot be added without deciding who may use it.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from effektkedjor.models import (
    Hamtning,
    Importfil,
    Indikator,
    Indikatorvarde,
    Lagesrapport,
    PdfBestallning,
    Periodbild,
)
from malomraden.models import Person, Program
from tests.builders import make_user
from tests.personas import World, make_world

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed in"  # any signed-in user
PERMISSION = "permission"  # a role from malomraden/roles.py
STAFF = "staff"  # the Django admin: staff only
ADMIN_MODEL = "admin model"  # the Django admin: staff with the model's permissions

GET = frozenset({"GET"})
POST = frozenset({"POST"})
GET_POST = frozenset({"GET", "POST"})

# Who is refused where, and how. 404 only where the app hides that something exists.
ROW_EDITORS_ONLY = {"other_official": 403, "member": 403}
AREA_EDITORS_ONLY = {"official": 403, "other_official": 403, "member": 403}
DIRECTOR_ONLY = {"owner": 403, "official": 403, "member": 403}


@dataclass
class Objects:
    """Real objects to fill every URL's arguments with."""

    world: World
    superuser: User
    staff: User
    report: Lagesrapport
    order: PdfBestallning
    upload: Importfil
    by_model: dict[str, Model] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    access: str
    methods: frozenset[str]
    args: Callable[[Objects], dict[str, object]] = lambda o: {}
    # A user who may use it (for PERMISSION: the role that gets through).
    allowed: str = "director"
    # For PERMISSION: the roles refused and the status they get.
    denied: dict[str, int] = field(default_factory=dict)
    # Patterns that are regular expressions spell their concrete path out.
    path: Callable[[Objects], str] | None = None
    # Patterns another change adds; the walk tolerates their absence.
    optional: bool = False


def _row(o: Objects) -> dict[str, object]:
    return {"pk": o.world.row.pk}


def _effect(o: Objects) -> dict[str, object]:
    return {"pk": o.world.effect.pk}


def _area(o: Objects) -> dict[str, object]:
    return {"slug": o.world.area.slug}


ROUTES: dict[str, Route] = {
    # --- public: signing in and getting a new password, the health check --------------
    "konto/logga-in/": Route(PUBLIC, GET_POST),
    "konto/glomt-losenord/": Route(PUBLIC, GET_POST),
    "konto/glomt-losenord/skickat/": Route(PUBLIC, GET),
    "konto/nytt-losenord/<uidb64>/<token>/": Route(
        PUBLIC,
        GET_POST,
        lambda o: {
            "uidb64": urlsafe_base64_encode(force_bytes(o.world.users["member"].pk)),
            "token": default_token_generator.make_token(o.world.users["member"]),
        },
    ),
    "konto/nytt-losenord/klart/": Route(PUBLIC, GET),
    "halsa/": Route(PUBLIC, GET),
    # The accessibility statement must be readable without an account (the law says so).
    "tillganglighet/": Route(PUBLIC, GET, optional=True),
    # Static files are served by WhiteNoise, before any URL pattern; under DEBUG with
    # runserver they get a pattern of their own.
    r"^static/(?P<path>.*)$": Route(
        PUBLIC, GET, path=lambda o: "/static/css/app.css", optional=True
    ),
    "admin/login/": Route(PUBLIC, GET_POST),
    # --- any signed-in user ------------------------------------------------------------
    "konto/logga-ut/": Route(SIGNED_IN, POST),
    "konto/byt-losenord/": Route(SIGNED_IN, GET_POST),
    "konto/byt-losenord/klart/": Route(SIGNED_IN, GET),
    "": Route(SIGNED_IN, GET),
    "omraden/<slug:slug>/": Route(SIGNED_IN, GET, _area),
    "organisationer/": Route(SIGNED_IN, GET),
    "organisationer/<slug:slug>/": Route(SIGNED_IN, GET, lambda o: {"slug": o.world.alf.slug}),
    "start/": Route(SIGNED_IN, GET),
    "instrumentpanel/": Route(SIGNED_IN, GET),
    "instrumentpanel/rader/": Route(SIGNED_IN, GET),
    "instrumentpanel/nyckeltal/": Route(SIGNED_IN, GET),
    "mina-rader/": Route(SIGNED_IN, GET),
    "rapporter/": Route(SIGNED_IN, GET),
    "rapporter/<int:period_id>/": Route(SIGNED_IN, GET, lambda o: {"period_id": o.world.period.pk}),
    "rapporter/<int:period_id>/pdf/": Route(
        SIGNED_IN, GET, lambda o: {"period_id": o.world.period.pk}
    ),
    "rapporter/<int:period_id>/<slug:slug>/": Route(
        SIGNED_IN, GET, lambda o: {"period_id": o.world.period.pk, "slug": o.world.area.slug}
    ),
    "rapporter/<int:period_id>/<slug:slug>/pdf/": Route(
        SIGNED_IN, GET, lambda o: {"period_id": o.world.period.pk, "slug": o.world.area.slug}
    ),
    "rapporter/bestallningar/<int:pk>/": Route(SIGNED_IN, GET, lambda o: {"pk": o.order.pk}),
    "rapporter/bestallningar/<int:pk>/pdf/": Route(SIGNED_IN, GET, lambda o: {"pk": o.order.pk}),
    "export/rader.<str:fmt>": Route(SIGNED_IN, GET, lambda o: {"fmt": "xlsx"}),
    "export/lagesrapporter/<int:period_id>.<str:fmt>": Route(
        SIGNED_IN, GET, lambda o: {"period_id": o.world.period.pk, "fmt": "csv"}
    ),
    "export/nyckeltal.<str:fmt>": Route(SIGNED_IN, GET, lambda o: {"fmt": "csv"}),
    "rader/<int:pk>/": Route(SIGNED_IN, GET, _row),
    "nyckeltal/<int:pk>/": Route(SIGNED_IN, GET, lambda o: {"pk": o.by_model["indikator"].pk}),
    # --- a permission from the roles (malomraden/roles.py) -----------------------------
    "rader/<int:pk>/andra/": Route(PERMISSION, GET_POST, _row, denied=ROW_EDITORS_ONLY),
    "rader/<int:pk>/rapportera/": Route(PERMISSION, GET_POST, _row, denied=ROW_EDITORS_ONLY),
    "rader/<int:pk>/ta-bort/": Route(PERMISSION, GET_POST, _row, denied=AREA_EDITORS_ONLY),
    "rader/<int:pk>/flytta/": Route(PERMISSION, GET_POST, _row, denied=AREA_EDITORS_ONLY),
    "omraden/<slug:slug>/andra/": Route(PERMISSION, GET_POST, _area, denied=AREA_EDITORS_ONLY),
    "omraden/<slug:slug>/rader/ny/": Route(PERMISSION, GET_POST, _area, denied=AREA_EDITORS_ONLY),
    "omraden/<slug:slug>/effekter/ny/": Route(
        PERMISSION, GET_POST, _area, denied=AREA_EDITORS_ONLY
    ),
    "omraden/<slug:slug>/import/": Route(PERMISSION, GET_POST, _area, denied=AREA_EDITORS_ONLY),
    # An upload is its uploader's: the area's other editors (here the director) get a 404,
    # as if it did not exist.
    "omraden/<slug:slug>/import/<int:pk>/bekrafta/": Route(
        PERMISSION,
        POST,
        lambda o: {"slug": o.world.area.slug, "pk": o.upload.pk},
        allowed="owner",
        denied={**AREA_EDITORS_ONLY, "director": 404},
    ),
    "effekter/<int:pk>/andra/": Route(PERMISSION, GET_POST, _effect, denied=AREA_EDITORS_ONLY),
    "effekter/<int:pk>/ta-bort/": Route(PERMISSION, GET_POST, _effect, denied=AREA_EDITORS_ONLY),
    "omraden/<slug:slug>/nyckeltal/ny/": Route(
        PERMISSION, GET_POST, _area, denied=AREA_EDITORS_ONLY
    ),
    "omraden/<slug:slug>/nyckeltal/import/": Route(
        PERMISSION, GET_POST, _area, denied=AREA_EDITORS_ONLY
    ),
    "nyckeltal/hamtningar/": Route(PERMISSION, GET_POST, denied=DIRECTOR_ONLY),
    "nyckeltal/hamtningar/<int:pk>/": Route(
        PERMISSION, GET, lambda o: {"pk": o.by_model["hamtning"].pk}, denied=DIRECTOR_ONLY
    ),
    "nyckeltal/<int:pk>/andra/": Route(
        PERMISSION,
        GET_POST,
        lambda o: {"pk": o.by_model["indikator"].pk},
        denied=AREA_EDITORS_ONLY,
    ),
    "nyckeltal/<int:pk>/varden/": Route(
        PERMISSION,
        GET_POST,
        lambda o: {"pk": o.by_model["indikator"].pk},
        denied=AREA_EDITORS_ONLY,
    ),
    "perioder/ny/": Route(PERMISSION, GET_POST, denied=DIRECTOR_ONLY),
    "perioder/<int:pk>/andra/": Route(
        PERMISSION, GET_POST, lambda o: {"pk": o.world.period.pk}, denied=DIRECTOR_ONLY
    ),
    "perioder/<int:pk>/aktuell/": Route(
        PERMISSION, POST, lambda o: {"pk": o.world.period.pk}, denied=DIRECTOR_ONLY
    ),
    "perioder/<int:pk>/stang/": Route(
        PERMISSION, GET_POST, lambda o: {"pk": o.world.period.pk}, denied=DIRECTOR_ONLY
    ),
    "perioder/<int:pk>/oppna/": Route(
        PERMISSION, GET_POST, lambda o: {"pk": o.world.closed_period.pk}, denied=DIRECTOR_ONLY
    ),
    # --- the Django admin, site-wide pages (staff only) --------------------------------
    "admin/": Route(STAFF, GET_POST, allowed="superuser"),
    "admin/logout/": Route(STAFF, POST, allowed="superuser"),
    "admin/password_change/": Route(STAFF, GET_POST, allowed="superuser"),
    "admin/password_change/done/": Route(STAFF, GET_POST, allowed="superuser"),
    "admin/autocomplete/": Route(STAFF, GET, allowed="superuser"),
    "admin/jsi18n/": Route(STAFF, GET, allowed="superuser"),
    "admin/r/<path:content_type_id>/<path:object_id>/": Route(
        STAFF,
        GET_POST,
        lambda o: {
            "content_type_id": ContentType.objects.get_for_model(o.world.area).pk,
            "object_id": o.world.area.pk,
        },
        allowed="superuser",
    ),
    "admin/^(?P<app_label>django_tasks_database|axes|malomraden|auth|effektkedjor)/$": Route(
        STAFF, GET_POST, allowed="superuser", path=lambda o: "/admin/effektkedjor/"
    ),
    "admin/(?P<url>.*)$": Route(
        STAFF, GET_POST, allowed="superuser", path=lambda o: "/admin/finns-inte/"
    ),
    "admin/auth/user/<id>/password/": Route(
        ADMIN_MODEL, GET_POST, lambda o: {"id": o.world.users["member"].pk}, allowed="superuser"
    ),
}

# Models in the admin, with the object whose pages the walk visits.
ADMIN_MODELS: dict[str, Callable[[Objects], Model]] = {
    "django_tasks_database.dbtaskresult": lambda o: o.by_model["dbtaskresult"],
    "axes.accessattempt": lambda o: o.by_model["accessattempt"],
    "axes.accesslog": lambda o: o.by_model["accesslog"],
    "axes.accessfailurelog": lambda o: o.by_model["accessfailurelog"],
    "malomraden.program": lambda o: o.world.area.program,
    "malomraden.person": lambda o: Person.objects.get(anvandare=o.world.users["official"]),
    "malomraden.organisation": lambda o: o.world.alf,
    "malomraden.malomrade": lambda o: o.world.area,
    "malomraden.omradestext": lambda o: o.world.text,
    "auth.user": lambda o: o.world.users["member"],
    "auth.group": lambda o: Group.objects.get(name="Programledning"),
    "effektkedjor.langsiktigeffekt": lambda o: o.world.effect,
    "effektkedjor.kedjerad": lambda o: o.world.row,
    "effektkedjor.rapportperiod": lambda o: o.world.period,
    "effektkedjor.lagesrapport": lambda o: o.report,
    "effektkedjor.periodbild": lambda o: o.by_model["periodbild"],
    "effektkedjor.indikator": lambda o: o.by_model["indikator"],
    "effektkedjor.indikatorvarde": lambda o: o.by_model["indikatorvarde"],
    "effektkedjor.hamtning": lambda o: o.by_model["hamtning"],
    "effektkedjor.pdfbestallning": lambda o: o.order,
}
# Admins with django-simple-history's page for one past version.
HISTORY_ADMINS = {
    "malomraden.malomrade",
    "malomraden.omradestext",
    "effektkedjor.langsiktigeffekt",
    "effektkedjor.kedjerad",
    "effektkedjor.rapportperiod",
    "effektkedjor.lagesrapport",
    "effektkedjor.indikator",
    "effektkedjor.indikatorvarde",
}


def _admin_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for label, get in ADMIN_MODELS.items():
        app, model = label.split(".")
        base = f"admin/{app}/{model}/"

        def obj(o: Objects, get: Callable[[Objects], Model] = get) -> dict[str, object]:
            return {"object_id": get(o).pk}

        def version(o: Objects, get: Callable[[Objects], Model] = get, base: str = base) -> str:
            instance = get(o)
            past = type(instance).history.filter(id=instance.pk).first()  # type: ignore[attr-defined]
            return f"/{base}{instance.pk}/history/{past.history_id}/"

        for suffix in ("", "add/"):
            routes[base + suffix] = Route(ADMIN_MODEL, GET_POST, allowed="superuser")
        for suffix in ("history/", "delete/", "change/", ""):
            routes[f"{base}<path:object_id>/{suffix}"] = Route(
                ADMIN_MODEL, GET_POST, obj, allowed="superuser"
            )
        if label in HISTORY_ADMINS:
            routes[base + "^([^/]+)/history/([^/]+)/$"] = Route(
                ADMIN_MODEL, GET_POST, allowed="superuser", path=version
            )
    return routes


ROUTES.update(_admin_routes())


def walk_patterns() -> Iterator[tuple[str, Callable[..., object]]]:
    """Every URL pattern of the project, includes and the admin included: its full route
    and its view."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str
    ) -> Iterator[tuple[str, Callable[..., object]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    yield from walk(get_resolver().url_patterns, "")


_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def concrete_url(route: str, spec: Route, objects: Objects) -> str:
    if spec.path is not None:
        return spec.path(objects)
    args = spec.args(objects)
    url = "/" + _PARAMETER.sub(lambda m: str(args[m.group(1)]), route)
    assert "(" not in url and "^" not in url, f"{route}: a regex pattern needs path="
    return url


def make_objects() -> Objects:
    """The personas' world plus one object of every kind a URL or an admin page names."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from effektkedjor.services.reports import close_period
    from effektkedjor.tasks import make_pdf

    world = make_world()
    superuser = make_user("superuser", is_staff=True, is_superuser=True)
    staff = make_user("personal", is_staff=True)
    report = Lagesrapport.objects.create(
        rad=world.row, period=world.period, status="pagar", bedomning="enligt_plan"
    )
    order = PdfBestallning.objects.create(
        period=world.period, status=PdfBestallning.Status.KLAR, pdf=b"%PDF-1.7\n"
    )
    upload = Importfil.objects.create(
        malomrade=world.area,
        anvandare=world.users["owner"],
        filnamn="rader.csv",
        innehall=b"Aktivitet\nNy aktivitet\n",
    )
    close_period(period=world.closed_period)
    access = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "member"}
    result = make_pdf.enqueue(order.pk)
    from django_tasks_db.models import DBTaskResult

    indikator = Indikator.objects.create(malomrade=world.area, namn="Förvärvsarbetande")
    by_model: dict[str, Model] = {
        "dbtaskresult": DBTaskResult.objects.get(id=result.id),
        "accessattempt": AccessAttempt.objects.create(
            **access, get_data="", post_data="", failures_since_start=1
        ),
        "accesslog": AccessLog.objects.create(**access),
        "accessfailurelog": AccessFailureLog.objects.create(**access),
        "indikator": indikator,
        "indikatorvarde": Indikatorvarde.objects.create(indikator=indikator, ar=2024, varde=61),
        "hamtning": Hamtning.objects.create(vad="N15428 2024", antal_varden=1),
        "periodbild": Periodbild.objects.get(period=world.closed_period),
    }
    assert Program.objects.exists()
    return Objects(world, superuser, staff, report, order, upload, by_model)


def user_for(objects: Objects, who: str) -> User:
    if who == "superuser":
        return objects.superuser
    if who == "staff":
        return objects.staff
    return objects.world.users[who]
