"""Status reports: reporting on a row (in place or as a page), correcting the row's
report for the current period, "Mina rader" with the rows a user answers for, and
where sign-in lands."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import F, FilteredRelation, Q, QuerySet, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from boras_social.http import HtmxHttpRequest
from malomraden.roles import Roles, roles_for

from .. import formatting
from ..chain import RadVy, row_view, row_views
from ..dashboard import latest_report_ids
from ..forms import LagesrapportForm
from ..models import FINISHED_STATUSES, Kedjerad, Lagesrapport, Rapportperiod
from ..services.reports import PeriodClosed, save_report
from ..versioning import EditConflict, rebind
from .access import form_response, get_row_for_editor, safe_next


@dataclass
class MyRows:
    """What "Mina rader" shows: the user's rows, how many still lack a report for the
    current period, the period and, when it is closed (or there is none), the next."""

    rader: list[RadVy]
    saknar: int
    period: Rapportperiod | None
    nasta: Rapportperiod | None

    @property
    def rapportering(self) -> bool:
        return self.period is not None and self.period.open_for_reports

    @property
    def nasta_oppnar(self) -> datetime.date | None:
        """The next period's first day, if it is still to come."""
        if self.nasta is None or self.nasta.start <= timezone.localdate():
            return None
        return self.nasta.start

    @property
    def klara(self) -> int:
        return sum(1 for v in self.rader if v.klar_sedan)


def _rows_with_state(roles: Roles, current: Rapportperiod | None) -> QuerySet[Kedjerad]:
    """The user's rows with their state in the current period (dashboard.latest_report_ids:
    the period's own report, or an earlier one that finished the row)."""
    return (
        Kedjerad.objects.filter(
            Q(radansvar__organisation_id__in=roles.organisations) | Q(malomrade_id__in=roles.areas)
        )
        .distinct()
        .for_display()
        .annotate(
            p=FilteredRelation(
                "rapporter", condition=Q(rapporter__id__in=Subquery(latest_report_ids(current)))
            ),
            p_status=F("p__status"),
            p_period_id=F("p__period_id"),
            p_period_namn=F("p__period__namn"),
            p_forfattare_id=F("p__forfattare_id"),
        )
    )


def my_rows(user: Any, roles: Roles) -> MyRows:
    """The rows the user answers for, those still to report first, then the reported,
    then the finished; in a fixed number of queries whatever their number."""
    current = Rapportperiod.current()
    nasta = None if current and current.open_for_reports else Rapportperiod.next_after(current)
    if not roles.has_own_rows:
        return MyRows([], 0, current, nasta)
    rows = list(_rows_with_state(roles, current))
    views = row_views(rows, roles)
    open_now = current is not None and current.open_for_reports
    user_id = user.pk if isinstance(user, User) else None
    for row, vy in zip(rows, views, strict=True):
        in_period = current is not None and row.p_period_id == current.pk  # type: ignore[attr-defined]
        vy.har_rapport = in_period
        if row.p_status in FINISHED_STATUSES and not in_period:  # type: ignore[attr-defined]
            vy.klar_sedan = formatting.since_text(row.p_status, row.p_period_namn)  # type: ignore[attr-defined]
        vy.kan_rapportera = (
            open_now
            and vy.kan_andra
            and (not in_period or roles.can_change_report(row, row.p_forfattare_id, user_id))  # type: ignore[attr-defined]
        )

    def order(vy: RadVy) -> tuple[int, int, int, int]:
        state = 2 if vy.klar_sedan else 1 if vy.har_rapport else 0
        return (state, vy.rad.malomrade.ordning, vy.rad.ordning, vy.rad.pk)

    views.sort(key=order)
    missing = sum(1 for v in views if not v.har_rapport and not v.klar_sedan)
    return MyRows(views, missing, current, nasta)


def _previous_report(row: Kedjerad, period: Rapportperiod) -> Lagesrapport | None:
    """The row's latest report before this period: the new report starts from it."""
    return (
        row.rapporter.exclude(period=period)
        .filter(period__slut__lte=period.slut)
        .select_related("period")
        .order_by("-period__slut", "-period__start", "-datum", "-id")
        .first()
    )


def _saved_response(request: HtmxHttpRequest, row: Kedjerad, report: Lagesrapport) -> HttpResponse:
    """After a save with htmx: the row's status block in place of the form, and, out of
    band, everything else on the page that the report changes (Mina rader: the row's
    "Saknar rapport", the "N av M" count) and the announcement in the page's live
    region."""
    roles = roles_for(request.user)
    vy = row_view(row.pk, roles)
    context: dict[str, Any] = {"rad": vy.rad, "vy": vy, "sparad": report, "fokus": True}
    mina_rader = reverse("effektkedjor:mina_rader")
    if (request.htmx.current_url_abs_path or "").startswith(mina_rader):
        mine = my_rows(request.user, roles)
        card = next((v for v in mine.rader if v.pk == row.pk), None)
        context.update(mine=mine, kort=card, oob=True)
    response = render(request, "effektkedjor/_lage.html", context)
    return trigger_client_event(response, "rapport-sparad", {"rad": row.pk})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rapportera(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The row's report for the current period: a new one (starting from the row's
    previous report), or the one there is, for its author or the area's owners to
    correct while the period is open."""
    row = get_row_for_editor(request, pk)
    roles = roles_for(request.user)
    user = request.user if isinstance(request.user, User) else None
    current = Rapportperiod.current()
    period = current if current is not None and current.open_for_reports else None
    existing = (
        Lagesrapport.objects.select_related("forfattare", "period")
        .filter(rad=row, period=period)
        .first()
        if period
        else None
    )
    context: dict[str, Any] = {
        "rad": row,
        "next": safe_next(request, ""),
        "period": period,
        "nasta": None if period else Rapportperiod.next_after(current),
        "har_oppen_period": period is not None,
        "rapport": existing,
    }
    page, fragment = "effektkedjor/lagesrapport_form.html", "effektkedjor/_rapport_form.html"
    if existing is not None and not roles.can_change_report(
        row, existing.forfattare_id, user.pk if user else None
    ):
        if request.method == "POST" and request.POST.get("version") == str(existing.version):
            raise PermissionDenied(
                "Bara den som skrev rapporten och målområdets ansvariga får ändra den."
            )
        # Read only: someone else's report (perhaps saved while this user was writing,
        # whose text is shown back so that nothing typed is lost).
        context.update(las=True, utkast=request.POST.get("kommentar", ""))
        return form_response(
            request, form=None, focus=None, page=page, fragment=fragment, context=context
        )

    auto_id = f"rapport{row.pk}_%s"
    instance = existing or Lagesrapport(rad=row, forfattare=user)
    previous = None
    if request.method == "POST":
        form = LagesrapportForm(request.POST, instance=instance, auto_id=auto_id)
        if form.is_valid():
            try:
                report = save_report(
                    report=form.instance, expected_version=form.cleaned_data["version"]
                )
            except PeriodClosed as closed:
                form.add_error(None, str(closed))
            except EditConflict as conflict:
                # Two copies: the form writes the user's input onto its instance.
                saved_meanwhile = Lagesrapport.objects.select_related("forfattare")
                current_report = saved_meanwhile.get(pk=conflict.current.pk)
                form = rebind(
                    request.POST,
                    current_report,
                    lambda data: LagesrapportForm(
                        data, instance=saved_meanwhile.get(pk=current_report.pk), auto_id=auto_id
                    ),
                )
                context.update(konflikt=current_report, rapport=current_report)
            else:
                if request.htmx:
                    return _saved_response(request, row, report)
                messages.success(request, f"Lägesrapporten för ”{row.aktivitet}” sparades.")
                fallback = reverse("effektkedjor:rad", args=[pk])
                return HttpResponseRedirect(safe_next(request, fallback))
    else:
        initial: dict[str, Any] = {}
        if existing is None and period is not None:
            previous = _previous_report(row, period)
            if previous is not None:
                initial = {
                    "status": previous.status,
                    "bedomning": previous.bedomning,
                    "kommentar": previous.kommentar,
                }
        form = LagesrapportForm(instance=instance, initial=initial, auto_id=auto_id)
    context.update(form=form, foregaende=previous)
    return form_response(
        request, form=form, focus="status", page=page, fragment=fragment, context=context
    )


@require_GET
def mina_rader(request: HtmxHttpRequest) -> HttpResponse:
    """The rows the user answers for, those without a report for the current period
    first, each with a one-click way to report while the period is open; when it is
    closed, when the next one opens instead."""
    roles = roles_for(request.user)
    mine = my_rows(request.user, roles)
    return render(
        request,
        "effektkedjor/mina_rader.html",
        {"mine": mine, "rader": mine.rader, "period": mine.period, "roller": roles},
    )


@require_GET
def start(request: HtmxHttpRequest) -> HttpResponse:
    """Where sign-in lands (LOGIN_REDIRECT_URL) when no page was asked for: each role's
    daily page (`Roles.landing`)."""
    return redirect(roles_for(request.user).landing)
