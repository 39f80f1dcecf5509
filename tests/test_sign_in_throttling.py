"""Sign-in throttling (django-axes): password guessing is stopped, in Swedish, and an
administrator can lift the lock at once."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.7") -> str:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)
    return f"{response.status_code} {response.content.decode()}"


def test_five_wrong_passwords_lock_the_account_for_that_address(
    client: Client, demo_users: None, settings: pytest.FixtureRequest
) -> None:
    for _ in range(4):
        assert attempt(client, "tjansteperson", "fel").startswith("200")
    locked = attempt(client, "tjansteperson", "fel")
    assert locked.startswith("429")
    assert "För många inloggningsförsök" in locked
    assert "efter 5 felaktiga lösenord" in locked
    assert "Försök igen om 15 minuter" in locked
    # Locked means locked: the right password no longer helps from there …
    again = Client()
    assert attempt(again, "tjansteperson", "demo").startswith("429")
    assert "_auth_user_id" not in again.session
    # … but the same person from another address, and other people, still get in.
    assert attempt(Client(), "tjansteperson", "demo", ip="10.0.0.8").startswith("302")
    assert attempt(Client(), "stadsdirektor", "demo").startswith("302")


def test_a_successful_sign_in_resets_the_count(client: Client, demo_users: None) -> None:
    for _ in range(4):
        attempt(client, "stadsdirektor", "fel")
    assert attempt(client, "stadsdirektor", "demo").startswith("302")
    for _ in range(4):
        assert attempt(Client(), "stadsdirektor", "fel").startswith("200")


def test_an_administrator_unlocks_in_the_admin(client: Client, demo_users: None) -> None:
    for _ in range(5):
        attempt(client, "namndledamot", "fel")
    assert attempt(Client(), "namndledamot", "demo").startswith("429")
    lock = AccessAttempt.objects.get(username="namndledamot")

    admin = Client()
    assert attempt(admin, "admin", "demo", ip="10.0.0.99").startswith("302")
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "namndledamot" in listing.content.decode()
    assert "Inloggningsförsök" in listing.content.decode()  # Swedish, from locale/sv
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[lock.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert attempt(Client(), "namndledamot", "demo").startswith("302")


def test_officials_cannot_see_or_lift_locks(client: Client, demo_users: None) -> None:
    for _ in range(5):
        attempt(Client(), "namndledamot", "fel")
    assert attempt(client, "tjansteperson", "demo").startswith("302")
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 302 and "/admin/login/" in listing["Location"]
    assert AccessAttempt.objects.filter(username="namndledamot").exists()


def test_behind_the_proxy_each_client_address_is_locked_on_its_own(
    demo_users: None, settings: pytest.FixtureRequest
) -> None:
    settings.PROXY_COUNT = 1  # type: ignore[attr-defined]
    proxy = "10.0.0.1"

    def via_proxy(forwarded_for: str, password: str) -> int:
        response = Client().post(
            LOGIN,
            {"username": "stadsdirektor", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        return response.status_code

    for _ in range(5):
        via_proxy("203.0.113.5", "fel")
    assert via_proxy("203.0.113.5", "demo") == 429
    # A forged entry in front of what the proxy appended does not get round the lock.
    assert via_proxy("198.51.100.77, 203.0.113.5", "demo") == 429
    # The director at another address, through the same proxy, is not locked out.
    assert via_proxy("203.0.113.6", "demo") == 302
    attempt = AccessAttempt.objects.get(username="stadsdirektor")
    assert attempt.ip_address == "203.0.113.5"


def test_the_lockout_page_counts_in_proper_swedish(
    client: Client, demo_users: None, settings: pytest.FixtureRequest
) -> None:
    import datetime

    settings.AXES_FAILURE_LIMIT = 1  # type: ignore[attr-defined]
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=1)  # type: ignore[attr-defined]
    locked = attempt(client, "tjansteperson", "fel")
    assert "efter 1 felaktigt lösenord." in locked
    assert "Försök igen om 1 minut." in locked
