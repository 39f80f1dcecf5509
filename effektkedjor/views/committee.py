"""Committee reports: the list of periods and reports, a report as a page or a PDF
(a large one made by the task worker); and the periods themselves: creating and changing
them, making one current, closing (after a confirmation) and reopening."""

from typing import Any

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

from .. import dashboard, reports
from ..forms import RapportperiodForm, ReopenForm
from ..models import PdfBestallning, Rapportperiod
from ..services.reports import (
    close_period,
    make_current,
    order_pdf,
    reopen_period,
    save_period,
)
from .access import get_period_for_director, require_programme_management


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


def _not_reported(period: Rapportperiod) -> dict[str, Any]:
    """What closing would leave out: the rows with no report for the period (finished
    rows do not count), and who answers for them."""
    unreported = dashboard.rows_for(dashboard.Filters(period=period)).filter(p_status__isnull=True)
    filters = dashboard.Filters(period=period)
    return {
        "saknar": unreported.count(),
        "rader": dashboard.rows_for(filters).count(),
        "organisationer": dashboard.unreported_by_org(unreported, filters),
        "utan_organisation": unreported.filter(radansvar__isnull=True).count(),
    }


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def period_stang(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Closing a period, in two steps: a confirmation saying how many rows have not
    reported and whose they are, then the close. Without JavaScript the confirmation is
    a page; with htmx it takes the place of the button, and `?avbryt` puts the button
    back."""
    period = get_period_for_director(request, pk)
    template = "effektkedjor/period_stang.html"
    if request.method == "POST" and request.POST.get("bekrafta") == "ja" and not period.stangd:
        close_period(period=period)
        messages.success(request, f"{period.namn} är stängd och rapporten fastställd.")
        return redirect("effektkedjor:rapporter")
    if period.stangd:
        messages.info(request, f"{period.namn} är redan stängd.")
        return redirect("effektkedjor:rapporter")
    if request.htmx and "avbryt" in request.GET:
        return render(request, template + "#knapp", {"p": period, "fokus": True})
    context = {"period": period, **_not_reported(period)}
    return render(request, template + "#bekrafta" if request.htmx else template, context)


@require_http_methods(["GET", "POST"])
def period_ny(request: HtmxHttpRequest) -> HttpResponse:
    require_programme_management(request)
    return _period_form(request, Rapportperiod())


@require_http_methods(["GET", "POST"])
def period_andra(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _period_form(request, get_period_for_director(request, pk))


def _period_form(request: HtmxHttpRequest, period: Rapportperiod) -> HttpResponse:
    new = period.pk is None
    form = RapportperiodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        saved = save_period(period=form.instance)
        messages.success(request, f"Perioden {saved.namn} {'lades upp' if new else 'sparades'}.")
        return redirect(f"{reverse('effektkedjor:rapporter')}#period-{saved.pk}")
    return render(
        request, "effektkedjor/period_form.html", {"form": form, "period": period, "ny": new}
    )


@require_POST
def period_aktuell(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Make the period the one officials report in."""
    period = get_period_for_director(request, pk)
    if period.stangd:
        messages.error(request, f"{period.namn} är stängd. Öppna den igen innan den görs aktuell.")
    else:
        make_current(period=period)
        messages.success(
            request, f"{period.namn} är nu aktuell: tjänstepersonerna rapporterar läget i den."
        )
    return redirect(f"{reverse('effektkedjor:rapporter')}#period-{period.pk}")


@require_http_methods(["GET", "POST"])
def period_oppna(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_director(request, pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reopen_period(period=period, reason=form.cleaned_data["skal"])
        messages.success(request, f"{period.namn} är öppen igen.")
        return redirect("effektkedjor:rapporter")
    return render(request, "effektkedjor/period_oppna.html", {"period": period, "form": form})
