from django.urls import path

from . import views

app_name = "effektkedjor"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("instrumentpanel/", views.instrumentpanel, name="instrumentpanel"),
    path("instrumentpanel/rader/", views.instrumentpanel_rader, name="instrumentpanel_rader"),
    path("mina-rader/", views.mina_rader, name="mina_rader"),
    path("rapporter/", views.rapporter, name="rapporter"),
    path("rapporter/<int:period_id>/", views.rapport, name="rapport"),
    path("rapporter/<int:period_id>/pdf/", views.rapport_pdf, name="rapport_pdf"),
    path("rapporter/<int:period_id>/<slug:slug>/", views.rapport, name="rapport_omrade"),
    path(
        "rapporter/<int:period_id>/<slug:slug>/pdf/", views.rapport_pdf, name="rapport_omrade_pdf"
    ),
    path("rapporter/bestallningar/<int:pk>/", views.bestallning, name="bestallning"),
    path("rapporter/bestallningar/<int:pk>/pdf/", views.bestallning_pdf, name="bestallning_pdf"),
    path("perioder/<int:pk>/stang/", views.period_stang, name="period_stang"),
    path("perioder/<int:pk>/oppna/", views.period_oppna, name="period_oppna"),
    path("export/rader.<str:fmt>", views.export_rader, name="export_rader"),
    path(
        "export/lagesrapporter/<int:period_id>.<str:fmt>",
        views.export_rapporter,
        name="export_rapporter",
    ),
    path("rader/<int:pk>/", views.rad_detalj, name="rad"),
    path("rader/<int:pk>/andra/", views.rad_andra, name="rad_andra"),
    path("rader/<int:pk>/ta-bort/", views.rad_ta_bort, name="rad_ta_bort"),
    path("rader/<int:pk>/flytta/", views.rad_flytta, name="rad_flytta"),
    path("rader/<int:pk>/rapportera/", views.rapportera, name="rapportera"),
    path("omraden/<slug:slug>/rader/ny/", views.rad_ny, name="rad_ny"),
    path("omraden/<slug:slug>/import/", views.import_upload, name="import"),
    path(
        "omraden/<slug:slug>/import/<int:pk>/bekrafta/",
        views.import_confirm,
        name="import_bekrafta",
    ),
    path("omraden/<slug:slug>/effekter/ny/", views.effekt_ny, name="effekt_ny"),
    path("effekter/<int:pk>/andra/", views.effekt_andra, name="effekt_andra"),
    path("effekter/<int:pk>/ta-bort/", views.effekt_ta_bort, name="effekt_ta_bort"),
]
