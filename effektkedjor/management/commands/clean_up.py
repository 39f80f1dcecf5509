"""Daily housekeeping: `python manage.py clean_up` (from a systemd timer or cron).

Removes what only piles up and what the privacy section promises not to keep for long:
expired sessions, old sign-in logs (django-axes), uploads never confirmed, finished PDF
orders and the task queue's finished results. Nothing that is part of the record (rows,
reports, history, periods) is touched.
"""

import datetime
import io
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from effektkedjor.models import Importfil, PdfBestallning


class Command(BaseCommand):
    help = (
        "Rensar utgångna sessioner, gamla inloggningsloggar, obekräftade uppladdningar"
        " och färdiga PDF-beställningar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--log-days", type=int, default=90, help="inloggningsloggar äldre än så (dagar)"
        )
        parser.add_argument(
            "--upload-days",
            type=int,
            default=7,
            help="obekräftade uppladdningar äldre än så (dagar)",
        )
        parser.add_argument(
            "--pdf-days", type=int, default=30, help="PDF-beställningar äldre än så (dagar)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()

        def before(days: int) -> datetime.datetime:
            return now - datetime.timedelta(days=days)

        call_command("clearsessions")
        with transaction.atomic():
            logs, _ = AccessLog.objects.filter(
                attempt_time__lt=before(options["log_days"])
            ).delete()
            failures, _ = AccessFailureLog.objects.filter(
                attempt_time__lt=before(options["log_days"])
            ).delete()
            uploads, _ = Importfil.objects.filter(
                skapad__lt=before(options["upload_days"])
            ).delete()
            # Orders still waiting or being made are the worker's; leave them.
            pdfs, _ = (
                PdfBestallning.objects.filter(skapad__lt=before(options["pdf_days"]))
                .exclude(status__in=[PdfBestallning.Status.VANTAR, PdfBestallning.Status.PAGAR])
                .delete()
            )
        call_command("prune_db_task_results", stdout=io.StringIO())
        self.stdout.write(
            f"Rensat: utgångna sessioner, {logs + failures} inloggningsloggar, "
            f"{uploads} obekräftade uppladdningar, {pdfs} PDF-beställningar."
        )
