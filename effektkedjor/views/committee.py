"""Committee reports: the list of periods and reports, a report as a page or a PDF
(a large one made by the task worker), and closing and reopening periods."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade
from malomraden.roles import roles_for

from .. import reports
from ..forms import ReopenForm
from ..models import PdfBestallning, Rapportperiod
from ..services.reports import close_period, order_pdf, reopen_period
from .access import get_period_for_director


def _period_and_area(period_id: int, slug: str | None) -> tuple[Rapportperiod, Malomrade | None]:
    period = get_object_or_404(Rapportperiod, pk=period_id)
    area = get_object_or_404(Malomrade, slug=slug) if slug else None
    return period, area


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_GET
def rapporter(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "effektkedjor/rapporter.html",
        {
            "perioder": Rapportperiod.objects.order_by("-slut", "-start"),
            "omraden": Malomrade.objects.order_by("ordning", "id"),
            "kan_stanga": roles_for(request.user).whole_programme,
        },
    )


@require_GET
def rapport(request: HtmxHttpRequest, period_id: int, slug: str | None = None) -> HttpResponse:
    """The report as a page (everyone signed in reads everything)."""
    period, area = _period_and_area(period_id, slug)
    data = reports.report_data(period, area)
    pdf_url = (
        reverse("effektkedjor:rapport_omrade_pdf", args=[period.pk, area.slug])
        if area
        else reverse("effektkedjor:rapport_pdf", args=[period.pk])
    )
    html = reports.render_html(data, for_pdf=False, hela=area is None)
    return render(
        request,
        "effektkedjor/rapport.html",
        {"innehall": html, "pdf_url": pdf_url, "r": data, "hela": area is None},
    )


@require_GET
def rapport_pdf(request: HtmxHttpRequest, period_id: int, slug: str | None = None) -> HttpResponse:
    """The report as a PDF download; a large one is ordered from the task worker."""
    period, area = _period_and_area(period_id, slug)
    data = reports.report_data(period, area)
    if reports.row_count(data) > settings.PDF_SYNC_MAX_ROWS:
        order = order_pdf(period=period, area=area, user=request.user)
        return redirect("effektkedjor:bestallning", order.pk)
    pdf, _pages = reports.render_pdf(data, hela=area is None)
    return _pdf_response(pdf, reports.filename(period, area))


@require_GET
@vary_on_headers("HX-Request")
def bestallning(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(PdfBestallning.objects.select_related("period", "malomrade"), pk=pk)
    template = "effektkedjor/pdf_bestallning.html"
    return render(
        request, template + "#status" if request.htmx else template, {"bestallning": order}
    )


@require_GET
def bestallning_pdf(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(
        PdfBestallning.objects.select_related("period", "malomrade"),
        pk=pk,
        status=PdfBestallning.Status.KLAR,
    )
    return _pdf_response(bytes(order.pdf or b""), reports.filename(order.period, order.malomrade))


@require_POST
def period_stang(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_director(request, pk)
    if not period.stangd:
        close_period(period=period)
        messages.success(request, f"{period.namn} är stängd och rapporten fastställd.")
    return redirect("effektkedjor:rapporter")


@require_http_methods(["GET", "POST"])
def period_oppna(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_director(request, pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reopen_period(period=period, reason=form.cleaned_data["skal"])
        messages.success(request, f"{period.namn} är öppen igen.")
        return redirect("effektkedjor:rapporter")
    return render(request, "effektkedjor/period_oppna.html", {"period": period, "form": form})
