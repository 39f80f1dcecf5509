"""Background work: large PDF reports and fetches of indicator values from Kolada, run by
`python manage.py task_worker`."""

import logging

from django.tasks import task
from django.utils import timezone

from .kolada import KoladaError
from .models import Hamtning, PdfBestallning
from .reports import render_pdf, report_data
from .services.indicators import fetch_indicators

logger = logging.getLogger(__name__)


@task
def make_pdf(order_id: int) -> None:
    order = PdfBestallning.objects.select_related("period", "malomrade").get(pk=order_id)
    order.status = PdfBestallning.Status.PAGAR
    order.save(update_fields=["status"])
    try:
        data = report_data(order.period, order.malomrade)
        pdf, pages = render_pdf(data, hela=order.malomrade is None)
    except Exception as error:  # the order must show the failure, not hang as "skapas"
        logger.exception("pdf report %s failed", order_id)
        order.status = PdfBestallning.Status.FEL
        order.fel = str(error)
        order.save(update_fields=["status", "fel"])
        raise
    order.pdf, order.sidor = pdf, pages
    order.status = PdfBestallning.Status.KLAR
    order.klar = timezone.now()
    order.save(update_fields=["pdf", "sidor", "status", "klar"])


@task
def fetch_indicator_values(hamtning_id: int) -> None:
    """A fetch of every Kolada indicator started from the application
    (services.indicators.start_fetch); its log entry shows the progress and result."""
    log = Hamtning.objects.select_related("startad_av").get(pk=hamtning_id)
    try:
        fetch_indicators(log=log, user=log.startad_av)
    except KoladaError:
        pass  # already in the log, in Swedish, and nothing was stored
    except Exception as error:  # the log must show the failure, not hang as under way
        logger.exception("indicator fetch %s failed", hamtning_id)
        log.fel = f"Hämtningen misslyckades: {error}"
        log.klar = timezone.now()
        log.save(update_fields=["fel", "klar"])
        raise
