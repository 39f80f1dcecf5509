"""Buttons stay readable in every state: the text of each button (link-styled ones like
"Rapportera läget", "Lägg till rad", "Ändra raden"; real buttons, the red "Ta bort", the
small "Upp"/"Ner", the header's "Logga ut" and its links) keeps a contrast of at least
4.5:1 against what is behind it at rest, under the mouse and with keyboard focus
(WCAG 1.4.3)."""

from typing import Any

import pytest
from playwright.sync_api import Locator, Page

from effektkedjor.models import Kedjerad

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "/omraden/forutsattningar-for-arbete/"

# The text's colour against the first opaque background behind it (the element's own,
# else its ancestors'), as the WCAG relative-luminance contrast ratio.
CONTRAST_JS = """el => {
    const rgba = s => {
        const m = s.match(/rgba?\\(([^)]+)\\)/);
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const lum = c => {
        const ch = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
    };
    const fg = rgba(getComputedStyle(el).color);
    let bg = null;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
        const c = rgba(getComputedStyle(n).backgroundColor);
        if (c.a > 0.5) { bg = c; break; }
    }
    bg = bg || {r: 255, g: 255, b: 255, a: 1};
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return {ratio: (l1 + 0.05) / (l2 + 0.05), color: getComputedStyle(el).color,
            background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`};
}"""


def _contrast(button: Locator) -> dict[str, Any]:
    return dict(button.evaluate(CONTRAST_JS))


def _check_states(page: Page, button: Locator, name: str, found: list[str]) -> None:
    button.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    states = {"i vila": _contrast(button)}
    button.hover()
    states["under musen"] = _contrast(button)
    page.mouse.move(0, 0)
    button.focus()
    states["med fokus"] = _contrast(button)
    button.blur()
    for state, c in states.items():
        if c["ratio"] < 4.5:
            found.append(
                f"{page.url} «{name}» {state}: {c['color']} på {c['background']} "
                f"= {c['ratio']:.2f}:1"
            )


def _check_all(page: Page, found: list[str]) -> int:
    buttons = page.locator(".knapp, .sidhuvud a")
    count = buttons.count()
    for i in range(count):
        button = buttons.nth(i)
        if not button.is_visible():
            continue
        name = button.get_attribute("aria-label") or button.inner_text().strip().splitlines()[0]
        _check_states(page, button, name, found)
    return count


def test_every_button_keeps_its_contrast_at_rest_on_hover_and_with_focus(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    found: list[str] = []
    checked = 0
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")

    sign_in(page, "tjansteperson")
    page.goto(live_server.url + "/mina-rader/")
    checked += _check_all(page, found)  # "Rapportera läget", "Logga ut"

    sign_in(page, "omradesansvarig")
    for path in (
        AREA,  # "Lägg till rad", "Lägg till långsiktig effekt", "Upp", "Ner"
        f"/rader/{row.pk}/",  # "Ändra raden"
        f"/rader/{row.pk}/ta-bort/",  # the red "Ta bort"
        f"/rader/{row.pk}/andra/",  # "Spara"
    ):
        page.goto(live_server.url + path)
        checked += _check_all(page, found)

    sign_in(page, "stadsdirektor")
    page.goto(live_server.url + "/rapporter/")
    checked += _check_all(page, found)  # "Stäng perioden …"
    page.get_by_role("link", name="webbsida", exact=True).first.click()
    page.wait_for_load_state()
    checked += _check_all(page, found)  # "Ladda ner som pdf"

    assert checked > 20
    assert found == [], "För låg kontrast:\n" + "\n".join(found)
