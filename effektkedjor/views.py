"""Editing the effect chain and reporting status.

One URL serves a full page and, for htmx requests, the fragment that changes in place
(a table row, the status block, the table). Every view checks the user's roles
(malomraden/roles.py) before it reads a form or writes: a fragment can be requested on
its own, so templates hiding a button is never the only guard. Without JavaScript every
action works through the same URLs as ordinary pages and form posts.
"""

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, retarget, trigger_client_event
from import_export.formats import base_formats

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade
from malomraden.roles import roles_for

from . import charts, dashboard, importing, imports, reports
from .forms import KedjeradForm, LagesrapportForm, LangsiktigEffektForm
from .history import changes_since, row_history
from .links import attach_links
from .models import (
    Bedomning,
    Importfil,
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    PdfBestallning,
    Rapportperiod,
    Status,
    attach_latest_reports,
    group_by_effects,
)
from .resources import KedjeradResource, LagesrapportResource
from .services import (
    EditConflict,
    delete_effect,
    lock_area,
    move_row,
    next_position,
    ordered_organisations,
    save_effect,
    save_row,
)
from .tasks import make_pdf

# --- access helpers: each raises PermissionDenied (403) or Http404 -------------------


def _get_row(pk: int) -> Kedjerad:
    return get_object_or_404(Kedjerad.objects.for_display(), pk=pk)


def _get_row_for_editor(request: HtmxHttpRequest, pk: int) -> Kedjerad:
    row = _get_row(pk)
    if not roles_for(request.user).can_edit_row(row):
        raise PermissionDenied("Du får inte ändra eller rapportera på den här raden.")
    return row


def _get_row_for_area_editor(request: HtmxHttpRequest, pk: int) -> Kedjerad:
    row = _get_row(pk)
    if not roles_for(request.user).can_edit_area(row.malomrade_id):
        raise PermissionDenied("Bara målområdets ansvariga får ta bort och flytta rader.")
    return row


def _get_area_for_editor(request: HtmxHttpRequest, slug: str) -> Malomrade:
    area = get_object_or_404(Malomrade, slug=slug)
    if not roles_for(request.user).can_edit_area(area.pk):
        raise PermissionDenied("Bara målområdets ansvariga får ändra här.")
    return area


def _get_effect_for_editor(request: HtmxHttpRequest, pk: int) -> LangsiktigEffekt:
    effect = get_object_or_404(LangsiktigEffekt.objects.select_related("malomrade"), pk=pk)
    if not roles_for(request.user).can_edit_area(effect.malomrade_id):
        raise PermissionDenied("Bara målområdets ansvariga får ändra långsiktiga effekter.")
    return effect


def _render(
    request: HtmxHttpRequest, *, page: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    """One URL, two renderings: the fragment for htmx, the whole page otherwise."""
    return render(request, fragment if request.htmx else page, context)


def _autofocus(form: Any, field: str) -> None:
    """Move focus into a form that htmx puts on the page (static/js/app.js): to the
    first field with an error, else to `field`."""
    if form.is_bound and form.errors:
        field = next((name for name in form.fields if name in form.errors), field)
    form.fields[field].widget.attrs["data-fokus"] = True


# --- context for the chain table and its rows ----------------------------------------


def chain_context(request: HtmxHttpRequest, area: Malomrade) -> dict[str, Any]:
    """What the chain table of an area needs, with each row's edit rights."""
    roles = roles_for(request.user)
    rows = list(Kedjerad.objects.filter(malomrade=area).for_display().order_by("ordning", "id"))
    attach_latest_reports(rows)
    attach_links(rows)
    for row in rows:
        row.kan_andra = roles.can_edit_row(row)  # type: ignore[attr-defined]
    can_edit_area = roles.can_edit_area(area.pk)
    show_actions = can_edit_area or any(r.kan_andra for r in rows)  # type: ignore[attr-defined]
    return {
        "omrade": area,
        "grupper": group_by_effects(rows),
        "antal_rader": len(rows),
        "kan_andra_omrade": can_edit_area,
        "visa_atgarder": show_actions,
        "kolumner": 9 if show_actions else 8,
        "tabell_id": f"kedja-{area.slug}",
        "caption": f"Effektkedja för {area.namn}",
    }


def _row_context(request: HtmxHttpRequest, row: Kedjerad) -> dict[str, Any]:
    """The table context narrowed to one row: its group and whether it opens the group."""
    context = chain_context(request, row.malomrade)
    for group in context["grupper"]:
        for i, candidate in enumerate(group.rader):
            if candidate.pk == row.pk:
                return {**context, "rad": candidate, "grupp": group, "forsta": i == 0}
    raise LookupError(row.pk)


def _table_response(request: HtmxHttpRequest, area: Malomrade, **extra: Any) -> HttpResponse:
    """Re-render the whole table in place (after add, delete, move or a regrouping)."""
    context = chain_context(request, area)
    response = render(request, "effektkedjor/_kedjetabell.html", {**context, **extra})
    response = retarget(response, f"#{context['tabell_id']}")
    return reswap(response, "outerHTML")


def _area_url(row: Kedjerad) -> str:
    return f"{row.malomrade.get_absolute_url()}#rad-{row.pk}"


# --- the row page ------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def rad_detalj(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The row page; for htmx, `?del=rad` gives the table row and `?del=lage` the status
    block (what "Avbryt" puts back)."""
    row = _get_row(pk)
    part = request.GET.get("del")
    if request.htmx and part == "rad":
        return render(
            request, "effektkedjor/_rad.html", {**_row_context(request, row), "fokus": "andra"}
        )
    roles = roles_for(request.user)
    row.kan_andra = roles.can_edit_row(row)  # type: ignore[attr-defined]
    attach_links([row])
    if request.htmx and part == "lage":
        return render(request, "effektkedjor/_lage.html", {"rad": row, "fokus": True})
    return render(
        request,
        "effektkedjor/kedjerad_detail.html",
        {
            "rad": row,
            "rapporter": row.rapporter.newest_first().select_related("period", "forfattare"),
            "historik": row_history(row),
            "kan_andra_omrade": roles.can_edit_area(row.malomrade_id),
        },
    )


# --- editing a row -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rad_andra(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = _get_row_for_editor(request, pk)
    conflict: dict[str, Any] | None = None
    if request.method == "POST":
        form = KedjeradForm(
            request.POST, instance=row, area_id=row.malomrade_id, auto_id=f"rad{row.pk}_%s"
        )
        old_effects = [e.pk for e in row.langsiktiga_effekter.all()]
        old_orgs = list(row.ansvariga_organisationer.all())
        roles = roles_for(request.user)
        if (
            form.is_valid()
            and not roles.can_edit_area(row.malomrade_id)
            and not roles.answers_for(o.pk for o in form.cleaned_data["organisationer"])
        ):
            # An official edits the rows of their own office; handing a row wholly to
            # another office (and out of their own reach) is the area owner's decision.
            form.add_error(
                "organisationer",
                "Din förvaltning måste stå kvar som ansvarig. Vill du lämna över raden "
                "till en annan förvaltning, be målområdets ansvariga om det.",
            )
        if form.is_valid():
            try:
                save_row(
                    row=form.instance,
                    organisations=ordered_organisations(
                        old_orgs, form.cleaned_data["organisationer"]
                    ),
                    effects=list(form.cleaned_data["effekter"]),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except EditConflict as exc:
                conflict, form = _conflict(request, row, exc)
            else:
                new_effects = [e.pk for e in form.cleaned_data["effekter"]]
                return _after_row_saved(request, row, effects_changed=new_effects != old_effects)
    else:
        form = KedjeradForm(instance=row, area_id=row.malomrade_id, auto_id=f"rad{row.pk}_%s")
    context = {"form": form, "rad": row, "konflikt": conflict}
    if request.htmx:
        _autofocus(form, "aktivitet")
        return render(
            request, "effektkedjor/_rad_form.html", {**_row_context(request, row), **context}
        )
    return render(request, "effektkedjor/kedjerad_form.html", {**context, "omrade": row.malomrade})


def _conflict(
    request: HtmxHttpRequest, row: Kedjerad, exc: EditConflict
) -> tuple[dict[str, Any], KedjeradForm]:
    """The other person's changes, and the user's own input ready to be saved again on
    top of them (the form now carries the current version)."""
    current = cast(Kedjerad, exc.current)
    posted_version = int(request.POST.get("version") or 0)
    found = changes_since(current, posted_version)
    data = request.POST.copy()
    data["version"] = str(current.version)
    fresh = Kedjerad.objects.for_display().get(pk=current.pk)
    form = KedjeradForm(
        data, instance=fresh, area_id=fresh.malomrade_id, auto_id=f"rad{fresh.pk}_%s"
    )
    form.is_valid()  # shows the user's values; errors, if any, next to their fields
    return {
        "andringar": found[0] if found else None,
        "av": found[1] if found else [],
    }, form


def _after_row_saved(
    request: HtmxHttpRequest, row: Kedjerad, *, effects_changed: bool
) -> HttpResponse:
    if request.htmx:
        if effects_changed:
            # The row moves to another group of the table: redraw the table.
            return _table_response(request, row.malomrade, sparad_rad=row.pk)
        return render(
            request, "effektkedjor/_rad.html", {**_row_context(request, row), "sparad": True}
        )
    messages.success(request, f"Raden ”{row.aktivitet}” sparades.")
    return redirect(_area_url(row))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rad_ny(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    area = _get_area_for_editor(request, slug)
    row = Kedjerad(malomrade=area)
    if request.method == "POST":
        form = KedjeradForm(request.POST, instance=row, area_id=area.pk, auto_id="ny_rad_%s")
        if form.is_valid():
            row.ordning = next_position(area.pk)
            save_row(
                row=form.instance,
                organisations=ordered_organisations([], form.cleaned_data["organisationer"]),
                effects=list(form.cleaned_data["effekter"]),
            )
            if request.htmx:
                return _table_response(request, area, sparad_rad=row.pk, stang_ny_rad=True)
            messages.success(request, f"Raden ”{row.aktivitet}” lades till.")
            return redirect(_area_url(row))
    else:
        form = KedjeradForm(instance=row, area_id=area.pk, auto_id="ny_rad_%s")
    context = {"form": form, "omrade": area, "ny": True}
    if request.htmx:
        _autofocus(form, "aktivitet")
    return _render(
        request,
        page="effektkedjor/kedjerad_form.html",
        fragment="effektkedjor/_rad_ny_form.html",
        context=context,
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rad_ta_bort(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = _get_row_for_area_editor(request, pk)

    # Reports in a closed period are part of a fixed record: a row with such reports
    # stays (it can be reported as finished instead).
    def closed_periods() -> list[str]:
        return list(
            Rapportperiod.objects.filter(stangd=True, rapporter__rad=row)
            .distinct()
            .order_by("start")
            .values_list("namn", flat=True)
        )

    closed: list[str] = []
    if request.method == "POST":
        area, activity = row.malomrade, row.aktivitet
        with transaction.atomic():
            # Under the lock of the row's periods, as closing takes it: a period cannot
            # close between this check and the delete.
            list(
                Rapportperiod.objects.select_for_update()
                .filter(pk__in=row.rapporter.values("period_id"))
                .values_list("pk")
            )
            closed = closed_periods()
            if not closed:
                row.delete()
        if not closed:
            if request.htmx:
                return _table_response(request, area)
            messages.success(request, f"Raden ”{activity}” togs bort.")
            return redirect(area.get_absolute_url())
    else:
        closed = closed_periods()
    context = {"rad": row, "antal_rapporter": row.rapporter.count(), "stangda": closed}
    if request.htmx:
        response = render(
            request, "effektkedjor/_rad_ta_bort.html", {**_row_context(request, row), **context}
        )
        if request.method == "POST":
            # The form targets the whole table (for the delete); the refusal is one row.
            response = reswap(retarget(response, f"#rad-{row.pk}"), "outerHTML")
        return response
    return render(request, "effektkedjor/kedjerad_confirm_delete.html", context)


@require_POST
def rad_flytta(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = _get_row_for_area_editor(request, pk)
    steps = {"upp": -1, "ner": 1}.get(request.POST.get("riktning", ""))
    if steps is None:
        return HttpResponseBadRequest("Ange riktning upp eller ner.")
    moved = move_row(row=row, steps=steps)
    if request.htmx:
        return _table_response(
            request,
            row.malomrade,
            sparad_rad=row.pk if moved else None,
            fokus_rad=row.pk,
            fokus=request.POST["riktning"],
        )
    if moved:
        messages.success(
            request, f"Raden ”{row.aktivitet}” flyttades {'upp' if steps < 0 else 'ner'}."
        )
    return redirect(_area_url(row))


# --- status reports -----------------------------------------------------------------------


def _safe_next(request: HtmxHttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _save_report(form: LagesrapportForm) -> Lagesrapport | None:
    """Save the report unless its period closed meanwhile. The period row is locked, as
    closing locks it, so a report is either in the frozen record or refused, never lost
    between the two."""
    with transaction.atomic():
        period = Rapportperiod.objects.select_for_update().get(pk=form.instance.period_id)
        if period.stangd:
            form.add_error("period", f"Perioden {period} stängdes nyss. Välj en öppen period.")
            return None
        report: Lagesrapport = form.save()
        return report


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rapportera(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = _get_row_for_editor(request, pk)
    if request.method == "POST":
        author = request.user if isinstance(request.user, User) else None
        form = LagesrapportForm(
            request.POST,
            instance=Lagesrapport(rad=row, forfattare=author),
            auto_id=f"rapport{row.pk}_%s",
        )
        report = _save_report(form) if form.is_valid() else None
        if report is not None:
            if request.htmx:
                fresh = _get_row(pk)
                fresh.kan_andra = True  # type: ignore[attr-defined]
                attach_links([fresh])
                response = render(
                    request,
                    "effektkedjor/_lage.html",
                    {"rad": fresh, "ny_rapport": report, "fokus": True},
                )
                return trigger_client_event(response, "rapport-sparad", {"rad": pk})
            messages.success(request, f"Lägesrapporten för ”{row.aktivitet}” sparades.")
            return HttpResponseRedirect(_safe_next(request, reverse("effektkedjor:rad", args=[pk])))
    else:
        form = LagesrapportForm(auto_id=f"rapport{row.pk}_%s")
    if request.htmx:
        _autofocus(form, "period")
    context = {
        "form": form,
        "rad": row,
        "next": _safe_next(request, ""),
        "har_oppen_period": Rapportperiod.objects.filter(stangd=False).exists(),
    }
    return _render(
        request,
        page="effektkedjor/lagesrapport_form.html",
        fragment="effektkedjor/_rapport_form.html",
        context=context,
    )


@require_GET
def mina_rader(request: HtmxHttpRequest) -> HttpResponse:
    """The rows the user answers for, those without a report for the current period
    first, each with a one-click way to report."""
    roles = roles_for(request.user)
    current = Rapportperiod.current()
    rows = Kedjerad.objects.none()
    if roles.organisations or roles.areas:
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
    attach_latest_reports(rows_list)
    attach_links(rows_list)
    for row in rows_list:
        row.kan_andra = True  # type: ignore[attr-defined]
    return render(
        request,
        "effektkedjor/mina_rader.html",
        {
            "rader": rows_list,
            "period": current,
            "saknar": len([r for r in rows_list if not r.har_rapport]),  # type: ignore[attr-defined]
            "roller": roles,
        },
    )


@require_GET
def start(request: HtmxHttpRequest) -> HttpResponse:
    """Where sign-in lands: "Mina rader" for those who answer for rows, else the overview."""
    roles = roles_for(request.user)
    if roles.organisations or roles.areas:
        return redirect("effektkedjor:mina_rader")
    return redirect("malomraden:program")


# --- long-term effects --------------------------------------------------------------------


def _effects_response(
    request: HtmxHttpRequest, area: Malomrade, template: str, context: dict[str, Any]
) -> HttpResponse:
    """An effect fragment plus the chain table out of band: the table's group headings
    show the effects' texts."""
    return render(request, template, {**context, **chain_context(request, area), "oob": True})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def effekt_ny(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    area = _get_area_for_editor(request, slug)
    effect = LangsiktigEffekt(malomrade=area)
    if request.method == "POST":
        form = LangsiktigEffektForm(request.POST, instance=effect, auto_id="ny_effekt_%s")
        if form.is_valid():
            last = area.langsiktiga_effekter.order_by("-ordning").first()
            effect.ordning = (last.ordning if last else 0) + 1
            save_effect(effect=form.instance)
            if request.htmx:
                return _effects_response(
                    request,
                    area,
                    "effektkedjor/_effekter.html",
                    {"effekter": _effects(area), "kan_andra_omrade": True},
                )
            messages.success(request, "Den långsiktiga effekten lades till.")
            return redirect(f"{area.get_absolute_url()}#effekt-{effect.pk}")
    else:
        form = LangsiktigEffektForm(instance=effect, auto_id="ny_effekt_%s")
    context = {"form": form, "omrade": area, "ny": True}
    if request.htmx:
        _autofocus(form, "text")
    return _render(
        request,
        page="effektkedjor/langsiktigeffekt_form.html",
        fragment="effektkedjor/_effekt_ny_form.html",
        context=context,
    )


def _effects(area: Malomrade) -> list[LangsiktigEffekt]:
    return list(area.langsiktiga_effekter.order_by("ordning", "id"))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def effekt_andra(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    effect = _get_effect_for_editor(request, pk)
    area = effect.malomrade
    conflict = None
    if request.method == "POST":
        form = LangsiktigEffektForm(request.POST, instance=effect, auto_id=f"effekt{pk}_%s")
        if form.is_valid():
            try:
                save_effect(
                    effect=form.instance, expected_version=form.cleaned_data["version"] or 0
                )
            except EditConflict as exc:
                current = cast(LangsiktigEffekt, exc.current)
                data = request.POST.copy()
                data["version"] = str(current.version)
                conflict = {"nuvarande": current.text}
                form = LangsiktigEffektForm(data, instance=current, auto_id=f"effekt{pk}_%s")
                form.is_valid()
            else:
                if request.htmx:
                    return _effects_response(
                        request,
                        area,
                        "effektkedjor/_effekt.html",
                        {"effekt": effect, "kan_andra_omrade": True},
                    )
                messages.success(request, "Den långsiktiga effekten sparades.")
                return redirect(f"{area.get_absolute_url()}#effekt-{effect.pk}")
    else:
        form = LangsiktigEffektForm(instance=effect, auto_id=f"effekt{pk}_%s")
        if request.htmx:
            _autofocus(form, "text")
    context = {"form": form, "effekt": effect, "omrade": area, "konflikt": conflict}
    return _render(
        request,
        page="effektkedjor/langsiktigeffekt_form.html",
        fragment="effektkedjor/_effekt_form.html",
        context=context,
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def effekt_ta_bort(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    effect = _get_effect_for_editor(request, pk)
    area = effect.malomrade
    if request.method == "POST":
        delete_effect(effect=effect)
        if request.htmx:
            return _effects_response(
                request,
                area,
                "effektkedjor/_effekter.html",
                {"effekter": _effects(area), "kan_andra_omrade": True},
            )
        messages.success(request, "Den långsiktiga effekten togs bort.")
        return redirect(area.get_absolute_url())
    context = {"effekt": effect, "omrade": area, "antal_rader": effect.rader.count()}
    return _render(
        request,
        page="effektkedjor/langsiktigeffekt_confirm_delete.html",
        fragment="effektkedjor/_effekt_ta_bort.html",
        context=context,
    )


# --- the dashboard --------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def instrumentpanel(request: HtmxHttpRequest) -> HttpResponse:
    """The programme's state for a period, with filters in the URL. htmx swaps in the
    panel only; a history restore or a plain request gets the whole page."""
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
            "beskrivning": _describe(filters),
            "statusval": Status.choices,
            "bedomningsval": Bedomning.choices,
        },
    )


ROWS_PER_PAGE = 50


def _describe(filters: dashboard.Filters) -> list[tuple[str, str]]:
    """The active filters in words, for the list's heading."""
    parts = [("Period", str(filters.period) if filters.period else "ingen")]
    if filters.omrade:
        parts.append(("Målområde", filters.omrade.namn))
    if filters.organisation:
        parts.append(("Organisation", f"{filters.organisation.kod} – {filters.organisation.namn}"))
    labels = {
        "status": dict(dashboard.FilterForm.base_fields["status"].choices),  # type: ignore[attr-defined]
        "bedomning": dict(dashboard.FilterForm.base_fields["bedomning"].choices),  # type: ignore[attr-defined]
        "samverkansniva": dict(dashboard.FilterForm.base_fields["samverkansniva"].choices),  # type: ignore[attr-defined]
    }
    if filters.status:
        parts.append(("Status", str(labels["status"][filters.status])))
    if filters.bedomning:
        parts.append(("Bedömning", str(labels["bedomning"][filters.bedomning])))
    if filters.samverkansniva:
        parts.append(("Samverkansnivå", str(labels["samverkansniva"][filters.samverkansniva])))
    if filters.forsenad:
        parts.append(("Försenade", "slutmånaden har passerat och raden är inte klar"))
    return parts


# --- committee reports ------------------------------------------------------------------------


def _period_and_area(period_id: int, slug: str | None) -> tuple[Rapportperiod, Malomrade | None]:
    period = get_object_or_404(Rapportperiod, pk=period_id)
    area = get_object_or_404(Malomrade, slug=slug) if slug else None
    return period, area


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
    """The report as a PDF download; a large one is made by the task worker."""
    period, area = _period_and_area(period_id, slug)
    data = reports.report_data(period, area)
    if reports.row_count(data) > settings.PDF_SYNC_MAX_ROWS:
        # A reload, a second reader or a link prefetch follows an order still waiting in
        # the queue instead of queueing the same work again. Only a waiting one: it reads
        # the data when it starts, so it cannot be older than this request; one already
        # being made (or stuck after a crash) is not reused.
        pending = PdfBestallning.objects.filter(
            period=period,
            malomrade=area,
            status=PdfBestallning.Status.VANTAR,
            skapad__gte=timezone.now() - datetime.timedelta(minutes=10),
        ).first()
        if pending is not None:
            return redirect("effektkedjor:bestallning", pending.pk)
        order = PdfBestallning.objects.create(
            period=period,
            malomrade=area,
            bestallare=request.user if isinstance(request.user, User) else None,
        )
        make_pdf.enqueue(order.pk)
        return redirect("effektkedjor:bestallning", order.pk)
    pdf, _pages = reports.render_pdf(data, hela=area is None)
    return _pdf_response(pdf, reports.filename(period, area))


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


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


def _get_period_for_director(request: HtmxHttpRequest, pk: int) -> Rapportperiod:
    if not roles_for(request.user).whole_programme:
        raise PermissionDenied(
            "Bara stadsdirektören och programledningen stänger och öppnar perioder."
        )
    return get_object_or_404(Rapportperiod, pk=pk)


@require_POST
def period_stang(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    period = _get_period_for_director(request, pk)
    if not period.stangd:
        reports.close_period(period=period)
        messages.success(request, f"{period.namn} är stängd och rapporten fastställd.")
    return redirect("effektkedjor:rapporter")


class ReopenForm(forms.Form):
    skal = forms.CharField(
        label="Skäl till att perioden öppnas igen",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Skriv varför perioden ska öppnas igen."},
    )


@require_http_methods(["GET", "POST"])
def period_oppna(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    period = _get_period_for_director(request, pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reports.reopen_period(period=period, reason=form.cleaned_data["skal"])
        messages.success(request, f"{period.namn} är öppen igen.")
        return redirect("effektkedjor:rapporter")
    return render(request, "effektkedjor/period_oppna.html", {"period": period, "form": form})


# --- spreadsheet export ---------------------------------------------------------------------

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


# --- spreadsheet import -----------------------------------------------------------------------


class ImportForm(forms.Form):
    fil = forms.FileField(
        label="Kalkylblad (.xlsx eller .csv)",
        help_text=(
            "Högst 5 MB och 5 000 rader. Ingenting ändras förrän du har sett "
            "förhandsgranskningen och bekräftat."
        ),
        error_messages={"required": "Välj en fil att läsa in."},
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Upload a spreadsheet and see what importing it would do (nothing is written)."""
    area = _get_area_for_editor(request, slug)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    context: dict[str, Any] = {"omrade": area, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        content = upload.read(imports.MAX_BYTES + 1)
        try:
            table = imports.read_table(content, upload.name)
        except imports.ImportFileError as error:
            form.add_error("fil", str(error))
        else:
            # One pending upload per person and area: a new upload replaces the last.
            Importfil.objects.filter(malomrade=area, anvandare=request.user.pk).delete()
            stored = Importfil.objects.create(
                malomrade=area,
                anvandare=cast(User, request.user),
                filnamn=upload.name,
                innehall=content,
                lage=importing.area_state(area),
            )
            context.update({"forhands": importing.preview_import(table, area), "importfil": stored})
    return render(request, "effektkedjor/import.html", context)


def _antal(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


@require_POST
def import_confirm(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Import the previewed file: all of it, or nothing if any line has an error."""
    area = _get_area_for_editor(request, slug)
    stored = get_object_or_404(Importfil, pk=pk, malomrade=area, anvandare=request.user)
    table = imports.read_table(bytes(stored.innehall), stored.filnamn)
    context: dict[str, Any] = {"omrade": area, "form": ImportForm(), "importfil": stored}
    with transaction.atomic():
        # The area, then its rows (in move_row's order, so the two cannot deadlock), are
        # locked while compared and written: nobody saves or adds in between.
        lock_area(area.pk)
        list(
            Kedjerad.objects.select_for_update()
            .filter(malomrade=area)
            .order_by("ordning", "id")
            .values_list("pk")
        )
        list(
            LangsiktigEffekt.objects.select_for_update()
            .filter(malomrade=area)
            .order_by("pk")
            .values_list("pk")
        )
        if importing.area_state(area) != stored.lage:
            # Someone saved in the area since the preview: importing now could overwrite
            # it unseen. Show what the file would do to the chain as it is now instead.
            stored.lage = importing.area_state(area)
            stored.save(update_fields=["lage"])
            context.update(forhands=importing.preview_import(table, area), andrat=True)
            return render(request, "effektkedjor/import.html", context)
        result = importing.run_import(table, area)
    if result.errors:
        context["forhands"] = result
        return render(request, "effektkedjor/import.html", context)
    stored.delete()
    messages.success(
        request,
        "Effektkedjan lästes in: "
        f"{_antal(result.count('ny'), 'ny rad', 'nya rader')}, "
        f"{_antal(result.count('ändrad'), 'ändrad', 'ändrade')} och "
        f"{_antal(result.count('oförändrad'), 'oförändrad', 'oförändrade')}.",
    )
    return redirect(area.get_absolute_url())
