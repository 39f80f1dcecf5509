"""Chain rows: a row's page, and adding, editing, deleting and moving rows in place."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade, Organisation
from malomraden.roles import roles_for

from ..chain import chain_row, chain_table, row_view
from ..forms import FlyttaRadForm, KedjeradForm
from ..history import changes_since, row_as_of, row_history, row_values
from ..merging import Merge, merge
from ..models import Kedjerad, LangsiktigEffekt
from ..services.rows import (
    NotInGroup,
    RowHasClosedReports,
    delete_row,
    move_row,
    move_row_to,
    ordered_organisations,
    save_row,
)
from ..versioning import EditConflict, rebind
from .access import (
    autofocus,
    form_response,
    get_area_for_editor,
    get_row,
    get_row_for_area_editor,
    get_row_for_editor,
    safe_next,
)


def _row_fragment(request: HtmxHttpRequest, row: Kedjerad, **extra: Any) -> HttpResponse:
    """The row as a table row in its group (what a save or "Avbryt" puts back)."""
    context = chain_row(row.malomrade, roles_for(request.user), row.pk)
    return render(request, "effektkedjor/_rad.html", {**context, **extra})


def table_response(request: HtmxHttpRequest, area: Malomrade, **extra: Any) -> HttpResponse:
    """Re-render the whole table in place (after add, delete, move or a regrouping)."""
    context = chain_table(area, roles_for(request.user))
    response = render(request, "effektkedjor/_kedjetabell.html", {**context, **extra})
    response = retarget(response, f"#{context['tabell_id']}")
    return reswap(response, "outerHTML")


def _area_url(row: Kedjerad) -> str:
    return f"{row.malomrade.get_absolute_url()}#rad-{row.pk}"


@require_GET
@vary_on_headers("HX-Request")
def rad_detalj(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The row page; for htmx, `?del=rad` gives the table row and `?del=lage` the status
    block (what "Avbryt" puts back)."""
    row = get_row(pk)
    part = request.GET.get("del")
    if request.htmx and part == "rad":
        return _row_fragment(request, row, fokus="andra", fokus_rad=row.pk)
    roles = roles_for(request.user)
    vy = row_view(row.pk, roles)
    if request.htmx and part == "lage":
        return render(request, "effektkedjor/_lage.html", {"rad": vy.rad, "vy": vy, "fokus": True})
    return render(
        request,
        "effektkedjor/kedjerad_detail.html",
        {
            "rad": vy.rad,
            "vy": vy,
            "rapporter": row.rapporter.newest_first().select_related("period", "forfattare"),
            "historik": row_history(row),
            "kan_andra_omrade": roles.can_edit_area(row.malomrade_id),
        },
    )


def _row_form(row: Kedjerad, data: Any = None, **kwargs: Any) -> KedjeradForm:
    return KedjeradForm(
        data, instance=row, area_id=row.malomrade_id, auto_id=f"rad{row.pk}_%s", **kwargs
    )


def _merge_after_conflict(
    request: HtmxHttpRequest, form: KedjeradForm, fresh: Kedjerad
) -> HttpResponse | tuple[KedjeradForm, dict[str, Any]]:
    """Someone saved the row after the user's form was opened: merge the user's input
    with their change (merging.py). Without overlapping changes the merge is saved at
    once; otherwise the form comes back with the merge and a choice per overlapping
    field, next to what the other person changed."""
    opened_on = form.cleaned_data["version"] or 0
    found = changes_since(fresh, opened_on)
    conflict: dict[str, Any] = {
        "andringar": found[0] if found else None,
        "av": found[1] if found else [],
    }
    base = row_as_of(fresh, opened_on)
    if base is None:
        # No record of the version the form was opened on: the user's input as it was,
        # to be saved on top of the current version (the notice says so).
        return rebind(request.POST, fresh, lambda data: _row_form(fresh, data)), conflict
    before_effects = {e.pk for e in fresh.langsiktiga_effekter.all()}
    mine = {name: form.cleaned_data[name] for name in Kedjerad.EDITABLE_FIELDS}
    mine["organisationer"] = frozenset(o.pk for o in form.cleaned_data["organisationer"])
    mine["effekter"] = frozenset(e.pk for e in form.cleaned_data["effekter"])
    merged = merge(base, mine, row_values(fresh))
    if not merged.conflicts:
        try:
            _save_merge(fresh, merged)
        except ValidationError as invalid:
            # Each change was valid alone, together they are not (say, a start month
            # after the other person's end month): the user decides.
            conflict["fel"] = invalid.messages
        except EditConflict:
            conflict["fel"] = ["Raden ändrades igen medan dina ändringar sparades."]
        else:
            names = sorted({entry.who for entry in conflict["av"]})
            labels = [FIELD_LABELS[name] for name in merged.taken]
            conflict["sammanfogad"] = (
                f"{' och '.join(names) or 'Någon annan'} hade ändrat "
                f"{', '.join(labels).lower()} under tiden; de ändringarna står kvar."
                if labels
                else ""
            )
            return _after_row_saved(
                request,
                fresh,
                effects_changed=merged.values["effekter"] != before_effects,
                merged_note=conflict["sammanfogad"],
            )
    initial = {
        **merged.values,
        "organisationer": list(merged.values["organisationer"]),
        "effekter": list(merged.values["effekter"]),
        "version": fresh.version,
        "konflikter": ",".join(merged.conflicts),
    }
    conflict["sammanfogning"] = merged
    return _row_form(fresh, initial=initial), conflict


FIELD_LABELS = {
    **{
        name: str(cast(Field, Kedjerad._meta.get_field(name)).verbose_name)
        for name in Kedjerad.EDITABLE_FIELDS
    },
    "organisationer": "ansvariga organisationer",
    "effekter": "långsiktiga effekter",
}


def _save_merge(row: Kedjerad, merged: Merge) -> None:
    """Save a merge without overlapping changes on top of the row's current version."""
    for name in Kedjerad.EDITABLE_FIELDS:
        setattr(row, name, merged.values[name])
    row.full_clean(validate_unique=False)
    organisations = Organisation.objects.filter(pk__in=merged.values["organisationer"])
    effects = LangsiktigEffekt.objects.filter(
        pk__in=merged.values["effekter"], malomrade_id=row.malomrade_id
    ).order_by("ordning", "id")
    save_row(
        row=row,
        organisations=ordered_organisations(
            list(row.ansvariga_organisationer.all()), list(organisations)
        ),
        effects=list(effects),
        expected_version=row.version,
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rad_andra(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = get_row_for_editor(request, pk)
    conflict: dict[str, Any] | None = None
    form = _row_form(row, request.POST if request.method == "POST" else None)
    if request.method == "POST":
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
                fresh = Kedjerad.objects.for_display().get(pk=exc.current.pk)
                outcome = _merge_after_conflict(request, form, fresh)
                if isinstance(outcome, HttpResponse):
                    return outcome
                form, conflict = outcome
            else:
                new_effects = [e.pk for e in form.cleaned_data["effekter"]]
                return _after_row_saved(request, row, effects_changed=new_effects != old_effects)
    if conflict is None and getattr(form, "conflict_fields", None):
        # The second step of a merge, sent without a choice: ask again.
        conflict = {"sammanfogning": True, "andringar": [], "av": []}
    context = {"form": form, "rad": row, "konflikt": conflict}
    autofocus(form, "aktivitet", page=not request.htmx)
    if request.htmx:
        table = chain_row(row.malomrade, roles_for(request.user), row.pk)
        return render(request, "effektkedjor/_rad_form.html", {**table, **context})
    # The full page goes back where the user came from (the row's page, say).
    return render(
        request,
        "effektkedjor/kedjerad_form.html",
        {**context, "omrade": row.malomrade, "next": safe_next(request, _area_url(row))},
    )


def _after_row_saved(
    request: HtmxHttpRequest, row: Kedjerad, *, effects_changed: bool, merged_note: str = ""
) -> HttpResponse:
    if request.htmx:
        # Focus stays with the row, on its "Ändra" link.
        focus = {"fokus_rad": row.pk, "fokus": "andra"}
        if effects_changed:
            # The row moves to another group of the table: redraw the table.
            return table_response(
                request, row.malomrade, sparad_rad=row.pk, sammanfogad=merged_note, **focus
            )
        return _row_fragment(request, row, sparad=True, sammanfogad=merged_note, **focus)
    messages.success(request, f"Raden ”{row.aktivitet}” sparades. {merged_note}".strip())
    return redirect(safe_next(request, _area_url(row)))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rad_ny(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A new row; for htmx, `?del=knapp` gives back the "Lägg till rad" button (what
    "Avbryt" puts back)."""
    area = get_area_for_editor(request, slug)
    if request.htmx and request.GET.get("del") == "knapp":
        return render(request, "effektkedjor/_ny_rad_knapp.html", {"omrade": area})
    row = Kedjerad(malomrade=area)
    form = KedjeradForm(
        request.POST if request.method == "POST" else None,
        instance=row,
        area_id=area.pk,
        auto_id="ny_rad_%s",
    )
    if request.method == "POST" and form.is_valid():
        save_row(
            row=form.instance,
            organisations=ordered_organisations([], form.cleaned_data["organisationer"]),
            effects=list(form.cleaned_data["effekter"]),
        )
        if request.htmx:
            # The new row stands in its group; focus goes to it (its "Ändra" link).
            return table_response(request, area, sparad_rad=row.pk, fokus_rad=row.pk, fokus="andra")
        messages.success(request, f"Raden ”{row.aktivitet}” lades till.")
        return redirect(_area_url(row))
    if not request.htmx:
        autofocus(form, "aktivitet", page=True)
    return form_response(
        request,
        form=form,
        focus="aktivitet",
        page="effektkedjor/kedjerad_form.html",
        fragment="effektkedjor/_rad_ny_form.html",
        context={"form": form, "omrade": area, "ny": True},
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rad_ta_bort(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = get_row_for_area_editor(request, pk)
    if request.method == "POST":
        area, activity = row.malomrade, row.aktivitet
        try:
            delete_row(row=row)
        except RowHasClosedReports as refused:
            closed = refused.periods
        else:
            if request.htmx:
                return table_response(request, area)
            messages.success(request, f"Raden ”{activity}” togs bort.")
            return redirect(area.get_absolute_url())
    else:
        closed = row.closed_periods()
    context = {"rad": row, "antal_rapporter": row.rapporter.count(), "stangda": closed}
    if request.htmx:
        table = chain_row(row.malomrade, roles_for(request.user), row.pk)
        response = render(request, "effektkedjor/_rad_ta_bort.html", {**table, **context})
        if request.method == "POST":
            # The form targets the whole table (for the delete); the refusal is one row.
            response = reswap(retarget(response, f"#rad-{row.pk}"), "outerHTML")
        return response
    return render(request, "effektkedjor/kedjerad_confirm_delete.html", context)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def rad_flytta(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move a row: one step up or down (↑/↓ post `riktning`), or "Flytta till": in one
    step to a place among the rows serving the same long-term effects (GET gives the
    form, for htmx in place of the table row; it posts `efter`)."""
    row = get_row_for_area_editor(request, pk)
    if request.method == "POST" and "riktning" in request.POST:
        return _move_one_step(request, row)
    table = chain_row(row.malomrade, roles_for(request.user), row.pk)
    form = FlyttaRadForm(
        request.POST if request.method == "POST" else None,
        group=table["samma_effekter"],
        row=row,
        auto_id=f"flytta{row.pk}_%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = move_row_to(row=row, after=form.after())
        except NotInGroup:
            form.add_error(
                "efter",
                "Raden du valde bidrar inte längre till samma långsiktiga effekter. "
                "Välj en annan plats.",
            )
        else:
            if request.htmx:
                return table_response(
                    request,
                    row.malomrade,
                    sparad_rad=row.pk if moved else None,
                    fokus_rad=row.pk,
                    fokus="flytta",
                )
            if moved:
                messages.success(request, f"Raden ”{row.aktivitet}” flyttades.")
            return redirect(_area_url(row))
    autofocus(form, "efter", page=not request.htmx)
    context = {**table, "form": form}
    if request.htmx:
        response = render(request, "effektkedjor/_rad_flytta.html", context)
        if request.method == "POST":
            # The form targets the whole table (for the move); an error is one row.
            response = reswap(retarget(response, f"#rad-{row.pk}"), "outerHTML")
        return response
    return render(request, "effektkedjor/kedjerad_flytta.html", context)


def _move_one_step(request: HtmxHttpRequest, row: Kedjerad) -> HttpResponse:
    steps = {"upp": -1, "ner": 1}.get(request.POST.get("riktning", ""))
    if steps is None:
        return HttpResponseBadRequest("Ange riktning upp eller ner.")
    moved = move_row(row=row, steps=steps)
    if request.htmx:
        return table_response(
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
