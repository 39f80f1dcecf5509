"""How a date reads wherever a person reads one: the one place the display format is
written. Django uses these for `{{ date }}`, `{{ date|date }}`,
`{{ moment|date:"DATETIME_FORMAT" }}` and `date_format()`; effektkedjor/formatting.py's
`day()` and `moment()` (the PDF, the history) read them from here. Everything else, such
as the form inputs' formats, stays Django's Swedish defaults.

Machine-readable places keep ISO 8601 on purpose: `<time datetime>`, `<input
type="date">` and the spreadsheet export.
"""

DATE_FORMAT = "j F Y"  # 31 augusti 2026
DATETIME_FORMAT = r"j F Y \k\l. H:i"  # 31 augusti 2026 kl. 14:05
