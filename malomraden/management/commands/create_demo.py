"""Create the demo accounts (password "demo") with their roles, indicators with example
values for every long-term effect of the seed (`_demo_indicators.py`: marked as example
data, never Borås's real figures), and reporting periods for the current year (with their
last reporting days), on a demo or development database.

Refuses to run with DEBUG off unless --force is given, so that a production database
never gets accounts with a published password by mistake. Safe to run again.
"""

import datetime
import random
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from effektkedjor.models import Bedomning, Kedjerad, Lagesrapport, Rapportperiod, Status
from effektkedjor.services.reports import close_period
from malomraden.models import Organisation, Person
from malomraden.roles import ALL_PERMISSION

from ._demo_indicators import create_indicators

DEMO_PASSWORD = "demo"  # noqa: S105 - published on purpose, demo databases only

# username, first name, last name, what the account may do
DEMO_USERS: list[tuple[str, str, str, str]] = [
    (
        "stadsdirektor",
        "Demo",
        "Stadsdirektör",
        "stadsdirektören (gruppen Programledning): läser och ändrar allt",
    ),
    (
        "omradesansvarig",
        "Demo",
        "Områdesansvarig",
        "ansvarig för Förutsättningar för arbete: allt i det målområdet",
    ),
    (
        "tjansteperson",
        "Demo",
        "Tjänsteperson",
        "tjänsteperson på ALF: ändrar och rapporterar på ALF:s rader",
    ),
    ("namndledamot", "Demo", "Nämndledamot", "nämndledamot: läser allt, ändrar inget"),
    ("admin", "Demo", "Administratör", "administratör (superuser): allt, även /admin/"),
]


class Command(BaseCommand):
    help = (
        "Skapar demokontona (lösenord: demo) med roller, nyckeltal med exempeldata och "
        "årets rapportperioder. "
        "Bara för demo- och utvecklingsdatabaser."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är avstängt (till exempel i tester).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demokonton skapas bara när DEBUG är på (demodatabas). "
                "Använd --force om du verkligen vill."
            )
        users = {}
        for username, first, last, _role in DEMO_USERS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.invalid"
            user.is_staff = user.is_superuser = username == "admin"
            user.set_password(DEMO_PASSWORD)
            user.save()
            users[username] = user
        self._give_roles(users)
        # Before the periods are closed, so that their snapshots hold the indicators.
        indicators = create_indicators(today=timezone.localdate())
        created = self._create_periods()
        self._create_reports(users)
        # Periods that are over are closed the way the director closes them, so that
        # their reports are frozen snapshots.
        for period in created:
            if period.slut < timezone.localdate():
                close_period(period=period, reason="Stängd när demodata skapades")
        if indicators:
            self.stdout.write(
                f"{len(indicators)} nyckeltal med exempeldata (inte Borås verkliga siffror)."
            )
        self.stdout.write("Demokonton (lösenord: demo):")
        for username, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role}")

    def _give_roles(self, users: dict[str, User]) -> None:
        programledning, _ = Group.objects.get_or_create(name="Programledning")
        app, codename = ALL_PERMISSION.split(".")
        programledning.permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
        users["stadsdirektor"].groups.add(programledning)
        # The area owner stands in for the area's first responsible person in the seed.
        tina = Person.objects.filter(namn="Tina Arekvist Lundell").first()
        if tina is not None and tina.anvandare_id in (None, users["omradesansvarig"].pk):
            tina.anvandare = users["omradesansvarig"]
            tina.save()
        official, _ = Person.objects.get_or_create(
            anvandare=users["tjansteperson"], defaults={"namn": "Demo Tjänsteperson"}
        )
        alf = Organisation.objects.filter(kod="ALF").first()
        if alf is not None:
            official.organisationer.add(alf)

    def _create_periods(self) -> list[Rapportperiod]:
        if Rapportperiod.objects.exists():
            return []
        today = timezone.localdate()
        year = today.year
        # name, kind, last day, last reporting day (month, day)
        periods = [
            ("Tertial 1 {}", Rapportperiod.Typ.TERTIAL, (4, 30), (4, 20)),
            ("Delår {}", Rapportperiod.Typ.DELAR, (8, 31), (8, 20)),
            ("Helår {}", Rapportperiod.Typ.HELAR, (12, 31), (12, 10)),
        ]
        created = []
        current_found = False
        for name, kind, (month, day), (due_month, due_day) in periods:
            end = datetime.date(year, month, day)
            current = end >= today and not current_found
            current_found = current_found or current
            created.append(
                Rapportperiod.objects.create(
                    namn=name.format(year),
                    typ=kind,
                    start=datetime.date(year, 1, 1),
                    slut=end,
                    sista_rapportdag=datetime.date(year, due_month, due_day),
                    aktuell=current,
                )
            )
        return created

    def _create_reports(self, users: dict[str, User]) -> None:
        """Some status reports, so that the dashboard has something to show: most rows
        in the closed periods, about half in the current one. Deterministic."""
        if Lagesrapport.objects.exists():
            return
        rng = random.Random(2026)  # noqa: S311 - demo data, not security
        comments = [
            "Arbetet går enligt plan.",
            "Vi väntar på beslut i nämnden.",
            "Samverkan med berörda förvaltningar har kommit igång.",
            "Resursbrist under perioden; vi prioriterar om.",
            "",
        ]
        reports = []
        for period in Rapportperiod.objects.order_by("start", "slut"):
            share = 0.5 if period.aktuell else 0.85
            for row in Kedjerad.objects.order_by("pk"):
                if rng.random() > share:
                    continue
                status = rng.choices(
                    [Status.PAGAR, Status.KLAR, Status.EJ_PABORJAD, Status.PAUSAD],
                    weights=[6, 2, 2, 1],
                )[0]
                assessment = rng.choices(
                    [Bedomning.ENLIGT_PLAN, Bedomning.RISK, Bedomning.AVVIKELSE],
                    weights=[6, 2, 1],
                )[0]
                reports.append(
                    Lagesrapport(
                        rad=row,
                        period=period,
                        datum=min(period.slut, timezone.localdate()),
                        status=status,
                        bedomning=assessment,
                        # A risk or a deviation always says what (as the form requires).
                        kommentar=rng.choice(comments)
                        or ("" if assessment == Bedomning.ENLIGT_PLAN else comments[3]),
                        forfattare=users[
                            "tjansteperson" if rng.random() < 0.5 else "omradesansvarig"
                        ],
                    )
                )
        Lagesrapport.objects.bulk_create(reports)
