"""Admin for long-term effects and chain rows, with Swedish labels, search and filters."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from malomraden.admin import BumpsVersionOnSave

from .forms import MonthField
from .models import (
    Effektbidrag,
    Hamtning,
    Indikator,
    Indikatorvarde,
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    PdfBestallning,
    Periodbild,
    Radansvar,
    Rapportperiod,
)
from .services.effects import delete_effect

# Django admin's calendar shortcuts label "Idag" with an untranslated aria-label, which
# fails WCAG 2.5.3 (label in name); the browser's own date input has no such problem.
NATIVE_DATE_INPUTS: dict[type[models.Field], dict[str, Any]] = {
    models.DateField: {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
}


class EffektbidragInline(admin.StackedInline):
    model = Effektbidrag
    extra = 0
    verbose_name = "bidrar till"
    verbose_name_plural = "bidrar till långsiktiga effekter (bara i radens målområde)"


class RadansvarInline(admin.StackedInline):
    model = Radansvar
    extra = 0


@admin.register(LangsiktigEffekt)
class LangsiktigEffektAdmin(BumpsVersionOnSave, SimpleHistoryAdmin):
    list_display = ["text", "malomrade", "ordning", "osaker"]
    list_filter = ["malomrade", "osaker"]
    search_fields = ["text"]

    # Through the service, as on the area page, so the rows' history records it.
    def delete_model(self, request: Any, obj: LangsiktigEffekt) -> None:
        delete_effect(effect=obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for effect in queryset:
            delete_effect(effect=effect)


class KedjeradAdminForm(forms.ModelForm):
    start = MonthField(label="Start (månad)", required=False, help_text="Format: ÅÅÅÅ-MM.")
    slut = MonthField(label="Slut (månad)", required=False, help_text="Format: ÅÅÅÅ-MM.")

    class Meta:
        model = Kedjerad
        fields = ["malomrade", *Kedjerad.EDITABLE_FIELDS, "ordning"]


@admin.register(Kedjerad)
class KedjeradAdmin(BumpsVersionOnSave, SimpleHistoryAdmin):
    form = KedjeradAdminForm

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Deleting the row would take its reports in closed periods with it.
        if obj is not None and obj.closed_periods():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(
        self, request: Any, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> Any:
        # "Delete selected" would not ask the question above for each row.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    list_display = ["aktivitet", "malomrade", "ordning", "samverkansniva"]
    list_filter = ["malomrade", "ansvariga_organisationer", "samverkansniva"]
    search_fields = ["aktivitet", "prestation", "kortsiktig_effekt", "ansvar_kommentar"]
    inlines = [RadansvarInline, EffektbidragInline]
    list_select_related = ["malomrade"]


@admin.register(Rapportperiod)
class RapportperiodAdmin(SimpleHistoryAdmin):
    formfield_overrides = NATIVE_DATE_INPUTS
    list_display = ["namn", "typ", "start", "slut", "aktuell", "stangd"]
    list_filter = ["typ", "aktuell", "stangd"]
    search_fields = ["namn"]


@admin.register(Lagesrapport)
class LagesrapportAdmin(SimpleHistoryAdmin):
    formfield_overrides = NATIVE_DATE_INPUTS
    list_display = ["rad", "period", "datum", "status", "bedomning", "forfattare"]
    list_filter = ["period", "status", "bedomning", "rad__malomrade"]
    search_fields = ["rad__aktivitet", "kommentar", "forfattare__username"]
    list_select_related = ["rad", "period", "forfattare"]
    raw_id_fields = ["rad"]
    date_hierarchy = "datum"

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # A closed period's reports are part of a fixed record.
        if obj is not None and obj.period.stangd:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Periodbild)
class PeriodbildAdmin(admin.ModelAdmin):
    list_display = ["period", "skapad"]
    readonly_fields = ["period", "data", "skapad"]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(PdfBestallning)
class PdfBestallningAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "bestallare", "skapad", "klar", "sidor"]
    list_filter = ["status"]
    readonly_fields = [
        "period",
        "malomrade",
        "status",
        "bestallare",
        "sidor",
        "fel",
        "skapad",
        "klar",
    ]
    exclude = ["pdf"]

    def has_add_permission(self, request: Any) -> bool:
        return False


class IndikatorvardeInline(admin.StackedInline):
    model = Indikatorvarde
    extra = 0
    fields = ["ar", "period", "kon", "varde", "kalla", "hamtad", "inmatad_av"]
    readonly_fields = ["hamtad", "inmatad_av"]


class IndikatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indikator
        fields = [
            "malomrade",
            "effekter",
            "kortsiktig_effekt",
            "namn",
            "enhet",
            "riktning",
            "kalla",
            "kalla_text",
            "kolada_kpi",
            "kommun",
            "kon_uppdelat",
            "ou",
            "baslinje_ar",
            "baslinje_varde",
            "baslinje_kommentar",
            "mal_ar",
            "mal_varde",
            "marginal",
            "beskrivning",
            "ansvarig",
            "kommentar",
            "ordning",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The municipality's default comes from a setting (a callable), for which Django
        # adds a hidden copy of the initial value carrying the help text's aria-describedby:
        # invalid HTML. The copy is only needed to detect changes to callable defaults.
        self.fields["kommun"].show_hidden_initial = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        area = cleaned.get("malomrade")
        effects = cleaned.get("effekter") or []
        if area is not None and any(e.malomrade_id != area.pk for e in effects):
            self.add_error(
                "effekter",
                "Ett nyckeltal kan bara mäta långsiktiga effekter i sitt eget målområde.",
            )
        return cleaned


@admin.register(Indikator)
class IndikatorAdmin(BumpsVersionOnSave, SimpleHistoryAdmin):
    form = IndikatorAdminForm
    list_display = ["namn", "malomrade", "kalla", "kolada_kpi", "enhet", "riktning", "ordning"]
    list_filter = ["malomrade", "kalla", "riktning"]
    search_fields = ["namn", "kolada_kpi", "kalla_text", "beskrivning"]
    list_select_related = ["malomrade"]
    inlines = [IndikatorvardeInline]


@admin.register(Indikatorvarde)
class IndikatorvardeAdmin(SimpleHistoryAdmin):
    list_display = ["indikator", "ar", "period", "kon", "varde", "kalla", "hamtad"]
    list_filter = ["kalla", "kon", "indikator__malomrade"]
    search_fields = ["indikator__namn", "indikator__kolada_kpi"]
    list_select_related = ["indikator"]
    raw_id_fields = ["indikator"]
    # Set by the fetch or the form that entered the value.
    readonly_fields = ["hamtad", "inmatad_av"]


@admin.register(Hamtning)
class HamtningAdmin(admin.ModelAdmin):
    list_display = ["startad", "klar", "vad", "antal_varden", "antal_andrade", "startad_av"]
    readonly_fields = [
        "startad",
        "klar",
        "vad",
        "antal_varden",
        "antal_andrade",
        "fel",
        "startad_av",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False
