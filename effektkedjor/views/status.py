"""Status reports: reporting on a row (in place or as a page), "Mina rader" with the
rows a user answers for, and where sign-in lands."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from boras_social.http import HtmxHttpRequest
from malomraden.roles import roles_for

from ..chain import row_view, row_views
from ..forms import LagesrapportForm
from ..models import Kedjerad, Lagesrapport, Rapportperiod
from ..services.reports import PeriodClosed, save_report
from .access import form_response, get_row_for_editor, safe_next


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rapportera(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = get_row_for_editor(request, pk)
    form = LagesrapportForm(auto_id=f"rapport{row.pk}_%s")
    if request.method == "POST":
        author = request.user if isinstance(request.user, User) else None
        form = LagesrapportForm(
            request.POST,
            instance=Lagesrapport(rad=row, forfattare=author),
            auto_id=f"rapport{row.pk}_%s",
        )
        if form.is_valid():
            try:
                report = save_report(report=form.instance)
            except PeriodClosed as closed:
                form.add_error("period", str(closed))
            else:
                if request.htmx:
                    vy = row_view(pk, roles_for(request.user))
                    context = {"rad": vy.rad, "vy": vy, "ny_rapport": report, "fokus": True}
                    response = render(request, "effektkedjor/_lage.html", context)
                    return trigger_client_event(response, "rapport-sparad", {"rad": pk})
                messages.success(request, f"Lägesrapporten för ”{row.aktivitet}” sparades.")
                fallback = reverse("effektkedjor:rad", args=[pk])
                return HttpResponseRedirect(safe_next(request, fallback))
    return form_response(
        request,
        form=form,
        focus="period",
        page="effektkedjor/lagesrapport_form.html",
        fragment="effektkedjor/_rapport_form.html",
        context={
            "form": form,
            "rad": row,
            "next": safe_next(request, ""),
            "har_oppen_period": Rapportperiod.objects.filter(stangd=False).exists(),
        },
    )


@require_GET
def mina_rader(request: HtmxHttpRequest) -> HttpResponse:
    """The rows the user answers for, those without a report for the current period
    first, each with a one-click way to report."""
    roles = roles_for(request.user)
    current = Rapportperiod.current()
    rows = Kedjerad.objects.none()
    if roles.has_own_rows:
        rows = (
            Kedjerad.objects.filter(
                Q(radansvar__organisation_id__in=roles.organisations)
                | Q(malomrade_id__in=roles.areas)
            )
            .distinct()
            .for_display()
            .annotate(
                har_rapport=Exists(Lagesrapport.objects.filter(rad=OuterRef("pk"), period=current))
            )
            .order_by("har_rapport", "malomrade__ordning", "ordning", "id")
        )
    rows_list = list(rows)
    reported = {row.pk for row in rows_list if getattr(row, "har_rapport", False)}
    views = row_views(rows_list, roles, current_report=reported)
    return render(
        request,
        "effektkedjor/mina_rader.html",
        {
            "rader": views,
            "period": current,
            "saknar": sum(1 for v in views if not v.har_rapport),
            "roller": roles,
        },
    )


@require_GET
def start(request: HtmxHttpRequest) -> HttpResponse:
    """Where sign-in lands (LOGIN_REDIRECT_URL) when no page was asked for: each role's
    daily page (`Roles.landing`)."""
    return redirect(roles_for(request.user).landing)
