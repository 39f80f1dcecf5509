"""Generate a large, realistic programme in an empty database, for benchmarks.

By default 40 areas × 60 rows (2,400 rows), 30 reporting periods (ten years of tertial,
delår and helår) with a report for about 97 % of the rows in each (about 70,000
reports), and 300 users spread over 30 organisations. The same --seed gives the same
data. Users get the password given with --password (default "skala"); the benchmark signs
in as `skala-direktor` (Programledning) and `skala-tj-001` (an official).
"""

import datetime
import random
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from effektkedjor.models import (
    Bedomning,
    Effektbidrag,
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    Radansvar,
    Rapportperiod,
    Status,
)
from malomraden.models import (
    Malomrade,
    Omradesansvarig,
    Omradestext,
    Organisation,
    Person,
    Program,
    Tema,
    VagledandePrincip,
)

SEED_CODES = [
    "SKA",
    "ALF",
    "GVUF",
    "FOF",
    "SBF",
    "TEK",
    "FF",
    "GRUF",
    "KUF",
    "AB Bostäder",
    "AF",
    "Polisen",
]
VERBS = [
    "Utveckla",
    "Kartlägga",
    "Samordna",
    "Införa",
    "Utreda",
    "Stärka",
    "Pilottesta",
    "Följa upp",
]
THINGS = [
    "samverkan kring barn och unga",
    "uppsökande verksamhet",
    "stöd till arbetsgivare",
    "föräldraskapsstöd",
    "språkutveckling i förskolan",
    "trygghetsvandringar",
    "medborgardialoger",
    "fritidsaktiviteter på lov",
    "handledarskap på arbetsplatser",
    "kompensatoriska insatser",
]
COMMENTS = [
    "Arbetet går enligt plan.",
    "Vi väntar på beslut i nämnden.",
    "Samverkan med berörda förvaltningar har kommit igång.",
    "Resursbrist under perioden; vi prioriterar om.",
    "Aktiviteten är genomförd och utvärderas.",
    "",
]
BATCH = 5000


class Command(BaseCommand):
    help = "Skapar ett stort, realistiskt program i en tom databas (för prestandamätning)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--areas", type=int, default=40)
        parser.add_argument("--rows", type=int, default=60, help="rader per målområde")
        parser.add_argument("--periods", type=int, default=30)
        parser.add_argument("--users", type=int, default=300)
        parser.add_argument("--organisations", type=int, default=30)
        parser.add_argument("--report-share", type=float, default=0.97)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default="skala")

    @transaction.atomic
    def handle(self, *args: Any, **o: Any) -> None:
        if Program.objects.exists():
            raise CommandError(
                "Databasen innehåller redan ett program; skaldata skapas bara i en tom databas."
            )
        started = time.monotonic()
        rng = random.Random(o["seed"])  # noqa: S311 - test data, not security
        program = Program.objects.create(
            namn="Social hållbarhet (skaldata)", vision="Jämlika livsvillkor och en god hälsa"
        )
        Tema.objects.bulk_create(
            Tema(program=program, fran=f, till=t, ordning=i)
            for i, (f, t) in enumerate(
                [("Utanförskap", "Gemenskap"), ("Oro", "Trygghet"), ("Misstro", "Tillit")]
            )
        )
        VagledandePrincip.objects.bulk_create(
            VagledandePrincip(program=program, text=f"Vägledande förutsättning {i}", ordning=i)
            for i in range(5)
        )
        codes = SEED_CODES + [f"FÖRV{i:02d}" for i in range(len(SEED_CODES), o["organisations"])]
        orgs = Organisation.objects.bulk_create(
            Organisation(kod=code, slug=f"org-{i:02d}", namn=f"Organisation {code}")
            for i, code in enumerate(codes)
        )

        areas = Malomrade.objects.bulk_create(
            Malomrade(
                program=program,
                namn=f"Målområde {i + 1:02d}",
                kortnamn=f"Område {i + 1:02d}",
                slug=f"omrade-{i + 1:02d}",
                rubrik=f"Rubrik för målområde {i + 1}",
                ordning=i + 1,
            )
            for i in range(o["areas"])
        )
        Omradestext.objects.bulk_create(
            Omradestext(
                malomrade=a, typ=typ, text=f"{typ.capitalize()} {j + 1} för {a.kortnamn}", ordning=j
            )
            for a in areas
            for typ in ("atagande", "reflektion")
            for j in range(3)
        )
        effects = LangsiktigEffekt.objects.bulk_create(
            LangsiktigEffekt(
                malomrade=a, text=f"I Borås ska effekt {j + 1} i {a.kortnamn} nås", ordning=j + 1
            )
            for a in areas
            for j in range(4)
        )
        effects_by_area: dict[int, list[LangsiktigEffekt]] = {}
        for e in effects:
            effects_by_area.setdefault(e.malomrade_id, []).append(e)

        today = datetime.date.today()
        rows = []
        for a in areas:
            for j in range(o["rows"]):
                start = datetime.date(today.year - rng.randint(0, 3), rng.randint(1, 12), 1)
                end_year = start.year + rng.randint(0, 3)
                slut = max(start, datetime.date(end_year, rng.randint(1, 12), 1))
                rows.append(
                    Kedjerad(
                        malomrade=a,
                        kortsiktig_effekt=f"Kortsiktig effekt {j + 1}",
                        prestation=f"Prestation {j + 1} i {a.kortnamn}",
                        aktivitet=(
                            f"{rng.choice(VERBS)} {rng.choice(THINGS)} ({a.kortnamn}, rad {j + 1})"
                        ),
                        start=start if rng.random() < 0.8 else None,
                        slut=slut if rng.random() < 0.8 else None,
                        resurser_belopp=rng.choice([None, 50000, 120000, 400000]),
                        samverkansniva=rng.choice([None, 1, 2, 3, 4, 5]),
                        ordning=j + 1,
                    )
                )
        rows = Kedjerad.objects.bulk_create(rows, batch_size=BATCH)
        Radansvar.objects.bulk_create(
            (
                Radansvar(rad=r, organisation=org, ordning=k)
                for r in rows
                for k, org in enumerate(rng.sample(orgs, rng.randint(1, 3)))
            ),
            batch_size=BATCH,
        )
        Effektbidrag.objects.bulk_create(
            (
                Effektbidrag(rad=r, effekt=e)
                for r in rows
                for e in rng.sample(effects_by_area[r.malomrade_id], rng.randint(0, 2))
            ),
            batch_size=BATCH,
        )

        periods = self._periods(o["periods"], today)
        users = self._users(o, rng, orgs, areas)
        reports = []
        for period in periods:
            days = max((min(period.slut, today) - period.start).days, 0)
            for r in rows:
                if rng.random() > o["report_share"]:
                    continue
                reports.append(
                    Lagesrapport(
                        rad=r,
                        period=period,
                        datum=period.start + datetime.timedelta(days=rng.randint(0, days)),
                        status=rng.choices(Status.values, weights=[2, 6, 3, 1, 1])[0],
                        bedomning=rng.choices(Bedomning.values, weights=[7, 2, 1])[0],
                        kommentar=rng.choice(COMMENTS),
                        forfattare=rng.choice(users),
                    )
                )
        Lagesrapport.objects.bulk_create(reports, batch_size=BATCH)
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load, as autovacuum would give a while later;
            # without them the planner guesses badly on the dashboard's joins.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Skaldata: {len(areas)} målområden, {len(rows)} rader, {len(periods)} perioder, "
            f"{len(reports)} lägesrapporter, {len(users)} användare på "
            f"{time.monotonic() - started:.1f} s."
        )

    def _periods(self, count: int, today: datetime.date) -> list[Rapportperiod]:
        kinds = [
            ("Tertial 1", "tertial", 4, 30),
            ("Delår", "delar", 8, 31),
            ("Helår", "helar", 12, 31),
        ]
        first_year = today.year - (count - 1) // len(kinds)
        periods = []
        for i in range(count):
            name, kind, month, day = kinds[i % len(kinds)]
            year = first_year + i // len(kinds)
            end = datetime.date(year, month, day)
            periods.append(
                Rapportperiod(
                    namn=f"{name} {year}",
                    typ=kind,
                    start=datetime.date(year, 1, 1),
                    slut=end,
                    stangd=end < today,
                )
            )
        current = next((p for p in periods if not p.stangd), periods[-1])
        current.aktuell = True
        return Rapportperiod.objects.bulk_create(periods)

    def _users(
        self,
        o: dict[str, Any],
        rng: random.Random,
        orgs: list[Organisation],
        areas: list[Malomrade],
    ) -> list[User]:
        password = make_password(o["password"])  # hashed once: the same for every user
        users = User.objects.bulk_create(
            [
                User(
                    username="skala-direktor",
                    first_name="Skala",
                    last_name="Direktör",
                    password=password,
                )
            ]
            + [
                User(
                    username=f"skala-tj-{i:03d}",
                    first_name="Skala",
                    last_name=f"Tjänsteperson {i}",
                    password=password,
                )
                for i in range(1, o["users"])
            ]
        )
        group, _ = Group.objects.get_or_create(name="Programledning")
        group.permissions.add(Permission.objects.get(codename="redigera_allt"))
        users[0].groups.add(group)
        persons = Person.objects.bulk_create(
            Person(namn=u.get_full_name(), anvandare=u) for u in users[1:]
        )
        Person.organisationer.through.objects.bulk_create(
            Person.organisationer.through(person_id=p.pk, organisation_id=orgs[i % len(orgs)].pk)
            for i, p in enumerate(persons)
        )
        # Two officials per area are also its responsible people, from the back of the list.
        owners = persons[-2 * len(areas) :]
        Omradesansvarig.objects.bulk_create(
            Omradesansvarig(malomrade=areas[i // 2], person=p, ordning=i % 2)
            for i, p in enumerate(owners)
        )
        return users
