"""Optimistic locking: every editable object (chain row, long-term effect, area) has a
version that moves with each saved change, so of two people editing the same object
the second learns of the first instead of saving over them.

Used by both apps' services and views and by the admin: claiming a version when a form
is saved, moving it for changes made elsewhere, and putting the user's input back in a
form after a conflict.
"""

from collections.abc import Callable
from typing import Any, Protocol

from django.db.models import F, Model
from django.http import QueryDict


class EditConflict(Exception):
    """Someone else saved the object after the user opened it."""

    def __init__(self, current: Model) -> None:
        super().__init__("edit conflict")
        self.current = current


def claim_version(instance: Any, expected_version: int) -> None:
    """Compare-and-swap the version: raise EditConflict if it moved since the form opened.

    A conditional UPDATE is atomic on both SQLite and PostgreSQL, so of two concurrent
    saves from the same version exactly one wins.
    """
    model = type(instance)
    claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(current=model.objects.get(pk=instance.pk))
    instance.version = expected_version + 1


def bump_version(instance: Any) -> None:
    """Move the version whatever it is now, and write the object's history entry (with
    its links as they are now): for changes made outside the app's forms (the admin, a
    deleted effect), so a form opened before them gets the conflict."""
    type(instance).objects.filter(pk=instance.pk).update(version=F("version") + 1)
    instance.refresh_from_db(fields=["version"])
    instance.save(update_fields=["version"])


class _Validating(Protocol):
    def is_valid(self) -> bool: ...


def rebind[T: _Validating](post: QueryDict, current: Model, make: Callable[[QueryDict], T]) -> T:
    """After a conflict: the user's input in a form made by `make`, now carrying the
    current version, so pressing Spara again saves on top of the other person's change.
    Validated, so any error shows next to its field."""
    data = post.copy()
    data["version"] = str(getattr(current, "version"))  # noqa: B009  # any versioned model
    form = make(data)
    form.is_valid()
    return form
