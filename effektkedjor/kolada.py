"""A small client for Kolada's open API v3 (https://api.kolada.se/v3, setting KOLADA_BASE_URL).

Kolada answers every list with `{"count": n, "values": [...], "next_url": "..."}`; a long
answer comes in pages, each pointing at the next. Data rows look like

    {"kpi": "N15428", "municipality": "1490", "period": 2024,
     "values": [{"gender": "T", "value": 84.1, "count": 1, "status": ""}, ...]}

(`"ou"` instead of `"municipality"` for an organisational unit); a value may be `null`,
and a KPI without gender split has only the total ("T").

The client asks for at most 25 ids per request, waits between requests (a few a second),
retries on 429, 5xx and timeouts with growing pauses (Retry-After honoured), fails at
once when Kolada cannot be reached at all (no network), and turns
every failure into a `KoladaError` with a Swedish message. Only the standard library is
used. Values shown in the application must cite the source: "Källa: Kolada".
"""

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

MAX_IDS = 25  # Kolada's limit of ids in one request
USER_AGENT = "effektkedjor (Borås Stad)"


class KoladaError(Exception):
    """Kolada could not be asked or gave no usable answer; the message is for people."""


@dataclass(frozen=True)
class Datapunkt:
    """One value from Kolada: a KPI for a municipality (or unit), a year and a gender."""

    kpi: str
    municipality: str
    ou: str
    year: int
    gender: str
    value: Decimal | None
    status: str = ""


@dataclass(frozen=True)
class KpiInfo:
    """What an indicator takes from a KPI's metadata when it is picked."""

    id: str
    title: str
    description: str
    divided_by_gender: bool
    unit: str  # one of Indikator.Enhet's values, guessed from the title


def guess_unit(title: str) -> str:
    """Kolada's titles end with their unit: "…, andel (%)", "…, kr/inv", "…, antal"."""
    text = title.lower()
    if "%" in text or ", andel" in text:
        return "procent"
    if re.search(r"\bkr\b", text):
        return "kr"
    if "antal" in text:
        return "antal"
    if re.search(r",\s*år\b|\(år\)", text):
        return "ar"
    return "annan"


def kpi_info(meta: dict[str, Any]) -> KpiInfo:
    title = str(meta.get("title") or "")
    gender = meta.get("is_divided_by_gender", meta.get("divided_by_gender", False))
    return KpiInfo(
        id=str(meta.get("id") or ""),
        title=title,
        description=str(meta.get("description") or ""),
        divided_by_gender=bool(gender) and gender not in ("0", "false", "False"),
        unit=guess_unit(title),
    )


def chunks(ids: Sequence[str], size: int = MAX_IDS) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _decimal(raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def parse_data(payload: Any) -> list[Datapunkt]:
    """The data points of one Kolada data answer (or a list of answers, as saved by hand)."""
    pages = payload if isinstance(payload, list) else [payload]
    points: list[Datapunkt] = []
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise KoladaError(
                "Filen liknar inte ett svar från Kolada: det saknas en lista ”values”."
            )
        for row in page["values"]:
            try:
                kpi = str(row["kpi"])
                year = int(row["period"])
                values = row.get("values") or []
            except (KeyError, TypeError, ValueError) as error:
                raise KoladaError(f"Ett värde från Kolada saknar {error}.") from error
            for value in values:
                points.append(
                    Datapunkt(
                        kpi=kpi,
                        municipality=str(row.get("municipality") or ""),
                        ou=str(row.get("ou") or ""),
                        year=year,
                        gender=str(value.get("gender") or "T"),
                        value=_decimal(value.get("value")),
                        status=str(value.get("status") or ""),
                    )
                )
    return points


def unreachable(base_url: str, reason: object) -> str:
    return (
        f"Kunde inte nå Kolada ({base_url}): {reason}. "
        "Har servern tillgång till internet? Inget ändrades."
    )


def _retry_after(header: str | None) -> float | None:
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


class KoladaClient:
    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float = 20.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        min_interval: float = 0.25,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or settings.KOLADA_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = min_interval
        self.sleep = sleep
        self.requests = 0
        self._last = 0.0
        self._lock = threading.Lock()

    # Transport

    def _throttle(self) -> None:
        with self._lock:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last = time.monotonic()

    def _same_origin(self, url: str) -> bool:
        base = urllib.parse.urlsplit(self.base_url)
        other = urllib.parse.urlsplit(url)
        return (other.scheme, other.netloc) == (base.scheme, base.netloc)

    def get(self, url: str) -> dict[str, Any]:
        """One JSON answer, retried on 429, 5xx, timeouts and dropped connections."""
        if not url.startswith(("http://", "https://")):
            url = f"{self.base_url}/{url.lstrip('/')}"
        if not self._same_origin(url):
            raise KoladaError(f"Kolada hänvisade till en annan adress ({url}); den följs inte.")
        attempt = 0
        while True:
            self._throttle()
            self.requests += 1
            wait: float | None = None
            problem: str
            try:
                request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
                    url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
                )
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    body = response.read()
                try:
                    data = json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise KoladaError(
                        f"Kolada svarade med något som inte är JSON ({url})."
                    ) from error
                if not isinstance(data, dict):
                    raise KoladaError(f"Kolada svarade i en oväntad form ({url}).")
                return data
            except urllib.error.HTTPError as error:
                if error.code == 429 or error.code >= 500:
                    wait = _retry_after(error.headers.get("Retry-After"))
                    problem = f"Kolada svarade {error.code} ({url})."
                elif error.code == 404:
                    raise KoladaError(f"Kolada känner inte till adressen ({url}).") from error
                else:
                    raise KoladaError(f"Kolada svarade {error.code} ({url}).") from error
            except TimeoutError:
                problem = f"Kolada svarade inte inom {self.timeout:g} sekunder ({url})."
            except urllib.error.URLError as error:
                if isinstance(error.reason, TimeoutError):
                    problem = f"Kolada svarade inte inom {self.timeout:g} sekunder ({url})."
                else:
                    # No route, no name, refused: a machine without internet access;
                    # trying again would not help.
                    raise KoladaError(unreachable(self.base_url, error.reason)) from error
            except (ConnectionError, OSError) as error:
                raise KoladaError(unreachable(self.base_url, error)) from error
            if attempt >= self.retries:
                raise KoladaError(problem)
            pause = wait if wait is not None else self.backoff * (2**attempt)
            self.sleep(min(pause, self.max_wait))
            attempt += 1

    def pages(self, path: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Every page of a list answer, following `next_url`."""
        url: str | None = f"{self.base_url}/{path.lstrip('/')}"
        if params:
            url = f"{url}?{urllib.parse.urlencode(params)}"
        seen: set[str] = set()
        while url and url not in seen:
            seen.add(url)
            page = self.get(url)
            yield page
            url = page.get("next_url") or page.get("next_page") or None

    def values(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in self.pages(path, params):
            found.extend(page.get("values") or [])
        return found

    # Metadata

    def kpis(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """KPI metadata by id (title, description, is_divided_by_gender, …); unknown ids
        are simply missing."""
        wanted = sorted({i.strip().upper() for i in ids if i.strip()})
        found: dict[str, dict[str, Any]] = {}
        for part in chunks(wanted):
            for kpi in self.values(f"kpi/{','.join(part)}"):
                found[str(kpi.get("id"))] = kpi
        return found

    def search_kpis(self, title: str) -> list[dict[str, Any]]:
        return self.values("kpi", {"title": title})

    def municipalities(self, title: str) -> list[dict[str, Any]]:
        return self.values("municipality", {"title": title})

    def municipality_groups(self, title: str) -> list[dict[str, Any]]:
        """Groups of municipalities by title (their ids change yearly, the titles stay)."""
        return self.values("municipality_groups", {"title": title})

    # Data

    def data(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int]
    ) -> list[Datapunkt]:
        return self._data("municipality", kpis, municipalities, years)

    def ou_data(
        self, kpis: Sequence[str], ous: Sequence[str], years: Sequence[int]
    ) -> list[Datapunkt]:
        return self._data("ou", kpis, ous, years)

    def _data(
        self, kind: str, kpis: Sequence[str], places: Sequence[str], years: Sequence[int]
    ) -> list[Datapunkt]:
        prefix = "data" if kind == "municipality" else "oudata"
        points: list[Datapunkt] = []
        for kpi_part in chunks(sorted(set(kpis))):
            for place_part in chunks(sorted(set(places))):
                for year_part in chunks([str(y) for y in sorted(set(years))]):
                    path = (
                        f"{prefix}/kpi/{','.join(kpi_part)}/{kind}/{','.join(place_part)}"
                        f"/year/{','.join(year_part)}"
                    )
                    for page in self.pages(path):
                        points.extend(parse_data(page))
        return points
