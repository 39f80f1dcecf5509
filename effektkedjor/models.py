"""The effect chain (effektkedja): long-term effects and the rows that serve them.

A chain row reads right to left in the seed's table: an activity (what we do) gives an
output, which leads to a short-term effect, which contributes to one or more long-term
effects of the same target area (or, when none is named, to the area as a whole).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from malomraden.models import Malomrade, Organisation


class Samverkansniva(models.IntegerChoices):
    """The seed's five steps of working together, left to right ("en taxonomi")."""

    SPECIFICERAT = 1, "Specificerat"
    SAMORDNAT = 2, "Samordnat"
    SAMVERKAN = 3, "Samverkan"
    INTEGRERAT = 4, "Integrerat"
    SAMMANSMALT = 5, "Sammansmält"


class LangsiktigEffekt(models.Model):
    """A long-term effect of an area ("I Borås ska …")."""

    malomrade = models.ForeignKey(
        Malomrade,
        on_delete=models.CASCADE,
        related_name="langsiktiga_effekter",
        verbose_name="målområde",
    )
    text = models.TextField("text")
    ordning = models.PositiveIntegerField("ordning", default=0)
    osaker = models.BooleanField(
        "osäker lydelse",
        default=False,
        help_text="Källans text gick inte att läsa säkert; lydelsen behöver bekräftas.",
    )
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "långsiktig effekt"
        verbose_name_plural = "långsiktiga effekter"
        ordering = ["malomrade", "ordning", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="langsiktig_effekt_text_ej_tom")
        ]

    def __str__(self) -> str:
        return self.text


class Radansvar(models.Model):
    """An organisation answering for a row; the order is the order of the Ansvar cell."""

    rad = models.ForeignKey("Kedjerad", on_delete=models.CASCADE, verbose_name="rad")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name="organisation"
    )
    ordning = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "ansvarig organisation"
        verbose_name_plural = "ansvariga organisationer"
        ordering = ["ordning", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rad", "organisation"], name="radansvar_unikt")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.kod}: {self.rad}"


class Effektbidrag(models.Model):
    """A row's contribution to a long-term effect.

    A database trigger (migration 0002) refuses a link between a row and an effect of
    different areas, so the rule holds whatever writes the table (admin, import, shell).
    """

    rad = models.ForeignKey("Kedjerad", on_delete=models.CASCADE, verbose_name="rad")
    effekt = models.ForeignKey(
        LangsiktigEffekt, on_delete=models.CASCADE, verbose_name="långsiktig effekt"
    )

    class Meta:
        verbose_name = "bidrag till långsiktig effekt"
        verbose_name_plural = "bidrag till långsiktiga effekter"
        constraints = [models.UniqueConstraint(fields=["rad", "effekt"], name="effektbidrag_unikt")]

    def __str__(self) -> str:
        return f"{self.rad} → {self.effekt}"

    def clean(self) -> None:
        if self.rad_id and self.effekt_id and self.rad.malomrade_id != self.effekt.malomrade_id:
            raise ValidationError(
                "En rad kan bara bidra till långsiktiga effekter i sitt eget målområde."
            )


class KedjeradQuerySet(models.QuerySet["Kedjerad"]):
    def for_display(self) -> "KedjeradQuerySet":
        """Everything a chain table shows in a fixed number of queries; the id of each
        row's latest status report comes annotated as `senaste_rapport_id` (chain.py
        fetches those reports in one more query)."""
        return (
            self.select_related("malomrade")
            .prefetch_related(
                Prefetch(
                    "ansvariga_organisationer",
                    queryset=Organisation.objects.order_by("radansvar__ordning", "kod"),
                ),
                Prefetch(
                    "langsiktiga_effekter",
                    queryset=LangsiktigEffekt.objects.order_by("ordning", "id"),
                ),
            )
            .annotate(
                # One index walk per row (index lagesrapport_rad_senaste).
                senaste_rapport_id=Subquery(
                    Lagesrapport.objects.filter(rad=OuterRef("pk")).newest_first().values("id")[:1]
                )
            )
        )


def first_of_month(value: datetime.date | None) -> datetime.date | None:
    return value.replace(day=1) if value else None


class Kedjerad(models.Model):
    """One row of an area's effect chain, identified by its activity."""

    # The fields a person fills in (forms, admin and the readable history use these).
    EDITABLE_FIELDS = [
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
    ]

    malomrade = models.ForeignKey(
        Malomrade, on_delete=models.CASCADE, related_name="rader", verbose_name="målområde"
    )
    kortsiktig_effekt = models.TextField("kortsiktig effekt", blank=True)
    prestation = models.TextField("prestation", blank=True)
    aktivitet = models.TextField("aktivitet")
    ansvariga_organisationer = models.ManyToManyField(
        Organisation,
        through=Radansvar,
        related_name="rader",
        verbose_name="ansvariga organisationer",
        blank=True,
        help_text="I den ordning de står i kolumnen Ansvar.",
    )
    ansvar_kommentar = models.CharField(
        "ansvar, kommentar",
        max_length=500,
        blank=True,
        help_text="Fritext om ansvaret, till exempel ”berörda förvaltningar”.",
    )
    langsiktiga_effekter = models.ManyToManyField(
        LangsiktigEffekt,
        through=Effektbidrag,
        related_name="rader",
        verbose_name="bidrar till långsiktiga effekter",
        blank=True,
        help_text="Bara effekter i radens eget målområde. Inga valda betyder hela målområdet.",
    )
    start = models.DateField(
        "start (månad)", null=True, blank=True, help_text="Lagras som månadens första dag."
    )
    slut = models.DateField(
        "slut (månad)", null=True, blank=True, help_text="Lagras som månadens första dag."
    )
    tid_kommentar = models.CharField(
        "tid, kommentar", max_length=200, blank=True, help_text="Till exempel ”löpande”."
    )
    resurser = models.TextField("resurser", blank=True)
    resurser_belopp = models.PositiveBigIntegerField("resurser, belopp (kr)", null=True, blank=True)
    samverkansniva = models.PositiveSmallIntegerField(
        "samverkansnivå", choices=Samverkansniva.choices, null=True, blank=True
    )
    ordning = models.PositiveIntegerField("ordning", default=0)
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Räknas upp vid varje sparad ändring; skyddar mot att två skriver över varandra.",
    )

    objects = KedjeradQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[ansvariga_organisationer, langsiktiga_effekter])
    # Read by simple-history: set while a save must not write an entry of its own.
    skip_history_when_saving: bool

    class Meta:
        verbose_name = "rad i effektkedjan"
        verbose_name_plural = "rader i effektkedjan"
        ordering = ["malomrade", "ordning", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(aktivitet=""), name="kedjerad_aktivitet_kravs"),
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(slut__isnull=True)
                | Q(slut__gte=models.F("start")),
                name="kedjerad_slut_efter_start",
                violation_error_message="Slutmånaden kan inte ligga före startmånaden.",
            ),
        ]

    def __str__(self) -> str:
        return self.aktivitet

    def get_absolute_url(self) -> str:
        return f"{self.malomrade.get_absolute_url()}#rad-{self.pk}"

    def clean(self) -> None:
        # Month precision: whatever day was given, the row means the whole month.
        self.start = first_of_month(self.start)
        self.slut = first_of_month(self.slut)
        if not self.aktivitet.strip():
            raise ValidationError({"aktivitet": "Aktiviteten måste fyllas i."})

    def clean_langsiktiga_effekter(self, effekter: list[LangsiktigEffekt]) -> None:
        """Raise if any chosen effect belongs to another area (forms and import call this)."""
        fel = [e for e in effekter if e.malomrade_id != self.malomrade_id]
        if fel:
            raise ValidationError(
                {
                    "langsiktiga_effekter": (
                        "En rad kan bara bidra till långsiktiga effekter i sitt eget målområde."
                    )
                }
            )

    def closed_periods(self) -> list[str]:
        """The closed periods the row has reports in. Those reports are part of a fixed
        record, so such a row cannot be deleted (it can be reported as finished)."""
        return list(
            Rapportperiod.objects.filter(stangd=True, rapporter__rad=self)
            .distinct()
            .order_by("start")
            .values_list("namn", flat=True)
        )


@dataclass
class Radgrupp[T]:
    """Consecutive rows that serve the same long-term effects, like a merged cell."""

    effekter: list[LangsiktigEffekt]
    rader: list[T] = field(default_factory=list)


def group_by_effects[T](
    rader: Iterable[T], effects_of: Callable[[T], list[LangsiktigEffekt]] | None = None
) -> list[Radgrupp[T]]:
    """Group rows (or view-models of rows, with `effects_of`) in their order, the way the
    seed's slides merge the first column.

    Rows must come with `langsiktiga_effekter` prefetched (`for_display`), so grouping
    costs no queries.
    """
    of = effects_of or (lambda rad: list(cast(Kedjerad, rad).langsiktiga_effekter.all()))
    grupper: list[Radgrupp[T]] = []
    for rad in rader:
        effekter = of(rad)
        ids = [e.pk for e in effekter]
        if grupper and [e.pk for e in grupper[-1].effekter] == ids:
            grupper[-1].rader.append(rad)
        else:
            grupper.append(Radgrupp(effekter=effekter, rader=[rad]))
    return grupper


class Rapportperiod(models.Model):
    """A reporting period: tertial, delår or helår. One period is the current one."""

    class Typ(models.TextChoices):
        TERTIAL = "tertial", "tertial"
        DELAR = "delar", "delår"
        HELAR = "helar", "helår"

    namn = models.CharField("namn", max_length=100, unique=True)
    typ = models.CharField("typ", max_length=10, choices=Typ.choices)
    start = models.DateField("start")
    slut = models.DateField("slut")
    stangd = models.BooleanField(
        "stängd", default=False, help_text="På en stängd period kan inga lägesrapporter ändras."
    )
    aktuell = models.BooleanField(
        "aktuell", default=False, help_text="Perioden som rapporteras nu. Bara en kan vara aktuell."
    )
    sista_rapportdag = models.DateField(
        "sista rapportdag",
        null=True,
        blank=True,
        help_text="Sista dagen att rapportera läget för perioden. Ligger inom perioden.",
    )
    stangd_tid = models.DateTimeField("stängd", null=True, blank=True, editable=False)

    # Closing and reopening (with its reason) are recorded here.
    history = HistoricalRecords()
    # Read by simple-history: the reason written with the next history entry.
    _change_reason: str

    class Meta:
        verbose_name = "rapportperiod"
        verbose_name_plural = "rapportperioder"
        ordering = ["-start", "-slut"]
        constraints = [
            models.UniqueConstraint(
                fields=["aktuell"],
                condition=Q(aktuell=True),
                name="rapportperiod_en_aktuell",
                violation_error_message="Bara en rapportperiod kan vara aktuell.",
            ),
            models.CheckConstraint(
                condition=Q(slut__gte=models.F("start")),
                name="rapportperiod_slut_efter_start",
                violation_error_message="Periodens slut kan inte ligga före dess start.",
            ),
            models.CheckConstraint(
                condition=Q(sista_rapportdag__isnull=True)
                | (
                    Q(sista_rapportdag__gte=models.F("start"))
                    & Q(sista_rapportdag__lte=models.F("slut"))
                ),
                name="rapportperiod_sista_rapportdag_i_perioden",
                violation_error_message="Sista rapportdag måste ligga inom perioden.",
            ),
        ]

    def __str__(self) -> str:
        return self.namn

    @classmethod
    def current(cls) -> "Rapportperiod | None":
        return cls.objects.filter(aktuell=True).first()

    @property
    def open_for_reports(self) -> bool:
        """The period officials report in now: the current one, while it is open."""
        return self.aktuell and not self.stangd

    @classmethod
    def next_after(cls, period: "Rapportperiod | None") -> "Rapportperiod | None":
        """The period officials report in next, when `period` (the current one, or
        none) is closed: the open period that ends first after it (after today when
        there is no current period)."""
        after = period.slut if period else timezone.localdate()
        candidates = cls.objects.filter(stangd=False, slut__gt=after)
        if period is not None:
            candidates = candidates.exclude(pk=period.pk)
        return candidates.order_by("slut", "start", "pk").first()

    def clean(self) -> None:
        # Month-less dates are compared only when both are given; the form reports a
        # missing one next to its field.
        errors: dict[str, str] = {}
        if self.start and self.slut and self.slut < self.start:
            errors["slut"] = "Periodens slut kan inte ligga före dess start."
        if (
            self.sista_rapportdag
            and self.start
            and self.slut
            and not self.start <= self.sista_rapportdag <= self.slut
        ):
            errors["sista_rapportdag"] = (
                "Sista rapportdag måste ligga inom perioden, mellan "
                f"{date_format(self.start, 'j F Y')} och {date_format(self.slut, 'j F Y')}."
            )
        if not errors and self.start and self.slut and self.typ:
            # Periods of different kinds overlap on purpose (Tertial 1 lies within Delår
            # and Helår); two of the same kind would report the same months twice.
            overlapping = (
                Rapportperiod.objects.filter(
                    typ=self.typ, start__lte=self.slut, slut__gte=self.start
                )
                .exclude(pk=self.pk)
                .order_by("start")
                .first()
            )
            if overlapping is not None:
                errors["start"] = (
                    f"Perioden överlappar {overlapping.namn} "
                    f"({date_format(overlapping.start, 'j F Y')}–"
                    f"{date_format(overlapping.slut, 'j F Y')}), som är av samma typ."
                )
        if errors:
            raise ValidationError(errors)


class Status(models.TextChoices):
    EJ_PABORJAD = "ej_paborjad", "Ej påbörjad"
    PAGAR = "pagar", "Pågår"
    KLAR = "klar", "Klar"
    PAUSAD = "pausad", "Pausad"
    AVBRUTEN = "avbruten", "Avbruten"


class Bedomning(models.TextChoices):
    """The assessment; the interface shows it with text and a shape, never colour alone."""

    ENLIGT_PLAN = "enligt_plan", "Enligt plan"
    RISK = "risk", "Risk för avvikelse"
    AVVIKELSE = "avvikelse", "Avvikelse"


class LagesrapportQuerySet(models.QuerySet["Lagesrapport"]):
    def newest_first(self) -> "LagesrapportQuerySet":
        return self.order_by("-datum", "-skapad", "-id")


FINISHED_STATUSES = ["klar", "avbruten"]
# An assessment that something is off needs a word on what.
ASSESSMENTS_NEEDING_COMMENT = ["risk", "avvikelse"]


class Lagesrapport(models.Model):
    """A status report on a chain row for a reporting period: one per row and period,
    corrected in place while the period is open (the history keeps every version)."""

    # What a person writes; a correction changes these and nothing else.
    EDITABLE_FIELDS = ["datum", "status", "bedomning", "kommentar"]

    rad = models.ForeignKey(
        Kedjerad, on_delete=models.CASCADE, related_name="rapporter", verbose_name="rad"
    )
    period = models.ForeignKey(
        Rapportperiod, on_delete=models.PROTECT, related_name="rapporter", verbose_name="period"
    )
    datum = models.DateField("datum", default=timezone.localdate)
    status = models.CharField("status", max_length=20, choices=Status.choices)
    bedomning = models.CharField("bedömning", max_length=20, choices=Bedomning.choices)
    kommentar = models.TextField(
        "kommentar",
        blank=True,
        help_text=(
            "Lägesrapporter är allmänna handlingar. Skriv inga personuppgifter om invånare."
        ),
    )
    forfattare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lagesrapporter",
        verbose_name="författare",
    )
    skapad = models.DateTimeField("skapad", auto_now_add=True)
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Räknas upp vid varje rättelse, så att två inte skriver över varandra.",
    )

    objects = LagesrapportQuerySet.as_manager()
    history = HistoricalRecords()
    # Read by simple-history: the reason written with the next history entry.
    _change_reason: str

    class Meta:
        verbose_name = "lägesrapport"
        verbose_name_plural = "lägesrapporter"
        ordering = ["-datum", "-skapad", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rad", "period"],
                name="lagesrapport_en_per_rad_och_period",
                violation_error_message="Raden har redan en lägesrapport för perioden.",
            )
        ]
        indexes = [
            # "The latest report of a row in a period": an index-only walk per row.
            models.Index(
                fields=["rad", "period", "-datum", "-skapad", "-id"], name="lagesrapport_senaste"
            ),
            # "The latest report of a row" (chain tables, Mina rader).
            models.Index(
                fields=["rad", "-datum", "-skapad", "-id"], name="lagesrapport_rad_senaste"
            ),
            # "The latest reports of a period" on the dashboard.
            models.Index(fields=["period", "-skapad"], name="lagesrapport_period_skapad"),
        ]

    def __str__(self) -> str:
        return f"{self.rad} – {self.period}: {self.get_status_display()}"

    @property
    def forfattare_namn(self) -> str:
        if self.forfattare is None:
            return "okänd"
        return self.forfattare.get_full_name() or self.forfattare.get_username()

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    def clean(self) -> None:
        if self.bedomning in ASSESSMENTS_NEEDING_COMMENT and not self.kommentar.strip():
            raise ValidationError(
                {
                    "kommentar": (
                        f"Skriv en kommentar: vid ”{self.get_bedomning_display()}” behöver "
                        "läsaren veta vad som avviker och vad som görs."
                    )
                }
            )
        if self.period_id and self.period.stangd:
            raise ValidationError(
                {
                    "period": (
                        f"Perioden {self.period} är stängd. Lägesrapporter kan inte "
                        "läggas till eller ändras på en stängd period."
                    )
                }
            )
        # Nor moved out of one: that would change the closed period's record too.
        if self.pk is not None:
            stored = (
                Lagesrapport.objects.filter(pk=self.pk).values_list(
                    "period__stangd", "period__namn"
                )
            ).first()
            if stored is not None and stored[0]:
                raise ValidationError(
                    f"Rapporten hör till den stängda perioden {stored[1]} och kan inte ändras."
                )


class Periodbild(models.Model):
    """The report of a closed period as it stood when the period was closed.

    A closed period's report is rendered from this snapshot, so it reads the same every
    time, whatever happens to the rows later. Reopening the period removes it; closing
    again takes a new one.
    """

    period = models.OneToOneField(
        Rapportperiod, on_delete=models.CASCADE, related_name="bild", verbose_name="period"
    )
    data = models.JSONField("innehåll")
    skapad = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "fastställd periodrapport"
        verbose_name_plural = "fastställda periodrapporter"

    def __str__(self) -> str:
        return f"Rapport för {self.period}"


class PdfBestallning(models.Model):
    """A PDF report too large to render in the request, made by the task worker."""

    class Status(models.TextChoices):
        VANTAR = "vantar", "Väntar"
        PAGAR = "pagar", "Skapas"
        KLAR = "klar", "Klar"
        FEL = "fel", "Misslyckades"

    period = models.ForeignKey(Rapportperiod, on_delete=models.CASCADE, verbose_name="period")
    malomrade = models.ForeignKey(
        Malomrade, on_delete=models.CASCADE, null=True, blank=True, verbose_name="målområde"
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.VANTAR
    )
    bestallare = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name="beställare"
    )
    # Kept in the database, which every app server shares, rather than on one server's disk.
    pdf = models.BinaryField("pdf", null=True, editable=False)
    sidor = models.PositiveIntegerField("sidor", null=True, blank=True)
    fel = models.TextField("felmeddelande", blank=True)
    skapad = models.DateTimeField("beställd", auto_now_add=True)
    klar = models.DateTimeField("klar", null=True, blank=True)

    class Meta:
        verbose_name = "pdf-beställning"
        verbose_name_plural = "pdf-beställningar"
        ordering = ["-skapad"]

    def __str__(self) -> str:
        return f"{self.period} – {self.malomrade or 'hela programmet'}"


class Importfil(models.Model):
    """An uploaded spreadsheet between its preview and the user's confirmation.

    Kept in the database (which every app server shares) and removed when imported.
    """

    malomrade = models.ForeignKey(Malomrade, on_delete=models.CASCADE, verbose_name="målområde")
    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name="uppladdad av"
    )
    filnamn = models.CharField("filnamn", max_length=255)
    innehall = models.BinaryField("innehåll")
    skapad = models.DateTimeField("uppladdad", auto_now_add=True)
    # The area's rows and effects with their versions when the preview was shown: the
    # import is only confirmed against that same state (importing.area_state).
    lage = models.JSONField("läge vid förhandsgranskningen", default=dict, editable=False)

    class Meta:
        verbose_name = "uppladdad importfil"
        verbose_name_plural = "uppladdade importfiler"

    def __str__(self) -> str:
        return self.filnamn


def default_municipality() -> str:
    return str(settings.KOLADA_MUNICIPALITY)


class Indikator(models.Model):
    """An indicator (nyckeltal): a measure of whether an area's long-term effects happen.

    Values come from Kolada (a KPI id for a municipality, optionally an organisational
    unit) or are entered by hand (Borås's own statistics); they are rows of
    `Indikatorvarde`, one per year (or period) and gender.
    """

    class Enhet(models.TextChoices):
        PROCENT = "procent", "%"
        ANTAL = "antal", "antal"
        KRONOR = "kr", "kr"
        AR = "ar", "år"
        PER_1000 = "per_1000", "per 1 000 invånare"
        INDEX = "index", "index"
        ANNAN = "annan", "annan"

    class Riktning(models.TextChoices):
        HOGRE = "hogre", "Högre är bättre"
        LAGRE = "lagre", "Lägre är bättre"

    class Kalla(models.TextChoices):
        KOLADA = "kolada", "Kolada"
        MANUELL = "manuell", "Manuell / fil"

    malomrade = models.ForeignKey(
        Malomrade, on_delete=models.CASCADE, related_name="indikatorer", verbose_name="målområde"
    )
    effekter = models.ManyToManyField(
        LangsiktigEffekt,
        related_name="indikatorer",
        verbose_name="långsiktiga effekter",
        blank=True,
        help_text="De långsiktiga effekter i målområdet som nyckeltalet mäter.",
    )
    kortsiktig_effekt = models.TextField(
        "kortsiktig effekt",
        blank=True,
        help_text="Om nyckeltalet också mäter en kortsiktig effekt: vilken.",
    )
    namn = models.CharField("namn", max_length=300)
    enhet = models.CharField("enhet", max_length=20, choices=Enhet.choices, default=Enhet.ANTAL)
    riktning = models.CharField(
        "riktning", max_length=10, choices=Riktning.choices, default=Riktning.HOGRE
    )
    kalla = models.CharField("källa", max_length=10, choices=Kalla.choices, default=Kalla.MANUELL)
    kalla_text = models.CharField(
        "källa, beskrivning",
        max_length=300,
        blank=True,
        help_text="Varifrån siffrorna kommer när det inte är Kolada för Borås.",
    )
    kolada_kpi = models.CharField(
        "Kolada-KPI", max_length=20, blank=True, help_text="Till exempel N15428."
    )
    kommun = models.CharField(
        "kommun (Kolada-id)",
        max_length=10,
        default=default_municipality,
        help_text="Kommunens id i Kolada; Borås är 1490.",
    )
    kon_uppdelat = models.BooleanField(
        "uppdelat på kön",
        default=False,
        help_text="Källan ger värden för kvinnor och män, inte bara totalt.",
    )
    ou = models.CharField(
        "organisatorisk enhet (Kolada-id)",
        max_length=20,
        blank=True,
        help_text="Till exempel en skola. Tomt betyder hela kommunen.",
    )
    baslinje_ar = models.PositiveSmallIntegerField("utgångsläge, år", null=True, blank=True)
    baslinje_varde = models.DecimalField(
        "utgångsläge, värde", max_digits=14, decimal_places=2, null=True, blank=True
    )
    baslinje_kommentar = models.TextField(
        "om utgångsläget",
        blank=True,
        help_text="Till exempel vad programmets källa säger om läget när arbetet började.",
    )
    mal_ar = models.PositiveSmallIntegerField("mål, år", null=True, blank=True)
    mal_varde = models.DecimalField(
        "mål, värde", max_digits=14, decimal_places=2, null=True, blank=True
    )
    marginal = models.DecimalField(
        "marginal",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Hur långt från den väg som leder till målet värdet får ligga och ändå "
        "räknas som i fas, i nyckeltalets enhet.",
    )
    beskrivning = models.TextField("hur det mäts", blank=True)
    ansvarig = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nyckeltal",
        verbose_name="ansvarig organisation",
    )
    kommentar = models.CharField(
        "kommentar", max_length=200, blank=True, help_text="Till exempel ”ca”."
    )
    ordning = models.PositiveIntegerField("ordning", default=0)
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Räknas upp vid varje sparad ändring; skyddar mot att två skriver över varandra.",
    )

    history = HistoricalRecords(m2m_fields=[effekter])

    class Meta:
        verbose_name = "nyckeltal"
        verbose_name_plural = "nyckeltal"
        ordering = ["malomrade", "ordning", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(namn=""), name="indikator_namn_kravs"),
            models.CheckConstraint(
                condition=~Q(kalla="kolada") | ~Q(kolada_kpi=""),
                name="indikator_kolada_kraver_kpi",
                violation_error_message="Ett nyckeltal från Kolada behöver ett KPI-id.",
            ),
        ]

    def __str__(self) -> str:
        return self.namn

    def clean(self) -> None:
        self.kolada_kpi = self.kolada_kpi.strip().upper()
        if self.kalla == self.Kalla.KOLADA and not self.kolada_kpi:
            raise ValidationError(
                {"kolada_kpi": "Ett nyckeltal från Kolada behöver ett KPI-id, till exempel N15428."}
            )

    def latest_value(self, kon: str = "T") -> "Indikatorvarde | None":
        """The newest value (with a figure) for the gender, the total by default.

        Uses the prefetched `varden` when there are any, so a list costs no queries."""
        values = [
            v for v in self.varden.all() if v.kon == kon and not v.plats and v.varde is not None
        ]
        if not values:
            return None
        return max(values, key=lambda v: (v.ar is not None, v.ar or 0, v.period))


class Indikatorvarde(models.Model):
    """One value of an indicator: a year (or a period within it) and a gender.

    Kolada's values can be missing (`null`); such a value is kept as it came. A revised
    value updates the row; its history keeps the earlier figure.
    """

    class Kon(models.TextChoices):
        TOTALT = "T", "totalt"
        KVINNOR = "K", "kvinnor"
        MAN = "M", "män"

    indikator = models.ForeignKey(
        Indikator, on_delete=models.CASCADE, related_name="varden", verbose_name="nyckeltal"
    )
    ar = models.PositiveSmallIntegerField(
        "år", null=True, blank=True, help_text="Tomt när källan inte anger året."
    )
    period = models.CharField(
        "period",
        max_length=20,
        blank=True,
        help_text="För egna mätningar inom året, till exempel ”T1”. Tomt betyder helår.",
    )
    # A comparison's place: the whole country (Kolada's "0000") or the mean of the group of
    # similar municipalities (setting KOLADA_JAMFORELSEGRUPP); blank is the indicator's own.
    RIKET = "0000"
    GRUPP = "grupp"

    kon = models.CharField("kön", max_length=1, choices=Kon.choices, default=Kon.TOTALT)
    plats = models.CharField(
        "jämförelse",
        max_length=20,
        blank=True,
        default="",
        help_text="Tomt: nyckeltalets egen kommun eller enhet. ”0000”: hela riket. "
        "”grupp”: medel för liknande kommuner.",
    )
    varde = models.DecimalField("värde", max_digits=14, decimal_places=2, null=True, blank=True)
    kalla = models.CharField(
        "källa", max_length=10, choices=Indikator.Kalla.choices, default=Indikator.Kalla.MANUELL
    )
    hamtad = models.DateTimeField("hämtad eller inmatad", default=timezone.now)
    inmatad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inmatad av",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "värde för nyckeltal"
        verbose_name_plural = "värden för nyckeltal"
        ordering = ["indikator", "ar", "period", "kon"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "plats", "ar", "period", "kon"],
                condition=Q(ar__isnull=False),
                name="indikatorvarde_unikt",
                violation_error_message="Nyckeltalet har redan ett värde för året och könet.",
            ),
            models.UniqueConstraint(
                fields=["indikator", "plats", "period", "kon"],
                condition=Q(ar__isnull=True),
                name="indikatorvarde_unikt_utan_ar",
                violation_error_message="Nyckeltalet har redan ett värde utan år.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indikator}: {self.ar or 'okänt år'} {self.period} {self.kon}".strip()


class Hamtning(models.Model):
    """A fetch of indicator values (from Kolada or a saved file): what, when, the result."""

    startad = models.DateTimeField("startad", default=timezone.now)
    klar = models.DateTimeField("klar", null=True, blank=True)
    vad = models.TextField("vad", help_text="Nyckeltal och år som hämtades.")
    antal_varden = models.PositiveIntegerField("antal värden", default=0)
    antal_andrade = models.PositiveIntegerField("varav nya eller ändrade", default=0)
    fel = models.TextField("fel", blank=True)
    startad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="startad av",
    )

    class Meta:
        verbose_name = "hämtning av nyckeltal"
        verbose_name_plural = "hämtningar av nyckeltal"
        ordering = ["-startad", "-id"]

    def __str__(self) -> str:
        return f"Hämtning {self.startad:%Y-%m-%d %H:%M}"

    @property
    def lyckades(self) -> bool:
        return self.klar is not None and not self.fel
