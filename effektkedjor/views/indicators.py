"""The indicator page (nyckeltal): chart, table, source, last fetch and the values' history.

Every signed-in user may read it (sign-in is required by the middleware); the page runs a
fixed number of queries however many values and history records there are.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from boras_social.http import HtmxHttpRequest
from malomraden.roles import roles_for

from ..charts import Linje, line_chart
from ..formatting import INDICATOR_UNITS, indicator_value, moment
from ..history import KIND_LABELS, _user_name
from ..indicators import chart_description, lage, table_rows, with_values
from ..models import Hamtning, Indikator, Indikatorvarde

HISTORY_LIMIT = 100


@require_GET
def nyckeltal(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    ind = get_object_or_404(
        with_values(Indikator.objects.select_related("malomrade", "ansvarig")).prefetch_related(
            "effekter"
        ),
        pk=pk,
    )
    state = lage(ind)
    unit = INDICATOR_UNITS.get(ind.enhet, ind.get_enhet_display())
    chart = line_chart(
        chart_id=f"nyckeltal-{ind.pk}",
        title=ind.namn,
        description=chart_description(state),
        lines=[Linje(namn=s.namn, stil=s.stil, punkter=s.punkter) for s in state.alla_serier],
        unit=f"Värde ({unit})" if unit else "Värde",
        baseline=state.baslinje,
        target=state.mal,
    )
    hamtning = None
    if ind.kalla == Indikator.Kalla.KOLADA and ind.kolada_kpi:
        hamtning = (
            Hamtning.objects.filter(vad__contains=ind.kolada_kpi)
            .select_related("startad_av")
            .first()
        )
    records = list(
        Indikatorvarde.history.filter(indikator_id=ind.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    )
    historik = [
        {
            "nar": moment(r.history_date),
            "vem": _user_name(r.history_user),
            "vad": KIND_LABELS.get(r.history_type, r.history_type),
            "ar": f"{r.ar} {r.period}".strip() if r.ar else (r.period or "okänt år"),
            "kon": Indikatorvarde.Kon(r.kon).label if r.kon in Indikatorvarde.Kon.values else r.kon,
            "varde": "saknas" if r.varde is None else indicator_value(r.varde, ind.enhet),
            "orsak": r.history_change_reason or "",
        }
        for r in records
    ]
    return render(
        request,
        "effektkedjor/indikator_detail.html",
        {
            "ind": ind,
            "lage": state,
            "diagram": chart,
            "tabell": table_rows(state),
            "hamtning": hamtning,
            "hamtning_nar": moment(hamtning.startad) if hamtning else "",
            "historik": historik,
            "historik_begransad": len(records) == HISTORY_LIMIT,
            "kan_andra_omrade": roles_for(request.user).can_edit_area(ind.malomrade_id),
        },
    )
