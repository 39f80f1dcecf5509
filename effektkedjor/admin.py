"""Admin for long-term effects and chain rows, with Swedish labels, search and filters."""

from django import forms
from django.contrib import admin

from .forms import MonthField
from .models import Effektbidrag, Kedjerad, LangsiktigEffekt, Radansvar


class EffektbidragInline(admin.StackedInline):
    model = Effektbidrag
    extra = 0
    verbose_name = "bidrar till"
    verbose_name_plural = "bidrar till långsiktiga effekter (bara i radens målområde)"


class RadansvarInline(admin.StackedInline):
    model = Radansvar
    extra = 0


@admin.register(LangsiktigEffekt)
class LangsiktigEffektAdmin(admin.ModelAdmin):
    list_display = ["text", "malomrade", "ordning", "osaker"]
    list_filter = ["malomrade", "osaker"]
    search_fields = ["text"]


class KedjeradAdminForm(forms.ModelForm):
    start = MonthField(label="Start (månad)", required=False, help_text="Format: ÅÅÅÅ-MM.")
    slut = MonthField(label="Slut (månad)", required=False, help_text="Format: ÅÅÅÅ-MM.")

    class Meta:
        model = Kedjerad
        fields = [
            "malomrade",
            "kortsiktig_effekt",
            "prestation",
            "aktivitet",
            "ansvar_kommentar",
            "start",
            "slut",
            "tid_kommentar",
            "resurser",
            "resurser_belopp",
            "samverkansniva",
            "ordning",
        ]


@admin.register(Kedjerad)
class KedjeradAdmin(admin.ModelAdmin):
    form = KedjeradAdminForm
    list_display = ["aktivitet", "malomrade", "ordning", "samverkansniva"]
    list_filter = ["malomrade", "ansvariga_organisationer", "samverkansniva"]
    search_fields = ["aktivitet", "prestation", "kortsiktig_effekt", "ansvar_kommentar"]
    inlines = [RadansvarInline, EffektbidragInline]
    list_select_related = ["malomrade"]
