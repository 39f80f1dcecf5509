"""Indicators from Kolada (issue 13): the client and `fetch_indicators` against a real HTTP
server on loopback that answers in Kolada API v3's JSON shape. Nothing reaches the internet."""

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from effektkedjor.kolada import KoladaClient, KoladaError
from effektkedjor.models import Hamtning, Indikator, Indikatorvarde, Periodbild, Rapportperiod
from effektkedjor.services.indicators import fetch_indicators
from tests.personas import make_world

pytestmark = pytest.mark.django_db


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeKolada:
    """Answers given paths (with their query) in turn; the last answer repeats."""

    def __init__(self) -> None:
        self.answers: dict[str, list[Answer]] = {}
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(self.path)
                queue = fake.answers.get(self.path)
                if not queue:
                    answer = Answer(404, {"error": "not found"})
                else:
                    answer = queue.pop(0) if len(queue) > 1 else queue[0]
                time.sleep(answer.delay)
                body = json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}/v3"

    def on(self, path: str, *answers: Answer) -> None:
        self.answers["/v3/" + path] = list(answers)

    def kpi(self, *ids: str, gender: bool = True) -> None:
        """Metadata for the KPIs, in one answer."""
        self.on(
            "kpi/" + ",".join(ids),
            Answer(
                body={
                    "count": len(ids),
                    "values": [
                        {"id": i, "title": f"Nyckeltal {i}", "is_divided_by_gender": gender}
                        for i in ids
                    ],
                }
            ),
        )

    def client(self, **kwargs: Any) -> KoladaClient:
        options: dict[str, Any] = {"backoff": 0.01, "min_interval": 0.0, "timeout": 2.0}
        options.update(kwargs)
        return KoladaClient(self.base, **options)


def row(kpi: str, year: int, *values: tuple[str, float | None], place: str = "1490") -> dict:
    return {
        "kpi": kpi,
        "municipality": place,
        "period": year,
        "values": [
            {"gender": g, "value": v, "count": 1, "status": "" if v is not None else "Saknas"}
            for g, v in values
        ],
    }


def page(*rows: dict, next_url: str | None = None) -> dict:
    answer: dict[str, Any] = {"count": len(rows), "values": list(rows)}
    if next_url:
        answer["next_url"] = next_url
    return answer


@pytest.fixture
def kolada() -> Iterator[FakeKolada]:
    fake = FakeKolada()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


def indicator(kpi: str = "N15428", **fields: Any) -> Indikator:
    w = make_world()
    return Indikator.objects.create(
        malomrade=w.area, namn=f"Nyckeltal {kpi}", kalla="kolada", kolada_kpi=kpi, **fields
    )


def values_of(ind: Indikator) -> list[tuple[int | None, str, Decimal | None]]:
    return [(v.ar, v.kon, v.varde) for v in ind.varden.order_by("ar", "kon")]


DATA = "data/kpi/N15428/municipality/1490/year/2022,2023,2024"


def test_paging_follows_next_url_over_several_pages(kolada: FakeKolada) -> None:
    ind = indicator()
    kolada.kpi("N15428")
    kolada.on(
        DATA, Answer(body=page(row("N15428", 2022, ("T", 80.1)), next_url=kolada.base + "/p2"))
    )
    kolada.on(
        "p2", Answer(body=page(row("N15428", 2023, ("T", 81.2)), next_url=kolada.base + "/p3"))
    )
    kolada.on("p3", Answer(body=page(row("N15428", 2024, ("T", 82.3)))))

    log = fetch_indicators(client=kolada.client(), years=[2022, 2023, 2024])

    assert values_of(ind) == [
        (2022, "T", Decimal("80.10")),
        (2023, "T", Decimal("81.20")),
        (2024, "T", Decimal("82.30")),
    ]
    assert [p for p in kolada.requests if not p.startswith("/v3/kpi")] == [
        "/v3/" + DATA,
        "/v3/p2",
        "/v3/p3",
    ]
    assert (log.antal_varden, log.antal_andrade, log.fel) == (3, 3, "")
    assert log.lyckades and "N15428" in log.vad


def test_a_429_is_retried_after_the_pause_kolada_asks_for(kolada: FakeKolada) -> None:
    ind = indicator()
    kolada.kpi("N15428")
    kolada.on(
        DATA,
        Answer(429, {"error": "too many"}, {"Retry-After": "3"}),
        Answer(body=page(row("N15428", 2024, ("T", 70)))),
    )
    pauses: list[float] = []
    fetch_indicators(client=kolada.client(sleep=pauses.append), years=[2022, 2023, 2024])
    assert values_of(ind) == [(2024, "T", Decimal(70))]
    assert pauses == [3.0]  # Retry-After honoured


def test_a_500_is_retried_with_back_off(kolada: FakeKolada) -> None:
    ind = indicator()
    kolada.kpi("N15428")
    kolada.on(
        DATA,
        Answer(500, {"error": "oops"}),
        Answer(503, {"error": "oops"}),
        Answer(body=page(row("N15428", 2024, ("T", 70)))),
    )
    pauses: list[float] = []
    fetch_indicators(client=kolada.client(sleep=pauses.append), years=[2022, 2023, 2024])
    assert values_of(ind) == [(2024, "T", Decimal(70))]
    assert pauses == [0.01, 0.02]  # growing pauses


def test_a_timeout_fails_clearly_and_changes_nothing(kolada: FakeKolada) -> None:
    ind = indicator()
    Indikatorvarde.objects.create(indikator=ind, ar=2022, varde=Decimal(60), kalla="kolada")
    kolada.kpi("N15428")
    kolada.on(DATA, Answer(body=page(row("N15428", 2022, ("T", 99))), delay=1.0))
    with pytest.raises(KoladaError, match=r"Kolada svarade inte inom 0\.2 sekunder"):
        fetch_indicators(client=kolada.client(timeout=0.2, retries=1), years=[2022, 2023, 2024])
    assert values_of(ind) == [(2022, "T", Decimal(60))]
    log = Hamtning.objects.get()
    assert "svarade inte inom" in log.fel and log.klar is not None and not log.lyckades


def test_null_values_are_kept_as_missing(kolada: FakeKolada) -> None:
    ind = indicator()
    kolada.kpi("N15428")
    kolada.on(
        DATA, Answer(body=page(row("N15428", 2023, ("T", None)), row("N15428", 2024, ("T", 5))))
    )
    fetch_indicators(client=kolada.client(), years=[2022, 2023, 2024])
    assert values_of(ind) == [(2023, "T", None), (2024, "T", Decimal(5))]
    assert ind.latest_value() is not None and ind.latest_value().ar == 2024  # type: ignore[union-attr]


def test_a_revised_value_updates_the_row_and_the_history_keeps_the_old_one(
    kolada: FakeKolada,
) -> None:
    ind = indicator()
    kolada.kpi("N15428")
    kolada.on(
        DATA,
        Answer(body=page(row("N15428", 2024, ("T", 80)))),
        Answer(body=page(row("N15428", 2024, ("T", 81.5)))),
        Answer(body=page(row("N15428", 2024, ("T", 81.5)))),
    )
    first = fetch_indicators(client=kolada.client(), years=[2022, 2023, 2024])
    second = fetch_indicators(client=kolada.client(), years=[2022, 2023, 2024])
    third = fetch_indicators(client=kolada.client(), years=[2022, 2023, 2024])
    value = ind.varden.get()
    assert value.varde == Decimal("81.50")
    assert [h.varde for h in value.history.order_by("history_id")] == [
        Decimal("80.00"),
        Decimal("81.50"),
    ]
    assert [(f.antal_varden, f.antal_andrade) for f in (first, second, third)] == [
        (1, 1),
        (1, 1),
        (1, 0),
    ]


def test_a_kpi_with_and_one_without_gender_split(kolada: FakeKolada) -> None:
    split = indicator("N03920")
    whole = Indikator.objects.create(
        malomrade=split.malomrade, namn="Valdeltagande", kalla="kolada", kolada_kpi="N05401"
    )
    kolada.kpi("N03920", "N05401")
    kolada.on(
        "data/kpi/N03920,N05401/municipality/1490/year/2024",
        Answer(
            body=page(
                row("N03920", 2024, ("K", 6.1), ("M", 7.3), ("T", 6.7)),
                row("N05401", 2024, ("T", 82.0)),
                row("N05401", 2024, ("T", 79.0), place="0000"),  # another place: not ours
            )
        ),
    )
    fetch_indicators(client=kolada.client(), years=[2024])
    assert values_of(split) == [
        (2024, "K", Decimal("6.10")),
        (2024, "M", Decimal("7.30")),
        (2024, "T", Decimal("6.70")),
    ]
    assert values_of(whole) == [(2024, "T", Decimal("82.00"))]


def test_an_unknown_kpi_is_reported_and_the_others_are_fetched(kolada: FakeKolada) -> None:
    known = indicator("N15428")
    unknown = Indikator.objects.create(
        malomrade=known.malomrade, namn="Fel id", kalla="kolada", kolada_kpi="X99999"
    )
    kolada.on(
        "kpi/N15428,X99999",
        Answer(body={"count": 1, "values": [{"id": "N15428", "title": "Behöriga"}]}),
    )
    kolada.on(
        "data/kpi/N15428/municipality/1490/year/2024",
        Answer(body=page(row("N15428", 2024, ("T", 84)))),
    )
    log = fetch_indicators(client=kolada.client(), years=[2024])
    assert values_of(known) == [(2024, "T", Decimal(84))]
    assert not unknown.varden.exists()
    assert log.fel == "Kolada känner inte till X99999."


def test_without_a_network_the_fetch_says_so_and_changes_nothing() -> None:
    ind = indicator()
    Indikatorvarde.objects.create(indikator=ind, ar=2022, varde=Decimal(60), kalla="kolada")
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = KoladaClient(f"http://127.0.0.1:{port}/v3", retries=1, backoff=0.01)
    with pytest.raises(KoladaError, match=r"Kunde inte nå Kolada .*Inget ändrades"):
        fetch_indicators(client=client, years=[2022])
    assert values_of(ind) == [(2022, "T", Decimal(60))]
    assert Hamtning.objects.get().fel.startswith("Kunde inte nå Kolada")


def test_the_command_without_a_network_fails_with_the_message(settings: Any) -> None:
    indicator()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        settings.KOLADA_BASE_URL = f"http://127.0.0.1:{s.getsockname()[1]}/v3"
    with pytest.raises(CommandError, match="Kunde inte nå Kolada"):
        call_command("fetch_indicators", "--ar", "2024")
    assert not Indikatorvarde.objects.exists()


def test_the_offline_path_reads_a_saved_kolada_answer(tmp_path: Path) -> None:
    ind = indicator()
    saved = tmp_path / "kolada.json"
    saved.write_text(
        json.dumps(page(row("N15428", 2023, ("T", 83)), row("N15428", 2024, ("T", None)))),
        encoding="utf-8",
    )
    call_command("fetch_indicators", "--fil", str(saved), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    assert values_of(ind) == [(2023, "T", Decimal(83)), (2024, "T", None)]
    log = Hamtning.objects.get()
    assert f"från filen {saved}" in log.vad and log.antal_varden == 2

    saved.write_text('{"inte": "kolada"}', encoding="utf-8")
    with pytest.raises(CommandError, match="liknar inte ett svar från Kolada"):
        call_command("fetch_indicators", "--fil", str(saved))
    assert values_of(ind) == [(2023, "T", Decimal(83)), (2024, "T", None)]


def test_a_fetch_never_changes_a_closed_periods_report(kolada: FakeKolada) -> None:
    ind = indicator()
    period = Rapportperiod.objects.filter(stangd=True).first()
    assert period is not None
    Indikatorvarde.objects.create(indikator=ind, ar=2024, varde=Decimal(80), kalla="kolada")
    frozen = {"nyckeltal": [{"namn": ind.namn, "ar": 2024, "varde": "80.00"}]}
    bild, _ = Periodbild.objects.update_or_create(period=period, defaults={"data": frozen})
    kolada.kpi("N15428")
    kolada.on(
        "data/kpi/N15428/municipality/1490/year/2024",
        Answer(body=page(row("N15428", 2024, ("T", 85)))),
    )
    fetch_indicators(client=kolada.client(), years=[2024])
    assert values_of(ind) == [(2024, "T", Decimal(85))]
    bild.refresh_from_db()
    assert bild.data == frozen


def test_the_client_asks_for_at_most_25_ids_at_a_time_and_throttles(kolada: FakeKolada) -> None:
    ids = [f"N{n:05d}" for n in range(30)]
    kolada.kpi(*ids[:25])
    kolada.kpi(*ids[25:])
    client = kolada.client(min_interval=0.1)
    started = time.monotonic()
    found = client.kpis(ids)
    assert sorted(found) == ids
    assert len(kolada.requests) == 2
    assert time.monotonic() - started >= 0.1  # a pause between the two requests


def test_search_and_municipality_groups_use_the_title(kolada: FakeKolada) -> None:
    kolada.on(
        "kpi?title=beh%C3%B6riga",
        Answer(body=page({"id": "N15428", "title": "Elever i åk 9 som är behöriga"})),
    )
    kolada.on(
        "municipality_groups?title=Liknande+kommuner",
        Answer(body=page({"id": "G124027", "title": "Liknande kommuner", "members": []})),
    )
    kolada.on(
        "municipality?title=Bor%C3%A5s",
        Answer(body=page({"id": "1490", "title": "Borås", "type": "K"})),
    )
    client = kolada.client()
    assert [k["id"] for k in client.search_kpis("behöriga")] == ["N15428"]
    assert [g["id"] for g in client.municipality_groups("Liknande kommuner")] == ["G124027"]
    assert [m["id"] for m in client.municipalities("Borås")] == ["1490"]


def test_a_picked_kpi_fills_in_title_description_unit_and_gender_split(
    kolada: FakeKolada,
) -> None:
    from effektkedjor.kolada import kpi_info
    from effektkedjor.services.indicators import apply_kpi_info

    kolada.on(
        "kpi/N03920,N15428",
        Answer(
            body=page(
                {
                    "id": "N15428",
                    "title": "Elever i åk. 9 som är behöriga till yrkesprogram, "
                    "hemkommun, andel (%)",
                    "description": "Andel elever i årskurs 9 som är behöriga …",
                    "is_divided_by_gender": 1,
                },
                {
                    "id": "N03920",
                    "title": "Invånare 18-65 år som är arbetslösa, antal",
                    "description": "Antal invånare …",
                    "is_divided_by_gender": False,
                },
            )
        ),
    )
    found = kolada.client().kpis(["n15428", "N03920"])
    w = make_world()
    pupils = apply_kpi_info(Indikator(malomrade=w.area), kpi_info(found["N15428"]))
    assert pupils.namn.startswith("Elever i åk. 9 som är behöriga")
    assert pupils.beskrivning.startswith("Andel elever")
    assert (pupils.kalla, pupils.kolada_kpi, pupils.enhet) == ("kolada", "N15428", "procent")
    assert pupils.kon_uppdelat is True
    named = Indikator(malomrade=w.area, namn="Arbetslösa 18–65", beskrivning="Egen text")
    unemployed = apply_kpi_info(named, kpi_info(found["N03920"]))
    assert (unemployed.namn, unemployed.beskrivning) == ("Arbetslösa 18–65", "Egen text")
    assert (unemployed.enhet, unemployed.kon_uppdelat) == ("antal", False)
    unemployed.full_clean()
