"""Status reports, reporting periods and "Mina rader"."""

import datetime
import re

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
    # Reporting again corrects the period's report (the form carries its version).
    evil = client.post(url, {**_report(w), "version": 1, "next": "https://example.com/"})
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
    assert "Det finns ingen öppen rapportperiod" in body
    assert "Ingen ny period är planerad ännu" in body
    assert "Spara rapporten" not in body
    refused = client.post(reverse("effektkedjor:rapportera", args=[w.row.pk]), _report(w))
    assert "Det finns ingen öppen rapportperiod" in refused.content.decode()
    assert not Lagesrapport.objects.exists()


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
    year = w.period.start.year
    delar = Rapportperiod.objects.create(
        namn=f"Delår {year}",
        typ="delar",
        start=datetime.date(year, 1, 1),
        slut=datetime.date(year, 8, 31),
        stangd=True,
    )
    for period, month, status in [
        (w.closed_period, 4, "ej_paborjad"),
        (w.period, 10, "pagar"),
        (delar, 8, "klar"),
    ]:
        Lagesrapport.objects.create(
            rad=w.row,
            period=period,
            datum=datetime.date(year, month, 15),
            status=status,
            bedomning="enligt_plan",
        )
    client.force_login(w.users["member"])
    area = client.get(w.area.get_absolute_url()).content.decode()
    row_html = area[area.index(f'id="rad-{w.row.pk}"') :]
    row_html = row_html[: row_html.index("</tr>")]
    assert "Pågår" in row_html and "Klar" not in row_html
    page = client.get(reverse("effektkedjor:rad", args=[w.row.pk])).content.decode()
    table = page[page.index("Alla lägesrapporter") :]
    assert (
        table.index(f"{year}-10-15") < table.index(f"{year}-08-15") < table.index(f"{year}-04-15")
    )


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
        save_report(report=form.instance, expected_version=0)
    assert "stängdes nyss" in str(refused.value)
    assert not Lagesrapport.objects.exists()


# One report per row and period, corrected in place (issue 12, point 8)


def _rapportera(w: World) -> str:
    return reverse("effektkedjor:rapportera", args=[w.row.pk])


def test_reporting_again_in_the_period_opens_the_report_for_correction(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    client.post(_rapportera(w), _report(w, kommentar="Första lydelsen"))
    form = client.get(_rapportera(w)).content.decode()
    assert "Ändra lägesrapporten" in form
    assert "Första lydelsen" in form and 'name="version" value="1"' in form
    client.post(_rapportera(w), _report(w, status="klar", kommentar="Rättad", version=1))
    report = Lagesrapport.objects.get()  # still one report for the row and period
    assert (report.status, report.kommentar, report.version) == ("klar", "Rättad", 2)
    assert report.forfattare == w.users["official"]
    history = [h.kommentar for h in report.history.order_by("history_date")]
    assert history == ["Första lydelsen", "Rättad"]


def test_a_report_saved_meanwhile_is_shown_not_overwritten(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    client.post(_rapportera(w), _report(w, kommentar="Ägarens rapport"))
    # Someone whose form was opened before that report existed (version 0).
    client.force_login(w.users["director"])
    body = client.post(_rapportera(w), _report(w, kommentar="Direktörens utkast")).content.decode()
    assert "har sparat läget för raden medan du skrev" in body
    assert "Ägarens rapport" in body and "Direktörens utkast" in body
    assert Lagesrapport.objects.get().kommentar == "Ägarens rapport"
    # Saving again from the notice replaces it, knowingly.
    client.post(_rapportera(w), _report(w, kommentar="Direktörens utkast", version=1))
    assert Lagesrapport.objects.get().kommentar == "Direktörens utkast"


def test_only_the_author_and_the_areas_owners_correct_a_report(client: Client) -> None:
    from malomraden.models import Person
    from tests.builders import make_user

    w = make_world()
    colleague = make_user("kollega")
    Person.objects.create(namn="Kim Kollega", anvandare=colleague).organisationer.add(w.alf)
    client.force_login(w.users["official"])
    client.post(_rapportera(w), _report(w, kommentar="Tjänstepersonens rapport"))

    client.force_login(colleague)  # reports on ALF's rows, but did not write this one
    page = client.get(_rapportera(w)).content.decode()
    assert "Bara den som skrev rapporten och målområdets ansvariga kan ändra den." in page
    assert "Spara rapporten" not in page
    refused = client.post(_rapportera(w), _report(w, kommentar="Kollegans", version=1))
    assert refused.status_code == 403
    assert Lagesrapport.objects.get().kommentar == "Tjänstepersonens rapport"

    client.force_login(w.users["owner"])  # the area's owner may
    client.post(_rapportera(w), _report(w, kommentar="Ägarens rättelse", version=1))
    assert Lagesrapport.objects.get().kommentar == "Ägarens rättelse"


def test_the_form_starts_from_the_rows_previous_report(client: Client) -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.row,
        period=w.closed_period,
        status="pausad",
        bedomning="avvikelse",
        kommentar="Väntar på lokaler",
    )
    client.force_login(w.users["official"])
    form = client.get(_rapportera(w)).content.decode()
    assert f"Förifyllt från rapporten för {w.closed_period.namn}" in form
    assert "Väntar på lokaler" in form
    assert re.search(r'value="pausad"[^>]*checked', form)
    assert re.search(r'value="avvikelse"[^>]*checked', form)
    assert 'name="version" value="0"' in form
    assert f'name="period" value="{w.period.pk}"' in form


@pytest.mark.parametrize("bedomning", ["risk", "avvikelse"])
def test_a_risk_or_deviation_needs_a_comment(client: Client, bedomning: str) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    body = client.post(_rapportera(w), _report(w, bedomning=bedomning, kommentar="  ")).content
    assert "Skriv en kommentar" in body.decode()
    assert not Lagesrapport.objects.exists()
    client.post(_rapportera(w), _report(w, bedomning="enligt_plan", kommentar=""))
    assert Lagesrapport.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # migrates back and forth
def test_duplicates_are_merged_by_the_migration_keeping_the_latest_and_all_history() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = [("effektkedjor", "0005_importfil_lage")]
    after = [("effektkedjor", "0006_en_rapport_per_rad_och_period_sista_rapportdag")]
    w = make_world()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Report = old.get_model("effektkedjor", "Lagesrapport")
        History = old.get_model("effektkedjor", "HistoricalLagesrapport")
        made = []
        # Two reports on the row in one period, as the old code made them, and one in
        # another period; each with its creation entry in the history.
        for period_id, day, kommentar in [
            (w.period.pk, 3, "Tidigare"),
            (w.period.pk, 9, "Senast"),
            (w.closed_period.pk, 1, "Annan period"),
        ]:
            report = Report.objects.create(
                rad_id=w.row.pk,
                period_id=period_id,
                datum=datetime.date(2026, 4, day),
                status="pagar",
                bedomning="enligt_plan",
                kommentar=kommentar,
            )
            History.objects.create(
                id=report.pk,
                rad_id=w.row.pk,
                period_id=period_id,
                datum=report.datum,
                status="pagar",
                bedomning="enligt_plan",
                kommentar=kommentar,
                skapad=report.skapad,
                history_date=timezone.now(),
                history_type="+",
            )
            made.append(report.pk)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        earlier, latest, other = made
        assert set(Lagesrapport.objects.values_list("pk", flat=True)) == {latest, other}
        history = list(
            Lagesrapport.history.filter(id=latest)
            .order_by("history_date")
            .values_list("kommentar", "history_type")
        )
        # Both versions are the kept report's history now, in the order they were written.
        assert history == [("Tidigare", "+"), ("Senast", "~")]
        assert not Lagesrapport.history.filter(id=earlier).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# Finished rows, periods and closing (issue 12, points 9–11)


def test_my_rows_show_a_finished_row_as_done_since_its_period_not_missing(client: Client) -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.other_row, period=w.closed_period, status="klar", bedomning="enligt_plan"
    )
    client.force_login(w.users["owner"])
    body = client.get(reverse("effektkedjor:mina_rader")).content.decode()
    assert f"Klar sedan {w.closed_period.namn}" in body
    assert "1 av 2" in body  # only the row still lacks a report
    assert body.count("Saknar rapport för") == 1
    # Finished rows come last.
    assert body.index("Uppsökande verksamhet") < body.index("Översyn av styrande dokument")


def _year(w: World) -> int:
    return w.period.start.year


def _period_data(w: World, **changes: object) -> dict[str, object]:
    year = _year(w)
    data: dict[str, object] = {
        "typ": "tertial",
        "namn": f"Tertial 2 {year}",
        "start": f"{year}-05-01",
        "slut": f"{year}-08-31",
        "sista_rapportdag": f"{year}-08-20",
    }
    data.update(changes)
    return data


def test_the_programme_management_creates_changes_and_makes_a_period_current(
    client: Client,
) -> None:
    w = make_world()
    client.force_login(w.users["director"])
    page = client.get(reverse("effektkedjor:period_ny")).content.decode()
    assert "Sista rapportdag" in page
    response = client.post(reverse("effektkedjor:period_ny"), _period_data(w))
    assert response.status_code == 302
    period = Rapportperiod.objects.get(namn=f"Tertial 2 {_year(w)}")
    assert period.sista_rapportdag == datetime.date(_year(w), 8, 20)
    assert not period.aktuell and not period.stangd
    client.post(
        reverse("effektkedjor:period_andra", args=[period.pk]),
        _period_data(w, sista_rapportdag=f"{_year(w)}-08-25"),
    )
    period.refresh_from_db()
    assert period.sista_rapportdag == datetime.date(_year(w), 8, 25)
    client.post(reverse("effektkedjor:period_aktuell", args=[period.pk]))
    assert Rapportperiod.current() == period
    listing = client.get(reverse("effektkedjor:rapporter")).content.decode()
    assert "sista rapportdag 25 augusti" in listing and "Ny rapportperiod" in listing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"slut": "{y}-04-01"},
            "slut",
            "Periodens slut kan inte ligga före dess start.",
        ),
        (
            {"sista_rapportdag": "{y}-09-15"},
            "sista_rapportdag",
            "Sista rapportdag måste ligga inom perioden",
        ),
        (
            {"start": "{y}-04-01"},  # overlaps Tertial 1, also a tertial
            "start",
            "Perioden överlappar Tertial 1",
        ),
        ({"namn": "Helår {y}"}, "namn", "Det finns redan en period med det namnet."),
        ({"typ": "", "start": ""}, "typ", "Välj periodens typ."),
    ],
)
def test_a_period_is_checked_in_swedish(
    client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    w = make_world()
    client.force_login(w.users["director"])
    data = _period_data(w, **{k: v.format(y=_year(w)) for k, v in changes.items()})
    response = client.post(reverse("effektkedjor:period_ny"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Rapportperiod.objects.filter(namn=data["namn"]).exclude(pk=w.period.pk).exists()


@pytest.mark.parametrize("role", ["owner", "official", "member"])
def test_only_the_programme_management_manages_periods(client: Client, role: str) -> None:
    w = make_world()
    client.force_login(w.users[role])
    for url in [
        reverse("effektkedjor:period_ny"),
        reverse("effektkedjor:period_andra", args=[w.period.pk]),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, _period_data(w)).status_code == 403
    assert (
        client.post(reverse("effektkedjor:period_aktuell", args=[w.closed_period.pk])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("effektkedjor:period_stang", args=[w.period.pk]), {"bekrafta": "ja"}
        ).status_code
        == 403
    )
    assert Rapportperiod.objects.count() == 2 and Rapportperiod.current() == w.period
    assert "Ny rapportperiod" not in client.get(reverse("effektkedjor:rapporter")).content.decode()


def test_after_closing_my_rows_say_when_the_next_period_opens(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    assert "Rapportera läget" in client.get(reverse("effektkedjor:mina_rader")).content.decode()
    Rapportperiod.objects.filter(pk=w.period.pk).update(stangd=True)
    body = client.get(reverse("effektkedjor:mina_rader")).content.decode()
    assert "Rapportera läget" not in body
    assert f"Perioden {w.period.namn} är stängd" in body
    assert "Ingen ny rapportperiod är planerad ännu" in body
    year = _year(w) + 1
    Rapportperiod.objects.create(
        namn=f"Tertial 1 {year}",
        typ="tertial",
        start=datetime.date(year, 1, 1),
        slut=datetime.date(year, 4, 30),
        sista_rapportdag=datetime.date(year, 4, 20),
    )
    body = client.get(reverse("effektkedjor:mina_rader")).content.decode()
    assert f"Nästa rapportperiod är <strong>Tertial 1 {year}</strong>" in body
    assert f"sista rapportdag <strong>20 april {year}</strong>" in body
    assert f"tidigast 1 januari {year}" in body
    assert "Rapportera läget" not in body


def test_closing_asks_first_saying_who_has_not_reported(client: Client) -> None:
    w = make_world()
    Lagesrapport.objects.create(rad=w.row, period=w.period, status="pagar", bedomning="enligt_plan")
    client.force_login(w.users["director"])
    url = reverse("effektkedjor:period_stang", args=[w.period.pk])
    page = client.get(url).content.decode()
    assert f"1 av 2 rader saknar rapport för {w.period.namn}" in page
    assert "SKA – Stadsledningskansliet: 1 rad" in page and "ALF –" not in page
    assert "Stäng ändå" in page
    # A post without the confirmation shows the question again and closes nothing.
    assert "Stäng ändå" in client.post(url).content.decode()
    w.period.refresh_from_db()
    assert not w.period.stangd
    assert client.post(url, {"bekrafta": "ja"})["Location"] == reverse("effektkedjor:rapporter")
    w.period.refresh_from_db()
    assert w.period.stangd
    # htmx: the question in place of the button, and Avbryt puts the button back.
    w2 = Rapportperiod.objects.create(
        namn="Tertial 3",
        typ="tertial",
        start=datetime.date(2026, 9, 1),
        slut=datetime.date(2026, 12, 31),
    )
    url2 = reverse("effektkedjor:period_stang", args=[w2.pk])
    fragment = client.get(url2, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith(f'<div class="bekrafta-stang" id="stang-{w2.pk}"')
    assert "data-fokus" in fragment
    back = client.get(url2 + "?avbryt", headers={"HX-Request": "true"}).content.decode()
    assert "Stäng perioden Tertial 3" in back and "data-fokus" in back
