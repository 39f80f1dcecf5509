"""Reading the app's pages the way a browser does, for the load test's users.

Kept apart from the locustfile (importing Locust patches the whole process for gevent)
so that tests/load/test_pages.py can check these against the real views: when a
template changes what a saved row or a conflict looks like, that test fails, not a
load test run an hour later.
"""

from collections.abc import Mapping
from html.parser import HTMLParser

CONFLICT_TEXT = "Någon annan har ändrat raden"
SAVED_ROW = 'class="sparad"'
REPORT_SAVED_EVENT = "rapport-sparad"


class FormFields(HTMLParser):
    """The values a browser would submit for the first form of a page or fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._in_form = self._done = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "file"}:
                self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._first_option, self._selected = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a and not self._selected:
                self.fields.append((self._select, value))
                self._selected = True

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that may follow <textarea>.
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._selected and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_fields(html: str) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields


def edit_outcome(status: int, html: str) -> str:
    """What the server did with a row edit posted with htmx: "accepted", "refused" (a
    save from a stale version, answered with the other person's changes) or else a
    short description of the unexpected answer."""
    if status != 200:
        return f"status {status}"
    if CONFLICT_TEXT in html:
        return "refused"
    if SAVED_ROW in html:
        return "accepted"
    return "neither a saved row nor a conflict"


# A report saved by someone else since the form was opened (one report per row and
# period): the server shows it instead of saving over it.
REPORT_CONFLICT_TEXT = "har sparat läget för raden medan du skrev"


def report_refused(status: int, html: str) -> bool:
    """Whether a status report was refused because another save came first."""
    return status == 200 and REPORT_CONFLICT_TEXT in html


def report_saved(status: int, headers: Mapping[str, str]) -> bool:
    """Whether a status report posted with htmx was saved (the row's status block
    comes back with the event that tells the page)."""
    return status == 200 and REPORT_SAVED_EVENT in headers.get("HX-Trigger", "")
