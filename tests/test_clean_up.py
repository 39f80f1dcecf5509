"""`manage.py clean_up` removes what only piles up, old enough, and nothing of the record."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from effektkedjor.models import Importfil, Kedjerad, PdfBestallning, Rapportperiod
from tests.builders import make_area, make_row, make_user

pytestmark = pytest.mark.django_db


def _age(queryset: object, field: str, days: int) -> None:
    queryset.update(**{field: timezone.now() - datetime.timedelta(days=days)})  # type: ignore[attr-defined]


def test_clean_up_removes_only_old_leftovers() -> None:
    area = make_area()
    make_row(area)
    user = make_user("olle")
    period = Rapportperiod.objects.create(
        namn="Helår 2026",
        typ="helar",
        start=datetime.date(2026, 1, 1),
        slut=datetime.date(2026, 12, 31),
    )
    for days in (100, 10):
        log = AccessLog.objects.create(username="olle", ip_address="10.0.0.1", user_agent="x")
        _age(AccessLog.objects.filter(pk=log.pk), "attempt_time", days)
        upload = Importfil.objects.create(
            malomrade=area, anvandare=user, filnamn="a.csv", innehall=b"x"
        )
        _age(Importfil.objects.filter(pk=upload.pk), "skapad", 8 if days == 100 else 1)
        done = PdfBestallning.objects.create(period=period, bestallare=user, status="klar")
        _age(PdfBestallning.objects.filter(pk=done.pk), "skapad", 40 if days == 100 else 5)
    waiting = PdfBestallning.objects.create(period=period, bestallare=user, status="vantar")
    _age(PdfBestallning.objects.filter(pk=waiting.pk), "skapad", 40)
    attempt = AccessAttempt.objects.create(
        username="olle", ip_address="10.0.0.1", failures_since_start=2
    )
    Session.objects.create(
        session_key="gammal",
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(days=1),
    )
    Session.objects.create(
        session_key="aktiv",
        session_data="",
        expire_date=timezone.now() + datetime.timedelta(days=1),
    )

    out = io.StringIO()
    call_command("clean_up", stdout=out)

    assert "1 inloggningsloggar, 1 obekräftade uppladdningar, 1 PDF-beställningar" in out.getvalue()
    assert AccessLog.objects.count() == 1
    assert Importfil.objects.count() == 1
    assert set(PdfBestallning.objects.values_list("status", flat=True)) == {"klar", "vantar"}
    assert list(Session.objects.values_list("session_key", flat=True)) == ["aktiv"]
    # A current lock and the record itself are not housekeeping's business.
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert Kedjerad.objects.count() == 1 and Rapportperiod.objects.count() == 1
