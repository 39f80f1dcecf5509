"""A small programme with one person in each role, built in code for the view tests.

- director: in the group Programledning (permission malomraden.redigera_allt);
- owner: responsible for the area (Omradesansvarig);
- official: works at ALF, which answers for `row` (not for `other_row`);
- other_official: works at TEK, which answers for nothing here;
- member: a committee member, no roles.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User

from effektkedjor.models import Kedjerad, LangsiktigEffekt, Rapportperiod
from malomraden.models import Malomrade, Omradesansvarig, Omradestext, Organisation, Person
from tests.builders import make_area, make_effect, make_org, make_row, make_user

ROLES = ["director", "owner", "official", "other_official", "member"]


@dataclass
class World:
    area: Malomrade
    other_area: Malomrade
    effect: LangsiktigEffekt
    row: Kedjerad
    other_row: Kedjerad
    alf: Organisation
    ska: Organisation
    period: Rapportperiod
    closed_period: Rapportperiod
    text: Omradestext
    users: dict[str, User]


def make_world() -> World:
    area = make_area(namn="Förutsättningar för arbete", kortnamn="Arbete", slug="arbete")
    other_area = make_area(program=area.program, namn="Boende", kortnamn="Boende", slug="boende")
    alf = make_org(kod="ALF", slug="alf", namn="Arbetslivsförvaltningen")
    ska = make_org(kod="SKA", slug="ska", namn="Stadsledningskansliet")
    tek = make_org(kod="TEK", slug="tek", namn="Tekniska förvaltningen")
    effect = make_effect(area, text="I Borås ska alla ha utbildning på gymnasienivå")
    row = make_row(area, orgs=[alf], effects=[effect], aktivitet="Uppsökande verksamhet")
    other_row = make_row(area, orgs=[ska], aktivitet="Översyn av styrande dokument")
    text = Omradestext.objects.create(malomrade=area, typ="atagande", text="Vi ska verka")
    year = datetime.date.today().year
    closed_period = Rapportperiod.objects.create(
        namn=f"Tertial 1 {year}",
        typ="tertial",
        start=datetime.date(year, 1, 1),
        slut=datetime.date(year, 4, 30),
        stangd=True,
    )
    period = Rapportperiod.objects.create(
        namn=f"Helår {year}",
        typ="helar",
        start=datetime.date(year, 1, 1),
        slut=datetime.date(year, 12, 31),
        aktuell=True,
    )

    users = {name: make_user(name, first_name=name.capitalize()) for name in ROLES}
    group, _ = Group.objects.get_or_create(name="Programledning")
    group.permissions.add(Permission.objects.get(codename="redigera_allt"))
    users["director"].groups.add(group)
    owner = Person.objects.create(namn="Tina Områdesansvarig", anvandare=users["owner"])
    Omradesansvarig.objects.create(malomrade=area, person=owner)
    Person.objects.create(
        namn="Olle Tjänsteperson", anvandare=users["official"]
    ).organisationer.add(alf)
    Person.objects.create(namn="Tea Teknik", anvandare=users["other_official"]).organisationer.add(
        tek
    )
    return World(
        area=area,
        other_area=other_area,
        effect=effect,
        row=row,
        other_row=other_row,
        alf=alf,
        ska=ska,
        period=period,
        closed_period=closed_period,
        text=text,
        users=users,
    )


def row_post_data(row: Kedjerad, **changes: object) -> dict[str, object]:
    """What the edit form posts for `row` unchanged, with `changes` applied."""
    data: dict[str, object] = {
        "kortsiktig_effekt": row.kortsiktig_effekt,
        "prestation": row.prestation,
        "aktivitet": row.aktivitet,
        "ansvar_kommentar": row.ansvar_kommentar,
        "start": row.start.strftime("%Y-%m") if row.start else "",
        "slut": row.slut.strftime("%Y-%m") if row.slut else "",
        "tid_kommentar": row.tid_kommentar,
        "resurser": row.resurser,
        "resurser_belopp": "" if row.resurser_belopp is None else row.resurser_belopp,
        "samverkansniva": row.samverkansniva or "",
        "organisationer": [o.pk for o in row.ansvariga_organisationer.all()],
        "effekter": [e.pk for e in row.langsiktiga_effekter.all()],
        "version": row.version,
    }
    data.update(changes)
    return data
