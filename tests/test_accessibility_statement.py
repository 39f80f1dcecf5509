"""The accessibility statement (tillgänglighetsredogörelse): readable before sign-in, with
the configured contact address and the supervisory authority, and linked from the footer
of every page."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.personas import make_world

pytestmark = pytest.mark.django_db

URL = "/tillganglighet/"


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.ids: set[str] = set()
        self.footer_links: list[str] = []
        self._in_footer = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "footer":
            self._in_footer = True
        if tag == "a" and self._in_footer:
            self.footer_links.append(str(attributes.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer":
            self._in_footer = False


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


@override_settings(ACCESSIBILITY_CONTACT_EMAIL="tillganglighet@example.se")
def test_anonymous_visitor_reads_the_statement_with_the_configured_address(
    client: Client,
) -> None:
    assert reverse("tillganglighet") == URL
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Borås Stad står bakom tjänsten Effektkedjor" in page
    assert "delvis förenlig" in page
    assert page.count('<a href="mailto:tillganglighet@example.se">') == 2
    assert "social.hallbarhet@boras.se" not in page
    assert 'href="https://www.digg.se/tdosanmalan"' in page
    assert "Myndigheten för digital förvaltning" in page
    # The known shortcomings are named, and the date the statement was last revised.
    for shortcoming in ("Administrationsgränssnittet", "(som ovan)", "Diagrammen", "Kalkylbladen"):
        assert shortcoming in page
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} \w+ \d{4}</time>', page)
    # The statement's own footer link says where the reader is.
    assert f'<a href="{URL}" aria-current="page">Tillgänglighet</a>' in page


def test_headings_are_in_order() -> None:
    page = Client().get(URL).content.decode()
    outline = _outline(page)
    assert outline.levels[0] == 1 and outline.levels.count(1) == 1
    assert 2 in outline.levels and 3 in outline.levels
    for before, after in zip(outline.levels, outline.levels[1:], strict=False):
        assert after <= before + 1, outline.levels
    # In-page links lead somewhere.
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in outline.ids


def test_only_get() -> None:
    assert Client().post(URL).status_code == 405


def test_footer_links_to_the_statement_on_every_kind_of_page(client: Client) -> None:
    w = make_world()
    anonymous_pages = [reverse("login"), reverse("password_reset"), URL, "/finns-inte/"]
    for path in anonymous_pages:
        response = client.get(path)
        assert URL in _outline(response.content.decode()).footer_links, path
    client.force_login(w.users["member"])
    signed_in_pages = [
        reverse("malomraden:program"),
        reverse("malomraden:malomrade", args=[w.area.slug]),
        reverse("effektkedjor:rad", args=[w.row.pk]),
        reverse("effektkedjor:instrumentpanel"),
        URL,
    ]
    for path in signed_in_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert URL in _outline(response.content.decode()).footer_links, path
