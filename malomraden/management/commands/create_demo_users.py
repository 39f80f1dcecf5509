"""Create the demo accounts (password "demo") for a demo or development database.

Refuses to run with DEBUG off unless --force is given, so that a production database
never gets accounts with a published password by mistake.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEMO_PASSWORD = "demo"  # noqa: S105 - published on purpose, demo databases only

# username, first name, last name, what the account stands for
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("stadsdirektor", "Demo", "Stadsdirektör", "stadsdirektören: läser och ändrar allt"),
    (
        "omradesansvarig",
        "Demo",
        "Områdesansvarig",
        "ansvarig för målområdet Förutsättningar för arbete",
    ),
    ("tjansteperson", "Demo", "Tjänsteperson", "tjänsteperson på Arbetslivsförvaltningen (ALF)"),
    ("namndledamot", "Demo", "Nämndledamot", "nämndledamot: läser allt, ändrar inget"),
    ("admin", "Demo", "Administratör", "administratör (superuser) med tillgång till admin"),
]


class Command(BaseCommand):
    help = "Skapar demokontona (lösenord: demo). Bara för demo- och utvecklingsdatabaser."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Skapa kontona även när DEBUG är avstängt (till exempel i tester).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demokonton skapas bara när DEBUG är på (demodatabas). "
                "Använd --force om du verkligen vill."
            )
        User = get_user_model()
        for username, first, last, _role in DEMO_USERS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.invalid"
            user.is_staff = user.is_superuser = username == "admin"
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write("Demokonton (lösenord: demo):")
        for username, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role}")
