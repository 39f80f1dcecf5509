"""Walks every URL pattern of the project (from the resolver, includes and the Django admin
included) and checks who gets through. Unlike the permission matrix of
tests/effektkedjor/test_permissions.py, which checks what each role may do, this walk
makes sure no pattern is left out: a new pattern that `ROUTES` (tests/security/urlwalk.py)
does not classify fails the first test."""

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.security.urlwalk import (
    ADMIN_MODEL,
    PERMISSION,
    PUBLIC,
    ROUTES,
    SIGNED_IN,
    STAFF,
    Objects,
    Route,
    concrete_url,
    make_objects,
    user_for,
    walk_patterns,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

SIGN_IN = "/konto/logga-in/"
ADMIN_SIGN_IN = "/admin/login/"


def _present() -> dict[str, Route]:
    """The classified patterns that the project has."""
    return {route: ROUTES[route] for route, _view in walk_patterns() if route in ROUTES}


def _request(client: Client, method: str, url: str) -> "Response":
    return client.get(url) if method == "GET" else client.post(url, {})


def _sign_in_target(response: "Response") -> tuple[str, str] | None:
    """(sign-in page, next) when the response sends the user to sign in."""
    if response.status_code != 302:
        return None
    location = urlsplit(response["Location"])
    if location.path not in {SIGN_IN, ADMIN_SIGN_IN}:
        return None
    return location.path, parse_qs(location.query).get("next", [""])[0]


def _as(client: Client, objects: Objects, who: str) -> Client:
    # Signed in again before every request: a POST to a sign-out URL ends the session.
    client.force_login(user_for(objects, who))
    return client


def test_every_pattern_is_classified() -> None:
    patterns = list(walk_patterns())
    routes = [route for route, _view in patterns]
    unclassified = [route for route in routes if route not in ROUTES]
    assert not unclassified, (
        "Nya URL-mönster som inte är klassade. Lägg till dem i ROUTES i "
        "tests/security/urlwalk.py (public, signed in, permission eller admin) och ange "
        f"vem som får använda dem: {unclassified}"
    )
    gone = [r for r, spec in ROUTES.items() if r not in routes and not spec.optional]
    assert not gone, f"ROUTES nämner mönster som inte finns längre, ta bort dem: {gone}"
    # LoginRequiredMiddleware lets a view through unsigned only when it is marked with
    # @login_not_required; exactly the public patterns may be.
    open_views = {route for route, view in patterns if not getattr(view, "login_required", True)}
    public = {route for route in routes if ROUTES[route].access == PUBLIC}
    assert open_views == public
    assert len(patterns) > 150  # the admin's patterns are in the walk


def test_anonymous_is_sent_to_sign_in_except_on_public_pages(client: Client) -> None:
    objects = make_objects()
    wrong = []
    for route, spec in _present().items():
        url = concrete_url(route, spec, objects)
        for method in ("GET", "POST"):
            response = _request(client, method, url)
            target = _sign_in_target(response)
            if spec.access == PUBLIC:
                expected = {200, 302} if method in spec.methods else {405}
                ok = response.status_code in expected and target is None
            elif route.startswith("admin/"):
                # Model pages meet LoginRequiredMiddleware first, the rest the admin's own.
                ok = target is not None and target[1] == url
            elif url == "/":
                # The root asks for no page: sign-in lands each role on its own.
                ok = target == (SIGN_IN, "")
            else:
                ok = target == (SIGN_IN, url)
            if not ok:
                wrong.append(f"{method} {url}: {response.status_code} {response.get('Location')}")
    assert not wrong, "\n".join(wrong)
    assert client.get("/halsa/").content == b"ok"


def test_signed_in_pages_open_for_a_user_without_roles(client: Client) -> None:
    objects = make_objects()
    wrong = []
    for route, spec in _present().items():
        if spec.access != SIGNED_IN:
            continue
        url = concrete_url(route, spec, objects)
        for method in ("GET", "POST"):
            response = _request(_as(client, objects, "member"), method, url)
            if method not in spec.methods:
                ok = response.status_code == 405
            else:
                target = _sign_in_target(response)
                ok = response.status_code in {200, 302} and (target is None or not target[1])
            if not ok:
                wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_permission_patterns_refuse_users_without_the_permission(client: Client) -> None:
    objects = make_objects()
    wrong = []
    checked = 0
    for route, spec in _present().items():
        if spec.access != PERMISSION:
            continue
        url = concrete_url(route, spec, objects)
        assert spec.denied, route
        for who, status in spec.denied.items():
            for method in ("GET", "POST"):
                response = _request(_as(client, objects, who), method, url)
                expected = status if method in spec.methods else 405
                checked += 1
                if response.status_code != expected:
                    wrong.append(f"{who} {method} {url}: {response.status_code}, not {expected}")
                elif expected == 403 and "Åtkomst nekad" not in response.content.decode():
                    wrong.append(f"{who} {method} {url}: 403 without the Swedish page")
        if "GET" in spec.methods:
            # The one who may gets through, so the refusals above are about the user.
            response = _as(client, objects, spec.allowed).get(url)
            if response.status_code != 200:
                wrong.append(f"{spec.allowed} GET {url}: {response.status_code}, not 200")
    assert not wrong, "\n".join(wrong)
    assert checked > 50


def test_the_admin_refuses_non_staff_and_staff_without_permissions(client: Client) -> None:
    objects = make_objects()
    wrong = []
    for route, spec in _present().items():
        if spec.access not in {STAFF, ADMIN_MODEL}:
            continue
        url = concrete_url(route, spec, objects)
        for method in ("GET", "POST"):
            response = _request(_as(client, objects, "member"), method, url)
            if route == "admin/logout/":
                ok = response.status_code == 302 and response["Location"] == "/admin/"
            else:
                ok = _sign_in_target(response) == (ADMIN_SIGN_IN, url)
            if not ok:
                wrong.append(f"member {method} {url}: {response.status_code}")
            if spec.access == ADMIN_MODEL:
                response = _request(_as(client, objects, "staff"), method, url)
                if route.endswith("<path:object_id>/"):
                    # The old address of the change page only redirects to it.
                    ok = response.status_code == 302 and response["Location"] == url + "change/"
                else:
                    ok = response.status_code == 403
                if not ok:
                    wrong.append(f"staff {method} {url}: {response.status_code}")
        # A superuser gets through: the walk's URLs name real objects.
        response = _as(client, objects, "superuser").get(url)
        expected = {200}
        if route.endswith(("<path:object_id>/", "/r/<path:content_type_id>/<path:object_id>/")):
            expected = {302}
        elif route == "admin/(?P<url>.*)$":
            expected = {404}
        elif "GET" not in spec.methods:
            expected = {405}
        elif route == "admin/autocomplete/":
            expected = {403}  # no admin has autocomplete fields
        elif route.endswith(("add/", "delete/")):
            expected = {200, 403}  # some models are read-only in the admin
        if response.status_code not in expected or _sign_in_target(response):
            wrong.append(f"superuser GET {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
