"""Editing indicators (nyckeltal): adding and changing an area's indicators, with a search
of Kolada's KPIs by title that fills in the picked KPI's title, description, unit and
gender split. Area owners edit their area's indicators, the programme management all; values of an
indicator entered by hand (Borås's own statistics) are added and changed here too, or
read from a spreadsheet with a preview first. The programme management starts a fetch of
every Kolada indicator here too (on the task worker) and follows it.

The search is asked server-side (kolada.py, setting KOLADA_BASE_URL): without JavaScript
it is a plain GET form, with htmx only the list of hits is redrawn. When Kolada cannot be
reached the page says so and the form can still be filled in by hand.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade
from malomraden.roles import roles_for

from ..forms import ImportForm, IndikatorForm, IndikatorvardeForm
from ..kolada import KoladaClient, KoladaError, KpiInfo, kpi_info
from ..models import Hamtning, Indikator
from ..services.indicator_imports import import_values
from ..services.indicators import (
    QUEUED,
    NyttVarde,
    apply_kpi_info,
    save_indicator,
    save_values,
    start_fetch,
)
from ..spreadsheets import indicator_values
from ..spreadsheets.reading import MAX_BYTES, ImportFileError, read_grids
from ..versioning import EditConflict, rebind
from .access import autofocus, count_text, get_area_for_editor

TEMPLATE = "effektkedjor/indikator_form.html"
# At most this many hits are listed; a narrower search finds the rest.
MAX_HITS = 30
# A person is waiting: a short timeout and one retry, not the fetch's patience.
SEARCH_TIMEOUT = 5.0


def get_indicator_for_editor(request: HtmxHttpRequest, pk: int) -> Indikator:
    indikator = get_object_or_404(Indikator.objects.select_related("malomrade"), pk=pk)
    if not roles_for(request.user).can_edit_area(indikator.malomrade_id):
        raise PermissionDenied("Bara målområdets ansvariga får ändra nyckeltalen.")
    return indikator


def _client() -> KoladaClient:
    return KoladaClient(timeout=SEARCH_TIMEOUT, retries=1, backoff=0.5, max_wait=2.0)


def _unreachable(error: KoladaError) -> str:
    return (
        f"Kolada gick inte att nå just nu, så sökningen kunde inte göras. {error} "
        "Du kan fylla i nyckeltalet för hand nedan (KPI-id, namn och enhet) eller försöka "
        "igen senare."
    )


def _search(text: str) -> tuple[list[KpiInfo], int, str]:
    """The KPIs whose title matches, the number found, and an error for people."""
    try:
        found = _client().search_kpis(text)
    except KoladaError as error:
        return [], 0, _unreachable(error)
    hits = [kpi_info(meta) for meta in found]
    hits = [hit for hit in hits if hit.id]
    return hits[:MAX_HITS], len(hits), ""


def _picked(kpi: str) -> tuple[KpiInfo | None, str]:
    kpi = kpi.strip().upper()
    try:
        found = _client().kpis([kpi])
    except KoladaError as error:
        return None, _unreachable(error)
    if kpi not in found:
        return None, f"Kolada känner inte till något nyckeltal med id {kpi}."
    return kpi_info(found[kpi]), ""


def _form_view(
    request: HtmxHttpRequest, area: Malomrade, indikator: Indikator, *, ny: bool
) -> HttpResponse:
    sok = request.GET.get("sok", "").strip()[:200]
    context: dict[str, Any] = {"omrade": area, "indikator": indikator, "ny": ny, "sok": sok}
    if "sok" in request.GET and request.method == "GET":
        if sok:
            hits, total, error = _search(sok)
            context.update({"traffar": hits, "antal_traffar": total, "kolada_fel": error})
        else:
            context["kolada_fel"] = "Skriv ett eller flera ord ur nyckeltalets namn."
        context["sokt"] = True
        if request.htmx:
            return render(request, TEMPLATE + "#traffar", context)
    if request.method == "GET" and request.GET.get("kpi"):
        info, error = _picked(request.GET["kpi"])
        if info is not None:
            apply_kpi_info(indikator, info)
            context["vald_kpi"] = info
        else:
            context["kolada_fel"] = error
    conflict = False
    form = IndikatorForm(
        request.POST if request.method == "POST" else None,
        instance=indikator,
        area_id=area.pk,
        auto_id="indikator_%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_indicator(
                indikator=form.instance,
                effekter=list(form.cleaned_data["effekter"]),
                expected_version=None if ny else form.cleaned_data["version"] or 0,
            )
        except EditConflict as error:
            current = error.current
            form = rebind(
                request.POST,
                current,
                lambda data: IndikatorForm(
                    data, instance=current, area_id=area.pk, auto_id="indikator_%s"
                ),
            )
            conflict = True
        else:
            messages.success(
                request,
                f"Nyckeltalet ”{indikator.namn}” " + ("lades till." if ny else "sparades."),
            )
            return redirect(f"{area.get_absolute_url()}#indikator-rubrik")
    if request.method == "POST" or "kpi" in request.GET:
        autofocus(form, "namn", page=True)
    context.update({"form": form, "konflikt": conflict})
    return render(request, TEMPLATE, context)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def indikator_ny(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A new indicator for the area. `?sok=` searches Kolada (for htmx: just the hits);
    `?kpi=` fills the form from the picked KPI."""
    area = get_area_for_editor(request, slug)
    return _form_view(request, area, Indikator(malomrade=area), ny=True)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def indikator_andra(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    indikator = get_indicator_for_editor(request, pk)
    return _form_view(request, indikator.malomrade, indikator, ny=False)


@require_http_methods(["GET", "POST"])
def indikator_varden(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An indicator's values, and for one entered by hand (Borås's own statistics) a
    form to add or change a value; `?varde=<id>` opens the form on that value."""
    indikator = get_indicator_for_editor(request, pk)
    area = indikator.malomrade
    manual = indikator.kalla == Indikator.Kalla.MANUELL
    values = list(indikator.varden.select_related("inmatad_av").order_by("-ar", "period", "kon"))
    initial: dict[str, Any] = {}
    chosen = request.GET.get("varde", "")
    if chosen.isdigit():
        value = next((v for v in values if v.pk == int(chosen)), None)
        if value is not None:
            initial = {"ar": value.ar, "period": value.period, "kon": value.kon}
            initial["varde"] = value.varde
    form = IndikatorvardeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not manual:
            form.add_error(
                None,
                "Värdena för det här nyckeltalet hämtas från Kolada och matas inte in för hand.",
            )
        elif form.is_valid():
            data = form.cleaned_data
            new, _changed = save_values(
                indikator=indikator,
                varden=[NyttVarde(data["ar"], data["period"], data["kon"], data["varde"])],
                user=request.user,
                reason="Inmatat för hand",
            )
            when = f"{data['ar']}{' ' + data['period'] if data['period'] else ''}"
            messages.success(request, f"Värdet för {when} {'lades till' if new else 'sparades'}.")
            return redirect("effektkedjor:indikator_varden", indikator.pk)
    if request.method == "POST" or initial:
        autofocus(form, "ar", page=True)
    context = {
        "omrade": area,
        "indikator": indikator,
        "varden": values,
        "form": form,
        "manuell": manual,
    }
    return render(request, "effektkedjor/indikator_varden.html", context)


IMPORT_SALT = "effektkedjor.nyckeltalsimport"
IMPORT_MAX_AGE = 24 * 60 * 60  # a preview is confirmed the same day


def _signed(request: HtmxHttpRequest, area: Malomrade, lines: Any, result: Any) -> str:
    """The previewed lines and what they would do, signed: the confirmation imports
    exactly what the user saw, into the same area, as the same user."""
    payload = {
        "a": area.pk,
        "u": request.user.pk,
        "s": result.sheet,
        "l": lines,
        "st": result.state,
    }
    return signing.dumps(payload, salt=IMPORT_SALT, compress=True)


@require_http_methods(["GET", "POST"])
def indikator_import(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Values of the area's indicators from a spreadsheet: upload, see the preview, then
    confirm (all of the values or none)."""
    area = get_area_for_editor(request, slug)
    template = "effektkedjor/indikator_import.html"
    context: dict[str, Any] = {"omrade": area, "form": ImportForm()}
    if request.method == "POST" and "data" in request.POST:
        try:
            payload = signing.loads(request.POST["data"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(
                request,
                "Förhandsgranskningen är för gammal eller ofullständig. Ladda upp filen igen.",
            )
            return redirect("effektkedjor:indikator_import", area.slug)
        if payload.get("a") != area.pk or payload.get("u") != request.user.pk:
            raise PermissionDenied("Förhandsgranskningen gäller ett annat målområde.")
        lines = [(int(number), dict(values)) for number, values in payload["l"]]
        outcome = import_values(
            area=area,
            lines=lines,
            expected_state=payload["st"],
            user=request.user,
            sheet=payload.get("s"),
        )
        if outcome.imported:
            result = outcome.result
            messages.success(
                request,
                "Värdena lästes in: "
                f"{count_text(result.count('ny'), 'nytt', 'nya')}, "
                f"{count_text(result.count('ändrad'), 'ändrat', 'ändrade')} och "
                f"{count_text(result.count('oförändrad'), 'oförändrat', 'oförändrade')}.",
            )
            return redirect(f"{area.get_absolute_url()}#indikator-rubrik")
        context.update(
            {
                "forhands": outcome.result,
                "andrat": outcome.state_changed,
                "data": _signed(request, area, payload["l"], outcome.result),
            }
        )
        return render(request, template, context)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["fil"]
            try:
                grids = read_grids(
                    upload.read(MAX_BYTES + 1), upload.name, indicator_values.HEADINGS
                )
                sheet, lines = indicator_values.read_lines(grids)
            except ImportFileError as error:
                form.add_error("fil", str(error))
            else:
                result = indicator_values.preview(area, lines, sheet)
                context.update({"forhands": result, "data": _signed(request, area, lines, result)})
    return render(request, template, context)


@dataclass(frozen=True)
class HamtningVy:
    """A fetch as its pages show it."""

    h: Hamtning

    @property
    def vantar(self) -> bool:
        """Queued for the task worker, not yet started."""
        return self.h.klar is None and self.h.vad == QUEUED


def _require_programme_management(request: HtmxHttpRequest) -> None:
    if not roles_for(request.user).whole_programme:
        raise PermissionDenied("Bara programledningen hämtar nyckeltal från Kolada.")


@require_http_methods(["GET", "POST"])
def hamtningar(request: HtmxHttpRequest) -> HttpResponse:
    """The fetches of indicator values (the newest first), and a button that starts a
    fetch of every Kolada indicator on the task worker."""
    _require_programme_management(request)
    if request.method == "POST":
        log, new = start_fetch(user=request.user)
        if not new:
            messages.info(request, "En hämtning pågår redan. Här är den.")
        return redirect("effektkedjor:hamtning", log.pk)
    logs = [HamtningVy(h) for h in Hamtning.objects.select_related("startad_av")[:20]]
    antal = Indikator.objects.filter(kalla=Indikator.Kalla.KOLADA).exclude(kolada_kpi="").count()
    return render(
        request, "effektkedjor/hamtningar.html", {"hamtningar": logs, "antal_kolada": antal}
    )


@require_GET
@vary_on_headers("HX-Request")
def hamtning(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One fetch: queued, under way or done with its result; the page asks again every
    few seconds (htmx) until it is done."""
    _require_programme_management(request)
    log = get_object_or_404(Hamtning.objects.select_related("startad_av"), pk=pk)
    context = {"vy": HamtningVy(log)}
    template = "effektkedjor/hamtning.html"
    return render(request, template + "#status" if request.htmx else template, context)
