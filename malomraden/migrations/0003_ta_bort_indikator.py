"""The areas' key figures live on as indicators (effektkedjor.Indikator, moved there by
effektkedjor's migration 0008); the old table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("malomraden", "0002_grupp_programledning"),
        ("effektkedjor", "0008_flytta_indikatorer"),
    ]

    operations = [
        migrations.DeleteModel(name="Indikator"),
    ]
