"""Merging an area's texts after an edit conflict (the rule is effektkedjor/merging.py's).

The area's form is a headline and a list of texts. After a conflict the headline merges
as a field, the texts per text: one only the other person added stays, one only this
user added is added, one removed by one of them and left alone by the other is removed,
and an edited text is kept even if the other removed it (nothing written is lost). A
field of a text both changed differently is a conflict the user chooses.

The result is the form's POST data with the merge applied, so the ordinary form and
formset validate and save it, or show it again with the choices.
"""

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from effektkedjor.merging import THEIRS, merge, same

from .forms import MalomradeForm
from .models import Malomrade, Omradestext

TEXT_FIELDS = ("typ", "text", "ordning")
PREFIX = "texter"


@dataclass
class Conflict:
    key: str  # the POST key both changed: "rubrik" or "texter-3-text"
    label: str
    mine: str
    theirs: str


def _texts_as_of(area: Malomrade, version: int) -> dict[str, Any] | None:
    """The area's texts as they were saved with `version`: the texts are saved right
    after the area in one transaction, so their state is what the history holds just
    before the area's next record."""
    record = area.history.filter(version=version).order_by("-history_id").first()
    if record is None:
        return None
    following = area.history.filter(history_id__gt=record.history_id).order_by("history_id").first()
    texts = Omradestext.history.filter(malomrade_id=area.pk)
    if following is not None:
        texts = texts.filter(history_date__lt=following.history_date)
    state: dict[int, dict[str, Any]] = {}
    for old in texts.order_by("history_date", "history_id"):
        if old.history_type == "-":
            state.pop(old.id, None)
        else:
            state[old.id] = {name: getattr(old, name) for name in TEXT_FIELDS}
    return {"rubrik": record.rubrik, "texts": state}


def merged_post(
    area: Malomrade, opened_on: int, form: MalomradeForm, formset: Any
) -> tuple[QueryDict, list[Conflict]] | None:
    """The user's valid input (`form`, `formset`) merged with what is saved now; None
    when the history has no record of the version the form was opened on."""
    base = _texts_as_of(area, opened_on)
    if base is None:
        return None
    current = {t.pk: t for t in area.texter.all()}
    conflicts: list[Conflict] = []
    rubrik = merge(
        {"rubrik": base["rubrik"]}, {"rubrik": form.cleaned_data["rubrik"]}, {"rubrik": area.rubrik}
    )
    if rubrik.conflicts:
        conflicts.append(Conflict("rubrik", "", form.cleaned_data["rubrik"], area.rubrik))

    kept: list[tuple[int | None, dict[str, Any], bool]] = []  # (id, values, delete)
    seen: set[int] = set()
    for f in formset.forms:
        if not f.has_changed() and f.instance.pk is None:
            continue  # the empty form for a new text
        mine = {name: f.cleaned_data.get(name) for name in TEXT_FIELDS}
        pk = f.instance.pk
        if pk is None:
            kept.append((None, mine, False))
            continue
        seen.add(pk)
        was = base["texts"].get(pk)
        now = current.get(pk)
        if now is None:
            # The other person removed it: gone, unless this user changed it.
            if was is None or not all(same(mine[n], was[n]) for n in TEXT_FIELDS):
                kept.append((None, mine, False))
            continue
        theirs = {name: getattr(now, name) for name in TEXT_FIELDS}
        if f.cleaned_data.get("DELETE"):
            unchanged = was is not None and all(same(theirs[n], was[n]) for n in TEXT_FIELDS)
            kept.append((pk, theirs, unchanged))
            continue
        result = merge(was or theirs, mine, theirs)
        kept.append((pk, result.values, False))
        for name in result.conflicts:
            conflicts.append(
                Conflict(f"{pk}-{name}", "", _shown(name, mine[name]), _shown(name, theirs[name]))
            )
    # Texts the other person added after the user opened the form.
    for pk, now in current.items():
        if pk not in seen:
            kept.append((pk, {n: getattr(now, n) for n in TEXT_FIELDS}, False))

    data = QueryDict(mutable=True)
    data["version"] = str(area.version)
    data["rubrik"] = rubrik.values["rubrik"]
    existing = [k for k in kept if k[0] is not None]
    new = [k for k in kept if k[0] is None]
    for i, (pk, values, delete) in enumerate([*existing, *new]):
        key = f"{PREFIX}-{i}"
        if pk is not None:
            data[f"{key}-id"] = str(pk)
            if delete:
                data[f"{key}-DELETE"] = "on"
        data[f"{key}-malomrade"] = str(area.pk)
        for name in TEXT_FIELDS:
            data[f"{key}-{name}"] = "" if values[name] is None else str(values[name])
        # A conflict is named by its POST key, now that the text has a place.
        for c in conflicts:
            if pk is not None and c.key.startswith(f"{pk}-"):
                c.key = f"{key}-{c.key.split('-', 1)[1]}"
    data[f"{PREFIX}-TOTAL_FORMS"] = str(len(existing) + len(new))
    data[f"{PREFIX}-INITIAL_FORMS"] = str(len(existing))
    data[f"{PREFIX}-MIN_NUM_FORMS"] = "0"
    data[f"{PREFIX}-MAX_NUM_FORMS"] = "1000"
    data["konflikter"] = ",".join(c.key for c in conflicts)
    for c in conflicts:
        c.label = _label(c.key)
    return data, conflicts


def _shown(name: str, value: Any) -> str:
    if name == "typ" and value in Omradestext.Typ.values:
        return str(Omradestext.Typ(value).label)
    return "" if value is None else str(value)


def _label(key: str) -> str:
    """The legend of a choice: "Rubrik", or "Text 2: text"."""
    if key == "rubrik":
        return "Rubrik"
    index, _, name = key.removeprefix(f"{PREFIX}-").partition("-")
    field = str(Omradestext._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    return f"Text {int(index) + 1}: {field}"


def apply_choices(post: QueryDict, area: Malomrade) -> tuple[QueryDict, list[Conflict], bool]:
    """The second step of a merge: for each field both changed (listed in `konflikter`),
    the user's choice ("val_<key>"): keep the input, or take the saved value. Returns the
    data to bind, the conflicts (to show again if a choice is missing) and whether every
    one was chosen."""
    data = post.copy()
    keys = [k for k in post.get("konflikter", "").split(",") if k]
    current = {t.pk: t for t in area.texter.all()}
    conflicts, complete = [], True
    for key in keys:
        if key == "rubrik":
            theirs = area.rubrik
        else:
            index, _, name = key.removeprefix(f"{PREFIX}-").partition("-")
            pk = post.get(f"{PREFIX}-{index}-id", "")
            text = current.get(int(pk)) if pk.isdigit() else None
            if name not in TEXT_FIELDS or text is None:
                continue  # not a field a merge names: ignore it
            theirs = str(getattr(text, name))
        choice = post.get(f"val_{key}")
        if choice == THEIRS:
            data[key] = theirs
        elif choice != "mina":
            complete = False
        name = key.rpartition("-")[2]
        conflicts.append(
            Conflict(key, _label(key), _shown(name, post.get(key, "")), _shown(name, theirs))
        )
    return data, conflicts, complete
