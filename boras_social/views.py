"""Views of the project itself, not of a domain app."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@login_not_required
def halsa(request: HttpRequest) -> HttpResponse:
    """Health check for load balancers, and the floor of the benchmark: the least a
    request through the full middleware stack costs. Touches no table."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# When the accessibility statement was made and last reviewed (the law asks for both);
# change STATEMENT_UPDATED with every revision of templates/tillganglighet.html.
STATEMENT_MADE = datetime.date(2026, 11, 26)
STATEMENT_UPDATED = datetime.date(2026, 11, 26)


@require_GET
@login_not_required
def tillganglighet(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tillgänglighetsredogörelse) that the law on
    accessible digital public services requires; readable before sign-in, since someone
    who cannot sign in must be able to learn how to report it."""
    return render(
        request,
        "tillganglighet.html",
        {"upprattad": STATEMENT_MADE, "uppdaterad": STATEMENT_UPDATED},
    )
