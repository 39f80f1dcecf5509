"""Three-way merge after an edit conflict, so a save never undoes someone else's change.

When a user saves a form opened on an older version, their input ("mine") is compared
field by field with the version the form was opened on ("base", from the history) and
with what is saved now ("theirs"):

- a field only the other person changed keeps their value;
- a field only this user changed takes theirs (the user's);
- a field both changed, to different values, is a conflict: the user chooses.

Sets (a row's organisations and long-term effects) merge per item: an item either of
them added is in, an item either of them removed is out. Used for chain rows, long-term
effects and an area's texts; `ConflictChoices` is the form side of a conflict.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms

MINE = "mina"
THEIRS = "deras"


def same(a: Any, b: Any) -> bool:
    """Equal as a person sees it: a browser sends a textarea's line breaks as CRLF, and
    the forms strip surrounding white space."""
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()
    if a in (None, "") and b in (None, ""):
        return True
    return bool(a == b)


@dataclass
class Merge:
    values: dict[str, Any]
    # Fields both changed to different values: the user's value is in `values` until
    # they choose.
    conflicts: list[str] = field(default_factory=list)
    # Fields whose value came from the other person.
    taken: list[str] = field(default_factory=list)


def merge(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merge:
    """Merge `mine` into `theirs` against `base`; every mapping has the same keys, and
    a set value merges per item."""
    result = Merge(values={})
    for name, mine_value in mine.items():
        base_value, their_value = base[name], theirs[name]
        if isinstance(mine_value, frozenset | set):
            result.values[name] = (
                (base_value & mine_value & their_value)
                | (mine_value - base_value)
                | (their_value - base_value)
            )
            if their_value != base_value:
                result.taken.append(name)
        elif same(mine_value, base_value):
            result.values[name] = their_value
            if not same(their_value, base_value):
                result.taken.append(name)
        else:
            result.values[name] = mine_value
            if not same(their_value, base_value) and not same(their_value, mine_value):
                result.conflicts.append(name)
    return result


class ConflictChoices(forms.Form):
    """Mixin for a versioned form: after a merge with conflicts, one required choice per
    conflicting field ("val_<field>": keep mine, or take the saved value). The list of
    conflicting fields travels in the hidden field `konflikter`, limited to the fields
    in MERGEABLE so a crafted post cannot name anything else."""

    MERGEABLE: tuple[str, ...] = ()
    konflikter = forms.CharField(widget=forms.HiddenInput, required=False)

    def add_conflict_choices(self, shown: Callable[[str, Any], str]) -> None:
        """Call at the end of __init__; `shown(field, value)` is the text of a value."""
        raw = self.data.get(self.add_prefix("konflikter")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("konflikter", "")
        self.conflict_fields = [n for n in str(raw).split(",") if n in self.MERGEABLE]
        for name in self.conflict_fields:
            label = str(self.fields[name].label)
            theirs = getattr(self.instance, name)  # type: ignore[attr-defined]
            mine = self.initial.get(name) if not self.is_bound else self._posted(name)
            self.fields[f"val_{name}"] = forms.ChoiceField(
                label=label,
                widget=forms.RadioSelect,
                choices=[
                    (MINE, f"Din ändring: {shown(name, mine)}"),
                    (THEIRS, f"Den sparade: {shown(name, theirs)}"),
                ],
                error_messages={"required": f"Välj vilken version av ”{label}” som ska gälla."},
            )

    def _posted(self, name: str) -> Any:
        try:
            return self.fields[name].clean(self.data.get(self.add_prefix(name)))
        except forms.ValidationError:
            return self.data.get(self.add_prefix(name))

    def conflict_choice_fields(self) -> list[forms.BoundField]:
        return [self[f"val_{name}"] for name in getattr(self, "conflict_fields", [])]

    def apply_conflict_choices(self) -> None:
        """Call from clean(): a field where the user took the saved value gets it."""
        for name in getattr(self, "conflict_fields", []):
            if self.cleaned_data.get(f"val_{name}") == THEIRS:
                self.cleaned_data[name] = getattr(self.instance, name)  # type: ignore[attr-defined]
