"""Status reports, reporting periods and "Mina rader"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Lagesrapport, Rapportperiod
from tests.personas import World, make_world

pytestmark = pytest.mark.django_db


def _report(w: World, **changes: object) -> dict[str, object]:
    data = {
        "period": w.period.pk,
        "datum": "2026-11-20",
        "status": "pagar",
        "bedomning": "risk",
        "kommentar": "Rad ett\nRad två <b>inte fet</b>",
    }
    data.update(changes)
    return data


def test_report_with_htmx_returns_the_new_status_block(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    response = client.post(
        reverse("effektkedjor:rapportera", args=[w.row.pk]),
        _report(w),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<div class="lage" id="lage-{w.row.pk}"')
    assert "Pågår" in body and "Risk för avvikelse" in body
    assert "<polygon" in body  # the triangle: shape, not colour alone
    assert "Rad ett<br>Rad två &lt;b&gt;inte fet&lt;/b&gt;" in body  # line breaks kept, escaped
    assert "rapport-sparad" in response["HX-Trigger"]
    report = Lagesrapport.objects.get()
    assert report.forfattare == w.users["official"]
    assert report.period == w.period


def test_report_without_javascript_returns_to_next(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    url = reverse("effektkedjor:rapportera", args=[w.row.pk])
    page = client.get(url, {"next": "/mina-rader/"})
    body = page.content.decode()
    assert 'value="/mina-rader/"' in body
    assert "Lägesrapporter är allmänna handlingar. Skriv inga personuppgifter om invånare." in body
    response = client.post(url, {**_report(w), "next": "/mina-rader/"})
    assert response["Location"] == "/mina-rader/"
    evil = client.post(url, {**_report(w), "next": "https://example.com/"})
    assert evil["Location"] == reverse("effektkedjor:rad", args=[w.row.pk])


def test_required_fields_and_closed_periods(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    url = reverse("effektkedjor:rapportera", args=[w.row.pk])
    body = client.post(url, {"period": w.period.pk, "datum": "2026-11-20"}).content.decode()
    assert "Välj en status." in body and "Välj en bedömning." in body
    body = client.post(url, _report(w, period=w.closed_period.pk)).content.decode()
    assert "Perioden är stängd eller finns inte." in body
    assert Lagesrapport.objects.count() == 0


def test_no_open_period_means_no_report(client: Client) -> None:
    w = make_world()
    Rapportperiod.objects.update(stangd=True)
    client.force_login(w.users["official"])
    body = client.get(reverse("effektkedjor:rapportera", args=[w.row.pk])).content.decode()
    assert "Det finns ingen öppen rapportperiod." in body
    assert "Spara rapporten" not in body


def test_model_refuses_reports_on_a_closed_period() -> None:
    w = make_world()
    report = Lagesrapport(rad=w.row, period=w.closed_period, status="klar", bedomning="enligt_plan")
    with pytest.raises(Exception, match="stängd"):
        report.full_clean()


def test_model_refuses_moving_a_report_out_of_a_closed_period() -> None:
    w = make_world()
    report = Lagesrapport.objects.create(
        rad=w.row, period=w.closed_period, status="klar", bedomning="enligt_plan"
    )
    report.period = w.period  # open, but the report is part of the closed one's record
    with pytest.raises(ValidationError, match="stängda perioden"):
        report.full_clean()


def test_only_one_current_period() -> None:
    w = make_world()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rapportperiod.objects.filter(pk=w.closed_period.pk).update(aktuell=True)


def test_row_shows_latest_report_and_page_lists_all_newest_first(client: Client) -> None:
    w = make_world()
    for day, status in [(1, "ej_paborjad"), (15, "klar"), (8, "pagar")]:
        Lagesrapport.objects.create(
            rad=w.row,
            period=w.period,
            datum=datetime.date(2026, 10, day),
            status=status,
            bedomning="enligt_plan",
        )
    client.force_login(w.users["member"])
    area = client.get(w.area.get_absolute_url()).content.decode()
    row_html = area[area.index(f'id="rad-{w.row.pk}"') :]
    row_html = row_html[: row_html.index("</tr>")]
    assert "Klar" in row_html and "Pågår" not in row_html
    page = client.get(reverse("effektkedjor:rad", args=[w.row.pk])).content.decode()
    table = page[page.index("Alla lägesrapporter") :]
    assert table.index("2026-10-15") < table.index("2026-10-08") < table.index("2026-10-01")


def test_my_rows_put_the_unreported_first(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    Lagesrapport.objects.create(rad=w.row, period=w.period, status="pagar", bedomning="enligt_plan")
    body = client.get(reverse("effektkedjor:mina_rader")).content.decode()
    assert body.index("Översyn av styrande dokument") < body.index("Uppsökande verksamhet")
    assert "1 av 2" in body
    assert "Saknar rapport för" in body


def test_my_rows_of_an_official_and_where_sign_in_lands(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    assert client.get(reverse("effektkedjor:start"))["Location"] == reverse(
        "effektkedjor:mina_rader"
    )
    body = client.get(reverse("effektkedjor:mina_rader")).content.decode()
    assert "Uppsökande verksamhet" in body
    assert "Översyn av styrande dokument" not in body  # SKA's row, not ALF's
    client.force_login(w.users["member"])
    assert client.get(reverse("effektkedjor:start"))["Location"] == reverse(
        "effektkedjor:rapporter"
    )
    assert (
        "Du står inte som ansvarig"
        in client.get(reverse("effektkedjor:mina_rader")).content.decode()
    )


def test_a_report_sent_while_its_period_is_being_closed_is_refused_not_lost() -> None:
    from effektkedjor.forms import LagesrapportForm
    from effektkedjor.services.reports import PeriodClosed, save_report

    w = make_world()
    form = LagesrapportForm({**_report(w), "period": w.period.pk}, instance=Lagesrapport(rad=w.row))
    assert form.is_valid()  # the period was open when the form was checked …
    Rapportperiod.objects.filter(pk=w.period.pk).update(stangd=True)  # … and closed now
    with pytest.raises(PeriodClosed) as refused:
        save_report(report=form.instance)
    assert "stängdes nyss" in str(refused.value)
    assert not Lagesrapport.objects.exists()
