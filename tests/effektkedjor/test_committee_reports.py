"""Committee reports: closing a period, the HTML report, and the PDF as a reader gets it
(checked with poppler's pdftotext and pdfinfo)."""

import datetime
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Kedjerad, Lagesrapport, PdfBestallning, Periodbild, Rapportperiod
from tests.conftest import have_command, require_tool
from tests.personas import make_world

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    require_tool(have_command("pdftotext"), "pdftotext (apt-get install poppler-utils)")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    # -raw keeps each table cell's lines together; whitespace is folded for comparison.
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(raw.stdout.split())


def _pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    require_tool(have_command("pdfinfo"), "pdfinfo (apt-get install poppler-utils)")
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def _fold(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def seeded(program: None, demo_users: None) -> Rapportperiod:
    """The seed programme with the demo's periods and reports; returns the current period."""
    current = Rapportperiod.current()
    assert current is not None
    return current


def test_programme_pdf_holds_every_row_and_status(
    client: Client, seeded: Rapportperiod, tmp_path: Path
) -> None:
    client.force_login(client_user("namndledamot"))
    response = client.get(reverse("effektkedjor:rapport_pdf", args=[seeded.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "effektkedjor-hela-programmet-helar-" in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    for row in Kedjerad.objects.all():
        assert _fold(row.aktivitet) in text, row.aktivitet
        latest = row.rapporter.filter(period=seeded).order_by("-datum", "-skapad", "-id").first()
        if latest:
            assert latest.get_status_display() in text
    for words in [
        "Långsiktiga effekter",
        "Förändringar sedan",
        "Rader som inte har rapporterats",
        "Jämlika livsvillkor och en god hälsa",
        "Sida 1 av",
    ]:
        assert words in text
    info = _pdf_info(response.content, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith("Social hållbarhet")
    assert info["Author"] == "Borås Stad"
    assert "A4" in info["Page size"]


def test_area_pdf_has_its_name_in_file_and_title(
    client: Client, seeded: Rapportperiod, tmp_path: Path
) -> None:
    client.force_login(client_user("omradesansvarig"))
    url = reverse("effektkedjor:rapport_omrade_pdf", args=[seeded.pk, "forutsattningar-for-arbete"])
    response = client.get(url)
    year = seeded.slut.year
    assert (
        f'filename="effektkedjor-forutsattningar-for-arbete-helar-{year}.pdf"'
        in response["Content-Disposition"]
    )
    assert "Förutsättningar för arbete" in _pdf_info(response.content, tmp_path)["Title"]
    text = _pdf_text(response.content, tmp_path)
    assert "Uppsökande verksamhet" in text and "Pilottesta arena skola" not in text


def test_user_text_that_looks_like_html_stays_text(tmp_path: Path, client: Client) -> None:
    w = make_world()
    Kedjerad.objects.filter(pk=w.row.pk).update(
        aktivitet='<script>alert("x")</script> & <b>fet</b>'
    )
    client.force_login(w.users["member"])
    page = client.get(reverse("effektkedjor:rapport", args=[w.period.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in page
    pdf = client.get(reverse("effektkedjor:rapport_pdf", args=[w.period.pk])).content
    assert '<script>alert("x")</script> & <b>fet</b>' in _pdf_text(pdf, tmp_path)


def test_closing_freezes_the_report(client: Client, tmp_path: Path) -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.row, period=w.period, status="pagar", bedomning="risk", kommentar="Före stängning"
    )
    client.force_login(w.users["director"])
    client.post(reverse("effektkedjor:period_stang", args=[w.period.pk]), {"bekrafta": "ja"})
    w.period.refresh_from_db()
    assert w.period.stangd and Periodbild.objects.filter(period=w.period).exists()
    url = reverse("effektkedjor:rapport_pdf", args=[w.period.pk])
    before = _pdf_text(client.get(url).content, tmp_path)
    html_before = client.get(reverse("effektkedjor:rapport", args=[w.period.pk])).content.decode()

    # Later: the row is renamed and its report changed past the form.
    Kedjerad.objects.filter(pk=w.row.pk).update(aktivitet="Helt ny lydelse")
    Lagesrapport.objects.filter(rad=w.row, period=w.period).update(
        status="klar",
        bedomning="enligt_plan",
        datum=datetime.date.today() + datetime.timedelta(days=1),
    )
    after = _pdf_text(client.get(url).content, tmp_path)
    assert after == before
    assert "Uppsökande verksamhet" in after and "Helt ny lydelse" not in after
    assert "Fastställd" in html_before
    # The form refuses reports on the closed period.
    client.force_login(w.users["official"])
    refused = client.post(
        reverse("effektkedjor:rapportera", args=[w.row.pk]),
        {
            "period": w.period.pk,
            "datum": "2026-11-20",
            "status": "klar",
            "bedomning": "enligt_plan",
        },
    )
    assert "Det finns ingen öppen rapportperiod" in refused.content.decode()
    assert Lagesrapport.objects.count() == 1


def test_only_the_director_closes_and_reopening_needs_a_reason(client: Client) -> None:
    w = make_world()
    for role in ["owner", "official", "member"]:
        client.force_login(w.users[role])
        assert (
            client.post(reverse("effektkedjor:period_stang", args=[w.period.pk])).status_code == 403
        )
        assert (
            client.get(reverse("effektkedjor:period_oppna", args=[w.closed_period.pk])).status_code
            == 403
        )
    client.force_login(w.users["director"])
    url = reverse("effektkedjor:period_oppna", args=[w.closed_period.pk])
    empty = client.post(url, {"skal": ""})
    assert "Skriv varför perioden ska öppnas igen." in empty.content.decode()
    client.post(url, {"skal": "Rapport från ALF kom in sent"})
    w.closed_period.refresh_from_db()
    assert not w.closed_period.stangd
    assert (
        w.closed_period.history.latest().history_change_reason
        == "Öppnades igen: Rapport från ALF kom in sent"
    )
    assert w.closed_period.history.latest().history_user == w.users["director"]


def test_reports_page_lists_periods_and_downloads(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["member"])
    page = client.get(reverse("effektkedjor:rapporter")).content.decode()
    assert reverse("effektkedjor:rapport_pdf", args=[w.period.pk]) in page
    assert reverse("effektkedjor:rapport_omrade", args=[w.period.pk, "arbete"]) in page
    assert "Stäng perioden" not in page  # only the director closes
    report = client.get(
        reverse("effektkedjor:rapport_omrade", args=[w.period.pk, "arbete"])
    ).content.decode()
    assert "Effektkedja för Förutsättningar för arbete" in report


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_large_reports_are_made_by_the_task_worker(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    w = make_world()
    settings.PDF_SYNC_MAX_ROWS = 1
    client.force_login(w.users["member"])
    response = client.get(reverse("effektkedjor:rapport_pdf", args=[w.period.pk]))
    order = PdfBestallning.objects.get()
    assert response["Location"] == reverse("effektkedjor:bestallning", args=[order.pk])
    waiting = client.get(response["Location"]).content.decode()
    assert "skapas i bakgrunden" in waiting and 'hx-trigger="every 2s"' in waiting
    # A reload, or another reader, follows the same order rather than queueing another.
    again = client.get(reverse("effektkedjor:rapport_pdf", args=[w.period.pk]))
    assert again["Location"] == response["Location"]
    assert PdfBestallning.objects.count() == 1
    # One already being made (or stuck after a crash) is not handed out again.
    PdfBestallning.objects.update(status="pagar")
    fresh = client.get(reverse("effektkedjor:rapport_pdf", args=[w.period.pk]))
    assert fresh["Location"] != response["Location"]
    assert PdfBestallning.objects.count() == 2

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    order.refresh_from_db()
    assert order.status == "klar" and (order.sidor or 0) >= 3
    done = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Rapporten är klar" in done and "<html" not in done
    pdf = client.get(reverse("effektkedjor:bestallning_pdf", args=[order.pk]))
    assert "Uppsökande verksamhet" in _pdf_text(pdf.content, tmp_path)


def client_user(username: str) -> Any:
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def test_pdf_has_bookmarks_for_the_areas(seeded: Rapportperiod) -> None:
    import weasyprint

    from effektkedjor import reports

    html = reports.render_html(reports.report_data(seeded), for_pdf=True)
    document = weasyprint.HTML(string=html, base_url=str(reports.REPORT_CSS.parent)).render(
        stylesheets=[weasyprint.CSS(filename=str(reports.REPORT_CSS))]
    )
    labels = [entry[0] for entry in document.make_bookmark_tree()[0][2]]
    assert "Förutsättningar för arbete" in labels
    assert "Områdesutveckling Norrby" in labels
