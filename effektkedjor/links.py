"""Links for the rows of big tables, built without one reverse() per link.

A chain table of 60 rows needs some 600 URLs; at that count reverse() was the largest
single cost of rendering the page (see the benchmark note in the README). Each URL
pattern is reversed once, with a placeholder, and the ids are filled in.
"""

from collections.abc import Iterable

from django.urls import reverse

from .models import Kedjerad

_ID = "987654321"
_SLUG = "platshallare-for-slug"
ROW_VIEWS = ["rad", "rad_andra", "rad_ta_bort", "rad_flytta", "rapportera"]


def attach_links(rows: Iterable[Kedjerad]) -> None:
    """Give each row `u` (its URLs by view name, and its area's page as "omrade") and
    each of its organisations `u` (the organisation's page)."""
    row_patterns = {name: reverse(f"effektkedjor:{name}", args=[int(_ID)]) for name in ROW_VIEWS}
    area_pattern = reverse("malomraden:malomrade", kwargs={"slug": _SLUG})
    org_pattern = reverse("malomraden:organisation", kwargs={"slug": _SLUG})
    for row in rows:
        links = {name: url.replace(_ID, str(row.pk)) for name, url in row_patterns.items()}
        links["omrade"] = area_pattern.replace(_SLUG, row.malomrade.slug)
        row.u = links  # type: ignore[attr-defined]
        for org in row.ansvariga_organisationer.all():
            org.u = org_pattern.replace(_SLUG, org.slug)  # type: ignore[attr-defined]
