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
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

# Locust puts only this folder on the path; the page helpers live in the project's tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.load.pages import edit_outcome, form_fields, report_refused, report_saved

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
RECORD = os.environ["LOAD_RECORD"]
RUN = os.environ.get("LOAD_RUN_ID") or uuid.uuid4().hex[:8]
STATUSES = ["ej_paborjad", "pagar", "klar", "pausad", "avbruten"]
ASSESSMENTS = ["enligt_plan", "risk", "avvikelse"]
_accounts = itertools.count()
rng = random.Random()  # noqa: S311 - a load pattern, not security


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
            outcome = edit_outcome(response.status_code, response.text)
            if outcome == "refused":
                response.success()  # a correct refusal of a stale save, not an error
                record(kind="refused", row=row, marker=marker)
            elif outcome == "accepted":
                record(kind="edit", row=row, marker=marker)
            else:
                response.failure(f"the save was neither accepted nor refused ({outcome})")

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
            # The row's report for the period as the form was opened (0: none yet).
            "version": fields.get("version", ["0"])[0],
        }
        with self.client.post(
            url,
            data=data,
            headers={"HX-Request": "true", "X-CSRFToken": data["csrfmiddlewaretoken"]},
            name="report: save",
            catch_response=True,
        ) as response:
            if report_saved(response.status_code, response.headers):
                record(kind="report", row=row, marker=marker)
            elif report_refused(response.status_code, response.text):
                response.success()  # the other owner's report came first: as designed
            else:
                response.failure(f"the report was not saved (status {response.status_code})")

    def _think(self) -> None:
        # Someone filling in a form: long enough that the area's other owner sometimes
        # saves the same row in between.
        # (Locust patches time.sleep to yield to the other users.)
        time.sleep(rng.uniform(0.5, 2.0))
