"""Read-only pages of the programme: overview, target area, organisations.

Every view needs a signed-in user (LoginRequiredMiddleware); roles that narrow what a
user may change come with editing. Each page runs a fixed number of queries whatever
the size of the programme (tests/malomraden/test_query_counts.py).
"""

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from effektkedjor.models import Kedjerad, LangsiktigEffekt, Samverkansniva, group_by_effects

from .models import Malomrade, Omradesansvarig, Omradestext, Organisation, Program, Programansvarig


def _ansvariga_prefetch() -> Prefetch:
    return Prefetch(
        "omradesansvarig_set",
        queryset=Omradesansvarig.objects.select_related("person"),
        to_attr="ansvarslista",
    )


@require_GET
def program(request: HttpRequest) -> HttpResponse:
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
def malomrade(request: HttpRequest, slug: str) -> HttpResponse:
    omrade = get_object_or_404(
        Malomrade.objects.select_related("program").prefetch_related(
            _ansvariga_prefetch(), "indikatorer"
        ),
        slug=slug,
    )
    texter: dict[str, list[Omradestext]] = {typ: [] for typ in Omradestext.Typ.values}
    for text in Omradestext.objects.filter(malomrade=omrade).order_by("ordning", "id"):
        texter[text.typ].append(text)
    effekter = list(LangsiktigEffekt.objects.filter(malomrade=omrade).order_by("ordning", "id"))
    rader = Kedjerad.objects.filter(malomrade=omrade).for_display().order_by("ordning", "id")
    return render(
        request,
        "malomraden/malomrade_detail.html",
        {
            "omrade": omrade,
            "ataganden": texter[Omradestext.Typ.ATAGANDE],
            "reflektioner": texter[Omradestext.Typ.REFLEKTION],
            "nulage": texter[Omradestext.Typ.NULAGE],
            "fardigstallt": texter[Omradestext.Typ.FARDIGSTALLT],
            "effekter": effekter,
            "grupper": group_by_effects(rader),
        },
    )


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisationer = Organisation.objects.annotate(antal_rader=Count("rader")).order_by("kod")
    return render(
        request,
        "malomraden/organisation_list.html",
        {"organisationer": organisationer},
    )


@require_GET
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    rader = (
        Kedjerad.objects.filter(ansvariga_organisationer=org)
        .for_display()
        .order_by("malomrade__ordning", "malomrade_id", "ordning", "id")
    )
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
