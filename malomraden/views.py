"""Read-only pages of the programme: overview, target area, organisations.

Every view needs a signed-in user (LoginRequiredMiddleware); roles that narrow what a
user may change come with editing. Each page runs a fixed number of queries whatever
the size of the programme (tests/malomraden/test_query_counts.py).
"""

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from boras_social.http import HtmxHttpRequest
from effektkedjor.links import attach_links
from effektkedjor.models import (
    Kedjerad,
    LangsiktigEffekt,
    Samverkansniva,
    attach_latest_reports,
    group_by_effects,
)
from effektkedjor.services import EditConflict, claim_version
from effektkedjor.views import chain_context

from .forms import MalomradeForm, OmradestextFormSet
from .models import Malomrade, Omradesansvarig, Omradestext, Organisation, Program, Programansvarig
from .roles import roles_for


def _ansvariga_prefetch() -> Prefetch:
    return Prefetch(
        "omradesansvarig_set",
        queryset=Omradesansvarig.objects.select_related("person"),
        to_attr="ansvarslista",
    )


@require_GET
def program(request: HtmxHttpRequest) -> HttpResponse:
    prog = Program.objects.prefetch_related(
        "teman",
        "principer",
        Prefetch(
            "programansvarig_set",
            queryset=Programansvarig.objects.select_related("person"),
            to_attr="ansvarslista",
        ),
    ).first()
    omraden = (
        Malomrade.objects.with_counts().prefetch_related(_ansvariga_prefetch())
        if prog
        else Malomrade.objects.none()
    )
    return render(
        request,
        "malomraden/program_detail.html",
        {
            "program": prog,
            "omraden": omraden,
            "samverkansnivaer": Samverkansniva.choices,
        },
    )


# Fragments of the area page that "Avbryt" puts back in place (htmx only).
_AREA_FRAGMENTS = {
    "ny-rad": "effektkedjor/_ny_rad_knapp.html",
    "ny-effekt": "effektkedjor/_ny_effekt_knapp.html",
}


@require_GET
@vary_on_headers("HX-Request")
def malomrade(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    omrade = get_object_or_404(
        Malomrade.objects.select_related("program").prefetch_related(
            _ansvariga_prefetch(), "indikatorer"
        ),
        slug=slug,
    )
    part = request.GET.get("del", "")
    if request.htmx and part in _AREA_FRAGMENTS:
        return render(request, _AREA_FRAGMENTS[part], {"omrade": omrade})
    if request.htmx and part == "effekt":
        effekt_id = request.GET.get("effekt", "")
        if not effekt_id.isdigit():
            raise Http404("Ingen sådan långsiktig effekt.")
        effekt = get_object_or_404(LangsiktigEffekt, malomrade=omrade, pk=int(effekt_id))
        return render(
            request,
            "effektkedjor/_effekt.html",
            {
                "effekt": effekt,
                "omrade": omrade,
                "kan_andra_omrade": roles_for(request.user).can_edit_area(omrade.pk),
            },
        )
    texter: dict[str, list[Omradestext]] = {typ: [] for typ in Omradestext.Typ.values}
    for text in Omradestext.objects.filter(malomrade=omrade).order_by("ordning", "id"):
        texter[text.typ].append(text)
    effekter = list(LangsiktigEffekt.objects.filter(malomrade=omrade).order_by("ordning", "id"))
    return render(
        request,
        "malomraden/malomrade_detail.html",
        {
            **chain_context(request, omrade),
            "ataganden": texter[Omradestext.Typ.ATAGANDE],
            "reflektioner": texter[Omradestext.Typ.REFLEKTION],
            "nulage": texter[Omradestext.Typ.NULAGE],
            "fardigstallt": texter[Omradestext.Typ.FARDIGSTALLT],
            "effekter": effekter,
        },
    )


@require_http_methods(["GET", "POST"])
def malomrade_andra(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The area's headline and texts (commitments, reflections, status notes, finished
    work), for the area's responsible people and the programme's management."""
    omrade = get_object_or_404(Malomrade, slug=slug)
    if not roles_for(request.user).can_edit_area(omrade.pk):
        raise PermissionDenied("Bara målområdets ansvariga får ändra målområdets texter.")
    konflikt = False
    if request.method == "POST":
        form = MalomradeForm(request.POST, instance=omrade)
        formset = OmradestextFormSet(request.POST, instance=omrade)
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    claim_version(omrade, form.cleaned_data["version"] or 0)
                    form.save()
                    formset.save()
            except EditConflict as exc:
                konflikt = True
                data = request.POST.copy()
                current = cast(Malomrade, exc.current)
                data["version"] = str(current.version)
                form = MalomradeForm(data, instance=current)
                formset = OmradestextFormSet(data, instance=current)
                form.is_valid()
                formset.is_valid()
            else:
                messages.success(request, f"Texterna för {omrade.namn} sparades.")
                return redirect(omrade.get_absolute_url())
    else:
        form = MalomradeForm(instance=omrade)
        formset = OmradestextFormSet(instance=omrade)
    return render(
        request,
        "malomraden/malomrade_form.html",
        {"omrade": omrade, "form": form, "formset": formset, "konflikt": konflikt},
    )


@require_GET
def organisation_list(request: HtmxHttpRequest) -> HttpResponse:
    organisationer = Organisation.objects.annotate(antal_rader=Count("rader")).order_by("kod")
    return render(
        request,
        "malomraden/organisation_list.html",
        {"organisationer": organisationer},
    )


@require_GET
def organisation(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    rader = list(
        Kedjerad.objects.filter(ansvariga_organisationer=org)
        .for_display()
        .order_by("malomrade__ordning", "malomrade_id", "ordning", "id")
    )
    attach_latest_reports(rader)
    attach_links(rader)
    per_omrade: dict[Malomrade, list[Kedjerad]] = {}
    for rad in rader:
        per_omrade.setdefault(rad.malomrade, []).append(rad)
    return render(
        request,
        "malomraden/organisation_detail.html",
        {
            "organisation": org,
            "per_omrade": [(omr, group_by_effects(r)) for omr, r in per_omrade.items()],
        },
    )
