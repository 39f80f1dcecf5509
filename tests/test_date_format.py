"""The one display format for dates (boras_social/formats/sv/formats.py): formatting.py,
templates and Django's own date filter all read it."""

import datetime
import zoneinfo

from django.template import Context, Template

from effektkedjor import formatting

AUG_31 = datetime.date(2026, 8, 31)


def test_a_date_reads_the_swedish_way_everywhere() -> None:
    assert formatting.day(AUG_31) == "31 augusti 2026"
    assert formatting.day("2026-08-31") == "31 augusti 2026"  # a frozen report's text
    assert formatting.day(None) == ""
    template = Template(
        "{% load kedjor %}{{ d }}|{{ d|date }}|{{ iso|dag }}|{{ t|date:'DATETIME_FORMAT' }}"
    )
    moment = datetime.datetime(2026, 8, 31, 12, 5, tzinfo=datetime.UTC)
    rendered = template.render(Context({"d": AUG_31, "iso": "2026-08-31", "t": moment}))
    assert rendered == "31 augusti 2026|31 augusti 2026|31 augusti 2026|31 augusti 2026 kl. 14:05"


def test_a_moment_reads_in_stockholm_time() -> None:
    moment = datetime.datetime(2026, 1, 5, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert formatting.moment(moment) == "6 januari 2026 kl. 00:30"


def test_history_and_conflicts_write_dates_the_same_way() -> None:
    assert formatting.display_value("datum", AUG_31) == "31 augusti 2026"
    assert formatting.display_value("start", datetime.date(2026, 3, 1)) == "mars 2026"
