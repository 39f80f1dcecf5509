"""Hostile text in every field a user can write and the app shows: it stays text on every
page and fragment the director and an official reach, in the dashboard's SVG, in the PDF,
and in the spreadsheet exports (where formulas are neutralised)."""

import csv
import io
import subprocess
import xml.etree.ElementTree as ET
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from effektkedjor import charts
from effektkedjor.dashboard import Count_
from effektkedjor.models import Kedjerad, Lagesrapport
from effektkedjor.services.reports import close_period
from effektkedjor.spreadsheets.exporting import FORMULA_STARTS
from malomraden.models import Person
from tests.conftest import have_command, require_tool
from tests.personas import World, make_world, row_post_data

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
# Fits the shortest field it goes into (100 characters).
HOSTILE = f'{SCRIPT} <b>fet</b> <img src=x onerror=alert(1)> " onmouseover="alert(1)'
LONG = HOSTILE + " ' onmouseover='alert(1)"
HYPERLINK = '=HYPERLINK("http://evil.example","klick")'
FORMULAS = [HYPERLINK, "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]

ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
# What must never reach a page unescaped.
RAW = ["<script>alert", "<img src=x", "<b>fet</b>", 'onmouseover="alert', "onmouseover='alert"]
SKIP = ("/konto/logga-ut/", "/admin/", "/static/", "/export/")


def _hostile_world(client: Client) -> World:
    """The personas' programme with hostile text everywhere, written the way users write
    it (forms, so the history has it and its author) where a form exists."""
    w = make_world()
    director, official = w.users["director"], w.users["official"]
    User.objects.filter(pk=director.pk).update(
        first_name=SCRIPT, last_name='<img src=x onerror=alert(1)>" onmouseover="alert(1)'
    )
    User.objects.filter(pk=official.pk).update(first_name=HYPERLINK, last_name=HOSTILE)
    w.area.namn, w.area.kortnamn, w.area.rubrik = f"Arbete {HOSTILE}", HOSTILE, f"+1+1 {HOSTILE}"
    w.area.save()
    w.text.text = f"@SUM(A1) {LONG}"
    w.text.save()
    w.effect.text = f"{HYPERLINK} {LONG}"
    w.effect.save()
    for org, name in ((w.alf, f"=1+1 {HOSTILE}"), (w.ska, HOSTILE)):
        org.namn = name
        org.save()
    Person.objects.filter(anvandare__in=[w.users["owner"], official]).update(namn=HOSTILE)
    w.period.namn = HOSTILE
    w.period.save()
    w.closed_period.namn = f"T1 {HOSTILE}"
    w.closed_period.save()

    client.force_login(director)
    edit = row_post_data(
        w.row,
        aktivitet=f"{HYPERLINK} {LONG}",
        prestation=f"+1+1 {LONG}",
        kortsiktig_effekt=f"-1+1 {LONG}",
        ansvar_kommentar=f"@SUM(A1) {LONG}",
        tid_kommentar=f"@SUM(A1) {HOSTILE}",
        resurser=f"=1+1 {LONG}",
    )
    response = client.post(reverse("effektkedjor:rad_andra", args=[w.row.pk]), edit)
    assert response.status_code == 302
    client.force_login(official)
    report = {
        "period": w.period.pk,
        "datum": "2026-11-20",
        "status": "pagar",
        "bedomning": "risk",
        "kommentar": f"-1+1 {LONG}",
    }
    response = client.post(reverse("effektkedjor:rapportera", args=[w.row.pk]), report)
    assert response.status_code == 302
    # Leading tabs and carriage returns never survive a form (it strips them); a file
    # import or the admin can still store them.
    Kedjerad.objects.filter(pk=w.other_row.pk).update(
        aktivitet=f"\t=1+1 {HOSTILE}", prestation=f"\r=1+1 {HOSTILE}"
    )
    Lagesrapport.objects.create(
        rad=w.other_row,
        period=w.period,
        status="klar",
        bedomning="avvikelse",
        kommentar=f"\t@SUM(A1) {HOSTILE}",
        forfattare=official,
    )
    # The closed period's report is rendered from its frozen snapshot.
    Lagesrapport.objects.create(
        rad=w.row, period=w.closed_period, status="pagar", bedomning="risk", kommentar=LONG
    )
    close_period(period=w.closed_period)
    return w


class _Page(HTMLParser):
    """Links, htmx GETs, and whatever an injection would have produced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.fragments: list[str] = []
        self.handlers: list[str] = []
        self.in_script = False
        self.script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name == "href" and tag == "a" and value:
                self.links.append(value)
            if name == "hx-get" and value:
                self.fragments.append(value)
        if tag == "img" and dict(attrs).get("src") == "x":
            self.handlers.append("<img src=x>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.script_text.append(data)


def _local(url: str, page_url: str) -> str | None:
    """The path and query of a link on this site worth visiting, else None."""
    parts = urlsplit(urldefrag(urljoin("http://testserver" + page_url, url))[0])
    if parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIP) or parts.path.endswith("/pdf/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(client: Client, starts: list[str]) -> dict[tuple[str, bool], str]:
    """Every page and htmx fragment reachable from `starts` by GET: (url, htmx) → HTML."""
    seen: dict[tuple[str, bool], str] = {}
    queue = deque((url, False) for url in starts)
    while queue:
        url, htmx = queue.popleft()
        if (url, htmx) in seen:
            continue
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code in {200, 302, 403}, (url, htmx, response.status_code)
        if response.status_code == 302:
            target = _local(response["Location"], url)
            if target:
                queue.append((target, False))
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        seen[(url, htmx)] = html
        page = _Page()
        page.feed(html)
        for link in page.links:
            target = _local(link, url)
            if target:
                queue.append((target, False))
        for fragment in page.fragments:
            target = _local(fragment, url)
            if target:
                queue.append((target, True))
        assert len(seen) < 1000, "the crawl does not end"
    return seen


@pytest.mark.parametrize("role", ["director", "official"])
def test_every_page_and_fragment_shows_hostile_text_as_text(client: Client, role: str) -> None:
    w = _hostile_world(client)
    client.force_login(w.users[role])
    pages = _crawl(client, ["/", "/mina-rader/", "/instrumentpanel/", "/rapporter/"])
    broken = []
    for (url, htmx), html in pages.items():
        where = f"{url} ({'htmx' if htmx else 'sida'})"
        broken += [f"{where}: {raw!r} unescaped" for raw in RAW if raw in html]
        parsed = _Page()
        parsed.feed(html)
        broken += [f"{where}: {h}" for h in parsed.handlers]
        broken += [f"{where}: script {s!r}" for s in parsed.script_text if "alert" in s]
    assert not broken, "\n".join(broken)

    showing = {url for (url, _htmx), html in pages.items() if ESCAPED_SCRIPT in html}
    row, area = f"/rader/{w.row.pk}/", "/omraden/arbete/"
    expected = {
        "/",
        area,
        row,
        "/instrumentpanel/",
        "/organisationer/",
        f"/organisationer/{w.alf.slug}/",
        f"/rapporter/{w.period.pk}/",
        f"/rapporter/{w.closed_period.pk}/",
        f"/rapporter/{w.period.pk}/arbete/",
        f"/rader/{w.row.pk}/andra/",
        f"/rader/{w.row.pk}/rapportera/",
    }
    assert expected <= showing, expected - showing
    # htmx fragments were fetched as fragments and show the text escaped as well.
    fragments = {url for (url, htmx), html in pages.items() if htmx and ESCAPED_SCRIPT in html}
    assert f"/rader/{w.row.pk}/andra/" in fragments
    assert f"{row}?del=rad" in fragments and f"{row}?del=lage" in fragments
    # The row page's history names the director, hostile name and all, as the author.
    history = pages[(row, False)]
    assert ESCAPED_SCRIPT + " &lt;img src=x onerror=alert(1)&gt;" in history
    if role == "director":
        assert f"/rader/{w.row.pk}/ta-bort/" in fragments
        assert f"/effekter/{w.effect.pk}/andra/" in fragments
        assert "/omraden/arbete/andra/" in showing


def test_the_import_preview_shows_file_content_as_text(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    content = (
        f"Långsiktiga effekter,Kortsiktiga effekter,Prestation,Aktivitet,Ansvar,Tid,Resurser,{SCRIPT}\n"
        f'Målområdet som helhet,"{HOSTILE.replace(chr(34), 2 * chr(34))}",,Ny {SCRIPT},ALF,,,x\n'
        f'"{HOSTILE.replace(chr(34), 2 * chr(34))}",,,Rad {SCRIPT},"<img src=x onerror=alert(1)>",,,y\n'
    ).encode()
    response = client.post(
        reverse("effektkedjor:import", args=["arbete"]),
        {"fil": SimpleUploadedFile("kedja.csv", content)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ny " + ESCAPED_SCRIPT in html  # the new line's activity
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the unknown office "code"
    assert [raw for raw in RAW if raw in html] == []
    parsed = _Page()
    parsed.feed(html)
    assert parsed.handlers == []
    assert not [s for s in parsed.script_text if "alert" in s]


def test_the_svg_charts_escape_their_text() -> None:
    svg = charts.bar_chart(
        chart_id="diagram-test",
        title=f"Rader i {HOSTILE}",
        items=[Count_("a", HOSTILE, 3, ""), Count_("b", f"{SCRIPT}&", 1, "")],
        kind="status",
    )
    assert [raw for raw in RAW if raw in svg] == []
    # Well-formed XML: nothing broke out of an attribute. (Our own output, not untrusted.)
    root = ET.fromstring(svg)  # noqa: S314
    for element in root.iter():
        assert not [name for name in element.attrib if name.startswith("on")], element.attrib
    texts = ["".join(element.itertext()) for element in root.iter()]
    assert HOSTILE in texts and f"{SCRIPT}&" in texts
    assert f"Rader i {HOSTILE}" in texts


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    require_tool(have_command("pdftotext"), "pdftotext (apt-get install poppler-utils)")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_the_pdf_holds_hostile_text_as_text(client: Client, tmp_path: Path) -> None:
    w = _hostile_world(client)
    client.force_login(w.users["member"])
    for url in [
        reverse("effektkedjor:rapport_pdf", args=[w.period.pk]),
        reverse("effektkedjor:rapport_omrade_pdf", args=[w.period.pk, "arbete"]),
        reverse("effektkedjor:rapport_pdf", args=[w.closed_period.pk]),
    ]:
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf", url
        text = _pdf_text(response.content, tmp_path)
        # A table cell may wrap the text anywhere; the characters stay, in order.
        joined = "".join(text.split())
        assert SCRIPT in joined and "<b>fet</b>" in joined and "<imgsrc=xonerror" in joined, url
        assert "&lt;" not in text and "&quot;" not in text, url  # not escaped twice


def _xlsx_cells(content: bytes) -> list[openpyxl.cell.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [field for row in csv.reader(io.StringIO(text[1:], newline="")) for field in row]


def test_exports_neutralise_formulas_and_keep_html_as_plain_text(client: Client) -> None:
    w = _hostile_world(client)
    client.force_login(w.users["member"])
    urls = [
        f"/export/rader.{{fmt}}?omrade=arbete&period={w.period.pk}",
        "/export/rader.{fmt}",
        f"/export/lagesrapporter/{w.period.pk}.{{fmt}}",
    ]
    values: list[str] = []
    for url in urls:
        cells = _xlsx_cells(client.get(url.format(fmt="xlsx")).content)
        assert not [c.coordinate for c in cells if c.data_type == "f"], url
        values += [str(c.value) for c in cells]
        values += _csv_cells(client.get(url.format(fmt="csv")).content)
    dangerous = [v for v in values if v.startswith(FORMULA_STARTS)]
    assert dangerous == []
    for formula in FORMULAS:
        assert [v for v in values if v.startswith("'" + formula)], formula
    # HTML is plain text in a spreadsheet: written as typed, never escaped.
    assert "'" + Kedjerad.objects.get(pk=w.row.pk).aktivitet in values
    assert any(SCRIPT in v for v in values)
    assert not [v for v in values if "&lt;" in v or "&quot;" in v]
    # The author's hostile name in the status report export.
    assert f"'{HYPERLINK} {HOSTILE}" in values


def test_the_admin_shows_hostile_text_as_text(client: Client) -> None:
    """The admin's lists, forms and histories (django-simple-history's diffs included)."""
    w = _hostile_world(client)
    client.force_login(User.objects.create_superuser("superuser", password="pw"))
    objects = {
        "effektkedjor/kedjerad": w.row,
        "effektkedjor/langsiktigeffekt": w.effect,
        "effektkedjor/lagesrapport": Lagesrapport.objects.filter(rad=w.row).first(),
        "effektkedjor/rapportperiod": w.period,
        "malomraden/malomrade": w.area,
        "malomraden/omradestext": w.text,
        "malomraden/organisation": w.alf,
        "malomraden/person": Person.objects.get(anvandare=w.users["official"]),
        "auth/user": w.users["director"],
    }
    broken = []
    for model, obj in objects.items():
        assert obj is not None
        for url in [
            f"/admin/{model}/",
            f"/admin/{model}/{obj.pk}/change/",
            f"/admin/{model}/{obj.pk}/history/",
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            broken += [f"{url}: {raw!r} unescaped" for raw in RAW if raw in html]
            parsed = _Page()
            parsed.feed(html)
            broken += [f"{url}: {h}" for h in parsed.handlers]
    past = w.row.history.earliest()
    version = client.get(f"/admin/effektkedjor/kedjerad/{w.row.pk}/history/{past.history_id}/")
    assert version.status_code == 200
    broken += [f"past version: {raw!r} unescaped" for raw in RAW if raw in version.content.decode()]
    assert not broken, "\n".join(broken)
    history = client.get(f"/admin/effektkedjor/kedjerad/{w.row.pk}/history/").content.decode()
    assert ESCAPED_SCRIPT in history
