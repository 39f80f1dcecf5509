"""Writes to status reports and reporting periods (creating, changing, making one
current, closing, reopening), and orders for large PDF reports
(lock order: services/__init__.py, step 1)."""

import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from malomraden.models import Malomrade

from ..models import Lagesrapport, PdfBestallning, Periodbild, Rapportperiod
from ..reports import build_report
from ..tasks import make_pdf
from ..versioning import EditConflict, claim_version
from .locks import lock_periods

# A second request for the same large PDF follows an order still waiting this long.
PENDING_ORDER_REUSE = datetime.timedelta(minutes=10)


class PeriodClosed(Exception):
    """The report's period was closed while the report was being written."""

    def __init__(self, period: Rapportperiod) -> None:
        super().__init__(f"Perioden {period} stängdes nyss. Välj en öppen period.")
        self.period = period


@transaction.atomic
def save_report(*, report: Lagesrapport, expected_version: int) -> Lagesrapport:
    """Save the row's report for the period: the first one, or a correction of the one
    there is (a row has one report per period).

    `report` carries what the form holds (row, period, author, date, status,
    assessment, comment); `expected_version` is the version of the period's report the
    form was opened on, 0 when there was none. Raises PeriodClosed if the period has
    closed, and EditConflict (with the report as it is now) if someone else reported or
    corrected since the form was opened.

    The period is locked first (lock order step 1), as closing locks it, so a report is
    either in the frozen record or refused, never lost between the two; and with the
    period locked, two saves for the same row and period follow each other, so the
    second finds the first one's report instead of adding another. The unique
    constraint `lagesrapport_en_per_rad_och_period` backs that up on any database.
    """
    (period,) = lock_periods([report.period_id])
    if period.stangd:
        raise PeriodClosed(period)
    existing = (
        Lagesrapport.objects.select_for_update()
        .filter(rad_id=report.rad_id, period_id=period.pk)
        .first()
    )
    if existing is None:
        if expected_version:
            # The report the form was opened on is gone (removed in the admin): this
            # save is the row's report for the period again.
            report.pk = None
        report.version = 1
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise EditConflict(
                current=Lagesrapport.objects.get(rad_id=report.rad_id, period_id=period.pk)
            ) from None
        return report
    claim_version(existing, expected_version)
    for name in Lagesrapport.EDITABLE_FIELDS:
        setattr(existing, name, getattr(report, name))
    existing._change_reason = "Rapporten rättades"
    existing.save()
    return existing


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
def save_period(*, period: Rapportperiod) -> Rapportperiod:
    """Create or change a period (its kind, name, dates and last reporting day); the
    form has validated it (Rapportperiod.clean). Whether it is current or closed is
    changed only by `make_current`, `close_period` and `reopen_period`."""
    if period.pk is not None:
        (stored,) = lock_periods([period.pk])
        period.aktuell, period.stangd, period.stangd_tid = (
            stored.aktuell,
            stored.stangd,
            stored.stangd_tid,
        )
        period._change_reason = "Perioden ändrades"
    else:
        period.aktuell = period.stangd = False
        period._change_reason = "Perioden lades upp"
    period.save()
    return period


@transaction.atomic
def make_current(*, period: Rapportperiod) -> None:
    """Make the period the one reported in now (officials' "Rapportera läget" reports
    in it); the period that was current stops being so. Only an open period can be
    made current."""
    previous = Rapportperiod.objects.filter(aktuell=True).values_list("pk", flat=True)
    locked = {p.pk: p for p in lock_periods([period.pk, *previous])}
    target = locked[period.pk]
    if target.stangd:
        raise PeriodClosed(target)
    for other in locked.values():
        if other.aktuell and other.pk != target.pk:
            other.aktuell = False
            other._change_reason = f"{target.namn} blev aktuell"
            other.save()
    if not target.aktuell:
        target.aktuell = True
        target._change_reason = "Perioden blev aktuell"
        target.save()
    period.aktuell = True


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
