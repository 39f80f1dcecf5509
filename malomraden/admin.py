"""Admin for the programme and its areas, with Swedish labels, search and filters."""

from django.contrib import admin

from .models import (
    Indikator,
    Malomrade,
    Omradesansvarig,
    Omradestext,
    Organisation,
    Person,
    Program,
    Programansvarig,
    Tema,
    VagledandePrincip,
)


class TemaInline(admin.TabularInline):
    model = Tema
    extra = 0


class PrincipInline(admin.TabularInline):
    model = VagledandePrincip
    extra = 0


class ProgramansvarigInline(admin.TabularInline):
    model = Programansvarig
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["namn", "kommun", "vision"]
    inlines = [TemaInline, PrincipInline, ProgramansvarigInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["namn", "titel", "anvandare"]
    search_fields = ["namn", "titel", "anvandare__username"]
    autocomplete_fields = ["anvandare"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["kod", "namn", "typ", "tolkning"]
    list_filter = ["typ", "tolkning"]
    search_fields = ["kod", "namn"]
    prepopulated_fields = {"slug": ["kod"]}


class OmradesansvarigInline(admin.TabularInline):
    model = Omradesansvarig
    extra = 0
    autocomplete_fields = ["person"]


class OmradestextInline(admin.StackedInline):
    model = Omradestext
    extra = 0


class IndikatorInline(admin.StackedInline):
    model = Indikator
    extra = 0


@admin.register(Malomrade)
class MalomradeAdmin(admin.ModelAdmin):
    list_display = ["namn", "kortnamn", "typ", "ordning"]
    list_filter = ["typ"]
    search_fields = ["namn", "kortnamn", "rubrik"]
    prepopulated_fields = {"slug": ["kortnamn"]}
    inlines = [OmradesansvarigInline, OmradestextInline, IndikatorInline]


@admin.register(Omradestext)
class OmradestextAdmin(admin.ModelAdmin):
    list_display = ["text", "typ", "malomrade", "ordning"]
    list_filter = ["typ", "malomrade"]
    search_fields = ["text"]


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin):
    list_display = ["namn", "malomrade", "baslinje_varde", "senaste_varde", "mal_varde"]
    list_filter = ["malomrade"]
    search_fields = ["namn", "kolada_id", "kalla"]
