"""Writes to long-term effects (lock order: services/__init__.py)."""

from django.db import transaction

from ..models import Effektbidrag, LangsiktigEffekt
from ..versioning import bump_version
from .locks import place_or_claim


@transaction.atomic
def save_effect(*, effect: LangsiktigEffekt, expected_version: int | None = None) -> None:
    """Create an effect (last in its area) or update one from the version the user's
    form was opened on (EditConflict if it has moved)."""
    place_or_claim(effect, expected_version=expected_version)
    effect.save()


@transaction.atomic
def delete_effect(*, effect: LangsiktigEffekt) -> None:
    """Delete a long-term effect, and record in each row that served it that the link is
    gone (an entry by the same user, so the row's own history tells the whole story).

    The rows' versions move too: a form opened on such a row before the deletion gets
    the usual conflict instead of silently re-linking or failing on a vanished choice.
    """
    # Step 3 of the lock order: the rows, in their order, then the effect itself.
    rows = list(effect.rader.select_for_update().order_by("ordning", "id"))
    Effektbidrag.objects.filter(effekt=effect).delete()
    for row in rows:
        bump_version(row)
    effect.delete()
