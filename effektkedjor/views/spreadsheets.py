"""Spreadsheets: exporting chains and status reports, and importing an area's chain
with a preview first (effektkedjor/spreadsheets/ reads, compares and writes them)."""

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

from .. import dashboard
from ..forms import ImportForm
from ..models import Importfil, Lagesrapport, LangsiktigEffekt, Rapportperiod
from ..services.imports import confirm_import, stage_import
from ..spreadsheets.exporting import KedjeradResource, LagesrapportResource
from ..spreadsheets.reading import MAX_BYTES, ImportFileError
from .access import count_text, get_area_for_editor

EXPORT_FORMATS = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}


def _check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise Http404("Exporten finns som xlsx och csv.")


def _export_response(dataset: Any, fmt: str, name: str) -> HttpResponse:
    format_ = EXPORT_FORMATS[fmt]()
    data = format_.export_data(dataset)
    if fmt == "csv":
        # With a byte order mark, Excel opens the UTF-8 file with å, ä and ö intact.
        data = "\ufeff" + data
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
    dataset = KedjeradResource(filters.period).export(rows)
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
    return _export_response(dataset, fmt, f"lagesrapporter-{slugify(period.namn)}")


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
    """Import the previewed file: all of it, or nothing if any line has an error or the
    area has changed since the preview (then a new preview is shown)."""
    area = get_area_for_editor(request, slug)
    stored = get_object_or_404(Importfil, pk=pk, malomrade=area, anvandare=request.user)
    outcome = confirm_import(stored=stored)
    if not outcome.imported:
        context = {
            "omrade": area,
            "form": ImportForm(),
            "importfil": stored,
            "forhands": outcome.result,
            "andrat": outcome.state_changed,
        }
        return render(request, "effektkedjor/import.html", context)
    result = outcome.result
    messages.success(
        request,
        "Effektkedjan lästes in: "
        f"{count_text(result.count('ny'), 'ny rad', 'nya rader')}, "
        f"{count_text(result.count('ändrad'), 'ändrad', 'ändrade')} och "
        f"{count_text(result.count('oförändrad'), 'oförändrad', 'oförändrade')}.",
    )
    return redirect(area.get_absolute_url())
