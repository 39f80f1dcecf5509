"""Long-term effects of an area: adding, editing and deleting them in place. Each htmx
answer also redraws the chain table out of band, since its group headings show the
effects' texts."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade
from malomraden.roles import roles_for

from ..chain import area_effects, chain_table
from ..forms import LangsiktigEffektForm
from ..merging import merge
from ..models import LangsiktigEffekt
from ..services.effects import delete_effect, save_effect
from ..versioning import EditConflict, rebind
from .access import (
    form_response,
    get_area_for_editor,
    get_effect_for_editor,
    render_page_or_fragment,
)


def _effects_response(
    request: HtmxHttpRequest, area: Malomrade, template: str, context: dict[str, Any]
) -> HttpResponse:
    """An effect fragment plus the chain table out of band."""
    table = chain_table(area, roles_for(request.user))
    return render(request, template, {**context, **table, "oob": True})


def _all_effects_response(request: HtmxHttpRequest, area: Malomrade) -> HttpResponse:
    context = {"effekter": area_effects(area), "kan_andra_omrade": True}
    return _effects_response(request, area, "effektkedjor/_effekter.html", context)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def effekt_ny(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A new long-term effect; for htmx, `?del=knapp` gives back the "Lägg till" button
    (what "Avbryt" puts back)."""
    area = get_area_for_editor(request, slug)
    if request.htmx and request.GET.get("del") == "knapp":
        return render(request, "effektkedjor/_ny_effekt_knapp.html", {"omrade": area})
    effect = LangsiktigEffekt(malomrade=area)
    form = LangsiktigEffektForm(
        request.POST if request.method == "POST" else None,
        instance=effect,
        auto_id="ny_effekt_%s",
        notes=roles_for(request.user).whole_programme,
    )
    if request.method == "POST" and form.is_valid():
        save_effect(effect=form.instance)
        if request.htmx:
            return _all_effects_response(request, area)
        messages.success(request, "Den långsiktiga effekten lades till.")
        return redirect(f"{area.get_absolute_url()}#effekt-{effect.pk}")
    return form_response(
        request,
        form=form,
        focus="text",
        page="effektkedjor/langsiktigeffekt_form.html",
        fragment="effektkedjor/_effekt_ny_form.html",
        context={"form": form, "omrade": area, "ny": True},
    )


def _effect_saved(request: HtmxHttpRequest, effect: LangsiktigEffekt) -> HttpResponse:
    area = effect.malomrade
    if request.htmx:
        context = {"effekt": effect, "kan_andra_omrade": True}
        return _effects_response(request, area, "effektkedjor/_effekt.html", context)
    messages.success(request, "Den långsiktiga effekten sparades.")
    return redirect(f"{area.get_absolute_url()}#effekt-{effect.pk}")


def _merge_after_conflict(
    request: HtmxHttpRequest, form: LangsiktigEffektForm, current: LangsiktigEffekt, auto_id: str
) -> tuple[LangsiktigEffektForm, dict[str, Any]]:
    """Someone saved the effect after the user's form was opened: merge (merging.py).
    Saved at once when only one of them changed each field (the conflict comes back
    empty); otherwise the form again, with a choice per field both changed."""
    opened_on = form.cleaned_data["version"] or 0
    names = [name for name in form.MERGEABLE if name in form.cleaned_data]
    base = current.history.filter(version=opened_on).order_by("-history_id").first()
    if base is None:
        rebound = rebind(
            request.POST,
            current,
            lambda data: LangsiktigEffektForm(
                data, instance=current, auto_id=auto_id, notes="osaker" in form.fields
            ),
        )
        return rebound, {"nuvarande": current.text}
    merged = merge(
        {name: getattr(base, name) for name in names},
        {name: form.cleaned_data[name] for name in names},
        {name: getattr(current, name) for name in names},
    )
    if not merged.conflicts:
        for name in names:
            setattr(current, name, merged.values[name])
        try:
            save_effect(effect=current, expected_version=current.version)
        except EditConflict:
            pass  # Changed yet again: show the choice below against the newest.
        else:
            return form, {}
    initial = {
        **merged.values,
        "version": current.version,
        "konflikter": ",".join(merged.conflicts),
    }
    rebuilt = LangsiktigEffektForm(
        instance=current, auto_id=auto_id, initial=initial, notes="osaker" in form.fields
    )
    return rebuilt, {"sammanfogning": merged, "andringar": []}


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def effekt_andra(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Edit an effect; for htmx, `?del=effekt` gives back the effect as shown on the area
    page (what "Avbryt" puts back)."""
    effect = get_effect_for_editor(request, pk)
    area = effect.malomrade
    if request.htmx and request.GET.get("del") == "effekt":
        context = {"effekt": effect, "omrade": area, "kan_andra_omrade": True}
        return render(request, "effektkedjor/_effekt.html", context)
    conflict: dict[str, Any] | None = None
    auto_id = f"effekt{pk}_%s"
    form = LangsiktigEffektForm(
        request.POST if request.method == "POST" else None,
        instance=effect,
        auto_id=auto_id,
        notes=roles_for(request.user).whole_programme,
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_effect(effect=form.instance, expected_version=form.cleaned_data["version"] or 0)
        except EditConflict:
            current = LangsiktigEffekt.objects.get(pk=pk)
            form, conflict = _merge_after_conflict(request, form, current, auto_id)
            if not conflict:  # merged and saved: nothing overlapped
                return _effect_saved(request, current)
        else:
            return _effect_saved(request, effect)
    if conflict is None and getattr(form, "conflict_fields", None):
        # The second step of a merge, sent without a choice: ask again.
        conflict = {"sammanfogning": True, "andringar": []}
    return form_response(
        request,
        form=form,
        focus="text" if request.method == "GET" else None,
        page="effektkedjor/langsiktigeffekt_form.html",
        fragment="effektkedjor/_effekt_form.html",
        context={"form": form, "effekt": effect, "omrade": area, "konflikt": conflict},
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def effekt_ta_bort(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    effect = get_effect_for_editor(request, pk)
    area = effect.malomrade
    if request.method == "POST":
        delete_effect(effect=effect)
        if request.htmx:
            return _all_effects_response(request, area)
        messages.success(request, "Den långsiktiga effekten togs bort.")
        return redirect(area.get_absolute_url())
    return render_page_or_fragment(
        request,
        page="effektkedjor/langsiktigeffekt_confirm_delete.html",
        fragment="effektkedjor/_effekt_ta_bort.html",
        context={"effekt": effect, "omrade": area, "antal_rader": effect.rader.count()},
    )
