"""Browser harness: Playwright driving Debian's Chromium against pytest-django's live_server.

Every later issue's browser tests use these fixtures:
- `browser`: one Chromium for the session (Debian's /usr/bin/chromium, no download);
- `page`: a fresh context and page per test; the app's Content Security Policy is enforced
  by the browser, and any violation it reports (a blocked inline script, style or handler)
  fails the test;
- `sign_in(page, username)`: signs in through the real form;
- `check_accessibility(page)`: axe-core's WCAG 2.1 A/AA rules on the current page;
- `html_checker`: collects pages and runs the Nu HTML checker (vnu) over them at once.
"""

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import ROOT, require_tool

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_tool(Path(CHROMIUM).exists(), "Chromium (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def is_csp_violation(text: str) -> bool:
    # Chromium reports every CSP refusal on the console as "Refused to … because it
    # violates the following Content Security Policy directive …".
    return "Content Security Policy" in text


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Opens a page in a fresh context (another person's browser), watched for CSP
    violations like `page`; for tests with several people at once."""
    opened: list[tuple[BrowserContext, Page, list[str]]] = []

    def _new_page() -> Page:
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        p = context.new_page()
        p.set_default_timeout(10_000)
        violations: list[str] = []
        p.on(
            "console",
            lambda msg: (
                violations.append(f"{p.url}: {msg.text}") if is_csp_violation(msg.text) else None
            ),
        )
        p.csp_violations = violations  # type: ignore[attr-defined]
        opened.append((context, p, violations))
        return p

    yield _new_page
    found = []
    for context, p, violations in opened:
        context.close()
        if not getattr(p, "expect_csp_violations", False):
            found.extend(violations)
    if found:
        pytest.fail("CSP-överträdelser:\n" + "\n".join(found))


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


@pytest.fixture
def sign_in(live_server: Any) -> Any:
    def _sign_in(page: Page, username: str, password: str = "demo") -> None:
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        assert "/konto/logga-in/" not in page.url, f"inloggningen misslyckades för {username}"

    return _sign_in


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page; evaluated through the DevTools protocol, so a strict
    Content Security Policy does not stop it."""
    require_tool(AXE_JS.exists(), "axe-core (npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
            }));
        }""",
        WCAG_TAGS,
    )
    return list(result)


@pytest.fixture
def check_accessibility() -> Any:
    def _check(page: Page) -> None:
        violations = axe_violations(page)
        assert violations == [], f"axe på {page.url}:\n" + json.dumps(
            violations, ensure_ascii=False, indent=1
        )

    return _check


class HtmlChecker:
    """Collects HTML documents and checks them all with one run of the Nu HTML checker."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sources: dict[Path, str] = {}

    def add(self, url: str, html: str) -> None:
        path = self.folder / f"page-{len(self.sources):04d}.html"
        path.write_text(html, encoding="utf-8")
        self.sources[path] = url

    def errors(self) -> list[str]:
        if not self.sources:
            return []
        require_tool(
            shutil.which("java") is not None, "Java (apt-get install default-jre-headless)"
        )
        require_tool(VNU_JAR.exists(), "vnu-jar (npm ci)")
        run = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                # htmx attributes are not in the HTML standard; everything else must pass.
                "--filterpattern",
                r".*Attribute .hx-.*",
                *map(str, self.sources),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        report = json.loads(run.stderr or run.stdout or '{"messages": []}')
        found = []
        for msg in report.get("messages", []):
            if msg.get("type") in {"error", "non-document-error"}:
                url = self.sources.get(Path(msg.get("url", "").removeprefix("file:")), "?")
                found.append(f"{url} rad {msg.get('lastLine')}: {msg.get('message')}")
        return found


@pytest.fixture
def html_checker(tmp_path: Path) -> HtmlChecker:
    return HtmlChecker(tmp_path)
