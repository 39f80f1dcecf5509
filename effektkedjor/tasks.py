"""Background work: large PDF reports, run by `python manage.py task_worker`."""

import logging

from django.tasks import task
from django.utils import timezone

from .models import PdfBestallning
from .reports import render_pdf, report_data

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
