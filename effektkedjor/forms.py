"""Every form of the effect chain: rows, long-term effects, status reports, the
dashboard's filters, reporting periods (creating, changing, reopening) and uploading a
spreadsheet.

Labels and messages are Swedish; every form keeps what the user typed when it is shown
again with errors.
"""

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from malomraden.models import Malomrade, Organisation

from .formatting import LEVEL_NOT_GIVEN, NO_REPORT, display_value
from .merging import ConflictChoices
from .models import (
    Bedomning,
    Indikator,
    Indikatorvarde,
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    Rapportperiod,
    Samverkansniva,
    Status,
)


class MonthInput(forms.DateInput):
    """An `<input type="month">`: browsers show a month picker, others a text box
    (where the field's help text gives the format ÅÅÅÅ-MM)."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month ("2026-03"), stored as the first day of the month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Ange en månad som ÅÅÅÅ-MM, till exempel 2026-03."}

    def to_python(self, value: Any) -> datetime.date | None:
        date = super().to_python(value)
        return date.replace(day=1) if date else None


class GrowingTextarea(forms.Textarea):
    """A text box as tall as the text in it, so nothing already written is hidden: its
    `rows` are counted from the text when the form is drawn (at least `min_rows`), for
    browsers without CSS `field-sizing: content` (static/css/app.css), which then lets
    it grow while the user types."""

    MAX_ROWS = 20

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        min_rows: int = 2,
        chars_per_line: int = 22,
    ) -> None:
        super().__init__(attrs={"rows": min_rows, **(attrs or {})})
        self.min_rows = min_rows
        # A narrow field of the row form is some 250 px wide: about 27 characters a
        # line, fewer where words wrap. Counting short gives a line too many rather
        # than one hidden.
        self.chars_per_line = chars_per_line

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text = str(self.format_value(value) or "")
        lines = sum(-(-len(line) // self.chars_per_line) or 1 for line in text.splitlines())
        context["widget"]["attrs"]["rows"] = min(max(self.min_rows, lines), self.MAX_ROWS)
        return context


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.kod} ({obj.namn})" if obj.namn != obj.kod else obj.kod


class KedjeradForm(ConflictChoices, forms.ModelForm):
    """A chain row. Organisations and long-term effects are checkboxes: quick to scan
    and to tick with the keyboard (Tab, Space), and they need no JavaScript."""

    MERGEABLE = tuple(Kedjerad.EDITABLE_FIELDS)

    organisationer = OrganisationChoiceField(
        label="Ansvariga organisationer",
        queryset=Organisation.objects.order_by("kod"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    effekter = forms.ModelMultipleChoiceField(
        label="Bidrar till långsiktiga effekter",
        queryset=LangsiktigEffekt.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Välj ingen om raden bidrar till målområdet som helhet.",
    )
    start = MonthField(label="Start (månad)", required=False, help_text="Format: ÅÅÅÅ-MM.")
    slut = MonthField(label="Slut (månad)", required=False, help_text="Format: ÅÅÅÅ-MM.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Kedjerad
        fields = Kedjerad.EDITABLE_FIELDS
        widgets = {
            "kortsiktig_effekt": GrowingTextarea(),
            "prestation": GrowingTextarea(),
            "aktivitet": GrowingTextarea(chars_per_line=30),  # the whole form's width
            "resurser": GrowingTextarea(),
        }
        error_messages = {
            "aktivitet": {"required": "Aktiviteten måste fyllas i."},
            "resurser_belopp": {"invalid": "Ange beloppet i hela kronor, till exempel 120000."},
        }

    def __init__(self, *args: Any, area_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        effects = LangsiktigEffekt.objects.filter(malomrade_id=area_id).order_by("ordning", "id")
        cast(forms.ModelMultipleChoiceField, self.fields["effekter"]).queryset = effects
        cast(forms.ChoiceField, self.fields["samverkansniva"]).choices = [
            ("", "Ej angiven"),
            *Samverkansniva.choices,
        ]
        self.fields[
            "samverkansniva"
        ].help_text = "Specificerat → Samordnat → Samverkan → Integrerat → Sammansmält."
        if self.instance.pk and not self.is_bound:
            # A merge after a conflict passes its own values (merging.py).
            self.initial.setdefault(
                "organisationer", list(self.instance.ansvariga_organisationer.all())
            )
            self.initial.setdefault("effekter", list(self.instance.langsiktiga_effekter.all()))
            self.initial.setdefault("version", self.instance.version)
        self.add_conflict_choices(display_value)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self.apply_conflict_choices()
        return cleaned

    def clean_aktivitet(self) -> str:
        value = self.cleaned_data["aktivitet"].strip()
        if not value:
            raise ValidationError("Aktiviteten måste fyllas i.")
        return value


class FlyttaRadForm(forms.Form):
    """ "Flytta till": a new place for a row in one step, among the rows that serve the
    same long-term effects (so the move never splits a group): first of them, or just
    after one of them. Starts at the row's place now."""

    FIRST = "forst"

    efter = forms.ChoiceField(
        label="Ny plats",
        error_messages={
            "required": "Välj var raden ska stå.",
            "invalid_choice": "Välj en plats i listan. Raderna kan ha ändrats; "
            "listan visar dem som de är nu.",
        },
    )

    def __init__(self, *args: Any, group: list[Kedjerad], row: Kedjerad, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = [r for r in group if r.pk != row.pk]
        choices = [(self.FIRST, f"Först, före ”{_short(others[0])}”")] if others else []
        choices += [(str(r.pk), f"Efter ”{_short(r)}”") for r in others]
        cast(forms.ChoiceField, self.fields["efter"]).choices = choices
        index = [r.pk for r in group].index(row.pk) if row in group else 0
        self.initial.setdefault("efter", str(group[index - 1].pk) if index else self.FIRST)

    def after(self) -> int | None:
        """The id of the row to stand after; None for first."""
        value = self.cleaned_data["efter"]
        return None if value == self.FIRST else int(value)


def _short(row: Kedjerad) -> str:
    return Truncator(row.aktivitet).chars(70)


class LangsiktigEffektForm(ConflictChoices, forms.ModelForm):
    """A long-term effect. `notes=True` (the programme management, Roles.whole_programme)
    adds the data-entry note "Osäker lydelse"; for anyone else the field is left out,
    so it is neither shown nor changed (the admin has it too)."""

    MERGEABLE: tuple[str, ...] = ("text", "osaker")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LangsiktigEffekt
        fields = ["text", "osaker"]
        labels = {"text": "Långsiktig effekt"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Skriv den långsiktiga effekten."}}

    def __init__(self, *args: Any, notes: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not notes:
            del self.fields["osaker"]
            self.MERGEABLE = ("text",)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("version", self.instance.version)
        self.add_conflict_choices(display_value)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self.apply_conflict_choices()
        return cleaned


class LagesrapportForm(forms.ModelForm):
    """A row's report for the current period: the first one, or a correction of it.
    The period is the current one (shown as text, posted as a hidden field); `version`
    is the version of the report the form was opened on, 0 when there was none.
    A comment is required with "Risk för avvikelse" and "Avvikelse" (Lagesrapport.clean).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Lagesrapport
        fields = ["period", "datum", "status", "bedomning", "kommentar"]
        widgets = {
            "period": forms.HiddenInput,
            "datum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "status": forms.RadioSelect,
            "bedomning": forms.RadioSelect,
            "kommentar": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "status": {"required": "Välj en status."},
            "bedomning": {"required": "Välj en bedömning."},
            "period": {
                "required": "Välj en rapportperiod.",
                "invalid_choice": (
                    "Perioden är stängd eller finns inte. Lägesrapporter läggs på den "
                    "aktuella perioden medan den är öppen."
                ),
            },
            "datum": {"invalid": "Ange ett datum som ÅÅÅÅ-MM-DD."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = cast(forms.ModelChoiceField, self.fields["period"])
        period.queryset = Rapportperiod.objects.filter(stangd=False, aktuell=True)
        period.empty_label = None
        cast(forms.ChoiceField, self.fields["status"]).choices = Status.choices
        cast(forms.ChoiceField, self.fields["bedomning"]).choices = Bedomning.choices
        comment = self.fields["kommentar"]
        comment.help_text = (
            f"Krävs vid ”{Bedomning.RISK.label}” och ”{Bedomning.AVVIKELSE.label}”. "
            f"{comment.help_text}"
        )
        if not self.is_bound:
            current = Rapportperiod.current()
            if current and not current.stangd and not self.initial.get("period"):
                self.initial["period"] = current.pk
            self.initial.setdefault("version", self.instance.version if self.instance.pk else 0)

    def clean_version(self) -> int:
        return self.cleaned_data.get("version") or 0


class RapportperiodForm(forms.ModelForm):
    """A reporting period as the programme management creates and changes it. The
    dates are checked against each other and against other periods of the same kind
    in Rapportperiod.clean."""

    class Meta:
        model = Rapportperiod
        fields = ["typ", "namn", "start", "slut", "sista_rapportdag"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "slut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sista_rapportdag": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"start": "Första dag", "slut": "Sista dag"}
        help_texts = {
            "namn": "Till exempel ”Tertial 2 2027”. Visas i rapporterna och för tjänstepersonerna.",
            "start": "Format: ÅÅÅÅ-MM-DD.",
            "slut": "Format: ÅÅÅÅ-MM-DD.",
            "sista_rapportdag": (
                "Sista dagen att rapportera läget, inom perioden. Format: ÅÅÅÅ-MM-DD."
            ),
        }
        error_messages = {
            "typ": {"required": "Välj periodens typ."},
            "namn": {
                "required": "Ge perioden ett namn.",
                "unique": "Det finns redan en period med det namnet.",
            },
            "start": {
                "required": "Ange periodens första dag.",
                "invalid": "Ange ett datum som ÅÅÅÅ-MM-DD.",
            },
            "slut": {
                "required": "Ange periodens sista dag.",
                "invalid": "Ange ett datum som ÅÅÅÅ-MM-DD.",
            },
            "sista_rapportdag": {"invalid": "Ange ett datum som ÅÅÅÅ-MM-DD."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        typ = cast(forms.ChoiceField, self.fields["typ"])
        typ.choices = [("", "Välj typ"), *Rapportperiod.Typ.choices]


NONE = "ingen"  # the filter value for "no report in the period" / "not set"


class FilterForm(forms.Form):
    """The dashboard's filters, read from the query string (bookmarkable, no JavaScript
    needed). Unknown values are reported next to their field and otherwise ignored."""

    period = forms.ModelChoiceField(
        label="Period", queryset=Rapportperiod.objects.all(), required=False, empty_label=None
    )
    omrade = forms.ModelChoiceField(
        label="Målområde",
        queryset=Malomrade.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Alla målområden",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Alla organisationer",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Alla"), *Status.choices, (NONE, NO_REPORT)],
        required=False,
    )
    bedomning = forms.ChoiceField(
        label="Bedömning",
        choices=[("", "Alla"), *Bedomning.choices, (NONE, NO_REPORT)],
        required=False,
    )
    # Facets the dashboard's numbers link to; not in the visible filter form.
    forsenad = forms.BooleanField(required=False)
    samverkansniva = forms.ChoiceField(
        choices=[
            ("", "Alla"),
            *((str(v), lbl) for v, lbl in Samverkansniva.choices),
            (NONE, LEVEL_NOT_GIVEN),
        ],
        required=False,
    )


class ReopenForm(forms.Form):
    skal = forms.CharField(
        label="Skäl till att perioden öppnas igen",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Skriv varför perioden ska öppnas igen."},
    )


class ImportForm(forms.Form):
    fil = forms.FileField(
        label="Kalkylblad (.xlsx eller .csv)",
        help_text=(
            "Högst 5 MB och 5 000 rader. Ingenting ändras förrän du har sett "
            "förhandsgranskningen och bekräftat."
        ),
        error_messages={"required": "Välj en fil att läsa in."},
    )


class IndikatorForm(forms.ModelForm):
    """An indicator (nyckeltal) as an area owner adds or changes it: where its figures
    come from (a Kolada KPI, or Borås's own statistics), its baseline and target, and
    the long-term effects of the area it measures (only the area's are offered)."""

    effekter = forms.ModelMultipleChoiceField(
        label="Mäter långsiktiga effekter",
        queryset=LangsiktigEffekt.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Välj bland målområdets långsiktiga effekter."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indikator
        fields = [
            "namn",
            "kalla",
            "kolada_kpi",
            "kommun",
            "ou",
            "kon_uppdelat",
            "kalla_text",
            "enhet",
            "riktning",
            "baslinje_ar",
            "baslinje_varde",
            "baslinje_kommentar",
            "mal_ar",
            "mal_varde",
            "marginal",
            "beskrivning",
            "ansvarig",
            "effekter",
        ]
        widgets = {
            "kalla": forms.RadioSelect,
            "riktning": forms.RadioSelect,
            "beskrivning": forms.Textarea(attrs={"rows": 4}),
            "baslinje_kommentar": forms.Textarea(attrs={"rows": 2}),
        }
        # A decimal comma is what Swedish users type (a text box, not type="number").
        localized_fields = ("baslinje_varde", "mal_varde", "marginal")
        labels = {"kalla_text": "Källa (om inte Kolada för kommunen)"}
        error_messages = {
            "namn": {"required": "Ge nyckeltalet ett namn."},
            "baslinje_varde": {"invalid": "Ange utgångsläget som ett tal, till exempel 84,5."},
            "mal_varde": {"invalid": "Ange målet som ett tal, till exempel 90."},
            "marginal": {"invalid": "Ange marginalen som ett tal, till exempel 2."},
            "baslinje_ar": {"invalid": "Ange året med fyra siffror, till exempel 2024."},
            "mal_ar": {"invalid": "Ange året med fyra siffror, till exempel 2030."},
        }

    def __init__(self, *args: Any, area_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        effects = LangsiktigEffekt.objects.filter(malomrade_id=area_id).order_by("ordning", "id")
        cast(forms.ModelMultipleChoiceField, self.fields["effekter"]).queryset = effects
        cast(
            forms.ModelChoiceField, self.fields["ansvarig"]
        ).queryset = Organisation.objects.order_by("kod")
        cast(forms.ModelChoiceField, self.fields["ansvarig"]).empty_label = "Ingen angiven"
        # The municipality's default comes from a setting (a callable): no hidden copy of
        # it, which would carry the help text's aria-describedby onto a hidden input.
        self.fields["kommun"].show_hidden_initial = False
        if not self.is_bound:
            if self.instance.pk:
                self.initial.setdefault("effekter", list(self.instance.effekter.all()))
            self.initial.setdefault("version", self.instance.version)

    def clean_namn(self) -> str:
        value = self.cleaned_data["namn"].strip()
        if not value:
            raise ValidationError("Ge nyckeltalet ett namn.")
        return value

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name in ("baslinje_ar", "mal_ar"):
            year = self.cleaned_data.get(name)
            if year is not None and not 1900 <= year <= 2100:
                self.add_error(name, "Ange ett år mellan 1900 och 2100.")
        start, end = self.cleaned_data.get("baslinje_ar"), self.cleaned_data.get("mal_ar")
        if start and end and end < start:
            self.add_error("mal_ar", "Målåret ligger före utgångslägets år.")
        if self.cleaned_data.get("kalla") == "kolada" and not self.cleaned_data.get("kommun"):
            self.add_error("kommun", "Ange kommunens id i Kolada, för Borås 1490.")
        return cleaned


class IndikatorvardeForm(forms.Form):
    """One value of an indicator entered by hand: a year, optionally a period within it
    ("T1"), a gender (or the total) and the figure. A year, period and gender that
    already has a value gets the new figure (the history keeps the earlier one)."""

    ar = forms.IntegerField(
        label="År",
        min_value=1900,
        max_value=2100,
        error_messages={
            "required": "Ange året.",
            "invalid": "Ange året med fyra siffror, till exempel 2025.",
            "min_value": "Ange ett år mellan 1900 och 2100.",
            "max_value": "Ange ett år mellan 1900 och 2100.",
        },
    )
    period = forms.CharField(
        label="Period inom året",
        max_length=20,
        required=False,
        help_text="Till exempel ”T1” för en egen mätning per tertial. Tomt betyder helår.",
        error_messages={"max_length": "Perioden får vara högst 20 tecken."},
    )
    kon = forms.ChoiceField(
        label="Gäller",
        choices=Indikatorvarde.Kon.choices,
        initial=Indikatorvarde.Kon.TOTALT,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj totalt, kvinnor eller män."},
    )
    varde = forms.DecimalField(
        label="Värde",
        max_digits=14,
        decimal_places=2,
        localize=True,
        error_messages={
            "required": "Ange värdet.",
            "invalid": "Ange värdet som ett tal, till exempel 12,5.",
            "max_digits": "Värdet har för många siffror.",
            "max_decimal_places": "Ange värdet med högst två decimaler.",
            "max_whole_digits": "Värdet är för stort.",
        },
    )

    def clean_period(self) -> str:
        return self.cleaned_data["period"].strip()
