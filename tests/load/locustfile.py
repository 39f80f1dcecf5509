"""Locust users for `make loadtest` (started by tests/load/run.py, which explains the run).

Each simulated user is an area owner of the scale data who signs in through the real
sign-in form and then, with pauses, looks at the dashboard with filters, opens area
pages, edits chain rows and reports status, the way the browser does it with htmx:
open the form as a fragment, take the CSRF token from it, post it back.

Every edit appends a unique marker to the row's "Resurser" text, and every report
carries one in its comment. What the server accepted is appended to $LOAD_RECORD (one
JSON object a line) so that the runner can look for each marker in the database.
Two owners share each area and edit the same few rows, so some saves are made from a
stale version: the server refuses those (optimistic locking), which is recorded as
"refused", not as a failure.
"""

import datetime
import itertools
import json
import os
import random
import time
import uuid
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
RECORD = os.environ["LOAD_RECORD"]
RUN = os.environ.get("LOAD_RUN_ID") or uuid.uuid4().hex[:8]
CONFLICT_TEXT = "Någon annan har ändrat raden"
STATUSES = ["ej_paborjad", "pagar", "klar", "pausad", "avbruten"]
ASSESSMENTS = ["enligt_plan", "risk", "avvikelse"]
_accounts = itertools.count()
rng = random.Random()  # noqa: S311 - a load pattern, not security


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


def record(**entry: Any) -> None:
    # Locust's users share one process and run one at a time (gevent), so appending a
    # short line is safe; the file survives a crash of the run.
    with open(RECORD, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry) + "\n")


@events.request.add_listener
def _note_failure(name: str, exception: BaseException | None, **kwargs: Any) -> None:
    # With --json-file Locust prints no error report: keep the reasons for the runner.
    if exception is not None:
        record(kind="failure", name=name, error=str(exception)[:200])


class AreaOwner(HttpUser):
    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.number = next(_accounts)
        self.account = PLAN["accounts"][self.number % len(PLAN["accounts"])]
        self.edits = itertools.count(1)
        page = self.client.get("/konto/logga-in/", name="sign-in page")
        token = form_fields(page.text).get("csrfmiddlewaretoken", [""])[0]
        with self.client.post(
            "/konto/logga-in/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.account["username"],
                "password": PLAN["password"],
            },
            name="sign-in",
            catch_response=True,
        ) as response:
            # The correct password only: django-axes locks a user after 5 failures.
            if "Logga ut" not in response.text:
                response.failure(f"could not sign in as {self.account['username']}")

    def _marker(self) -> str:
        return f"last-{RUN}-u{self.number:03d}-{next(self.edits):04d}"

    @task(4)
    def dashboard(self) -> None:
        filters: dict[str, str] = rng.choice(
            [
                {},
                {"omrade": rng.choice(PLAN["areas"])},
                {"organisation": rng.choice(PLAN["organisations"])},
                {"status": rng.choice([*STATUSES, "ingen"])},
                {"bedomning": rng.choice(ASSESSMENTS)},
                {"omrade": self.account["area"], "bedomning": "risk"},
            ]
        )
        # A filter change in the browser is an htmx request for the panel alone.
        htmx = bool(filters) and rng.random() < 0.5
        self.client.get(
            "/instrumentpanel/",
            params=filters,
            headers={"HX-Request": "true"} if htmx else {},
            name="dashboard (htmx)" if htmx else "dashboard",
        )

    @task(3)
    def area_page(self) -> None:
        area = self.account["area"] if rng.random() < 0.5 else rng.choice(PLAN["areas"])
        self.client.get(f"/omraden/{area}/", name="area page")

    @task(1)
    def my_rows(self) -> None:
        self.client.get("/mina-rader/", name="mina rader")

    @task(2)
    def edit_row(self) -> None:
        row = rng.choice(self.account["edit_rows"])
        url = f"/rader/{row}/andra/"
        form = self.client.get(url, headers={"HX-Request": "true"}, name="edit: open form")
        fields = form_fields(form.text)
        if "version" not in fields:
            return  # the failed GET is already counted by Locust
        self._think()
        marker = self._marker()
        fields["resurser"] = [f"{fields.get('resurser', [''])[0]} [{marker}]".strip()]
        with self.client.post(
            url,
            data=fields,
            headers={"HX-Request": "true", "X-CSRFToken": fields["csrfmiddlewaretoken"][0]},
            name="edit: save",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif CONFLICT_TEXT in response.text:
                response.success()  # a correct refusal of a stale save, not an error
                record(kind="refused", row=row, marker=marker)
            elif 'class="sparad"' in response.text:
                record(kind="edit", row=row, marker=marker)
            else:
                response.failure("the save was neither accepted nor refused")

    @task(2)
    def report(self) -> None:
        row = rng.choice(self.account["report_rows"])
        url = f"/rader/{row}/rapportera/"
        form = self.client.get(url, headers={"HX-Request": "true"}, name="report: open form")
        fields = form_fields(form.text)
        if "period" not in fields:
            return
        self._think()
        marker = self._marker()
        data = {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"][0],
            "period": fields["period"][0],
            "datum": datetime.date.today().isoformat(),
            "status": rng.choice(STATUSES),
            "bedomning": rng.choice(ASSESSMENTS),
            "kommentar": f"Lasttest: arbetet fortsätter enligt plan. [{marker}]",
        }
        with self.client.post(
            url,
            data=data,
            headers={"HX-Request": "true", "X-CSRFToken": data["csrfmiddlewaretoken"]},
            name="report: save",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "rapport-sparad" in response.headers.get(
                "HX-Trigger", ""
            ):
                record(kind="report", row=row, marker=marker)
            else:
                response.failure(f"the report was not saved (status {response.status_code})")

    def _think(self) -> None:
        # Someone filling in a form: long enough that the area's other owner sometimes
        # saves the same row in between.
        # (Locust patches time.sleep to yield to the other users.)
        time.sleep(rng.uniform(0.5, 2.0))
