"""Every URL pattern refuses a POST without a CSRF token, even from a superuser, with a
page in Swedish that says what to do (templates/403_csrf.html)."""

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Lagesrapport
from tests.security.urlwalk import ROUTES, concrete_url, make_objects, walk_patterns

pytestmark = pytest.mark.django_db

SWEDISH = "Formuläret har gått ut"


def test_every_pattern_refuses_a_post_without_a_csrf_token() -> None:
    objects = make_objects()
    client = Client(enforce_csrf_checks=True)
    wrong = []
    routes = [route for route, _view in walk_patterns() if route in ROUTES]
    for route in routes:
        url = concrete_url(route, ROUTES[route], objects)
        client.force_login(objects.superuser)
        response = client.post(url, {"aktivitet": "Ändrad"})
        if response.status_code != 403 or SWEDISH not in response.content.decode():
            wrong.append(f"POST {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert len(routes) > 150


def test_the_same_post_with_the_token_goes_through() -> None:
    """The refusal above is about the token, not about the user or the request."""
    objects = make_objects()
    client = Client(enforce_csrf_checks=True)
    client.force_login(objects.world.users["director"])
    url = reverse("effektkedjor:rapportera", args=[objects.world.row.pk])
    form = {
        "period": objects.world.period.pk,
        "datum": "2026-11-20",
        "status": "pagar",
        "bedomning": "enligt_plan",
        "kommentar": "Arbetet pågår",
        "version": objects.report.version,  # the row's report for the period, corrected
    }
    before = Lagesrapport.objects.count()
    refused = client.post(url, form)
    assert refused.status_code == 403
    assert Lagesrapport.objects.count() == before
    page = refused.content.decode()
    assert '<html lang="sv">' in page and "ladda om sidan och försök igen" in page

    client.get(url)  # the form page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(url, {**form, "csrfmiddlewaretoken": token}).status_code == 302
    assert Lagesrapport.objects.get(pk=objects.report.pk).kommentar == "Arbetet pågår"
    # htmx sends the token in a header (hx-headers on <body>), which works as well (each
    # save corrects the row's one report for the period, from the version it was read at).
    correction = {**form, "kommentar": "Rättad", "version": objects.report.version + 1}
    response = client.post(url, correction, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200 and "rapport-sparad" in response["HX-Trigger"]
    assert Lagesrapport.objects.count() == before
    assert Lagesrapport.objects.get(pk=objects.report.pk).kommentar == "Rättad"
