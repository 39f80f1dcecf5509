"""Move the areas' key figures (malomraden.Indikator) into the indicators (nyckeltal).

Each old row becomes an indicator with the same name, baseline, target, comment and
order; its free-text source is kept as the source's description, and its "latest" figure
becomes the indicator's one value (for the whole population, the year as given, or no
year when the source gave none). Every moved object gets its first history entry.
Backwards, the indicators are written back as key figures (their newest total value as
the latest figure); values beyond that are lost.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Flyttat från målområdets nyckeltal"


def _history(apps, model_name, obj):
    History = apps.get_model("effektkedjor", f"Historical{model_name}")
    Model = apps.get_model("effektkedjor", model_name)
    values = {}
    for field in Model._meta.concrete_fields:
        values[field.attname] = getattr(obj, field.attname)
    History.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason=REASON,
    )


def forwards(apps, schema_editor):
    Old = apps.get_model("malomraden", "Indikator")
    Indikator = apps.get_model("effektkedjor", "Indikator")
    Varde = apps.get_model("effektkedjor", "Indikatorvarde")
    for old in Old.objects.order_by("malomrade_id", "ordning", "id"):
        kalla = "kolada" if old.kolada_id else "manuell"
        new = Indikator.objects.create(
            malomrade_id=old.malomrade_id,
            namn=old.namn,
            enhet="procent" if "(%)" in old.namn else "antal",
            kalla=kalla,
            kalla_text=old.kalla,
            kolada_kpi=old.kolada_id,
            baslinje_ar=old.baslinje_ar,
            baslinje_varde=old.baslinje_varde,
            mal_ar=old.mal_ar,
            mal_varde=old.mal_varde,
            kommentar=old.kommentar,
            ordning=old.ordning,
        )
        _history(apps, "Indikator", new)
        if old.senaste_varde is not None or old.senaste_ar is not None:
            value = Varde.objects.create(
                indikator=new,
                ar=old.senaste_ar,
                kon="T",
                varde=old.senaste_varde,
                kalla=kalla,
            )
            _history(apps, "Indikatorvarde", value)


def backwards(apps, schema_editor):
    Old = apps.get_model("malomraden", "Indikator")
    Indikator = apps.get_model("effektkedjor", "Indikator")
    Varde = apps.get_model("effektkedjor", "Indikatorvarde")
    for new in Indikator.objects.order_by("malomrade_id", "ordning", "id"):
        latest = (
            Varde.objects.filter(indikator=new, kon="T", period="")
            .order_by("-ar", "-id")
            .first()
        )
        Old.objects.create(
            malomrade_id=new.malomrade_id,
            namn=new.namn[:200],
            kalla=new.kalla_text,
            kolada_id=new.kolada_kpi,
            baslinje_ar=new.baslinje_ar,
            baslinje_varde=new.baslinje_varde,
            senaste_ar=latest.ar if latest else None,
            senaste_varde=latest.varde if latest else None,
            mal_ar=new.mal_ar,
            mal_varde=new.mal_varde,
            kommentar=new.kommentar,
            ordning=new.ordning,
        )
    Indikator.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("effektkedjor", "0007_nyckeltal"),
        ("malomraden", "0002_grupp_programledning"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
