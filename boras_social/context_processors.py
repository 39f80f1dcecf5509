"""Template context for every page: settings the footer and the statements need."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {"accessibility_contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL}
