"""Views of the project itself, not of a domain app."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@login_not_required
def halsa(request: HttpRequest) -> HttpResponse:
    """Health check for load balancers, and the floor of the benchmark: the least a
    request through the full middleware stack costs. Touches no table."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
