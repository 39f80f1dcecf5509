"""Where signing in lands: each role on its own daily page when the user came to the
site's root or to the sign-in page itself (officials and area owners on "Mina rader",
the programme management on the dashboard, everyone else, committee members among them,
on "Rapporter"); on the page they asked for when a safe `next` is given; never on
another site."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import make_world

pytestmark = pytest.mark.django_db

LANDING = {
    "official": "/mina-rader/",
    "other_official": "/mina-rader/",
    "owner": "/mina-rader/",
    "director": "/instrumentpanel/",
    "member": "/rapporter/",
}


def _sign_in_from(client: Client, path: str, username: str) -> str:
    """Open `path` signed out, sign in through the form it leads to (with whatever `next`
    that form carries), and return the path the browser ends on."""
    to_login = client.get(path)
    assert to_login.status_code == 302
    assert to_login["Location"].startswith(reverse("login"))
    form = client.get(to_login["Location"]).content.decode()
    found = re.search(r'name="next" value="([^"]*)"', form)
    assert found is not None
    response = client.post(
        reverse("login"),
        {"username": username, "password": "pw", "next": found.group(1)},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain, "the sign-in did not redirect"
    return str(response.redirect_chain[-1][0])


@pytest.mark.parametrize("role", list(LANDING))
def test_signing_in_from_the_root_lands_each_role_on_its_page(client: Client, role: str) -> None:
    make_world()
    assert _sign_in_from(client, "/", role) == LANDING[role]


@pytest.mark.parametrize("role", list(LANDING))
def test_signing_in_on_the_sign_in_page_lands_the_same(client: Client, role: str) -> None:
    make_world()
    response = client.post(reverse("login"), {"username": role, "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == LANDING[role]


@pytest.mark.parametrize("role", ["official", "director", "member"])
def test_a_page_asked_for_wins(client: Client, role: str) -> None:
    make_world()
    assert _sign_in_from(client, "/organisationer/", role) == "/organisationer/"
    client.logout()
    assert _sign_in_from(client, "/omraden/arbete/?x=1", role) == "/omraden/arbete/?x=1"
    client.logout()
    # An explicit next to the root is a page asked for too.
    response = client.post(
        reverse("login") + "?next=/", {"username": role, "password": "pw", "next": "/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "unsafe", ["https://angripare.example/", "//angripare.example/", "javascript:alert(1)"]
)
def test_an_unsafe_next_is_ignored(client: Client, unsafe: str) -> None:
    make_world()
    response = client.post(
        reverse("login"), {"username": "member", "password": "pw", "next": unsafe}, follow=True
    )
    assert response.redirect_chain[-1][0] == LANDING["member"]
