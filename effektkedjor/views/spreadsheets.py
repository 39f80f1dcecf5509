"""Spreadsheets: exporting chains, status reports and indicator values, and importing an
area's chain with a preview first (effektkedjor/spreadsheets/ reads, compares and writes
them)."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from import_export.formats import base_formats

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade

from .. import dashboard
from ..forms import ImportForm
from ..models import (
    Importfil,
    Indikator,
    Indikatorvarde,
    Lagesrapport,
    LangsiktigEffekt,
    Rapportperiod,
)
from ..services.imports import confirm_import, preview_staged, stage_import
from ..spreadsheets import exporting
from ..spreadsheets.exporting import LagesrapportResource
from ..spreadsheets.importing import ImportChoices
from ..spreadsheets.reading import MAX_BYTES, ImportFileError
from .access import count_text, get_area_for_editor

EXPORT_FORMATS = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}


def _check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise Http404("Exporten finns som xlsx och csv.")


def _export_response(dataset: Any, fmt: str, name: str) -> HttpResponse:
    format_ = EXPORT_FORMATS[fmt]()
    # With a byte order mark, Excel opens the UTF-8 csv with å, ä and ö intact.
    data: bytes | str = (
        exporting.xlsx(dataset) if fmt == "xlsx" else "\ufeff" + format_.export_data(dataset)
    )
    response = HttpResponse(data, content_type=format_.get_content_type())
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


@require_GET
def export_rader(request: HtmxHttpRequest, fmt: str) -> HttpResponse:
    """The effect chain of one area (?omrade=slug) or of the programme, with each row's
    status, assessment and comment for a period (?period=id, the current by default)."""
    _check_format(fmt)
    form = dashboard.filter_form(request.GET)
    filters = dashboard.Filters.from_form(form)
    rows = dashboard.listed_rows(filters).prefetch_related(
        Prefetch(
            "langsiktiga_effekter", queryset=LangsiktigEffekt.objects.order_by("ordning", "id")
        )
    )
    # The whole chain of the area(s), long-term effects without rows included, unless
    # the rows are filtered (then the file is a list of rows, not a chain).
    whole_chain = not (
        filters.organisation
        or filters.status
        or filters.bedomning
        or filters.forsenad
        or filters.samverkansniva
    )
    areas = [filters.omrade] if filters.omrade else Malomrade.objects.order_by("ordning", "id")
    dataset = exporting.chain_dataset(
        rows,
        filters.period,
        areas=areas if whole_chain else (),
        title=filters.omrade.namn if filters.omrade else "Hela programmet",
    )
    scope = filters.omrade.slug if filters.omrade else "hela-programmet"
    period = f"-{slugify(filters.period.namn)}" if filters.period else ""
    return _export_response(dataset, fmt, f"effektkedjor-{scope}{period}")


@require_GET
def export_rapporter(request: HtmxHttpRequest, period_id: int, fmt: str) -> HttpResponse:
    """All status reports of a period."""
    _check_format(fmt)
    period = get_object_or_404(Rapportperiod, pk=period_id)
    reports_ = (
        Lagesrapport.objects.filter(period=period)
        .select_related("rad__malomrade", "period", "forfattare")
        .order_by("rad__malomrade__ordning", "rad__ordning", "datum", "id")
    )
    dataset = LagesrapportResource().export(reports_)
    dataset.title = f"Lägesrapporter {period.namn}"
    return _export_response(dataset, fmt, f"lagesrapporter-{slugify(period.namn)}")


@require_GET
def export_nyckeltal(request: HtmxHttpRequest, fmt: str) -> HttpResponse:
    """Every value of the indicators of one area (?omrade=slug) or of the programme, with
    its source ("Källa": Kolada, or the indicator's own). Readable by everyone signed in,
    as the area pages that show them are."""
    _check_format(fmt)
    slug = request.GET.get("omrade", "")
    area = get_object_or_404(Malomrade, slug=slug) if slug else None
    indikatorer = (
        Indikator.objects.filter(**({"malomrade": area} if area else {}))
        .select_related("malomrade")
        .prefetch_related(
            Prefetch("effekter", queryset=LangsiktigEffekt.objects.order_by("ordning", "id")),
            Prefetch(
                # The indicator's own values; comparisons (country, group) are not exported.
                "varden",
                queryset=Indikatorvarde.objects.filter(plats="").order_by(
                    "ar", "period", "kon", "id"
                ),
            ),
        )
        .order_by("malomrade__ordning", "malomrade_id", "ordning", "id")
    )
    dataset = exporting.indicator_dataset(indikatorer, title="Nyckeltal")
    return _export_response(dataset, fmt, f"nyckeltal-{area.slug if area else 'hela-programmet'}")


@require_http_methods(["GET", "POST"])
def import_upload(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Upload a spreadsheet and see what importing it would do (nothing is written but
    the upload, kept for the confirmation)."""
    area = get_area_for_editor(request, slug)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    context: dict[str, Any] = {"omrade": area, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        try:
            stored, preview = stage_import(
                area=area,
                user=cast(User, request.user),
                filename=upload.name,
                content=upload.read(MAX_BYTES + 1),
            )
        except ImportFileError as error:
            form.add_error("fil", str(error))
        else:
            context.update({"forhands": preview, "importfil": stored})
    return render(request, "effektkedjor/import.html", context)


@require_POST
def import_confirm(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Import the previewed file with the choices made in the preview (new lines as
    changes of rows not in the file, rows to remove): all of it, or nothing if any line
    has an error, a choice cannot be kept, or the area has changed since the preview
    (then a new preview is shown). With `atgard=visa` the preview is only shown again
    with the choices applied."""
    area = get_area_for_editor(request, slug)
    stored = get_object_or_404(Importfil, pk=pk, malomrade=area, anvandare=request.user)
    choices = ImportChoices.from_data(request.POST)
    context: dict[str, Any] = {"omrade": area, "form": ImportForm(), "importfil": stored}
    if request.POST.get("atgard") == "visa":
        context["forhands"] = preview_staged(stored=stored, choices=choices)
        return render(request, "effektkedjor/import.html", context)
    outcome = confirm_import(stored=stored, choices=choices)
    if not outcome.imported:
        context.update({"forhands": outcome.result, "andrat": outcome.state_changed})
        return render(request, "effektkedjor/import.html", context)
    result = outcome.result
    removed = result.count("borttagen")
    messages.success(
        request,
        "Effektkedjan lästes in: "
        f"{count_text(result.count('ny'), 'ny rad', 'nya rader')}, "
        f"{count_text(result.count('ändrad'), 'ändrad', 'ändrade')}"
        + (f", {count_text(removed, 'borttagen', 'borttagna')}" if removed else "")
        + " och "
        f"{count_text(result.count('oförändrad'), 'oförändrad', 'oförändrade')}.",
    )
    return redirect(area.get_absolute_url())
