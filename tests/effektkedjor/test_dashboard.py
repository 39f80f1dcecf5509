"""The city director's dashboard: the right numbers, filters in the URL, every number a
link to its rows, htmx and full page, and a fixed number of queries at any size."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from effektkedjor import dashboard
from effektkedjor.models import Kedjerad, Lagesrapport, Rapportperiod
from tests.builders import make_area, make_indicator, make_org, make_row, make_user
from tests.personas import World, make_world

pytestmark = pytest.mark.django_db
URL = "/instrumentpanel/"


def _report(
    row: Kedjerad, period: Rapportperiod, status: str, bedomning: str, day: int = 1, text: str = ""
) -> None:
    Lagesrapport.objects.create(
        rad=row,
        period=period,
        datum=period.start + datetime.timedelta(days=day),
        status=status,
        bedomning=bedomning,
        kommentar=text,
    )


def _world_with_reports() -> World:
    w = make_world()
    # The row: "klar/enligt plan" (one report per row and period, corrected in place).
    _report(w.row, w.period, "klar", "enligt_plan", day=30)
    # The other row: reported only in the closed period; late since last year.
    _report(w.other_row, w.closed_period, "pagar", "avvikelse", text="Försenat av upphandling")
    w.other_row.slut = datetime.date(datetime.date.today().year - 1, 6, 1)
    w.other_row.save()
    return w


def _numbers(html: str) -> dict[str, str]:
    """Row label → number in the tables of the page (links or plain)."""
    found: dict[str, str] = {}
    for label, number in re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>\s*(?:<a href="[^"]+">)?(\d+)', html
    ):
        found.setdefault(label, number)
    return found


def test_counts_use_each_rows_report_in_the_period(client: Client) -> None:
    w = _world_with_reports()
    client.force_login(w.users["member"])
    html = client.get(URL).content.decode()
    numbers = _numbers(html)
    assert numbers["Klar"] == "1" and numbers["Pågår"] == "0"
    assert numbers["Ingen rapport"] == "1"
    assert numbers["Enligt plan"] == "1" and numbers["Risk för avvikelse"] == "0"
    assert "SKA – Stadsledningskansliet" in html  # who has not reported
    assert "1 försenade" in re.sub(r"<[^>]+>", "", html)
    assert "Översyn av styrande dokument" in html  # the late row is listed


def test_a_row_finished_in_an_earlier_period_counts_as_finished_not_unreported(
    client: Client,
) -> None:
    w = make_world()
    _report(w.other_row, w.closed_period, "avbruten", "avvikelse", text="Ingen upphandlare")
    client.force_login(w.users["director"])
    numbers = _numbers(client.get(URL).content.decode())
    assert numbers["Avbruten"] == "1"
    assert numbers["Ingen rapport"] == "1"  # only the row, not the finished other_row
    # Who has not reported: ALF (the row), not SKA, whose only row is finished.
    assert numbers["ALF – Arbetslivsförvaltningen"] == "1"
    assert "SKA – Stadsledningskansliet" not in numbers
    listing = client.get("/instrumentpanel/rader/", {"status": "avbruten"}).content.decode()
    assert f"Avbruten sedan {w.closed_period.namn}" in listing
    assert "Översyn av styrande dokument" in listing
    # In the period it was finished in, it is simply Avbruten.
    older = _numbers(client.get(URL, {"period": w.closed_period.pk}).content.decode())
    assert older["Avbruten"] == "1" and older["Ingen rapport"] == "1"


def test_an_older_period_shows_its_own_state(client: Client) -> None:
    w = _world_with_reports()
    client.force_login(w.users["director"])
    html = client.get(URL, {"period": w.closed_period.pk}).content.decode()
    numbers = _numbers(html)
    assert numbers["Pågår"] == "1" and numbers["Avvikelse"] == "1"
    assert "Försenat av upphandling" in html  # the at-risk list shows the comment


def test_filters_narrow_the_rows_and_invalid_values_are_ignored(client: Client) -> None:
    w = _world_with_reports()
    client.force_login(w.users["director"])
    html = client.get(URL, {"organisation": "alf"}).content.decode()
    assert _numbers(html)["Klar"] == "1" and _numbers(html)["Ingen rapport"] == "0"
    html = client.get(URL, {"status": "ingen"}).content.decode()
    assert _numbers(html)["Ingen rapport"] == "1" and _numbers(html)["Klar"] == "0"
    html = client.get(URL, {"omrade": "boende"}).content.decode()
    assert "0 rader" in re.sub(r"<[^>]+>", "", html)
    bad = client.get(URL, {"status": "påhittad", "omrade": "finns-inte"})
    assert bad.status_code == 200
    assert "Välj ett giltigt alternativ" in bad.content.decode()
    assert _numbers(bad.content.decode())["Klar"] == "1"  # the bad filters are ignored


def test_every_number_links_to_exactly_its_rows(client: Client) -> None:
    w = _world_with_reports()
    client.force_login(w.users["member"])
    html = client.get(URL).content.decode()
    links = re.findall(r'<a href="(/instrumentpanel/rader/\?[^"]+)">(\d+)</a>', html)
    assert len(links) >= 8
    for href, number in links:
        listing = client.get(href.replace("&amp;", "&")).content.decode()
        assert f"<p>{number} rad" in listing, href


def test_htmx_gets_the_panel_and_a_clean_url(client: Client) -> None:
    w = _world_with_reports()
    client.force_login(w.users["director"])
    response = client.get(
        URL,
        {"period": str(w.period.pk), "omrade": "arbete", "status": ""},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="panel"')
    assert "<html" not in body
    assert response["HX-Push-Url"] == f"{URL}?period={w.period.pk}&omrade=arbete"
    assert "HX-Request" in response["Vary"]
    restore = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_charts_are_svg_with_a_text_alternative(client: Client) -> None:
    w = _world_with_reports()
    client.force_login(w.users["member"])
    html = client.get(URL).content.decode()
    assert html.count('<svg class="diagram"') == 3
    assert (
        'role="img"' in html and '<title id="diagram-status-titel">Rader per status</title>' in html
    )
    assert "Klar: 1" in html  # the description names every number
    assert "<caption>Rader per status</caption>" in html


def test_rows_list_paginates(client: Client) -> None:
    area = make_area()
    for _ in range(dashboard.LIST_LENGTH + 60):
        make_row(area)
    Rapportperiod.objects.create(
        namn="Helår",
        typ="helar",
        start=datetime.date(2026, 1, 1),
        slut=datetime.date(2026, 12, 31),
        aktuell=True,
    )
    client.force_login(make_user())
    first = client.get("/instrumentpanel/rader/").content.decode()
    assert "70 rader" in first and "sida 1 av 2" in first
    assert "Nästa sida" in first
    second = client.get("/instrumentpanel/rader/", {"sida": 2}).content.decode()
    assert "Föregående sida" in second


def _build(n_areas: int, rows_per_area: int) -> None:
    period = Rapportperiod.objects.create(
        namn=f"P{n_areas}",
        typ="helar",
        start=datetime.date(2026, 1, 1),
        slut=datetime.date(2026, 12, 31),
    )
    Rapportperiod.objects.update(aktuell=False)
    Rapportperiod.objects.filter(pk=period.pk).update(aktuell=True)
    orgs = [make_org() for _ in range(3)]
    for a in range(n_areas):
        area = make_area()
        # Indicators on track, off track and without data ("Rör sig effekterna?").
        for target in (Decimal(10), Decimal(20), None):
            make_indicator(
                area,
                baslinje_ar=2020,
                baslinje_varde=Decimal(10),
                mal_ar=2030,
                mal_varde=target,
                values={2020 + y: 10 + y for y in range(a % 4 + 2)},
            )
        for i in range(rows_per_area):
            row = make_row(area, orgs=orgs[: 1 + i % 3], slut=datetime.date(2025, 1 + i % 12, 1))
            if i % 3:
                _report(
                    row,
                    period,
                    ["pagar", "klar", "ej_paborjad"][i % 3],
                    ["risk", "enligt_plan", "avvikelse"][a % 3],
                )


@pytest.mark.parametrize(
    "url",
    [
        URL,
        "/instrumentpanel/rader/?status=ingen",
        "/mina-rader/",
        "/instrumentpanel/nyckeltal/?status=inte_i_fas",
    ],
)
def test_query_count_does_not_grow_with_the_data(client: Client, url: str) -> None:
    user = make_user()
    client.force_login(user)
    counts = []
    for size in [(2, 5), (6, 30)]:
        _build(*size)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_scale_data_is_deterministic(capsys: Any) -> None:
    call_command(
        "generate_scale_data", areas=2, rows=5, periods=3, users=12, organisations=13, seed=7
    )
    first = list(Kedjerad.objects.order_by("pk").values_list("aktivitet", flat=True))
    assert len(first) == 10
    assert Lagesrapport.objects.count() > 20
    assert Rapportperiod.objects.filter(aktuell=True).count() == 1
    assert "Skaldata:" in capsys.readouterr().out
    with pytest.raises(Exception, match="tom databas"):
        call_command("generate_scale_data", areas=1, rows=1)
