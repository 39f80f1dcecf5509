"""Read-only pages of the programme: overview, target area, organisations.

Every view needs a signed-in user (LoginRequiredMiddleware); roles that narrow what a
user may change come with editing. Each page runs a fixed number of queries whatever
the size of the programme (tests/malomraden/test_pages.py). The chain tables come from
effektkedjor/chain.py, and their in-place editing is effektkedjor's own.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from boras_social.http import HtmxHttpRequest
from effektkedjor.chain import RadVy, area_effects, chain_table, group_views, row_views
from effektkedjor.indicators import lagen, per_effect
from effektkedjor.models import Indikator, Kedjerad, Samverkansniva
from effektkedjor.services.areas import save_area_texts
from effektkedjor.versioning import EditConflict, rebind

from .forms import MalomradeForm, OmradestextFormSet
from .merge import apply_choices, merged_post
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


@require_GET
def malomrade(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    omrade = get_object_or_404(
        Malomrade.objects.select_related("program").prefetch_related(_ansvariga_prefetch()),
        slug=slug,
    )
    texter: dict[str, list[Omradestext]] = {typ: [] for typ in Omradestext.Typ.values}
    for text in Omradestext.objects.filter(malomrade=omrade).order_by("ordning", "id"):
        texter[text.typ].append(text)
    effekter = area_effects(omrade)
    nyckeltal = lagen(Indikator.objects.filter(malomrade=omrade).prefetch_related("effekter"))
    return render(
        request,
        "malomraden/malomrade_detail.html",
        {
            **chain_table(omrade, roles_for(request.user)),
            "nyckeltal": per_effect(effekter, nyckeltal),
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
    konflikt: dict[str, Any] | None = None
    data = None
    if request.method == "POST":
        # The second step of a merge carries the user's choices (malomraden/merge.py).
        data, chosen, complete = apply_choices(request.POST, omrade)
        if chosen:
            konflikt = {"val": chosen, "saknar_val": not complete}
    form = MalomradeForm(data, instance=omrade)
    formset = OmradestextFormSet(data, instance=omrade)
    if (
        request.method == "POST"
        and not (konflikt and konflikt["saknar_val"])
        and form.is_valid()
        and formset.is_valid()
    ):
        opened_on = form.cleaned_data["version"] or 0
        try:
            save_area_texts(form=form, texts=formset, expected_version=opened_on)
        except EditConflict:
            current = Malomrade.objects.get(pk=omrade.pk)
            merged = merged_post(current, opened_on, form, formset)
            if merged is None:
                konflikt = {"okand": True}
                form = rebind(request.POST, current, lambda d: MalomradeForm(d, instance=current))
                formset = rebind(
                    request.POST, current, lambda d: OmradestextFormSet(d, instance=current)
                )
            else:
                data, conflicts = merged
                form = MalomradeForm(data, instance=current)
                formset = OmradestextFormSet(data, instance=current)
                konflikt = {"val": conflicts, "saknar_val": False}
                if not conflicts and form.is_valid() and formset.is_valid():
                    try:
                        save_area_texts(form=form, texts=formset, expected_version=current.version)
                    except EditConflict:
                        pass  # changed yet again: show the merge to check
                    else:
                        messages.success(
                            request,
                            f"Texterna för {omrade.namn} sparades. Någon annan hade ändrat "
                            "texterna under tiden; de ändringarna står kvar.",
                        )
                        return redirect(omrade.get_absolute_url())
        else:
            messages.success(request, f"Texterna för {omrade.namn} sparades.")
            return redirect(omrade.get_absolute_url())
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
    rader = (
        Kedjerad.objects.filter(ansvariga_organisationer=org)
        .for_display()
        .order_by("malomrade__ordning", "malomrade_id", "ordning", "id")
    )
    per_omrade: dict[Malomrade, list[RadVy]] = {}
    for vy in row_views(rader, roles_for(request.user)):
        per_omrade.setdefault(vy.rad.malomrade, []).append(vy)
    return render(
        request,
        "malomraden/organisation_detail.html",
        {
            "organisation": org,
            "per_omrade": [(omr, group_views(r)) for omr, r in per_omrade.items()],
        },
    )
