"""The director's dashboard: the programme's state for a period with filters in the URL,
and the rows (or indicators) behind each of its numbers (effektkedjor/dashboard.py counts
them)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade

from .. import charts, dashboard, indicators
from ..models import Bedomning, Status

ROWS_PER_PAGE = 50


@require_GET
@vary_on_headers("HX-Request")
def instrumentpanel(request: HtmxHttpRequest) -> HttpResponse:
    """htmx swaps in the panel only; a history restore or a plain request gets the whole
    page."""
    form = dashboard.filter_form(request.GET)
    filters = dashboard.Filters.from_form(form)
    board = dashboard.build(filters)
    context = {
        "form": form,
        "panel": board,
        "f": filters,
        "statusval": Status.choices,
        "bedomningsval": Bedomning.choices,
        "charts": {
            "status": charts.bar_chart(
                chart_id="diagram-status",
                title="Rader per status",
                items=board.by_status,
                kind="status",
            ),
            "bedomning": charts.bar_chart(
                chart_id="diagram-bedomning",
                title="Rader per bedömning",
                items=board.by_assessment,
                kind="bedomning",
            ),
            "samverkan": charts.bar_chart(
                chart_id="diagram-samverkan",
                title="Rader per samverkansnivå",
                items=board.by_level,
                kind="samverkan",
            ),
        },
    }
    template = "effektkedjor/instrumentpanel.html"
    if request.htmx and not request.htmx.history_restore_request:
        # The address bar gets the filters in their short form, so the page can be
        # bookmarked and the back button brings the previous filters back.
        response = render(request, template + "#panel", {**context, "meddela": True})
        url = reverse("effektkedjor:instrumentpanel")
        return push_url(response, f"{url}?{filters.query()}" if filters.query() else url)
    return render(request, template, context)


@require_GET
def instrumentpanel_rader(request: HtmxHttpRequest) -> HttpResponse:
    """The rows behind a number on the dashboard, a page at a time."""
    form = dashboard.filter_form(request.GET)
    filters = dashboard.Filters.from_form(form)
    page = Paginator(dashboard.listed_rows(filters), ROWS_PER_PAGE).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "effektkedjor/instrumentpanel_rader.html",
        {
            "sida": page,
            "f": filters,
            "form": form,
            "beskrivning": dashboard.describe(filters),
        },
    )


@require_GET
def instrumentpanel_nyckeltal(request: HtmxHttpRequest) -> HttpResponse:
    """The indicators behind a number of "Rör sig effekterna?": an area's (?omrade=slug)
    or the programme's, with one status (?status=i_fas, inte_i_fas, inga_uppgifter) or
    all. Readable by everyone signed in, as the dashboard is."""
    slug = request.GET.get("omrade", "")
    area = get_object_or_404(Malomrade, slug=slug) if slug else None
    status = request.GET.get("status", "")
    if status and status not in set(indicators.Status):
        raise Http404("Okänd status för nyckeltal.")
    return render(
        request,
        "effektkedjor/instrumentpanel_nyckeltal.html",
        {
            "omrade": area,
            "status": indicators.Status(status).label if status else "",
            "lagen": dashboard.indicator_list(area, status),
        },
    )
