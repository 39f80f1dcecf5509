"""Sign-in, sign-out, password change and reset, in Swedish."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.builders import make_user

pytestmark = pytest.mark.django_db


def test_sign_out_is_a_post_and_ends_the_session(client: Client) -> None:
    client.force_login(make_user("olle"))
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("malomraden:program")).status_code == 302


def test_password_change(client: Client) -> None:
    user = make_user("olle")
    client.force_login(user)
    url = reverse("password_change")
    assert "Byt lösenord" in client.get(url).content.decode()
    wrong = client.post(url, {"old_password": "fel", "new_password1": "x", "new_password2": "y"})
    assert "Ditt gamla lösenord var felaktigt" in wrong.content.decode()
    ok = client.post(
        url,
        {
            "old_password": "pw",
            "new_password1": "Effekt-kedja-2026",
            "new_password2": "Effekt-kedja-2026",
        },
    )
    assert ok["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Effekt-kedja-2026")


def test_password_reset_by_email(client: Client) -> None:
    make_user("olle", email="olle@boras.example")
    response = client.post(reverse("password_reset"), {"email": "olle@boras.example"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Effektkedjor"
    link = re.search(r"http://testserver(/konto/nytt-losenord/\S+)", str(message.body))
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert "Välj nytt lösenord" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Effekt-kedja-2026", "new_password2": "Effekt-kedja-2026"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    signed_in = client.post(reverse("login"), {"username": "olle", "password": "Effekt-kedja-2026"})
    assert signed_in.status_code == 302


def test_reset_pages_need_no_sign_in(client: Client) -> None:
    for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_signed_out_htmx_requests_get_401_not_the_sign_in_page(client: Client) -> None:
    # A redirect would be followed by the browser and the sign-in page swapped into a row.
    response = client.post("/rader/1/andra/", HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response.content.decode() == "Du är utloggad. Logga in igen."
    assert client.get("/rader/1/andra/")["Location"].startswith("/konto/logga-in/?next=")
