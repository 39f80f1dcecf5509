"""The dashboard's "Rör sig effekterna?" (issue 13): per area, how many indicators are on
track, off track and without data, each number a link to the indicators behind it."""

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from effektkedjor.models import Indikator
from malomraden.models import Malomrade
from tests.builders import make_indicator
from tests.personas import World, make_world

pytestmark = pytest.mark.django_db


def _indicators(w: World) -> dict[str, Indikator]:
    """In Arbete: two on track, one off track, one without data; in Boende: one off track."""

    def make(area: Malomrade, name: str, latest: float | None, **kwargs: Any) -> Indikator:
        values: dict[int, float | None] = {2020: 10.0, 2025: latest} if latest is not None else {}
        fields: dict[str, Any] = {
            "namn": name,
            "baslinje_ar": 2020,
            "baslinje_varde": Decimal(10),
            "mal_ar": 2030,
            "mal_varde": Decimal(20),
            **kwargs,
        }
        return make_indicator(area, values=values, **fields)

    return {
        "upp": make(w.area, "Sysselsatta (%)", 16),  # expected 15 in 2025
        "ner": make(
            w.area,
            "Arbetslösa (%)",
            4,
            riktning="lagre",
            mal_varde=Decimal(0),
        ),  # expected 5: lower is better, so on track
        "efter": make(w.area, "Behöriga (%)", 12),
        "tomt": make(w.area, "Språkscreening (%)", None),
        "boende": make(w.other_area, "Trångboddhet (%)", 11, kalla="kolada", kolada_kpi="N07907"),
    }


def _section(html: str) -> str:
    start = html.index('<section aria-labelledby="effekter-rubrik">')
    return html[start : html.index("</section>", start)]


def _cells(section: str, label: str) -> list[str]:
    """The numbers on the line of `label` (linked or plain), in column order."""
    line = re.search(rf"<tr><th scope=\"row\">(?:<a [^>]+>)?{label}</?.*?</tr>", section, re.S)
    assert line, label
    return re.findall(r"<td>(?:<a href=\"[^\"]+\">)?(\d+)", line.group(0))


def test_each_area_counts_its_indicators_by_status_with_links(client: Client) -> None:
    w = make_world()
    _indicators(w)
    client.force_login(w.users["member"])
    section = _section(client.get("/instrumentpanel/").content.decode())
    assert "Rör sig effekterna?" in section
    # Nyckeltal, I fas, Inte i fas, Inga uppgifter
    assert _cells(section, "Arbete") == ["4", "2", "1", "1"]
    assert _cells(section, "Boende") == ["1", "0", "1", "0"]
    assert _cells(section, "Hela programmet") == ["5", "2", "2", "1"]
    assert 'href="/instrumentpanel/nyckeltal/?omrade=arbete&amp;status=i_fas"' in section
    assert 'href="/instrumentpanel/nyckeltal/?omrade=arbete&amp;status=inga_uppgifter"' in section
    assert 'href="/instrumentpanel/nyckeltal/?status=inte_i_fas"' in section  # the total
    assert 'href="/omraden/arbete/#indikator-rubrik"' in section
    # A zero is not a link.
    assert 'omrade=boende&amp;status=i_fas"' not in section


def test_the_area_filter_keeps_one_area(client: Client) -> None:
    w = make_world()
    _indicators(w)
    client.force_login(w.users["member"])
    section = _section(client.get("/instrumentpanel/", {"omrade": "arbete"}).content.decode())
    assert _cells(section, "Arbete") == ["4", "2", "1", "1"]
    assert "Boende" not in section and "Hela programmet" not in section
    # htmx redraws the panel with the section in it.
    fragment = client.get("/instrumentpanel/", {"omrade": "boende"}, HTTP_HX_REQUEST="true")
    assert _cells(_section(fragment.content.decode()), "Boende") == ["1", "0", "1", "0"]


def test_a_number_leads_to_the_indicators_behind_it(client: Client) -> None:
    w = make_world()
    made = _indicators(w)
    client.force_login(w.users["member"])
    html = client.get("/instrumentpanel/nyckeltal/", {"omrade": "arbete", "status": "i_fas"})
    text = html.content.decode()
    assert "<h1>Nyckeltal: i fas</h1>" in text
    assert "2 nyckeltal." in text
    for key in ("upp", "ner"):
        assert f'href="/nyckeltal/{made[key].pk}/">{made[key].namn}</a>' in text
    for key in ("efter", "tomt", "boende"):
        assert made[key].namn not in text
    everything = client.get("/instrumentpanel/nyckeltal/").content.decode()
    assert "5 nyckeltal." in everything
    # Kolada's figures are cited as such.
    assert "Källa: Kolada" in everything
    without = client.get("/instrumentpanel/nyckeltal/", {"status": "inga_uppgifter"})
    assert made["tomt"].namn in without.content.decode()
    assert "Inga värden ännu." in without.content.decode()


def test_unknown_status_or_area_is_not_found_and_anonymous_signs_in(client: Client) -> None:
    w = make_world()
    url = "/instrumentpanel/nyckeltal/"
    assert client.get(url)["Location"].startswith("/konto/logga-in/")
    client.force_login(w.users["member"])
    assert client.get(url, {"status": "<script>"}).status_code == 404
    assert client.get(url, {"omrade": "finns-inte"}).status_code == 404
