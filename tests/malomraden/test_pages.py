"""The read-only pages: who may see them, what they show, and that they stay cheap."""

import html
import re
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from malomraden.models import Malomrade, Organisation
from tests.builders import make_area, make_effect, make_org, make_row, make_user

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = ["stadsdirektor", "omradesansvarig", "tjansteperson", "namndledamot", "admin"]


def _pages() -> list[str]:
    urls = [reverse("malomraden:program"), reverse("malomraden:organisationer")]
    urls += [a.get_absolute_url() for a in Malomrade.objects.all()]
    urls += [o.get_absolute_url() for o in Organisation.objects.all()]
    return urls


def _text(response_content: bytes) -> str:
    """The visible text of a page: tags dropped, entities decoded, spaces folded."""
    text = re.sub(r"<[^>]+>", " ", response_content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def _sign_in(client: Client, username: str) -> None:
    # Through the sign-in form, as a person does (and as django-axes requires).
    response = client.post(reverse("login"), {"username": username, "password": "demo"})
    assert response.status_code == 302, username


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_every_page_renders_for_each_demo_account(
    client: Client, program: None, demo_users: None, username: str
) -> None:
    _sign_in(client, username)
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Logga ut" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, program: None) -> None:
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 302
        if url == "/":
            # The root asks for no page: sign-in lands each role on its own (test_landing).
            assert response["Location"] == reverse("login")
        else:
            assert response["Location"].startswith(reverse("login") + "?next=")


def test_sign_in_page_is_swedish_and_signs_in(client: Client, demo_users: None) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Användarnamn" in page.content.decode() and "Lösenord" in page.content.decode()
    bad = client.post(reverse("login"), {"username": "namndledamot", "password": "fel"})
    assert "Ange ett korrekt användarnamn och lösenord." in bad.content.decode()
    assert 'value="namndledamot"' in bad.content.decode()  # what was typed is kept
    good = client.post(reverse("login"), {"username": "namndledamot", "password": "demo"})
    assert good.status_code == 302 and good["Location"] == reverse("effektkedjor:start")


def test_pages_refuse_other_methods(client: Client, program: None, demo_users: None) -> None:
    _sign_in(client, "stadsdirektor")
    for url in _pages():
        assert client.post(url).status_code == 405, url


def test_unknown_area_and_organisation_give_swedish_404(
    client: Client, program: None, demo_users: None
) -> None:
    _sign_in(client, "namndledamot")
    for url in ["/omraden/finns-inte/", "/organisationer/finns-inte/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Sidan finns inte" in response.content.decode()


def _reference_texts() -> list[str]:
    ref = yaml.safe_load(
        (Path(__file__).parent.parent / "data" / "program.yaml").read_text(encoding="utf-8")
    )
    p = ref["programme"]
    texts = [p["name"], p["organisation"], p["vision"], p["scope"]]
    texts += [t["from"] for t in p["themes"]] + [t["to"] for t in p["themes"]]
    texts += p["guiding_principles"] + p["collaboration_levels"]
    texts += [r["name"] for r in p["overarching"]["responsible"]] + ["stadsdirektör"]
    for org in ref["organisations"]:
        texts += [org["code"], org["name"], org["kind"]]
    for area in ref["target_areas"]:
        texts += [area["name"], area["short_name"], area.get("headline", "")]
        texts += [r["name"] for r in area["responsible"]]
        for key in ["commitments", "reflections", "status_notes", "completed_work"]:
            texts += [t.strip() for t in area.get(key, [])]
        texts += [i["name"] for i in area.get("reference_indicators", [])]
        texts += [e["text"] for e in area["long_term_effects"] if not e.get("uncertain")]
        for row in area["rows"]:
            texts += [row["short_term_effect"], row["output"], row["activity"]]
            texts += row["responsible"] + [row.get("responsible_note", "")]
    return [re.sub(r"\s+", " ", t) for t in texts if t]


def test_every_reference_text_is_visible_to_the_city_director(
    client: Client, program: None, demo_users: None
) -> None:
    _sign_in(client, "stadsdirektor")
    visible = " ".join(_text(client.get(url).content) for url in _pages())
    visible = visible.lower()
    missing = [t for t in _reference_texts() if t.lower() not in visible]
    assert missing == []


def test_user_text_is_escaped(client: Client) -> None:
    area = make_area(rubrik="<b>fet</b>")
    make_row(area, aktivitet='<script>alert("x")</script>', orgs=[make_org(namn="<i>O</i>")])
    client.force_login(make_user())
    content = client.get(area.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert "&lt;b&gt;fet&lt;/b&gt;" in content


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["area", "organisation", "program", "organisations"])
def test_query_count_does_not_grow_with_the_rows(client: Client, page: str) -> None:
    """The same number of queries at 25 and at 500 rows."""
    client.force_login(make_user())
    counts = []
    for n_rows in (25, 500):
        area = make_area()
        orgs = [make_org() for _ in range(3)]
        effects = [make_effect(area) for _ in range(4)]
        for i in range(n_rows):
            make_row(area, orgs=orgs[: 1 + i % 3], effects=effects[: i % 3])
        url = {
            "area": area.get_absolute_url(),
            "organisation": orgs[0].get_absolute_url(),
            "program": reverse("malomraden:program"),
            "organisations": reverse("malomraden:organisationer"),
        }[page]
        counts.append(_queries_for(client, url))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 16
