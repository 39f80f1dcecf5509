"""The "Osäker lydelse" note on a long-term effect is the programme management's to set
and clear (and the admin's): anyone else's effect form leaves it out, so their saves
keep it as it is whatever they post."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import make_world

pytestmark = pytest.mark.django_db


def test_an_area_owner_neither_sets_nor_clears_the_note(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    url = reverse("effektkedjor:effekt_andra", args=[w.effect.pk])
    assert 'name="osaker"' not in client.get(url).content.decode()
    client.post(url, {"text": "Ny lydelse", "osaker": "on", "version": 1})
    w.effect.refresh_from_db()
    assert (w.effect.text, w.effect.osaker) == ("Ny lydelse", False)

    w.effect.osaker = True
    w.effect.save()
    client.post(url, {"text": "Tredje lydelsen", "version": w.effect.version})
    w.effect.refresh_from_db()
    assert (w.effect.text, w.effect.osaker) == ("Tredje lydelsen", True)

    new = client.post(
        reverse("effektkedjor:effekt_ny", args=[w.area.slug]),
        {"text": "I Borås ska fler arbeta", "osaker": "on"},
    )
    assert new.status_code == 302
    assert not w.area.langsiktiga_effekter.get(text="I Borås ska fler arbeta").osaker


def test_the_programme_management_sets_and_clears_it(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["director"])
    url = reverse("effektkedjor:effekt_andra", args=[w.effect.pk])
    assert 'name="osaker"' in client.get(url).content.decode()
    client.post(url, {"text": w.effect.text, "osaker": "on", "version": 1})
    w.effect.refresh_from_db()
    assert w.effect.osaker
    client.post(url, {"text": w.effect.text, "version": w.effect.version})
    w.effect.refresh_from_db()
    assert not w.effect.osaker
