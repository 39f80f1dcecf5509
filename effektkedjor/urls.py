"""The effect chain's URLs; the views live in views/, one module per capability."""

from django.urls import path

from .views import (
    committee,
    dashboard,
    effects,
    indicator_editing,
    indicators,
    rows,
    spreadsheets,
    status,
)

app_name = "effektkedjor"

urlpatterns = [
    path("start/", status.start, name="start"),
    path("instrumentpanel/", dashboard.instrumentpanel, name="instrumentpanel"),
    path("instrumentpanel/rader/", dashboard.instrumentpanel_rader, name="instrumentpanel_rader"),
    path(
        "instrumentpanel/nyckeltal/",
        dashboard.instrumentpanel_nyckeltal,
        name="instrumentpanel_nyckeltal",
    ),
    path("mina-rader/", status.mina_rader, name="mina_rader"),
    path("rapporter/", committee.rapporter, name="rapporter"),
    path("rapporter/<int:period_id>/", committee.rapport, name="rapport"),
    path("rapporter/<int:period_id>/pdf/", committee.rapport_pdf, name="rapport_pdf"),
    path("rapporter/<int:period_id>/<slug:slug>/", committee.rapport, name="rapport_omrade"),
    path(
        "rapporter/<int:period_id>/<slug:slug>/pdf/",
        committee.rapport_pdf,
        name="rapport_omrade_pdf",
    ),
    path("rapporter/bestallningar/<int:pk>/", committee.bestallning, name="bestallning"),
    path(
        "rapporter/bestallningar/<int:pk>/pdf/", committee.bestallning_pdf, name="bestallning_pdf"
    ),
    path("perioder/ny/", committee.period_ny, name="period_ny"),
    path("perioder/<int:pk>/andra/", committee.period_andra, name="period_andra"),
    path("perioder/<int:pk>/aktuell/", committee.period_aktuell, name="period_aktuell"),
    path("perioder/<int:pk>/stang/", committee.period_stang, name="period_stang"),
    path("perioder/<int:pk>/oppna/", committee.period_oppna, name="period_oppna"),
    path("export/rader.<str:fmt>", spreadsheets.export_rader, name="export_rader"),
    path(
        "export/lagesrapporter/<int:period_id>.<str:fmt>",
        spreadsheets.export_rapporter,
        name="export_rapporter",
    ),
    path("export/nyckeltal.<str:fmt>", spreadsheets.export_nyckeltal, name="export_nyckeltal"),
    path("nyckeltal/<int:pk>/", indicators.nyckeltal, name="nyckeltal"),
    path("rader/<int:pk>/", rows.rad_detalj, name="rad"),
    path("rader/<int:pk>/andra/", rows.rad_andra, name="rad_andra"),
    path("rader/<int:pk>/ta-bort/", rows.rad_ta_bort, name="rad_ta_bort"),
    path("rader/<int:pk>/flytta/", rows.rad_flytta, name="rad_flytta"),
    path("rader/<int:pk>/rapportera/", status.rapportera, name="rapportera"),
    path("omraden/<slug:slug>/rader/ny/", rows.rad_ny, name="rad_ny"),
    path("omraden/<slug:slug>/import/", spreadsheets.import_upload, name="import"),
    path(
        "omraden/<slug:slug>/import/<int:pk>/bekrafta/",
        spreadsheets.import_confirm,
        name="import_bekrafta",
    ),
    path("omraden/<slug:slug>/effekter/ny/", effects.effekt_ny, name="effekt_ny"),
    path("effekter/<int:pk>/andra/", effects.effekt_andra, name="effekt_andra"),
    path("effekter/<int:pk>/ta-bort/", effects.effekt_ta_bort, name="effekt_ta_bort"),
    path("omraden/<slug:slug>/nyckeltal/ny/", indicator_editing.indikator_ny, name="indikator_ny"),
    path("nyckeltal/<int:pk>/andra/", indicator_editing.indikator_andra, name="indikator_andra"),
    path("nyckeltal/<int:pk>/varden/", indicator_editing.indikator_varden, name="indikator_varden"),
    path(
        "omraden/<slug:slug>/nyckeltal/import/",
        indicator_editing.indikator_import,
        name="indikator_import",
    ),
    path("nyckeltal/hamtningar/", indicator_editing.hamtningar, name="hamtningar"),
    path("nyckeltal/hamtningar/<int:pk>/", indicator_editing.hamtning, name="hamtning"),
]
