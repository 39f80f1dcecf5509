"""Readable history of chain rows: who changed what, when, from what to what.

django-simple-history records every save (with the organisations and long-term effects
as they were). This module turns those records into lines for the row page and for the
edit-conflict message, in a fixed number of queries however long the history is.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.db.models import Field

from malomraden.models import Organisation

from .formatting import display_value
from .models import Kedjerad, LangsiktigEffekt

ROW_FIELDS = [*Kedjerad.EDITABLE_FIELDS, "ordning"]
KIND_LABELS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _user_name(user: Any) -> str:
    if user is None:
        return "systemet"
    return user.get_full_name() or user.get_username()


class _RowHistoryData:
    """All history records of some rows, with their organisations and effects, loaded
    in four queries (five when an effect has been deleted)."""

    def __init__(self, records: Sequence[Any]) -> None:
        self.records = records
        ids = [r.history_id for r in records]
        # The snapshots of the two link tables that simple-history keeps per record.
        orgs_model = apps.get_model("effektkedjor", "HistoricalRadansvar")
        effects_model = apps.get_model("effektkedjor", "HistoricalEffektbidrag")
        self.orgs: dict[int, list[int]] = defaultdict(list)
        for h_id, org_id in (
            orgs_model.objects.filter(history_id__in=ids)
            .order_by("ordning", "organisation_id")
            .values_list("history_id", "organisation_id")
        ):
            self.orgs[h_id].append(org_id)
        self.effects: dict[int, list[int]] = defaultdict(list)
        for h_id, effect_id in (
            effects_model.objects.filter(history_id__in=ids)
            .order_by("effekt_id")
            .values_list("history_id", "effekt_id")
        ):
            self.effects[h_id].append(effect_id)
        all_orgs = {o for ids_ in self.orgs.values() for o in ids_}
        all_effects = {e for ids_ in self.effects.values() for e in ids_}
        self.org_names = dict(Organisation.objects.filter(pk__in=all_orgs).values_list("pk", "kod"))
        self.effect_texts = dict(
            LangsiktigEffekt.objects.filter(pk__in=all_effects).values_list("pk", "text")
        )
        # A deleted effect is named by its last recorded text (one more query, if any).
        if gone := all_effects - self.effect_texts.keys():
            for pk, text in (
                LangsiktigEffekt.history.filter(id__in=gone)
                .order_by("history_date", "history_id")
                .values_list("id", "text")
            ):
                self.effect_texts[pk] = f"{text} (borttagen)"

    def org_list(self, record: Any) -> str:
        names = [
            self.org_names.get(i, "(borttagen organisation)") for i in self.orgs[record.history_id]
        ]
        return ", ".join(names) or "(inga)"

    def effect_list(self, record: Any) -> str:
        texts = [
            self.effect_texts.get(i, "(borttagen effekt)") for i in self.effects[record.history_id]
        ]
        return "; ".join(texts) or "(målområdet som helhet)"

    def changes(self, old: Any, new: Any) -> list[Change]:
        changes = []
        for name in ROW_FIELDS:
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                label = str(cast(Field, Kedjerad._meta.get_field(name)).verbose_name).capitalize()
                changes.append(
                    Change(label, display_value(name, before), display_value(name, after))
                )
        for label, fn in [
            ("Ansvariga organisationer", self.org_list),
            ("Bidrar till långsiktiga effekter", self.effect_list),
        ]:
            if fn(old) != fn(new):
                changes.append(Change(label, fn(old), fn(new)))
        return changes


def row_history(row: Kedjerad) -> list[HistoryEntry]:
    """The row's history, newest first."""
    records = list(
        row.history.select_related("history_user").order_by("history_date", "history_id")
    )
    data = _RowHistoryData(records)
    entries = []
    previous = None
    for record in records:
        entry = HistoryEntry(
            when=record.history_date,
            who=_user_name(record.history_user),
            kind=KIND_LABELS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        if previous is not None:
            entry.changes = data.changes(previous, record)
        entries.append(entry)
        previous = record
    entries.reverse()
    return entries


def changes_since(row: Kedjerad, version: int) -> tuple[list[Change], list[HistoryEntry]] | None:
    """What others changed in the row since `version`: the changes, and who made them.

    None when the history has no record of that version (then only the current values
    can be shown).
    """
    history = row.history.select_related("history_user")
    base = history.filter(version=version).order_by("-history_id").first()
    if base is None:
        return None
    later = list(history.filter(history_id__gt=base.history_id).order_by("history_id"))
    if not later:
        return [], []
    data = _RowHistoryData([base, *later])
    authors = [
        HistoryEntry(
            when=r.history_date,
            who=_user_name(r.history_user),
            kind=KIND_LABELS.get(r.history_type, r.history_type),
            reason=r.history_change_reason or "",
        )
        for r in later
    ]
    return data.changes(base, later[-1]), authors


def row_as_of(row: Kedjerad, version: int) -> dict[str, Any] | None:
    """The row's fields, organisations and effects (as sets of ids) as they were at
    `version`: the base of a merge after an edit conflict. None when the history has no
    record of that version."""
    record = row.history.filter(version=version).order_by("-history_id").first()
    if record is None:
        return None
    data = _RowHistoryData([record])
    values = {name: getattr(record, name) for name in Kedjerad.EDITABLE_FIELDS}
    values["organisationer"] = frozenset(data.orgs[record.history_id])
    values["effekter"] = frozenset(data.effects[record.history_id])
    return values


def row_values(row: Kedjerad) -> dict[str, Any]:
    """The row's values now, in the shape of row_as_of."""
    values = {name: getattr(row, name) for name in Kedjerad.EDITABLE_FIELDS}
    values["organisationer"] = frozenset(o.pk for o in row.ansvariga_organisationer.all())
    values["effekter"] = frozenset(e.pk for e in row.langsiktiga_effekter.all())
    return values
