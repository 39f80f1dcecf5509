"""Writes to status reports and reporting periods, and orders for large PDF reports
(lock order: services/__init__.py, step 1)."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from malomraden.models import Malomrade

from ..models import Lagesrapport, PdfBestallning, Periodbild, Rapportperiod
from ..reports import build_report
from ..tasks import make_pdf
from .locks import lock_periods

# A second request for the same large PDF follows an order still waiting this long.
PENDING_ORDER_REUSE = datetime.timedelta(minutes=10)


class PeriodClosed(Exception):
    """The report's period was closed while the report was being written."""

    def __init__(self, period: Rapportperiod) -> None:
        super().__init__(f"Perioden {period} stängdes nyss. Välj en öppen period.")
        self.period = period


@transaction.atomic
def save_report(*, report: Lagesrapport) -> Lagesrapport:
    """Save the report unless its period has closed (PeriodClosed). The period is
    locked, as closing locks it, so a report is either in the frozen record or refused,
    never lost between the two."""
    (period,) = lock_periods([report.period_id])
    if period.stangd:
        raise PeriodClosed(period)
    report.save()
    return report


@transaction.atomic
def close_period(*, period: Rapportperiod, reason: str = "") -> None:
    """Close the period and freeze its report (the snapshot `Periodbild`)."""
    (period,) = lock_periods([period.pk])
    period.stangd = True
    period.stangd_tid = timezone.now()
    period._change_reason = reason or "Perioden stängdes"
    period.save()
    Periodbild.objects.update_or_create(period=period, defaults={"data": build_report(period)})


@transaction.atomic
def reopen_period(*, period: Rapportperiod, reason: str) -> None:
    """Reopen a closed period; the reason is kept in the period's history."""
    (period,) = lock_periods([period.pk])
    period.stangd = False
    period.stangd_tid = None
    period._change_reason = f"Öppnades igen: {reason}"
    period.save()
    Periodbild.objects.filter(period=period).delete()


@transaction.atomic
def order_pdf(*, period: Rapportperiod, area: Malomrade | None, user: object) -> PdfBestallning:
    """An order for the task worker to make a large PDF report.

    A reload, a second reader or a link prefetch follows an order still waiting in the
    queue instead of queueing the same work again. Only a waiting one: it reads the data
    when it starts, so it cannot be older than this request; one already being made (or
    stuck after a crash) is not reused.
    """
    pending = PdfBestallning.objects.filter(
        period=period,
        malomrade=area,
        status=PdfBestallning.Status.VANTAR,
        skapad__gte=timezone.now() - PENDING_ORDER_REUSE,
    ).first()
    if pending is not None:
        return pending
    order = PdfBestallning.objects.create(
        period=period, malomrade=area, bestallare=user if isinstance(user, User) else None
    )
    make_pdf.enqueue(order.pk)
    return order
