"""One status report per row and period, and a last reporting day for periods.

Before the unique constraint, reports that share a row and a period are merged: the
latest one (by date, then creation, then id) is kept, and the history entries of the
others are moved onto it, so the kept report's history shows every version that was
reported, oldest first. Nothing is lost from the history; the merge cannot be undone.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count

MERGE_REASON = "Sammanslagen: en lägesrapport per rad och period"


def merge_duplicates(apps, schema_editor):
    Report = apps.get_model("effektkedjor", "Lagesrapport")
    History = apps.get_model("effektkedjor", "HistoricalLagesrapport")
    duplicated = (
        Report.objects.values("rad_id", "period_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
    )
    for pair in duplicated:
        reports = list(
            Report.objects.filter(rad_id=pair["rad_id"], period_id=pair["period_id"])
            .order_by("-datum", "-skapad", "-id")
            .values_list("id", flat=True)
        )
        kept, dropped = reports[0], reports[1:]
        History.objects.filter(id__in=dropped).update(id=kept)
        entries = list(History.objects.filter(id=kept).order_by("history_date", "history_id"))
        for number, entry in enumerate(entries):
            if number and entry.history_type == "+":
                entry.history_type = "~"
                entry.history_change_reason = MERGE_REASON
                entry.save(update_fields=["history_type", "history_change_reason"])
        Report.objects.filter(id__in=dropped).delete()
        Report.objects.filter(id=kept).update(version=len(entries) or 1)


class Migration(migrations.Migration):
    dependencies = [
        ("effektkedjor", "0005_importfil_lage"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicallagesrapport",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Räknas upp vid varje rättelse, så att två inte skriver över varandra.",
                verbose_name="version",
            ),
        ),
        migrations.AddField(
            model_name="historicalrapportperiod",
            name="sista_rapportdag",
            field=models.DateField(
                blank=True,
                help_text="Sista dagen att rapportera läget för perioden. Ligger inom perioden.",
                null=True,
                verbose_name="sista rapportdag",
            ),
        ),
        migrations.AddField(
            model_name="lagesrapport",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Räknas upp vid varje rättelse, så att två inte skriver över varandra.",
                verbose_name="version",
            ),
        ),
        migrations.AddField(
            model_name="rapportperiod",
            name="sista_rapportdag",
            field=models.DateField(
                blank=True,
                help_text="Sista dagen att rapportera läget för perioden. Ligger inom perioden.",
                null=True,
                verbose_name="sista rapportdag",
            ),
        ),
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="lagesrapport",
            constraint=models.UniqueConstraint(
                fields=("rad", "period"),
                name="lagesrapport_en_per_rad_och_period",
                violation_error_message="Raden har redan en lägesrapport för perioden.",
            ),
        ),
        migrations.AddConstraint(
            model_name="rapportperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("sista_rapportdag__isnull", True),
                    models.Q(
                        ("sista_rapportdag__gte", models.F("start")),
                        ("sista_rapportdag__lte", models.F("slut")),
                    ),
                    _connector="OR",
                ),
                name="rapportperiod_sista_rapportdag_i_perioden",
                violation_error_message="Sista rapportdag måste ligga inom perioden.",
            ),
        ),
    ]
