"""The programme, its target areas (målområden), organisations and responsible people.

Domain nouns are Swedish (ASCII-folded) as in GUIDE.md's glossary; technical names are
English. Texts that the seed holds as lists (themes, principles, commitments, reflections,
status notes, completed work) are rows of their own, so that officials can edit, reorder
and trace them one by one later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Program(models.Model):
    """The programme as a whole: its vision and the overarching level ("Övergripande")."""

    namn = models.CharField("namn", max_length=200)
    kommun = models.CharField("kommun", max_length=200, default="Borås Stad")
    vision = models.CharField("vision", max_length=500)
    omfattning = models.CharField(
        "omfattning",
        max_length=200,
        blank=True,
        help_text="Var programmet gäller, till exempel ”Hela staden”.",
    )
    samverkan_kommentar = models.TextField(
        "kommentar till samverkanstrappan",
        blank=True,
        help_text="Det programmet säger om stegen från Specificerat till Sammansmält.",
    )
    ansvariga: "models.ManyToManyField[Person, Programansvarig]" = models.ManyToManyField(
        "Person",
        through="Programansvarig",
        related_name="program",
        verbose_name="övergripande ansvariga",
        blank=True,
    )

    class Meta:
        verbose_name = "program"
        verbose_name_plural = "program"
        permissions = [
            ("redigera_allt", "Får läsa och ändra hela programmet (stadsdirektör, programledning)")
        ]

    def __str__(self) -> str:
        return self.namn

    def get_absolute_url(self) -> str:
        return reverse("malomraden:program")


class Tema(models.Model):
    """A theme of the programme, read "from → to" (Utanförskap → Gemenskap)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="teman", verbose_name="program"
    )
    fran = models.CharField("från", max_length=200)
    till = models.CharField("till", max_length=200)
    ordning = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "tema"
        verbose_name_plural = "teman"
        ordering = ["ordning", "id"]

    def __str__(self) -> str:
        return f"{self.fran} → {self.till}"


class VagledandePrincip(models.Model):
    """One of "Några vägledande förutsättningar"."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="principer", verbose_name="program"
    )
    text = models.CharField("text", max_length=500)
    ordning = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "vägledande förutsättning"
        verbose_name_plural = "vägledande förutsättningar"
        ordering = ["ordning", "id"]

    def __str__(self) -> str:
        return self.text


class Organisation(models.Model):
    """A municipal office, municipal company or external authority ("Ansvar")."""

    class Typ(models.TextChoices):
        FORVALTNING = "forvaltning", "förvaltning"
        BOLAG = "bolag", "kommunalt bolag"
        MYNDIGHET = "myndighet", "extern myndighet"

    kod = models.CharField(
        "kod",
        max_length=50,
        unique=True,
        help_text="Förkortningen som står i kolumnen Ansvar, till exempel ALF.",
    )
    slug = models.SlugField("adressnamn", max_length=60, unique=True)
    namn = models.CharField("namn", max_length=200)
    typ = models.CharField("typ", max_length=20, choices=Typ.choices, default=Typ.FORVALTNING)
    tolkning = models.BooleanField(
        "namnet är en tolkning",
        default=False,
        help_text="Förkortningens utskrivna namn står inte i källan och bör bekräftas.",
    )

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
        ordering = ["kod"]

    def __str__(self) -> str:
        return f"{self.kod} – {self.namn}" if self.namn != self.kod else self.kod

    def get_absolute_url(self) -> str:
        return reverse("malomraden:organisation", kwargs={"slug": self.slug})


class Person(models.Model):
    """A named responsible person. The link to a user account gives the roles later."""

    namn = models.CharField("namn", max_length=200)
    titel = models.CharField("titel", max_length=200, blank=True)
    anvandare = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="användarkonto",
    )
    organisationer = models.ManyToManyField(
        Organisation,
        related_name="personer",
        verbose_name="arbetar på organisationer",
        blank=True,
        help_text="En tjänsteperson får ändra och rapportera på raderna som dessa ansvarar för.",
    )

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["namn"]

    def __str__(self) -> str:
        return f"{self.titel} {self.namn}" if self.titel else self.namn


class Programansvarig(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, verbose_name="program")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, verbose_name="person")
    ordning = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "övergripande ansvarig"
        verbose_name_plural = "övergripande ansvariga"
        ordering = ["ordning", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"], name="programansvarig_unik_person"
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class MalomradeQuerySet(models.QuerySet["Malomrade"]):
    def with_counts(self) -> "MalomradeQuerySet":
        return self.annotate(
            antal_effekter=Count("langsiktiga_effekter", distinct=True),
            antal_rader=Count("rader", distinct=True),
        )


class Malomrade(models.Model):
    """A target area of the programme, with its effect chain."""

    class Typ(models.TextChoices):
        HELA_STADEN = "hela_staden", "hela staden"
        OMRADE = "omrade", "områdesbaserat"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="malomraden", verbose_name="program"
    )
    namn = models.CharField("namn", max_length=200, unique=True)
    kortnamn = models.CharField("kortnamn", max_length=100)
    slug = models.SlugField("adressnamn", max_length=100, unique=True)
    rubrik = models.CharField("rubrik", max_length=300, blank=True)
    typ = models.CharField("typ", max_length=20, choices=Typ.choices, default=Typ.HELA_STADEN)
    ordning = models.PositiveIntegerField("ordning", default=0)
    ansvariga = models.ManyToManyField(
        Person,
        through="Omradesansvarig",
        related_name="malomraden",
        verbose_name="ansvariga",
        blank=True,
    )

    version = models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Räknas upp vid varje ändring."
    )

    objects = MalomradeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "målområde"
        verbose_name_plural = "målområden"
        ordering = ["ordning", "id"]

    def __str__(self) -> str:
        return self.namn

    def get_absolute_url(self) -> str:
        return reverse("malomraden:malomrade", kwargs={"slug": self.slug})


class Omradesansvarig(models.Model):
    malomrade = models.ForeignKey(Malomrade, on_delete=models.CASCADE, verbose_name="målområde")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, verbose_name="person")
    ordning = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "ansvarig för målområde"
        verbose_name_plural = "ansvariga för målområden"
        ordering = ["ordning", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["malomrade", "person"], name="omradesansvarig_unik_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.malomrade.kortnamn})"


class Omradestext(models.Model):
    """A short text of an area: a commitment, a reflection, a status note or finished work."""

    class Typ(models.TextChoices):
        ATAGANDE = "atagande", "Vi ska …"
        REFLEKTION = "reflektion", "reflektion"
        NULAGE = "nulage", "nuläge"
        FARDIGSTALLT = "fardigstallt", "färdigställt arbete"

    malomrade = models.ForeignKey(
        Malomrade, on_delete=models.CASCADE, related_name="texter", verbose_name="målområde"
    )
    typ = models.CharField("typ", max_length=20, choices=Typ.choices)
    text = models.TextField("text")
    ordning = models.PositiveIntegerField("ordning", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "text för målområde"
        verbose_name_plural = "texter för målområden"
        ordering = ["malomrade", "typ", "ordning", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="omradestext_text_ej_tom")
        ]

    def __str__(self) -> str:
        return self.text[:80]
